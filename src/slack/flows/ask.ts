import {
  AI_DISABLED_HELP,
  aiErrorMessage,
  type ExcerptSource,
  gateOnReview,
  isReviewRequired,
} from '../../ai/index.js';
import { type AssistantSetup, askAssistant, promptRedactorFor } from '../../services/ai.js';
import { redactedExcerpt } from '../../services/logs.js';
import { type Issue, type SlackIssueThread, type Store, shortId } from '../../store/index.js';
import type { AppContext, Notify, WebClient } from '../context.js';
import { escapeMrkdwn, truncate } from '../text.js';
import { safeNotify } from './create-issue.js';
import { slackErrorCode } from './errors.js';

/** The assistant when it is configured, else undefined (answer with AI_DISABLED_HELP). */
export function assistantOf(
  ctx: AppContext,
): (AssistantSetup & { provider: NonNullable<AssistantSetup['provider']> }) | undefined {
  const ai = ctx.ai;
  return ai?.provider ? { ...ai, provider: ai.provider } : undefined;
}

/**
 * Redacted log excerpts for prompts: up to 40 lines of the redacted copy, and nothing from a log whose redaction
 * review is pending when the workspace requires review.
 */
export function excerptSourceFor(store: Store): ExcerptSource {
  return gateOnReview((logId, max) => redactedExcerpt(store, logId, 40, max), {
    required: isReviewRequired(store.settings),
    isReviewPending: (logId) => store.logFiles.get(logId)?.redacted === 0,
  });
}

/** Slack shows up to ~4k characters of a message's text comfortably: longer answers go out in several replies. */
export const ANSWER_CHUNK = 3500;

/** Splits text into pieces of at most `max` characters, at paragraph, then line, then word boundaries. */
export function splitMessage(text: string, max = ANSWER_CHUNK): string[] {
  const out: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = window.lastIndexOf('\n\n');
    if (cut < max * 0.5) cut = window.lastIndexOf('\n');
    if (cut < max * 0.5) cut = window.lastIndexOf(' ');
    if (cut < max * 0.5) cut = max;
    // Never split a surrogate pair.
    if (/[\uD800-\uDBFF]/.test(rest.charAt(cut - 1))) cut -= 1;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) out.push(rest);
  return out;
}

export interface AskRequest {
  issue: Issue;
  thread: SlackIssueThread;
  userId: string;
  question: string;
  notify: Notify;
}

/**
 * `/tftsr ask`: a "thinking" line in the thread, the assistant's (redacted) answer in as many replies as it needs,
 * or the assistant's error message. The question shown in the thread is redacted too.
 */
export async function askInThread(ctx: AppContext, client: WebClient, req: AskRequest): Promise<void> {
  const ai = assistantOf(ctx);
  if (!ai) {
    await safeNotify(ctx, req.notify, AI_DISABLED_HELP);
    return;
  }
  const log = ctx.logger.child({ flow: 'ask', issue_id: req.issue.id, user_id: req.userId });
  const channel = req.thread.channel_id;
  const threadTs = req.thread.thread_ts ?? undefined;
  const post = (text: string) =>
    client.chat.postMessage({ channel, ...(threadTs ? { thread_ts: threadTs } : {}), text, unfurl_links: false });
  const shownQuestion = escapeMrkdwn(truncate(ctx.redact(req.question), 500));
  let thinking: string | undefined;
  try {
    thinking = (await post(`:thinking_face: <@${req.userId}> asked the assistant: “${shownQuestion}” — thinking…`)).ts;
  } catch (err) {
    log.warn({ slack_error: slackErrorCode(err) }, 'could not post the thinking line');
  }

  let text: string[];
  try {
    const result = await askAssistant(ctx.store, {
      ...ai,
      issueId: req.issue.id,
      userId: req.userId,
      question: req.question,
      redactor: promptRedactorFor(ctx.store),
      getRedactedExcerpt: excerptSourceFor(ctx.store),
      logger: ctx.logger,
    });
    const skipped = result.skippedLogIds.length
      ? `\n_${result.skippedLogIds.length} log(s) not included (review pending or no room)._`
      : '';
    text = splitMessage(`${escapeMrkdwn(result.answer)}${skipped}`).map((part, i, all) =>
      all.length > 1 ? `${part}\n_(${i + 1}/${all.length})_` : part,
    );
  } catch (err) {
    const message = aiErrorMessage(err);
    if (!message) log.error({ err_name: (err as Error)?.name }, 'assistant failed unexpectedly');
    text = [
      `:warning: ${escapeMrkdwn(message ?? 'The assistant failed unexpectedly; nothing was sent to the thread.')}`,
    ];
  }

  if (thinking) {
    await client.chat
      .update({
        channel,
        ts: thinking,
        text: `:robot_face: <@${req.userId}> asked the assistant about \`${shortId(req.issue.id)}\`: “${shownQuestion}”`,
      })
      .catch((err) => log.warn({ slack_error: slackErrorCode(err) }, 'could not update the thinking line'));
  }
  for (const part of text) {
    try {
      await post(part);
    } catch (err) {
      log.warn({ slack_error: slackErrorCode(err) }, 'could not post the answer');
      await safeNotify(ctx, req.notify, 'The assistant answered, but I could not post the answer in the issue thread.');
      return;
    }
  }
}
