import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AI_DISABLED_HELP, aiErrorMessage } from '../../ai/index.js';
import { promptRedactorFor, suggestNextWhy } from '../../services/ai.js';
import {
  defaultWhyQuestion,
  loadWhyChain,
  MAX_WHYS,
  type SavedWhy,
  saveWhyStep,
  stepToOpen,
  type WhyChain,
  WhyValidationError,
} from '../../services/whys.js';
import {
  type Issue,
  type LogFile,
  NotFoundError,
  type SlackIssueThread,
  shortId,
  WHY_TEXT_MAX,
} from '../../store/index.js';
import type { ModalView } from '../blocks/common.js';
import {
  splitEvidence,
  type WhyModalMeta,
  whyBlockIds,
  whyChainMessage,
  whySavedLine,
  whyStepModal,
  whySummaryModal,
} from '../blocks/whys.js';
import type { AppContext, Notify, WebClient } from '../context.js';
import { WHY_FIELDS as F } from '../ids.js';
import { escapeMrkdwn, truncate } from '../text.js';
import { assistantOf, excerptSourceFor } from './ask.js';
import { safeNotify } from './create-issue.js';
import { explainSlackError, slackErrorCode } from './errors.js';

export type WhyAccess =
  | { ok: true; issue: Issue; thread: SlackIssueThread }
  | { ok: false; reason: 'unknown_issue' | 'other_team' };

/**
 * Who may work on an issue's whys from Slack: the issue exists and is bound to a thread of the person's own team.
 * Ids in private_metadata and button values come from Slack clients: they are checked here every time.
 */
export function whyAccess(ctx: AppContext, issueId: string, teamId: string | undefined): WhyAccess {
  const issue = ctx.store.issues.get(issueId);
  if (!issue) return { ok: false, reason: 'unknown_issue' };
  const thread = ctx.store.slackThreads.findByIssue(issueId);
  if (!thread || !teamId || thread.team_id !== teamId) return { ok: false, reason: 'other_team' };
  return { ok: true, issue, thread };
}

export const FORGED_FORM =
  'This form does not match an issue you can edit. Close it and start the 5 Whys again from the issue thread.';

/** The values a step starts with: the saved step when there is one, else the question derived from the last answer. */
export function prefillFor(chain: WhyChain, logs: Pick<LogFile, 'id'>[], step: number) {
  const saved = chain.steps.find((s) => s.step_order === step);
  const previous = chain.steps.find((s) => s.step_order === step - 1);
  const evidence = splitEvidence(saved?.evidence, logs);
  return {
    question: saved?.why_question ?? defaultWhyQuestion(chain.issue.title, previous?.answer),
    answer: saved?.answer ?? '',
    evidence: evidence.text,
    citedLogIds: evidence.citedLogIds,
    rootCause: chain.rootCauseStep === step,
  };
}

export function whyStepView(
  ctx: AppContext,
  chain: WhyChain,
  step: number,
  opts: { question?: string; questionRev?: string; notice?: string } = {},
): ModalView {
  const logs = ctx.store.logFiles.listByIssue(chain.issue.id);
  const prefill = prefillFor(chain, logs, step);
  return whyStepModal(
    {
      issue: chain.issue,
      step,
      steps: chain.steps,
      rootCauseStep: chain.rootCauseStep,
      prefill: opts.question !== undefined ? { ...prefill, question: opts.question } : prefill,
      logs,
      aiEnabled: assistantOf(ctx) !== undefined,
      ...(opts.questionRev ? { questionRev: opts.questionRev } : {}),
      ...(opts.notice ? { notice: opts.notice } : {}),
    },
    ctx.render(),
  );
}

/** Opens the modal at the next step (a finished chain opens its last step for editing). */
export async function openWhys(
  ctx: AppContext,
  client: WebClient,
  req: { issueId: string; teamId: string | undefined; userId: string; triggerId: string; notify: Notify },
): Promise<void> {
  const access = whyAccess(ctx, req.issueId, req.teamId);
  if (!access.ok) {
    await safeNotify(ctx, req.notify, 'That issue does not exist, or it belongs to another workspace.');
    return;
  }
  if (access.issue.status === 'closed') {
    await safeNotify(
      ctx,
      req.notify,
      `Issue \`${shortId(access.issue.id)}\` is closed; reopen it (\`/tftsr status investigating ${shortId(access.issue.id)}\`) to work on its 5 Whys.`,
    );
    return;
  }
  const chain = loadWhyChain(ctx.store, req.issueId);
  try {
    await client.views.open({ trigger_id: req.triggerId, view: whyStepView(ctx, chain, stepToOpen(chain)) });
  } catch (err) {
    const code = slackErrorCode(err);
    ctx.logger.warn({ slack_error: code, user_id: req.userId }, 'views.open failed (5 Whys)');
    await safeNotify(
      ctx,
      req.notify,
      code === 'expired_trigger_id'
        ? 'The form took too long to open; please try again.'
        : `I could not open the 5 Whys form. ${explainSlackError(code)}`,
    );
  }
}

