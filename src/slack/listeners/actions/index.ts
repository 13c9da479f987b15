import type { App } from '@slack/bolt';
import type { AppContext } from '../../context.js';
import { registerPendingFeatures } from './pending-features.js';
import { registerStatusButtons } from './status-buttons.js';

export function register(app: App, ctx: AppContext): void {
  registerStatusButtons(app, ctx);
  registerPendingFeatures(app, ctx);
}
