import { describe, expect, it } from 'vitest';
import {
  defaultWhyQuestion,
  loadWhyChain,
  saveWhyStep,
  stepToOpen,
  WhyValidationError,
} from '../../src/services/whys.js';
import type { Store } from '../../src/store/index.js';
import { useTempStore } from '../support/tmp.js';

describe('5 Whys service', () => {
  let store: Store;
  useTempStore((s) => {
    store = s;
  });

  const newIssue = (title = 'Checkout 502s') => store.issues.create({ title, severity: 'high' });
  const save = (issueId: string, step: number, answer: string, extra: Record<string, unknown> = {}) =>
    saveWhyStep(store, { issueId, userId: 'U1', step, question: `Why ${step}?`, answer, ...extra });

  it('derives questions from the title, then from the last answer', () => {
    expect(defaultWhyQuestion('Checkout 502s')).toBe('Why did "Checkout 502s" happen?');
    expect(defaultWhyQuestion('x', 'The DB pool was exhausted.')).toBe('Why the DB pool was exhausted?');
  });

  it('walks five steps in order, stores each, and step 5 ends the chain with its answer as root cause', () => {
    const issue = newIssue();
    expect(stepToOpen(loadWhyChain(store, issue.id))).toBe(1);
    for (let step = 1; step <= 5; step++) {
      const saved = save(issue.id, step, `answer ${step}`);
      expect(saved.step.step_order).toBe(step);
      expect(saved.chain.nextStep).toBe(step < 5 ? step + 1 : null);
    }
    const chain = loadWhyChain(store, issue.id);
    expect(chain.steps.map((s) => [s.step_order, s.answer])).toEqual([1, 2, 3, 4, 5].map((n) => [n, `answer ${n}`]));
    expect(chain).toMatchObject({ finished: true, rootCauseStep: 5, nextStep: null });
    expect(store.audit.list({ entityId: issue.id, action: 'why_step_saved' })).toHaveLength(5);
    expect(store.audit.list({ entityId: issue.id, action: 'root_cause_identified' })).toHaveLength(1);
    expect(stepToOpen(chain)).toBe(5); // a finished chain reopens for editing
  });

  it('stops early at a root cause, and resumes where it was left', () => {
    const issue = newIssue();
    save(issue.id, 1, 'a');
    save(issue.id, 2, 'b');
    expect(stepToOpen(loadWhyChain(store, issue.id))).toBe(3); // closed the modal; reopening continues at 3
    const saved = save(issue.id, 3, 'c', { rootCause: true });
    expect(saved.chain).toMatchObject({ finished: true, rootCauseStep: 3, nextStep: null });
  });

  it('reports an overwrite of a step someone else saved, keeping the earlier version', () => {
    const issue = newIssue();
    save(issue.id, 1, 'first');
    const edit = saveWhyStep(store, { issueId: issue.id, userId: 'U2', step: 1, question: 'Why 1?', answer: 'second' });
    expect(edit.overwritten).toBe(true);
    expect(edit.previous?.answer).toBe('first');
    expect(loadWhyChain(store, issue.id).steps[0]!.answer).toBe('second');
    const same = saveWhyStep(store, { issueId: issue.id, userId: 'U2', step: 1, question: 'Why 1?', answer: 'second' });
    expect(same.overwritten).toBe(false);
  });

  it('records cited logs in the evidence', () => {
    const issue = newIssue();
    const log = store.logFiles.create({ issue_id: issue.id, file_name: 'checkout.log', file_path: 'slack://T/F' });
    const saved = save(issue.id, 1, 'pool exhausted', { evidence: 'see graph', citedLogIds: [log.id] });
    expect(saved.step.evidence).toMatch(/^see graph\nCited logs: checkout\.log \(#[0-9a-f]{8}\)$/);
    const other = newIssue();
    const foreign = store.logFiles.create({ issue_id: other.id, file_name: 'x.log', file_path: 'p' });
    expect(() => save(issue.id, 2, 'x', { citedLogIds: [foreign.id] })).toThrow(WhyValidationError);
  });

  it('rejects empty or oversized answers, skipped steps and closed issues, writing nothing', () => {
    const issue = newIssue();
    const errorOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e as WhyValidationError;
      }
      throw new Error('expected a validation error');
    };
    expect(errorOf(() => save(issue.id, 1, '   ')).fields).toEqual({ answer: 'An answer is required.' });
    expect(errorOf(() => save(issue.id, 1, 'x'.repeat(3001))).fields.answer).toMatch(/3000/);
    expect(errorOf(() => save(issue.id, 3, 'skip')).fields.step).toBe('Answer why 1 before why 3.');
    store.issues.updateStatus(issue.id, 'closed');
    expect(errorOf(() => save(issue.id, 1, 'closed')).fields.step).toMatch(/closed/);
    expect(store.steps.listByIssue(issue.id)).toEqual([]);
    expect(store.audit.list({ entityId: issue.id, action: 'why_step_saved' })).toEqual([]);
  });

  it('refuses an unknown issue', () => {
    expect(() => save('01234567-89ab-7def-8123-456789abcdef', 1, 'x')).toThrow(/not found/);
  });
});
