import type { z } from 'zod';
import type { Db } from '../sqlite.js';
import { prepared } from '../statements.js';
import { toSqliteTimestamp } from '../time.js';

/** Key-value settings with dotted keys (`redact.allowlist`, `ingest.max_bytes`, …); JSON values where structured. */
export class SettingsRepo {
  constructor(private readonly db: Db) {}

  get(key: string): string | undefined {
    const row = prepared(this.db, 'SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  /** Parses a JSON setting; a malformed stored value is an error naming the key, not a silent default. */
  getJson<T extends z.ZodType>(key: string, schema: T): z.infer<T> | undefined {
    const raw = this.get(key);
    if (raw === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new Error(`setting ${key} is not valid JSON`);
    }
    const result = schema.safeParse(parsed);
    if (!result.success) throw new Error(`setting ${key} has an invalid value: ${result.error.issues[0]?.message}`);
    return result.data;
  }

  set(key: string, value: string, now: Date = new Date()): void {
    prepared(
      this.db,
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    ).run(key, value, toSqliteTimestamp(now));
  }

  setJson(key: string, value: unknown, now?: Date): void {
    this.set(key, JSON.stringify(value), now);
  }

  delete(key: string): boolean {
    return prepared(this.db, 'DELETE FROM settings WHERE key = ?').run(key).changes > 0;
  }

  all(): Record<string, string> {
    const rows = prepared(this.db, 'SELECT key, value FROM settings ORDER BY key').all() as {
      key: string;
      value: string;
    }[];
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }
}
