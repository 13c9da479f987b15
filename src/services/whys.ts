import { z } from 'zod';
import { type Issue, type ResolutionStep, type Store, shortId, WHY_TEXT_MAX } from '../store/index.js';

export const MAX_WHYS = 5;

/** A user-facing validation failure: field → message, ready for a modal's `response_action: errors`. */
export class WhyValidationError extends Error {
  override readonly name = 'WhyValidationError';
  constructor(readonly fields: Partial<Record<'question' | 'answer' | 'evidence' | 'step', string>>) {
    super(Object.values(fields).join('; '));
  }
}

export interface WhyChain {
  issue: Issue;
  steps: ResolutionStep[];
  /** The step the root cause was marked at (latest `root_cause_identified`), if any. */
  rootCauseStep: number | null;
  /** The next step to answer: 1 + the last saved step, or null when the chain is finished. */
  nextStep: number | null;
  /** Five whys answered, or a root cause marked. A finished chain reopens for editing. */
  finished: boolean;
}

function rootCauseStepOf(store: Store, issueId: string, steps: ResolutionStep[]): number | null {
  const marks = store.audit.list({
    entityType: 'issue',
    entityId: issueId,
    action: 'root_cause_identified',
    limit: 10_000,
  });
  const last = marks.at(-1);
  if (!last?.details) return null;
  const step = Number((JSON.parse(last.details) as { step_order?: unknown }).step_order);
  return steps.some((s) => s.step_order === step) ? step : null;
}

export function loadWhyChain(store: Store, issueId: string): WhyChain {
  const issue = store.issues.require(issueId);
  const steps = store.steps.listByIssue(issueId);
  const rootCauseStep = rootCauseStepOf(store, issueId, steps);
  const last = steps.at(-1)?.step_order ?? 0;
  const finished = rootCauseStep !== null || last >= MAX_WHYS;
  return { issue, steps, rootCauseStep, nextStep: finished ? null : last + 1, finished };
}

/** The question a step starts with (editable): why the incident happened, then why the previous answer is so. */
export function defaultWhyQuestion(issueTitle: string, previousAnswer?: string | null): string {
  const clip = (t: string, n: number) => (t.length > n ? `${t.slice(0, n - 1)}…` : t);
  if (!previousAnswer?.trim()) return clip(`Why did "${issueTitle}" happen?`, WHY_TEXT_MAX);
  const answer = previousAnswer.trim().replace(/[.!?\s]+$/, '');
  const lowered = answer.charAt(0).toLowerCase() + answer.slice(1);
  return clip(`Why ${lowered}?`, WHY_TEXT_MAX);
}

/** Which step a modal opens at: the next unanswered one, or the last for a finished chain (editing). */
export function stepToOpen(chain: WhyChain): number {
  return chain.nextStep ?? chain.rootCauseStep ?? chain.steps.at(-1)?.step_order ?? 1;
}

export const WhyInputSchema = z.object({
  issueId: z.string().min(1),
  userId: z.string().min(1),
  step: z.number().int().min(1).max(MAX_WHYS),
  question: z.string(),
  answer: z.string(),
  evidence: z.string().default(''),
  /** Attached logs the evidence cites (ids of the issue's log_files). */
  citedLogIds: z.array(z.string()).max(20).default([]),
  /** "Root cause found": this answer is the root cause; the chain stops here. */
  rootCause: z.boolean().default(false),
});
export type WhyInput = z.input<typeof WhyInputSchema>;

export interface SavedWhy {
  step: ResolutionStep;
  /** The earlier version of this step when someone else (or an earlier edit) had saved it: reported, not lost. */
  previous: ResolutionStep | undefined;
  overwritten: boolean;
  chain: WhyChain;
}

function validate(input: z.output<typeof WhyInputSchema>): void {
  const fields: WhyValidationError['fields'] = {};
  if (!input.question.trim()) fields.question = 'Ask the question this step answers.';
  else if (input.question.length > WHY_TEXT_MAX)
    fields.question = `Keep the question under ${WHY_TEXT_MAX} characters.`;
  if (!input.answer.trim()) fields.answer = 'An answer is required.';
  else if (input.answer.length > WHY_TEXT_MAX) fields.answer = `Keep the answer under ${WHY_TEXT_MAX} characters.`;
  if (input.evidence.length > WHY_TEXT_MAX) fields.evidence = `Keep the evidence under ${WHY_TEXT_MAX} characters.`;
  if (Object.keys(fields).length) throw new WhyValidationError(fields);
}

/**
 * Saves one why (answer + evidence, with cited logs) and, when asked, marks it as the root cause — step, audit
 * entries and all in one transaction. Steps are answered in order; an earlier step may be edited at any time. What
 * the user typed is stored as typed (inside the encrypted store); callers redact before showing it in Slack.
 */
export function saveWhyStep(store: Store, raw: WhyInput): SavedWhy {
  const input = WhyInputSchema.parse(raw);
  validate(input);
  return store.transaction(() => {
    const chain = loadWhyChain(store, input.issueId);
    if (chain.issue.status === 'closed') {
      throw new WhyValidationError({
        step: 'This issue is closed; reopen it (status investigating) to edit its whys.',
      });
    }
    const lastSaved = chain.steps.at(-1)?.step_order ?? 0;
    if (input.step > lastSaved + 1) {
      throw new WhyValidationError({ step: `Answer why ${lastSaved + 1} before why ${input.step}.` });
    }
    const logs = new Map(store.logFiles.listByIssue(input.issueId).map((l) => [l.id, l]));
    const cited = input.citedLogIds.map((id) => {
      const log = logs.get(id);
      if (!log) throw new WhyValidationError({ evidence: 'A cited log is not attached to this issue.' });
      return `${log.file_name} (#${shortId(log.id)})`;
    });
    const evidence = [input.evidence.trim(), cited.length ? `Cited logs: ${cited.join(', ')}` : '']
      .filter(Boolean)
      .join('\n');
    const { step, previous } = store.steps.save({
      issue_id: input.issueId,
      step_order: input.step,
      why_question: input.question.trim(),
      answer: input.answer.trim(),
      evidence: evidence || null,
    });
    const overwritten =
      previous !== undefined &&
      (previous.answer !== step.answer ||
        previous.evidence !== step.evidence ||
        previous.why_question !== step.why_question);
    store.audit.append({
      action: 'why_step_saved',
      entity_type: 'issue',
      entity_id: input.issueId,
      user_id: input.userId,
      details: {
        step_order: input.step,
        step_id: step.id,
        edited: previous !== undefined,
        overwritten,
        cited_logs: input.citedLogIds,
        answer_chars: step.answer?.length ?? 0,
      },
    });
    const isLast = input.step === MAX_WHYS;
    if (input.rootCause || (isLast && chain.rootCauseStep === null)) {
      store.audit.append({
        action: 'root_cause_identified',
        entity_type: 'issue',
        entity_id: input.issueId,
        user_id: input.userId,
        details: { step_order: input.step, step_id: step.id, explicit: input.rootCause },
      });
    }
    return { step, previous, overwritten, chain: loadWhyChain(store, input.issueId) };
  });
}
