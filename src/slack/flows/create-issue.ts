import { type CreateIssueInput, DuplicateDeliveryError, type EvidenceRef } from '../../services/issues.js';
import { type Issue, shortId } from '../../store/index.js';
import { issueCard } from '../blocks/issue-card.js';
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
  /** Recorded as evidence in the same transaction (issue created from a message). */
  evidence?: EvidenceRef;
}

export type CreateOutcome =
  | { status: 'created'; issue: Issue; ts: string }
  | { status: 'duplicate'; issueId: string | null }
  | { status: 'failed'; reason: string };

/**
 * Creates an issue whose thread is its card, in this order so that nothing half-exists:
 * 1. claim the delivery (a retry or double submit stops here);
 * 2. post the card, rendered from the issue as it will be stored (its id chosen up front) — if the bot cannot post
 *    in the channel, nothing is stored and the person is told how to invite it;
 * 3. one transaction: delivery key + issue row + thread binding (card ts) + audit entry. If it fails, the card is
 *    deleted again.
 * The claim ends either way; a failure leaves the key unrecorded, so Slack's retry (or the person) can try again.
 */
export async function createIssueInChannel(
  ctx: AppContext,
  client: WebClient,
  req: CreateInChannelRequest,
): Promise<CreateOutcome> {
  const log = ctx.logger.child({ flow: 'create_issue', channel_id: req.channelId, user_id: req.userId });
  const claim = ctx.deliveries.begin(req.deliveryKey);
  if (claim.status !== 'claimed') return duplicate(ctx, req, claim.status === 'done' ? claim.entityId : null);
  try {
    const draft = ctx.issues.draft(req.input);
    let ts: string;
    try {
      const posted = await client.chat.postMessage({ channel: req.channelId, ...issueCard(draft, ctx.render()) });
      if (!posted.ts) throw new Error('chat.postMessage returned no ts');
      ts = posted.ts;
    } catch (err) {
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
          id: draft.id,
          binding: { team_id: req.teamId, channel_id: req.channelId, thread_ts: ts },
          deliveryKey: req.deliveryKey,
          ...(req.evidence ? { evidence: req.evidence } : {}),
        },
      );
    } catch (err) {
      await client.chat.delete({ channel: req.channelId, ts }).catch(() => undefined);
      if (err instanceof DuplicateDeliveryError) return duplicate(ctx, req, err.existingId);
      log.error({ err_name: (err as Error)?.name }, 'storing the issue failed; card removed');
      await safeNotify(ctx, req.notify, 'Issue not created: the TFTSR database refused the change. Please try again.');
      return { status: 'failed', reason: 'store_error' };
    }
    log.info({ issue_id: issue.id, severity: issue.severity }, 'issue created');
    return { status: 'created', issue, ts };
  } finally {
    ctx.deliveries.end(req.deliveryKey);
  }
}

async function duplicate(ctx: AppContext, req: CreateInChannelRequest, issueId: string | null): Promise<CreateOutcome> {
  ctx.logger.info({ issue_id: issueId, user_id: req.userId }, 'duplicate create delivery ignored');
  if (issueId) {
    await safeNotify(ctx, req.notify, `Issue \`${shortId(issueId)}\` was already created from this request.`);
  }
  return { status: 'duplicate', issueId };
}

/** Ephemeral notices are best effort: a failed notice must not turn a finished change into an error. */
export async function safeNotify(ctx: AppContext, notify: Notify, text: string): Promise<void> {
  try {
    await notify({ text });
  } catch (err) {
    ctx.logger.warn({ slack_error: slackErrorCode(err) }, 'ephemeral notice failed');
  }
}