type StateValues = Record<string, Record<string, unknown>>;

/** The input with this action_id wherever its block is (block ids carry the step and a revision). */
export function findInput(values: StateValues, actionId: string): { blockId: string; state: unknown } | undefined {
  for (const [blockId, actions] of Object.entries(values)) {
    if (actionId in actions) return { blockId, state: actions[actionId] };
  }
  return undefined;
}

const TextState = z.object({ value: z.string().nullish() });
const OptionsState = z.object({ selected_options: z.array(z.object({ value: z.string() })).nullish() });

function readWhyForm(values: StateValues) {
  const text = (action: string) => {
    const parsed = TextState.safeParse(findInput(values, action)?.state);
    return parsed.success ? (parsed.data.value ?? '') : '';
  };
  const options = (action: string) => {
    const parsed = OptionsState.safeParse(findInput(values, action)?.state);
    return parsed.success ? (parsed.data.selected_options ?? []).map((o) => o.value) : [];
  };
  return {
    question: text(F.question),
    answer: text(F.answer),
    evidence: text(F.evidence),
    citedLogIds: options(F.logs),
    rootCause: options(F.rootCause).includes('root_cause'),
    questionBlock: findInput(values, F.question)?.blockId,
  };
}

export type SubmitOutcome =
  | { kind: 'errors'; errors: Record<string, string> }
  | { kind: 'saved'; view: ModalView; saved: SavedWhy; end: boolean; thread: SlackIssueThread };

/**
 * A why submitted from the modal: authorize, save (one transaction with its audit entries), and the next view —
 * the next step, or the finished chain. Runs before the ack (a store write, no Slack call): the next view goes out
 * as `response_action: update`. Unchanged prefilled text is saved as the original it was redacted from, so
 * re-saving a step never replaces what was typed with its redacted form.
 */
export function submitWhy(
  ctx: AppContext,
  req: { meta: WhyModalMeta; teamId: string | undefined; userId: string; values: StateValues },
): SubmitOutcome {
  const { meta } = req;
  const ids = whyBlockIds(meta.s);
  const form = readWhyForm(req.values);
  const questionBlock = form.questionBlock ?? ids.question;
  const access = whyAccess(ctx, meta.i, req.teamId);
  if (!access.ok) return { kind: 'errors', errors: { [ids.answer]: FORGED_FORM } };

  const before = loadWhyChain(ctx.store, meta.i);
  const logs = ctx.store.logFiles.listByIssue(meta.i);
  const original = prefillFor(before, logs, meta.s);
  const shown = (text: string) => truncate(ctx.redact(text), WHY_TEXT_MAX);
  const keep = (typed: string, raw: string) => (raw && typed === shown(raw) ? raw : typed);

  let saved: SavedWhy;
  try {
    saved = saveWhyStep(ctx.store, {
      issueId: meta.i,
      userId: req.userId,
      step: meta.s,
      question: keep(form.question, original.question),
      answer: keep(form.answer, original.answer),
      evidence: keep(form.evidence, original.evidence),
      // The service refuses a log that is not attached to this issue (a forged option).
      citedLogIds: form.citedLogIds,
      rootCause: form.rootCause,
    });
  } catch (err) {
    if (err instanceof WhyValidationError) {
      const errors: Record<string, string> = {};
      const blockFor: Record<string, string> = {
        question: questionBlock,
        answer: ids.answer,
        evidence: logs.length > 0 && form.evidence.length <= WHY_TEXT_MAX ? ids.logs : ids.evidence,
        step: ids.answer,
      };
      for (const [field, message] of Object.entries(err.fields)) {
        errors[blockFor[field] ?? ids.answer] ??= message;
      }
      return { kind: 'errors', errors };
    }
    if (err instanceof NotFoundError) return { kind: 'errors', errors: { [ids.answer]: FORGED_FORM } };
    throw err;
  }
  const end = form.rootCause || meta.s === MAX_WHYS;
  const view = end
    ? whySummaryModal(
        { issue: saved.chain.issue, steps: saved.chain.steps, rootCauseStep: saved.chain.rootCauseStep },
        ctx.render(),
      )
    : whyStepView(ctx, saved.chain, meta.s + 1);
  return { kind: 'saved', view, saved, end, thread: access.thread };
}

