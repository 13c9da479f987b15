import type { Store } from '../../src/store/index.js';

/** The review key of a detected value: the id of its first span in the log (what the review modal offers). */
export function firstSpanId(store: Store, logFileId: string, type: string, value: string): string {
  const row = store.db
    .prepare(
      'SELECT id FROM pii_spans WHERE log_file_id = ? AND pii_type = ? AND original_value = ? ORDER BY start_offset LIMIT 1',
    )
    .get(logFileId, type, value) as { id: string } | undefined;
  if (!row) throw new Error(`no ${type} span with that value in log ${logFileId}`);
  return row.id;
}
