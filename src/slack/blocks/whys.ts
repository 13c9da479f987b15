import { z } from 'zod';
import { MAX_WHYS } from '../../services/whys.js';
import { type Issue, type LogFile, type ResolutionStep, shortId, WHY_TEXT_MAX } from '../../store/index.js';
import { ACTION, CALLBACK, WHY_FIELDS as F } from '../ids.js';
import { escapeMrkdwn, truncate } from '../text.js';
import type { KnownBlock, ModalView, RenderContext } from './common.js';

/**
 * private_metadata of the why modal: the issue id and the step, nothing else. Parsed, then never trusted: the
 * listener checks that the issue exists and that the person's team owns its thread.
 */
export const WhyModalMetaSchema = z
  .object({
    i: z.string().uuid(),
    s: z.number().int().min(1).max(MAX_WHYS),
  })
  .strict();
export type WhyModalMeta = z.infer<typeof WhyModalMetaSchema>;

/** The meta of a why modal, or undefined when it is not JSON or not the expected shape. */
export function parseWhyMeta(raw: string): WhyModalMeta | undefined {
  try {
    const parsed = WhyModalMetaSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Block ids carry the step: Slack keeps what a person typed into an input across views.update as long as its
 * block_id stays, so the next (or an earlier) step must use other ids, and a new question (Suggest) a new revision.
 */
export const whyBlockIds = (step: number, questionRev = '0') => ({
  question: `why_q_${step}_${questionRev}`,
  answer: `why_a_${step}`,
  evidence: `why_e_${step}`,
  logs: `why_l_${step}`,
  rootCause: `why_rc_${step}`,
  actions: `why_actions_${step}`,
});

export const CITED_LOGS_PREFIX = 'Cited logs: ';

/** Splits stored evidence into the typed text and the ids of the logs its "Cited logs:" line names. */
export function splitEvidence(
  evidence: string | null | undefined,
  logs: Pick<LogFile, 'id'>[],
): { text: string; citedLogIds: string[] } {
  if (!evidence) return { text: '', citedLogIds: [] };
  const lines = evidence.split('\n');
  const last = lines.at(-1) ?? '';
  if (!last.startsWith(CITED_LOGS_PREFIX)) return { text: evidence, citedLogIds: [] };
  const shorts = new Set([...last.matchAll(/\(#([0-9a-f]{8})\)/g)].map((m) => m[1]));
  return {
    text: lines.slice(0, -1).join('\n'),
    citedLogIds: logs.filter((l) => shorts.has(shortId(l.id))).map((l) => l.id),
  };
}

export interface WhyStepModel {
  issue: Pick<Issue, 'id' | 'title'>;
  step: number;
  /** Saved steps (raw; redacted here). */
  steps: Pick<ResolutionStep, 'step_order' | 'why_question' | 'answer'>[];
  rootCauseStep: number | null;
  /** Initial values (raw, as stored or derived; redacted here). */
  prefill: { question: string; answer: string; evidence: string; citedLogIds: string[]; rootCause: boolean };
  logs: Pick<LogFile, 'id' | 'file_name'>[];
  /** Show the Suggest button (the assistant is on). */
  aiEnabled: boolean;
  /** A question revision: a new one makes Slack show a new initial question (after Suggest). */
  questionRev?: string;
  /** A line of our own (mrkdwn, already safe) shown above the form, e.g. the Suggest outcome. */
  notice?: string;
}

const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: true });

/** One why as a line: `*Why 2:* question → answer`, redacted, escaped and bounded. */
export function whyLine(
  step: Pick<ResolutionStep, 'step_order' | 'why_question' | 'answer'>,
  ctx: RenderContext,
  max = { question: 400, answer: 800 },
): string {
  const q = escapeMrkdwn(truncate(ctx.redact(step.why_question), max.question));
  const a = step.answer ? escapeMrkdwn(truncate(ctx.redact(step.answer), max.answer)) : '_no answer_';
  return `*Why ${step.step_order}:* ${q} → ${a}`;
}

function chainBlocks(model: Pick<WhyStepModel, 'steps' | 'rootCauseStep'>, ctx: RenderContext, current?: number) {
  return model.steps.map((s) => {
    const marks = [
      s.step_order === model.rootCauseStep ? ':dart: _root cause_' : '',
      s.step_order === current ? ':pencil2: _editing_' : '',
    ].filter(Boolean);
    return {
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(`${whyLine(s, ctx)}${marks.length ? `  ${marks.join(' ')}` : ''}`, 3000) },
    } as KnownBlock;
  });
}

/** "Edit an earlier step": one option per saved step other than the shown one. */
function backSelect(steps: { step_order: number }[], current: number | null) {
  const options = steps
    .filter((s) => s.step_order !== current)
    .map((s) => ({ text: plain(`Why ${s.step_order}`), value: String(s.step_order) }));
  if (options.length === 0) return undefined;
  return {
    type: 'static_select' as const,
    action_id: ACTION.whysBack,
    placeholder: plain(current === null ? 'Edit a step…' : 'Edit another step…'),
    options,
  };
}

function header(issue: WhyStepModel['issue'], ctx: RenderContext): KnownBlock {
  return {
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: truncate(`Issue \`${shortId(issue.id)}\`: ${escapeMrkdwn(truncate(ctx.redact(issue.title), 200))}`, 3000),
      },
    ],
  };
}

function logOption(log: Pick<LogFile, 'id' | 'file_name'>, ctx: RenderContext) {
  return { text: plain(truncate(`${ctx.redact(log.file_name)} (#${shortId(log.id)})`, 75)), value: log.id };
}

/** The "Why n of 5" modal. Every text in it (chain, prefill, log names) is redacted: modals are Slack too. */
export function whyStepModal(model: WhyStepModel, ctx: RenderContext): ModalView {
  const { step, prefill } = model;
  const ids = whyBlockIds(step, model.questionRev);
  const initial = (text: string) => {
    const safe = truncate(ctx.redact(text), WHY_TEXT_MAX);
    return safe ? { initial_value: safe } : {};
  };
  const blocks: KnownBlock[] = [header(model.issue, ctx)];
  if (model.steps.length > 0) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: '*The chain so far*' } });
    blocks.push(...chainBlocks(model, ctx, step));
    blocks.push({ type: 'divider' });
  }
  if (model.notice)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(model.notice, 3000) }] });

  blocks.push({
    type: 'input',
    block_id: ids.question,
    label: plain(`Why ${step}`),
    element: {
      type: 'plain_text_input',
      action_id: F.question,
      multiline: true,
      max_length: WHY_TEXT_MAX,
      ...initial(prefill.question),
    },
  });
  blocks.push({
    type: 'input',
    block_id: ids.answer,
    label: plain('Answer'),
    element: {
      type: 'plain_text_input',
      action_id: F.answer,
      multiline: true,
      max_length: WHY_TEXT_MAX,
      placeholder: plain('Because …'),
      ...initial(prefill.answer),
    },
  });
  blocks.push({
    type: 'input',
    block_id: ids.evidence,
    optional: true,
    label: plain('Evidence'),
    element: {
      type: 'plain_text_input',
      action_id: F.evidence,
      multiline: true,
      max_length: WHY_TEXT_MAX,
      placeholder: plain('Metrics, log lines, links …'),
      ...initial(prefill.evidence),
    },
  });
  if (model.logs.length > 0) {
    const options = model.logs.slice(0, 100).map((l) => logOption(l, ctx));
    const initialOptions = options.filter((o) => prefill.citedLogIds.includes(o.value));
    blocks.push({
      type: 'input',
      block_id: ids.logs,
      optional: true,
      label: plain('Cite attached logs'),
      element: {
        type: 'multi_static_select',
        action_id: F.logs,
        placeholder: plain('Choose logs'),
        options,
        ...(initialOptions.length ? { initial_options: initialOptions } : {}),
      },
    });
  }
  if (step < MAX_WHYS) {
    const option = { text: plain('This answer is the root cause (stop here)'), value: 'root_cause' };
    blocks.push({
      type: 'input',
      block_id: ids.rootCause,
      optional: true,
      label: plain('Root cause found?'),
      element: {
        type: 'checkboxes',
        action_id: F.rootCause,
        options: [option],
        ...(prefill.rootCause ? { initial_options: [option] } : {}),
      },
    });
  } else {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'Why 5 ends the chain: its answer is the root cause.' }],
    });
  }
  const back = backSelect(model.steps, step);
  const elements = [
    ...(model.aiEnabled
      ? [{ type: 'button' as const, action_id: ACTION.whysSuggest, text: plain('Suggest question'), value: 'suggest' }]
      : []),
    ...(back ? [back] : []),
  ];
  if (elements.length > 0) blocks.push({ type: 'actions', block_id: ids.actions, elements } as KnownBlock);

  return {
    type: 'modal',
    callback_id: CALLBACK.whyStep,
    private_metadata: JSON.stringify({ i: model.issue.id, s: step } satisfies WhyModalMeta),
    title: plain(`Why ${step} of ${MAX_WHYS}`),
    submit: plain(step < MAX_WHYS ? 'Save & next' : 'Save & finish'),
    close: plain('Close'),
    blocks,
  };
}

