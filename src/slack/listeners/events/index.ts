import type { App } from '@slack/bolt';
import type { AppContext } from '../../context.js';
import { registerAppHomeOpened } from './app-home-opened.js';
import { registerFileShared } from './file-shared.js';
import { registerMessageFileShare } from './message-file-share.js';

export function register(app: App, ctx: AppContext): void {
  registerAppHomeOpened(app, ctx);
  registerMessageFileShare(app, ctx);
  registerFileShared(app, ctx);
}
