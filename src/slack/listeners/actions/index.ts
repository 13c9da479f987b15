import type { App } from '@slack/bolt';
import type { AppContext } from '../../context.js';
import { registerDocButtons } from './doc-buttons.js';
import { registerLogButtons } from './log-buttons.js';
import { registerStatusButtons } from './status-buttons.js';
import { registerWhysActions } from './whys.js';

export function register(app: App, ctx: AppContext): void {
  registerStatusButtons(app, ctx);
  registerLogButtons(app, ctx);
  registerWhysActions(app, ctx);
  registerDocButtons(app, ctx);
}