/** A finished chain: the whys with the root cause marked, and "edit a step". No inputs. */
export function whySummaryModal(
  model: Pick<WhyStepModel, 'issue' | 'steps' | 'rootCauseStep'>,
  ctx: RenderContext,
): ModalView {
  const blocks: KnownBlock[] = [
    header(model.issue, ctx),
    {
      type: 'section',
      text: { type: 'mrkdwn', text: ':white_check_mark: *5 Whys complete.* The chain is in the thread.' },
    },
    ...chainBlocks(model, ctx),
  ];
  const back = backSelect(model.steps, null);
  if (back) blocks.push({ type: 'actions', block_id: 'why_summary_actions', elements: [back] } as KnownBlock);
  return {
    type: 'modal',
    callback_id: CALLBACK.whySummary,
    private_metadata: JSON.stringify({
      i: model.issue.id,
      s: model.steps.at(-1)?.step_order ?? 1,
    } satisfies WhyModalMeta),
    title: plain('5 Whys complete'),
    close: plain('Done'),
    blocks,
  };
}

/** The thread line of one saved why; an overwrite names what it replaced, so nothing is lost silently. */
export function whySavedLine(
  args: {
    userId: string;
    step: Pick<ResolutionStep, 'step_order' | 'why_question' | 'answer'>;
    previous?: Pick<ResolutionStep, 'step_order' | 'why_question' | 'answer'> | undefined;
    overwritten: boolean;
    rootCause: boolean;
  },
  ctx: RenderContext,
): string {
  const verb = args.previous ? (args.overwritten ? 'replaced' : 'kept') : 'answered';
  const lines = [
    `<@${args.userId}> ${verb} ${whyLine(args.step, ctx)}${args.rootCause ? '  :dart: _root cause_' : ''}`,
  ];
  if (args.previous && args.overwritten)
    lines.push(`>_Before:_ ${whyLine(args.previous, ctx).replace(/^\*Why \d+:\* /, '')}`);
  return truncate(lines.join('\n'), 3900);
}

