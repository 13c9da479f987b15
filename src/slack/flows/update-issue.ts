import type { Change } from '../../services/issues.js';
import { IssueValidationError } from '../../services/issues.js';
import { type Issue, NotFoundError, shortId } from '../../store/index.js';
import { issueCard } from '../blocks/issue-card.js';
import type { AppContext, Notify, WebClient } from '../context.js';
import { safeNotify } from './create-issue.js';
import { explainSlackError, slackErrorCode } from './errors.js';

export interface IssueChangeRequest {
  issueId: string;
  userId: string;
  notify: Notify;
  /** The store change (a transaction with its audit entry), run first. */
  apply: () => Change;
  /** One line for the thread, e.g. `set status to *resolved*`; the actor's mention is prepended. */
  describe: (change: Change) => string;
  /** What to say when nothing changed. */
  unchanged: (issue: Issue) => string;
}

/**
 * Applies one change to an issue, then shows it in Slack: the card is redrawn (chat.update) and a one-line message
 * goes to the thread. The store is the truth: a Slack failure after the commit is reported, not rolled back.
 */
export async function changeIssue(
  ctx: AppContext,
  client: WebClient,
  req: IssueChangeRequest,
): Promise<Change | undefined> {
  const log = ctx.logger.child({ flow: 'change_issue', issue_id: req.issueId, user_id: req.userId });
  let change: Change;
  try {
    change = req.apply();
  } catch (err) {
    if (err instanceof IssueValidationError) {
      await safeNotify(ctx, req.notify, `Not changed: ${Object.values(err.fields).join('; ')}`);
      return undefined;
    }
    if (err instanceof NotFoundError) {
      await safeNotify(ctx, req.notify, 'That issue no longer exists.');
      return undefined;
    }
    throw err;
  }
  if (!change.changed) {
    await safeNotify(ctx, req.notify, req.unchanged(change.after));
    return change;
  }
  log.info('issue changed');
  const thread = ctx.issues.threadOf(req.issueId);
  if (!thread?.thread_ts) {
    await safeNotify(ctx, req.notify, `Done: issue \`${shortId(req.issueId)}\` ${req.describe(change)}.`);
    return change;
  }
  const problems: string[] = [];
  try {
    await client.chat.update({
      channel: thread.channel_id,
      ts: thread.thread_ts,
      ...issueCard(change.after, ctx.render()),
    });
  } catch (err) {
    problems.push(slackErrorCode(err));
  }
  try {
    await client.chat.postMessage({
      channel: thread.channel_id,
      thread_ts: thread.thread_ts,
      text: `<@${req.userId}> ${req.describe(change)}.`,
    });
  } catch (err) {
    problems.push(slackErrorCode(err));
  }
  if (problems.length > 0) {
    log.warn({ slack_errors: problems }, 'change stored but not fully shown in Slack');
    await safeNotify(
      ctx,
      req.notify,
      `Issue \`${shortId(req.issueId)}\` ${req.describe(change)} — saved, but Slack did not show it everywhere. ${explainSlackError(problems[0]!, thread.channel_id)}`,
    );
  }
  return change;
}
