import type { App } from '@slack/bolt';
import type { AppContext } from '../../context.js';
import { registerAppHomeOpened } from './app-home-opened.js';

export function register(app: App, ctx: AppContext): void {
  registerAppHomeOpened(app, ctx);
}
