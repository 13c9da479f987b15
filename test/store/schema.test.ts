import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate, openStore, type Store } from '../../src/store/index.js';
import { makeTempDir, TEST_DB_KEY, useTempStore } from '../support/tmp.js';

/**
 * The seed's schema (../shared/seed/Database.md), column by column: name, type, NOT NULL, default, primary key.
 * Tables gain columns only through later migrations, listed separately.
 */
const SEED_COLUMNS: Record<string, [string, string, 0 | 1, string | null, 0 | 1][]> = {
  issues: [
    ['id', 'TEXT', 0, null, 1],
    ['title', 'TEXT', 1, null, 0],
    ['description', 'TEXT', 0, null, 0],
    ['severity', 'TEXT', 1, null, 0],
    ['status', 'TEXT', 1, null, 0],
    ['category', 'TEXT', 0, null, 0],
    ['source', 'TEXT', 0, null, 0],
    ['created_at', 'TEXT', 1, null, 0],
    ['updated_at', 'TEXT', 1, null, 0],
    ['resolved_at', 'TEXT', 0, null, 0],
    ['assigned_to', 'TEXT', 0, null, 0],
    ['tags', 'TEXT', 0, null, 0],
  ],
  log_files: [
    ['id', 'TEXT', 0, null, 1],
    ['issue_id', 'TEXT', 1, null, 0],
    ['file_name', 'TEXT', 1, null, 0],
    ['file_path', 'TEXT', 1, null, 0],
    ['file_size', 'INTEGER', 0, null, 0],
    ['mime_type', 'TEXT', 0, null, 0],
    ['content_hash', 'TEXT', 0, null, 0],
    ['uploaded_at', 'TEXT', 1, null, 0],
    ['redacted', 'INTEGER', 0, '0', 0],
  ],
  pii_spans: [
    ['id', 'TEXT', 0, null, 1],
    ['log_file_id', 'TEXT', 1, null, 0],
    ['pii_type', 'TEXT', 1, null, 0],
    ['start_offset', 'INTEGER', 1, null, 0],
    ['end_offset', 'INTEGER', 1, null, 0],
    ['original_value', 'TEXT', 1, null, 0],
    ['replacement', 'TEXT', 1, null, 0],
  ],
  ai_conversations: [
    ['id', 'TEXT', 0, null, 1],
    ['issue_id', 'TEXT', 1, null, 0],
    ['provider', 'TEXT', 1, null, 0],
    ['model', 'TEXT', 1, null, 0],
    ['created_at', 'TEXT', 1, null, 0],
    ['title', 'TEXT', 0, null, 0],
  ],
  ai_messages: [
    ['id', 'TEXT', 0, null, 1],
    ['conversation_id', 'TEXT', 1, null, 0],
    ['role', 'TEXT', 1, null, 0],
    ['content', 'TEXT', 1, null, 0],
    ['token_count', 'INTEGER', 0, '0', 0],
    ['created_at', 'TEXT', 1, null, 0],
  ],
  resolution_steps: [
    ['id', 'TEXT', 0, null, 1],
    ['issue_id', 'TEXT', 1, null, 0],
    ['step_order', 'INTEGER', 1, null, 0],
    ['why_question', 'TEXT', 1, null, 0],
    ['answer', 'TEXT', 0, null, 0],
    ['evidence', 'TEXT', 0, null, 0],
    ['created_at', 'TEXT', 1, null, 0],
  ],
  documents: [
    ['id', 'TEXT', 0, null, 1],
    ['issue_id', 'TEXT', 1, null, 0],
    ['doc_type', 'TEXT', 1, null, 0],
    ['title', 'TEXT', 1, null, 0],
    ['content_md', 'TEXT', 1, null, 0],
    ['created_at', 'INTEGER', 1, null, 0],
    ['updated_at', 'INTEGER', 1, null, 0],
  ],
  audit_log: [
    ['id', 'TEXT', 0, null, 1],
    ['timestamp', 'TEXT', 1, "datetime('now')", 0],
    ['action', 'TEXT', 1, null, 0],
    ['entity_type', 'TEXT', 1, null, 0],
    ['entity_id', 'TEXT', 1, null, 0],
    ['user_id', 'TEXT', 0, "'local'", 0],
    ['details', 'TEXT', 0, null, 0],
  ],
  settings: [
    ['key', 'TEXT', 0, null, 1],
    ['value', 'TEXT', 1, null, 0],
    ['updated_at', 'TEXT', 1, null, 0],
  ],
};

/** Columns that migrations after the seed's ten add. */
const ADDED_COLUMNS: Record<string, string[]> = {
  audit_log: ['seq', 'prev_hash', 'entry_hash'],
  log_files: ['slack_file_id', 'uploaded_by', 'line_count', 'content_encoding', 'ingest_state'],
  pii_spans: ['decision'],
};

/** child table → [from column, parent table, parent column, on delete] */
const SEED_FOREIGN_KEYS: Record<string, [string, string, string, string][]> = {
  log_files: [['issue_id', 'issues', 'id', 'CASCADE']],
  pii_spans: [['log_file_id', 'log_files', 'id', 'CASCADE']],
  ai_conversations: [['issue_id', 'issues', 'id', 'CASCADE']],
  ai_messages: [['conversation_id', 'ai_conversations', 'id', 'CASCADE']],
  resolution_steps: [['issue_id', 'issues', 'id', 'CASCADE']],
  documents: [['issue_id', 'issues', 'id', 'CASCADE']],
};