/** The thread side of a saved why: a compact line, or the whole chain with *Generate RCA* when it ended. */
export async function announceWhy(
  ctx: AppContext,
  client: WebClient,
  req: { saved: SavedWhy; end: boolean; thread: SlackIssueThread; userId: string },
): Promise<void> {
  const { saved, thread } = req;
  const render = ctx.render();
  const rootCause = saved.chain.rootCauseStep === saved.step.step_order;
  const message = req.end
    ? whyChainMessage(
        {
          issue: saved.chain.issue,
          steps: saved.chain.steps,
          rootCauseStep: saved.chain.rootCauseStep,
          userId: req.userId,
          ...(saved.previous ? { previous: { step: saved.previous, overwritten: saved.overwritten } } : {}),
        },
        render,
      )
    : {
        text: whySavedLine(
          {
            userId: req.userId,
            step: saved.step,
            previous: saved.previous,
            overwritten: saved.overwritten,
            rootCause,
          },
          render,
        ),
      };
  try {
    await client.chat.postMessage({
      channel: thread.channel_id,
      ...(thread.thread_ts ? { thread_ts: thread.thread_ts } : {}),
      ...message,
      unfurl_links: false,
    } as Parameters<WebClient['chat']['postMessage']>[0]);
  } catch (err) {
    const code = slackErrorCode(err);
    ctx.logger.warn({ slack_error: code, issue_id: saved.chain.issue.id }, 'why saved, thread line not posted');
    await client.chat
      .postEphemeral({
        channel: thread.channel_id,
        user: req.userId,
        text: `Why ${saved.step.step_order} is saved, but I could not post it in the thread. ${explainSlackError(code, thread.channel_id)}`,
      })
      .catch(() => undefined);
  }
}

/** "Edit an earlier step": the modal shows that step with its saved values. */
export async function backToStep(
  ctx: AppContext,
  client: WebClient,
  req: { issueId: string; teamId: string | undefined; step: number; view: { id: string; hash?: string | undefined } },
): Promise<void> {
  const access = whyAccess(ctx, req.issueId, req.teamId);
  if (!access.ok) return;
  const chain = loadWhyChain(ctx.store, req.issueId);
  const lastSaved = chain.steps.at(-1)?.step_order ?? 0;
  if (req.step < 1 || req.step > Math.min(lastSaved + 1, MAX_WHYS)) return;
  await updateView(ctx, client, req.view, whyStepView(ctx, chain, req.step));
}

/**
 * Suggest: the assistant proposes this step's question; the modal is redrawn with it under a new question block id
 * (so Slack shows it). The answer, evidence and other inputs keep their block ids, so Slack keeps what was typed.
 */
export async function suggestIntoView(
  ctx: AppContext,
  client: WebClient,
  req: {
    meta: WhyModalMeta;
    teamId: string | undefined;
    userId: string;
    view: { id: string; hash?: string | undefined };
    questionBlock: string | undefined;
  },
): Promise<void> {
  const { meta } = req;
  const access = whyAccess(ctx, meta.i, req.teamId);
  if (!access.ok) return;
  const currentRev = req.questionBlock?.match(/^why_q_\d+_(.+)$/)?.[1];
  const ai = assistantOf(ctx);
  const chainNow = () => loadWhyChain(ctx.store, meta.i);
  /** The same step again, its question as typed, with a notice on top. */
  const redrawWithNotice = (notice: string) =>
    updateView(
      ctx,
      client,
      req.view,
      whyStepView(ctx, chainNow(), meta.s, { ...(currentRev ? { questionRev: currentRev } : {}), notice }),
    );
  if (!ai) {
    await redrawWithNotice(escapeMrkdwn(AI_DISABLED_HELP.split('\n')[0]!));
    return;
  }
  try {
    const result = await suggestNextWhy(ctx.store, {
      ...ai,
      issueId: meta.i,
      userId: req.userId,
      stepOrder: meta.s,
      redactor: promptRedactorFor(ctx.store),
      getRedactedExcerpt: excerptSourceFor(ctx.store),
      logger: ctx.logger,
    });
    await updateView(
      ctx,
      client,
      req.view,
      whyStepView(ctx, chainNow(), meta.s, {
        question: result.question,
        questionRev: randomBytes(3).toString('hex'),
        notice:
          ':bulb: The assistant suggested this question; edit it freely. Your typed answer and evidence are kept.',
      }),
    );
  } catch (err) {
    const message = aiErrorMessage(err);
    if (!message) ctx.logger.error({ err_name: (err as Error)?.name }, 'suggest failed unexpectedly');
    await redrawWithNotice(
      `:warning: ${escapeMrkdwn(message ?? 'The assistant failed unexpectedly; nothing changed.')}`,
    );
  }
}

async function updateView(
  ctx: AppContext,
  client: WebClient,
  current: { id: string; hash?: string | undefined },
  view: ModalView,
): Promise<void> {
  try {
    await client.views.update({ view_id: current.id, ...(current.hash ? { hash: current.hash } : {}), view });
  } catch (err) {
    // hash_conflict / not_found: the person moved on (submitted or closed) meanwhile; nothing to redraw.
    ctx.logger.info({ slack_error: slackErrorCode(err) }, 'why modal not updated');
  }
}
