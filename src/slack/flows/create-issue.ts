import type { CreateIssueInput } from '../../services/issues.js';
import { type Issue, shortId } from '../../store/index.js';
import { issueCard, placeholderCard } from '../blocks/issue-card.js';
import type { AppContext, Notify, WebClient } from '../context.js';
import { explainSlackError, slackErrorCode } from './errors.js';

export interface CreateInChannelRequest {
  teamId: string;
  channelId: string;
  userId: string;
  input: CreateIssueInput;
  /** Claimed delivery key (see Deliveries): the issue is recorded under it so a retry finds it. */
  deliveryKey: string;
  notify: Notify;
}

export type CreateOutcome =
  | { status: 'created'; issue: Issue; ts: string }
  | { status: 'duplicate'; issueId: string | null }
  | { status: 'failed'; reason: string };

/**
 * Creates an issue whose thread is its card, in this order so that nothing half-exists:
 * 1. claim the delivery (a retry or double submit stops here);
 * 2. post a placeholder card — if the bot cannot post in the channel, nothing is stored and the person is told how
 *    to invite it;
 * 3. one transaction: issue row + thread binding (card ts) + audit entry + delivery result;
 * 4. replace the placeholder with the real card.
 * Any failure before 3 commits releases the claim, so Slack's retry (or the person) can try again.
 */
export async function createIssueInChannel(
  ctx: AppContext,
  client: WebClient,
  req: CreateInChannelRequest,
): Promise<CreateOutcome> {
  const log = ctx.logger.child({ flow: 'create_issue', channel_id: req.channelId, user_id: req.userId });
  const claim = ctx.deliveries.claim(req.deliveryKey, 'create');
  if (claim.status !== 'claimed') {
    const issueId = claim.status === 'done' ? claim.entityId : null;
    log.info({ issue_id: issueId }, 'duplicate create delivery ignored');
    if (issueId) {
      await safeNotify(ctx, req.notify, `Issue \`${shortId(issueId)}\` was already created from this request.`);
    }
    return { status: 'duplicate', issueId };
  }

  let ts: string;
  try {
    const placeholder = placeholderCard();
    const posted = await client.chat.postMessage({ channel: req.channelId, ...placeholder });
    if (!posted.ts) throw new Error('chat.postMessage returned no ts');
    ts = posted.ts;
  } catch (err) {
    ctx.deliveries.release(req.deliveryKey);
    const code = slackErrorCode(err);
    log.warn({ slack_error: code }, 'could not post the issue card; nothing stored');
    await safeNotify(ctx, req.notify, `Issue not created. ${explainSlackError(code, req.channelId)}`);
    return { status: 'failed', reason: code };
  }

  let issue: Issue;
  try {
    issue = ctx.issues.create(
      req.input,
      { userId: req.userId },
      {
        binding: { team_id: req.teamId, channel_id: req.channelId, thread_ts: ts },
        deliveryKey: req.deliveryKey,
      },
    );
  } catch (err) {
    ctx.deliveries.release(req.deliveryKey);
    log.error({ err_name: (err as Error)?.name }, 'storing the issue failed; removing the placeholder card');
    await client.chat.delete({ channel: req.channelId, ts }).catch(() => undefined);
    await safeNotify(ctx, req.notify, 'Issue not created: the TFTSR database refused the change. Please try again.');
    return { status: 'failed', reason: 'store_error' };
  }

  log.info({ issue_id: issue.id, severity: issue.severity }, 'issue created');
  try {
    await client.chat.update({ channel: req.channelId, ts, ...issueCard(issue, ctx.render()) });
  } catch (err) {
    // The issue exists and is bound to its thread; only the card's looks are stale.
    const code = slackErrorCode(err);
    log.warn({ issue_id: issue.id, slack_error: code }, 'card update after create failed');
    await safeNotify(
      ctx,
      req.notify,
      `Issue \`${shortId(issue.id)}\` was created, but I could not draw its card (${code}). \`/tftsr show ${shortId(issue.id)}\` shows it.`,
    );
  }
  return { status: 'created', issue, ts };
}

/** Ephemeral notices are best effort: a failed notice must not turn a finished change into an error. */
export async function safeNotify(ctx: AppContext, notify: Notify, text: string): Promise<void> {
  try {
    await notify({ text });
  } catch (err) {
    ctx.logger.warn({ slack_error: slackErrorCode(err) }, 'ephemeral notice failed');
  }
}