describe('schema', () => {
  let store: Store;
  useTempStore((s) => {
    store = s;
  });

  it.each(Object.keys(SEED_COLUMNS))('%s has exactly the seed columns (plus those added by 011+)', (table) => {
    const info = store.db.pragma(`table_info(${table})`) as {
      name: string;
      type: string;
      notnull: number;
      dflt_value: string | null;
      pk: number;
    }[];
    const seedPart = info
      .filter((c) => !(ADDED_COLUMNS[table] ?? []).includes(c.name))
      .map((c) => [c.name, c.type, c.notnull, c.dflt_value, c.pk]);
    expect(seedPart).toEqual(SEED_COLUMNS[table]);
    expect(info.map((c) => c.name).filter((n) => !SEED_COLUMNS[table]!.some(([s]) => s === n))).toEqual(
      ADDED_COLUMNS[table] ?? [],
    );
  });

  it.each(Object.keys(SEED_FOREIGN_KEYS))('%s has the seed foreign keys with ON DELETE CASCADE', (table) => {
    const fks = store.db.pragma(`foreign_key_list(${table})`) as {
      from: string;
      table: string;
      to: string;
      on_delete: string;
    }[];
    expect(fks.map((f) => [f.from, f.table, f.to, f.on_delete])).toEqual(SEED_FOREIGN_KEYS[table]);
  });

  it('keeps the seed CHECK on ai_messages.role', () => {
    const sql = (
      store.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'ai_messages'").get() as { sql: string }
    ).sql.replace(/\s+/g, ' ');
    expect(sql).toContain("CHECK(role IN ('system', 'user', 'assistant'))");
  });

  it('has issues_fts as an external-content FTS5 table over issues', () => {
    const sql = (store.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'issues_fts'").get() as { sql: string })
      .sql;
    expect(sql).toMatch(/USING fts5/i);
    expect(sql).toContain("content='issues'");
    expect(sql).toContain("content_rowid='rowid'");
    expect((store.db.pragma('table_info(issues_fts)') as { name: string }[]).map((c) => c.name)).toEqual([
      'id',
      'title',
      'description',
    ]);
  });

  it('records every migration, in order, in _migrations(name, applied_at)', () => {
    const rows = store.db.prepare('SELECT name, applied_at FROM _migrations ORDER BY name').all() as {
      name: string;
      applied_at: string;
    }[];
    expect(rows.map((r) => r.name)).toEqual(loadMigrations().map((m) => m.name));
    expect(rows.slice(0, 10).map((r) => r.name)).toEqual([
      '001_issues',
      '002_log_files',
      '003_pii_spans',
      '004_ai_conversations',
      '005_ai_messages',
      '006_resolution_steps',
      '007_documents',
      '008_audit_log',
      '009_settings',
      '010_issues_fts',
    ]);
    for (const r of rows) expect(r.applied_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  it('runs with WAL, foreign keys and a busy timeout', () => {
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(Number(store.db.pragma('busy_timeout', { simple: true }))).toBeGreaterThan(0);
  });

  it('uses the seed cipher settings', () => {
    expect(Number(store.db.pragma('kdf_iter', { simple: true }))).toBe(256000);
    expect(Number(store.db.pragma('hmac_algorithm', { simple: true }))).toBe(2);
    expect(Number(store.db.pragma('kdf_algorithm', { simple: true }))).toBe(2);
    expect(Number(store.db.pragma('page_size', { simple: true }))).toBe(4096);
  });
});

describe('017_review_rejections', () => {
  it('carries verdicts given before (rejected spans) over as rejected values, and nothing else', () => {
    const { dir, cleanup } = makeTempDir('tftsr-mig017-');
    const old = openStore({ dataDir: dir, key: TEST_DB_KEY, migrate: false });
    try {
      const all = loadMigrations();
      migrate(
        old.db,
        all.filter((m) => m.name < '017'),
      );
      old.db.exec(`
        INSERT INTO issues (id, title, severity, status, created_at, updated_at)
          VALUES ('I1', 't', 'low', 'open', '2026-12-04 00:00:00', '2026-12-04 00:00:00');
        INSERT INTO log_files (id, issue_id, file_name, file_path, uploaded_at) VALUES ('L1', 'I1', 'a', 'a', '2026-12-04 00:00:00');
        INSERT INTO pii_spans (id, log_file_id, pii_type, start_offset, end_offset, original_value, replacement, decision) VALUES
          ('S1', 'L1', 'IPv4', 0, 7, '1.2.3.4', '[IPv4]', 'rejected'),
          ('S2', 'L1', 'IPv4', 10, 17, '1.2.3.4', '[IPv4]', 'rejected'),
          ('S3', 'L1', 'IPv4', 20, 27, '5.6.7.8', '[IPv4]', 'approved'),
          ('S4', 'L1', 'Email', 30, 37, 'a@b.com', '[Email]', 'pending');`);
      migrate(old.db, all);
      expect(old.piiSpans.rejections('L1')).toEqual(
        expect.objectContaining({ types: new Set(), values: new Map([['IPv4', new Set(['1.2.3.4'])]]) }),
      );
      expect(old.piiSpans.countsByType('L1')).toEqual({ Email: 1, IPv4: 1 });
    } finally {
      old.close();
      cleanup();
    }
  });
});
