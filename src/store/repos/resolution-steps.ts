import { newId } from '../ids.js';
import { type ResolutionStep, type SaveStep, SaveStepSchema } from '../schemas.js';
import type { Db } from '../sqlite.js';
import { prepared } from '../statements.js';
import { toSqliteTimestamp } from '../time.js';

export class ResolutionStepsRepo {
  constructor(private readonly db: Db) {}

  /**
   * Saves one why (step 1–5). A step saved again replaces the earlier answer — last write wins — and the earlier
   * version is returned so the caller can report the overwrite instead of losing it silently.
   */
  save(input: SaveStep, now: Date = new Date()): { step: ResolutionStep; previous: ResolutionStep | undefined } {
    const data = SaveStepSchema.parse(input);
    const previous = this.get(data.issue_id, data.step_order);
    const step: ResolutionStep = {
      id: previous?.id ?? newId(),
      issue_id: data.issue_id,
      step_order: data.step_order,
      why_question: data.why_question,
      answer: data.answer ?? null,
      evidence: data.evidence ?? null,
      created_at: previous?.created_at ?? toSqliteTimestamp(now),
    };
    prepared(
      this.db,
      `INSERT INTO resolution_steps (id, issue_id, step_order, why_question, answer, evidence, created_at)
         VALUES (@id, @issue_id, @step_order, @why_question, @answer, @evidence, @created_at)
         ON CONFLICT (issue_id, step_order) DO UPDATE SET
           why_question = excluded.why_question, answer = excluded.answer, evidence = excluded.evidence`,
    ).run(step);
    return { step, previous };
  }

  get(issueId: string, stepOrder: number): ResolutionStep | undefined {
    return prepared(this.db, 'SELECT * FROM resolution_steps WHERE issue_id = ? AND step_order = ?').get(
      issueId,
      stepOrder,
    ) as ResolutionStep | undefined;
  }

  listByIssue(issueId: string): ResolutionStep[] {
    return prepared(this.db, 'SELECT * FROM resolution_steps WHERE issue_id = ? ORDER BY step_order').all(
      issueId,
    ) as ResolutionStep[];
  }

  /** Removes the steps after `stepOrder` (the chain was cut short: an earlier answer became the root cause). */
  deleteAfter(issueId: string, stepOrder: number): number {
    return prepared(this.db, 'DELETE FROM resolution_steps WHERE issue_id = ? AND step_order > ?').run(
      issueId,
      stepOrder,
    ).changes;
  }
}
