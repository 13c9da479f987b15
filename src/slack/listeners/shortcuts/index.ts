import type { App } from '@slack/bolt';
import type { AppContext } from '../../context.js';
import { registerAddToIssue } from './add-to-issue.js';

export function register(app: App, ctx: AppContext): void {
  registerAddToIssue(app, ctx);
}
