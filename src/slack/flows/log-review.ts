import {
  applyRedactionReview,
  buildRedactionReview,
  distinctValues,
  takeRedactedDownload,
} from '../../services/log-review.js';
import { redactedExcerpt } from '../../services/logs.js';
import type { Store } from '../../store/index.js';
import { loadingReviewView, REVIEW_VALUES_PER_TYPE, type ReviewMeta, reviewView } from '../blocks/log-review.js';
import { safeFileName, summaryMessage } from '../blocks/log-summary.js';
import type { AppContext, Notify, WebClient } from '../context.js';
import { safeNotify } from './create-issue.js';
import { explainSlackError, slackErrorCode } from './errors.js';

/**
 * What the review form does not show but must keep: types whose every value is rejected (their "all" box), and
 * values rejected one by one that the modal does not list (beyond the first few of their type).
 */
export async function priorDecisions(store: Store, logFileId: string) {
  const distinct = await distinctValues(store, logFileId);
  const byType = new Map<string, { total: number; rejected: number }>();
  for (const v of distinct) {
    const t = byType.get(v.pii_type) ?? { total: 0, rejected: 0 };
    t.total++;
    if (v.decision === 'rejected') t.rejected++;
    byType.set(v.pii_type, t);
  }
  const rejectedTypes = new Set([...byType].filter(([, t]) => t.total > 0 && t.rejected === t.total).map(([k]) => k));
  const shownPerType = new Map<string, number>();
  const hiddenRejectedKeys: string[] = [];
  // Same order as buildRedactionReview: the first REVIEW_VALUES_PER_TYPE values of each type are the ones shown.
  for (const v of distinct) {
    const shown = shownPerType.get(v.pii_type) ?? 0;
    shownPerType.set(v.pii_type, shown + 1);
    if (shown >= REVIEW_VALUES_PER_TYPE && v.decision === 'rejected' && !rejectedTypes.has(v.pii_type)) {
      hiddenRejectedKeys.push(v.first_id);
    }
  }
  return { rejectedTypes, hiddenRejectedKeys };
}

/**
 * Opens the modal at once with a "Loading…" view (the trigger_id expires in 3 s; building the review reads and
 * decompresses the original, which takes a while on a large log), then replaces it with the review.
 */
export async function openReview(
  ctx: AppContext,
  client: WebClient,
  req: { triggerId: string; meta: ReviewMeta; notify: Notify },
): Promise<void> {
  let viewId: string | undefined;
  try {
    const opened = await client.views.open({ trigger_id: req.triggerId, view: loadingReviewView(req.meta) });
    viewId = opened.view?.id;
  } catch (err) {
    await safeNotify(ctx, req.notify, `I could not open the review. ${explainSlackError(slackErrorCode(err))}`);
    return;
  }
  if (!viewId) return;
  await ctx.work.run(async () => {
    const logFile = ctx.store.logFiles.get(req.meta.l);
    const view = logFile
      ? reviewView(await buildRedactionReview(ctx.store, logFile.id, REVIEW_VALUES_PER_TYPE), req.meta, {
          rejectedTypes: (await priorDecisions(ctx.store, logFile.id)).rejectedTypes,
          redact: ctx.redact,
        })
      : loadingReviewView(req.meta, 'That log no longer exists.');
    await client.views.update({ view_id: viewId, view });
  });
}

export async function submitReview(
  ctx: AppContext,
  client: WebClient,
  req: { meta: ReviewMeta; userId: string; rejectTypes: string[]; rejectValueKeys: string[]; notify: Notify },
): Promise<void> {
  const logFile = ctx.store.logFiles.get(req.meta.l);
  if (!logFile) {
    await safeNotify(ctx, req.notify, 'That log no longer exists; nothing was changed.');
    return;
  }
  const { hiddenRejectedKeys } = await priorDecisions(ctx.store, logFile.id);
  const rejectTypes = new Set(req.rejectTypes);
  const outcome = await applyRedactionReview(ctx.store, {
    logFileId: logFile.id,
    userId: req.userId,
    rejectTypes: [...rejectTypes],
    rejectValueKeys: [...new Set([...req.rejectValueKeys, ...hiddenRejectedKeys])],
  });
  ctx.logger.info(
    { flow: 'log_review', log_file_id: logFile.id, rejected: outcome.rejected, approved: outcome.approved },
    'redaction review applied',
  );
  const thread = ctx.issues.threadOf(logFile.issue_id);
  const problems: string[] = [];
  if (req.meta.c && req.meta.m) {
    await client.chat
      .update({
        channel: req.meta.c,
        ts: req.meta.m,
        ...summaryMessage({
          logFile: outcome.logFile,
          countsByType: outcome.countsByType,
          lines: outcome.logFile.line_count ?? 0,
          excerpt: redactedExcerpt(ctx.store, logFile.id),
          issueId: logFile.issue_id,
          redact: ctx.redact,
        }),
      })
      .catch((err: unknown) => problems.push(slackErrorCode(err)));
  }
  if (thread?.thread_ts) {
    const released =
      outcome.rejected === 0
        ? 'every detected value stays redacted'
        : `${outcome.rejected.toLocaleString('en-US')} occurrence${outcome.rejected === 1 ? '' : 's'} released as false positives, ${outcome.approved.toLocaleString('en-US')} stay redacted`;
    await client.chat
      .postMessage({
        channel: thread.channel_id,
        thread_ts: thread.thread_ts,
        text: `:mag: <@${req.userId}> reviewed the redactions of *${safeFileName(logFile.file_name, ctx.redact)}*: ${released}.`,
      })
      .catch((err: unknown) => problems.push(slackErrorCode(err)));
  }
  if (problems.length > 0) {
    await safeNotify(ctx, req.notify, `Review saved, but Slack did not show it everywhere (${problems[0]}).`);
  }
}

/** `checkout.log.gz` → `checkout.redacted.log`; `trace` → `trace.redacted.txt`. */
export function redactedFileName(name: string): string {
  const base = name.replace(/\.gz$/i, '').replace(/[/\\]/g, '_');
  const dot = base.lastIndexOf('.');
  return dot > 0 ? `${base.slice(0, dot)}.redacted${base.slice(dot)}` : `${base || 'log'}.redacted.txt`;
}

/** Uploads the redacted text of a log into its issue's thread (files.uploadV2), audited as `redacted_download`. */
export async function downloadRedacted(
  ctx: AppContext,
  client: WebClient,
  req: { logFileId: string; userId: string; notify: Notify },
): Promise<void> {
  const logFile = ctx.store.logFiles.get(req.logFileId);
  const thread = logFile ? ctx.issues.threadOf(logFile.issue_id) : undefined;
  if (!logFile || !thread?.thread_ts) {
    await safeNotify(ctx, req.notify, 'That log (or its issue thread) no longer exists.');
    return;
  }
  const { text } = takeRedactedDownload(ctx.store, logFile.id, req.userId);
  const filename = redactedFileName(ctx.redact(logFile.file_name));
  try {
    await client.filesUploadV2({
      channel_id: thread.channel_id,
      thread_ts: thread.thread_ts,
      file: text,
      filename,
      title: filename,
      initial_comment: `:inbox_tray: <@${req.userId}> downloaded the redacted *${safeFileName(logFile.file_name, ctx.redact)}*.`,
    });
  } catch (err) {
    const code = slackErrorCode(err);
    ctx.logger.warn({ slack_error: code, log_file_id: logFile.id }, 'redacted upload failed');
    await safeNotify(
      ctx,
      req.notify,
      `The redacted log was not uploaded. ${explainSlackError(code, thread.channel_id)}`,
    );
  }
}
