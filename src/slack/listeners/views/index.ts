import type { App } from '@slack/bolt';
import type { AppContext } from '../../context.js';
import { registerCreateIssueView } from './create-issue.js';
import { registerDocDetailsView } from './doc-details.js';
import { registerLogReviewView } from './log-review.js';
import { registerWhysView } from './whys.js';

export function register(app: App, ctx: AppContext): void {
  registerCreateIssueView(app, ctx);
  registerLogReviewView(app, ctx);
  registerDocDetailsView(app, ctx);
  registerWhysView(app, ctx);
}