/** The whole chain for the thread when it ends, with *Generate RCA*. */
export function whyChainMessage(
  args: {
    issue: Pick<Issue, 'id' | 'title'>;
    steps: Pick<ResolutionStep, 'step_order' | 'why_question' | 'answer'>[];
    rootCauseStep: number | null;
    userId: string;
    previous?: { step: Pick<ResolutionStep, 'step_order' | 'why_question' | 'answer'>; overwritten: boolean };
  },
  ctx: RenderContext,
): { text: string; blocks: KnownBlock[] } {
  const root = args.steps.find((s) => s.step_order === args.rootCauseStep) ?? args.steps.at(-1);
  const rootText = root?.answer ? escapeMrkdwn(truncate(ctx.redact(root.answer), 500)) : '_none_';
  const headline = `:dart: <@${args.userId}> finished the 5 Whys for \`${shortId(args.issue.id)}\`. Root cause (why ${root?.step_order ?? '?'}): ${rootText}`;
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: truncate(headline, 3000) } },
    ...chainBlocks(args, ctx),
  ];
  if (args.previous?.overwritten) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: truncate(
            `Why ${args.previous.step.step_order} replaced an earlier answer: ${whyLine(args.previous.step, ctx).replace(/^\*Why \d+:\* /, '')}`,
            3000,
          ),
        },
      ],
    });
  }
  blocks.push({
    type: 'actions',
    block_id: 'why_chain_actions',
    elements: [
      {
        type: 'button',
        action_id: ACTION.generateRca,
        text: plain('Generate RCA'),
        style: 'primary',
        value: args.issue.id,
      },
    ],
  });
  const text = truncate(
    [headline, ...args.steps.map((s) => whyLine(s, ctx, { question: 200, answer: 300 }))].join('\n'),
    3900,
  );
  return { text, blocks };
}
