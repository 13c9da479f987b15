import type { App } from '@slack/bolt';
import type { AppContext } from '../../context.js';
import { registerTftsrCommand } from './tftsr.js';

export function register(app: App, ctx: AppContext): void {
  registerTftsrCommand(app, ctx);
}
