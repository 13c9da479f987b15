import { newId } from '../ids.js';
import { type NewPiiSpan, NewPiiSpanSchema, type PiiSpan } from '../schemas.js';
import type { Db } from '../sqlite.js';

export class PiiSpansRepo {
  constructor(private readonly db: Db) {}

  /** Inserts all spans of one log file; call inside the transaction that creates the log file. */
  insertMany(logFileId: string, spans: NewPiiSpan[]): number {
    const insert = this.db.prepare(
      `INSERT INTO pii_spans (id, log_file_id, pii_type, start_offset, end_offset, original_value, replacement)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const input of spans) {
      const s = NewPiiSpanSchema.parse(input);
      insert.run(newId(), logFileId, s.pii_type, s.start_offset, s.end_offset, s.original_value, s.replacement);
    }
    return spans.length;
  }

  listByLogFile(logFileId: string): PiiSpan[] {
    return this.db
      .prepare('SELECT * FROM pii_spans WHERE log_file_id = ? ORDER BY start_offset')
      .all(logFileId) as PiiSpan[];
  }

  countsByType(logFileId: string): Record<string, number> {
    const rows = this.db
      .prepare(
        'SELECT pii_type, count(*) AS n FROM pii_spans WHERE log_file_id = ? GROUP BY pii_type ORDER BY pii_type',
      )
      .all(logFileId) as { pii_type: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.pii_type, r.n]));
  }
}
