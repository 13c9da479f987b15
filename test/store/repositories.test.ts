import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openStore, type Store, sha256Hex, shortId } from '../../src/store/index.js';
import { SEARCH_CANDIDATES } from '../../src/store/repos/issues.js';
import { makeTempDir, TEST_DB_KEY, useTempStore } from '../support/tmp.js';

describe('repositories', () => {
  let store: Store;
  useTempStore((s) => {
    store = s;
  });

  it('creates issues with UUID v7 ids, seed timestamps and JSON tags', () => {
    const at = new Date('2026-03-01T10:20:30.456Z');
    const issue = store.issues.create(
      { title: '  Checkout 502s  ', severity: 'high', tags: ['payments', 'edge'], category: 'outage' },
      at,
    );
    expect(issue.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(issue).toMatchObject({
      title: 'Checkout 502s',
      status: 'open',
      created_at: '2026-03-01 10:20:30',
      updated_at: '2026-03-01 10:20:30',
      resolved_at: null,
      tags: ['payments', 'edge'],
    });
    const raw = store.db.prepare('SELECT tags FROM issues WHERE id = ?').get(issue.id) as { tags: string };
    expect(raw.tags).toBe('["payments","edge"]');
    expect(store.issues.get(issue.id)).toEqual(issue);
    expect(shortId(issue.id)).toHaveLength(8);
    expect(store.issues.findByIdFragment(shortId(issue.id)).map((i) => i.id)).toEqual([issue.id]);
    expect(store.issues.findByIdFragment(issue.id.slice(0, 13)).map((i) => i.id)).toContain(issue.id);
  });

  it('rejects invalid input at the boundary and in the database', () => {
    expect(() => store.issues.create({ title: '', severity: 'high' })).toThrow(/title is required/);
    expect(() => store.issues.create({ title: 'x', severity: 'urgent' as 'high' })).toThrow();
    expect(() =>
      store.db
        .prepare(
          "INSERT INTO issues (id, title, severity, status, created_at, updated_at) VALUES ('x', 't', 'urgent', 'open', '', '')",
        )
        .run(),
    ).toThrow(/invalid severity/);
    const issue = store.issues.create({ title: 'steps', severity: 'low' });
    expect(() => store.steps.save({ issue_id: issue.id, step_order: 6, why_question: 'why?' })).toThrow(/1 to 5/);
    expect(() =>
      store.db
        .prepare(
          "INSERT INTO resolution_steps (id, issue_id, step_order, why_question, created_at) VALUES ('s', ?, 0, 'q', '')",
        )
        .run(issue.id),
    ).toThrow(/between 1 and 5/);
  });

  it('sets resolved_at on resolve, clears it on reopen, keeps it on close', () => {
    const issue = store.issues.create({ title: 'lifecycle', severity: 'medium' });
    const resolved = store.issues.updateStatus(issue.id, 'resolved', new Date('2026-03-02T00:00:00Z')).after;
    expect(resolved.resolved_at).toBe('2026-03-02 00:00:00');
    expect(resolved.updated_at).toBe('2026-03-02 00:00:00');
    const closed = store.issues.updateStatus(issue.id, 'closed', new Date('2026-03-03T00:00:00Z')).after;
    expect(closed.resolved_at).toBe('2026-03-02 00:00:00');
    const reopened = store.issues.updateStatus(issue.id, 'investigating').after;
    expect(reopened.resolved_at).toBeNull();
  });

  it('lists with filters, most severe first', () => {
    const local = openStore({ dataDir: makeTempDir().dir, key: TEST_DB_KEY, migrate: true });
    try {
      const low = local.issues.create({ title: 'a', severity: 'low' });
      const crit = local.issues.create({ title: 'b', severity: 'critical', assigned_to: 'U1' });
      const high = local.issues.create({ title: 'c', severity: 'high' });
      local.issues.updateStatus(high.id, 'closed');
      expect(local.issues.list().map((i) => i.id)).toEqual([crit.id, high.id, low.id]);
      expect(local.issues.list({ statuses: ['open', 'investigating'] }).map((i) => i.id)).toEqual([crit.id, low.id]);
      expect(local.issues.list({ severities: ['low'] }).map((i) => i.id)).toEqual([low.id]);
      expect(local.issues.list({ assignedTo: 'U1' }).map((i) => i.id)).toEqual([crit.id]);
    } finally {
      local.close();
    }
  });

  it('keeps full-text search in step with inserts, updates and deletes, with rank and snippet', () => {
    const a = store.issues.create({
      title: 'Database connection pool exhausted',
      severity: 'high',
      description: 'The payments service ran out of connections during the evening peak',
    });
    const b = store.issues.create({ title: 'Slow dashboard', severity: 'low', description: 'connection latency' });
    const hits = store.issues.search('connection');
    expect(hits.map((h) => h.issue.id).sort()).toEqual([a.id, b.id].sort());
    expect(hits[0]!.rank).toBeLessThanOrEqual(hits[1]!.rank);
    expect(store.issues.search('payments peak')[0]!.snippet).toContain('[payments]');
    expect(store.issues.search('pool EXHAUSTED').map((h) => h.issue.id)).toEqual([a.id]); // case-insensitive, AND
    expect(store.issues.search('pool exhau')).toEqual([]); // whole words only

    store.issues.update(a.id, { title: 'Redis eviction storm', description: 'keys evicted' });
    expect(store.issues.search('exhausted')).toEqual([]);
    expect(store.issues.search('eviction').map((h) => h.issue.id)).toEqual([a.id]);

    store.issues.delete(a.id);
    expect(store.issues.search('eviction')).toEqual([]);
    const integrity = store.db.prepare("INSERT INTO issues_fts(issues_fts, rank) VALUES ('integrity-check', 1)");
    expect(() => integrity.run()).not.toThrow();
  });

  it('ranks a very common word among the newest matches, and still reaches old issues with specific words', () => {
    const local = openStore({ dataDir: makeTempDir().dir, key: TEST_DB_KEY });
    try {
      const old = local.issues.create({ title: 'zebra outage in the aardvark cluster', severity: 'low' });
      local.transaction(() => {
        for (let i = 0; i < SEARCH_CANDIDATES + 50; i++) local.issues.create({ title: `zebra ${i}`, severity: 'low' });
      });
      const common = local.issues.search('zebra', { limit: 10 });
      expect(common).toHaveLength(10);
      expect(common.map((h) => h.issue.id)).not.toContain(old.id);
      expect(local.issues.search('zebra aardvark').map((h) => h.issue.id)).toEqual([old.id]);
    } finally {
      local.close();
    }
  });

  it('treats search input as words, never as FTS syntax', () => {
    expect(() => store.issues.search('"unbalanced AND ( OR NEAR -title:')).not.toThrow();
    expect(store.issues.search('   ')).toEqual([]);
  });

  it('cascades deletes from an issue to logs, spans, steps, documents and AI messages', () => {
    const issue = store.issues.create({ title: 'cascade', severity: 'low' });
    const log = store.logFiles.create({
      issue_id: issue.id,
      file_name: 'app.log',
      file_path: 'slack://F1',
      content_hash: sha256Hex('x'),
    });
    store.piiSpans.insertMany(log.id, [
      { pii_type: 'Email', start_offset: 0, end_offset: 5, original_value: 'a@b.c', replacement: '[Email]' },
    ]);
    store.steps.save({ issue_id: issue.id, step_order: 1, why_question: 'Why?', answer: 'Because' });
    store.documents.upsert({ issue_id: issue.id, doc_type: 'rca', title: 'RCA', content_md: '# RCA' });
    const conv = store.ai.createConversation({ issue_id: issue.id, provider: 'openai', model: 'm' });
    store.ai.addMessage({ conversation_id: conv.id, role: 'user', content: 'hi', token_count: 1 });
    const detail = store.getIssueDetail(issue.id)!;
    expect(detail.log_files).toHaveLength(1);
    expect(detail.resolution_steps).toHaveLength(1);
    expect(detail.conversations).toHaveLength(1);

    store.issues.delete(issue.id);
    for (const table of [
      'log_files',
      'pii_spans',
      'resolution_steps',
      'documents',
      'ai_conversations',
      'ai_messages',
    ]) {
      expect((store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n, table).toBe(0);
    }
  });

  it('inserts spans in batches and a remainder, every one intact and in order', () => {
    const issue = store.issues.create({ title: 'many spans', severity: 'low' });
    const log = store.logFiles.create({ issue_id: issue.id, file_name: 'big.log', file_path: 'local' });
    const spans = Array.from({ length: 63 }, (_, i) => ({
      pii_type: i % 2 ? 'Email' : 'IPv4',
      start_offset: i * 10,
      end_offset: i * 10 + 5,
      original_value: `v${i}`,
      replacement: i % 2 ? '[Email]' : '[IPv4]',
    }));
    expect(store.transaction(() => store.piiSpans.insertMany(log.id, spans))).toBe(63);
    const stored = store.piiSpans.listByLogFile(log.id);
    expect(stored.map((s) => [s.pii_type, s.start_offset, s.end_offset, s.original_value, s.replacement])).toEqual(
      spans.map((s) => [s.pii_type, s.start_offset, s.end_offset, s.original_value, s.replacement]),
    );
    expect(new Set(stored.map((s) => s.id)).size).toBe(63);
    expect(store.piiSpans.countsByType(log.id)).toEqual({ Email: 31, IPv4: 32 });
    expect(() => store.piiSpans.insertMany(log.id, [{ ...spans[0]!, start_offset: 5, end_offset: 5 }])).toThrow(
      /invalid offsets/,
    );
  });

  it('saves whys per step, last write wins and reports what it replaced', () => {
    const issue = store.issues.create({ title: 'whys', severity: 'low' });
    const first = store.steps.save({ issue_id: issue.id, step_order: 1, why_question: 'Why 1?', answer: 'A' });
    expect(first.previous).toBeUndefined();
    const second = store.steps.save({ issue_id: issue.id, step_order: 1, why_question: 'Why 1?', answer: 'B' });
    expect(second.previous?.answer).toBe('A');
    expect(second.step.id).toBe(first.step.id);
    store.steps.save({ issue_id: issue.id, step_order: 2, why_question: 'Why 2?', answer: 'C' });
    expect(store.steps.listByIssue(issue.id).map((s) => [s.step_order, s.answer])).toEqual([
      [1, 'B'],
      [2, 'C'],
    ]);
    expect(store.steps.deleteAfter(issue.id, 1)).toBe(1);
  });

  it('keeps one document per issue and type, with INTEGER millisecond timestamps', () => {
    const issue = store.issues.create({ title: 'docs', severity: 'low' });
    const a = store.documents.upsert({ issue_id: issue.id, doc_type: 'rca', title: 'RCA', content_md: 'v1' }, 1000);
    const b = store.documents.upsert({ issue_id: issue.id, doc_type: 'rca', title: 'RCA', content_md: 'v2' }, 2000);
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.document.id).toBe(a.document.id);
    const row = store.db
      .prepare('SELECT typeof(created_at) AS t, created_at, updated_at, content_md FROM documents WHERE id = ?')
      .get(a.document.id);
    expect(row).toEqual({ t: 'integer', created_at: 1000, updated_at: 2000, content_md: 'v2' });
  });

  it('stores settings as text and JSON, and names a malformed key', () => {
    store.settings.setJson('redact.allowlist', ['10.0.0.1']);
    expect(store.settings.getJson('redact.allowlist', z.array(z.string()))).toEqual(['10.0.0.1']);
    store.settings.set('ingest.max_bytes', 'lots');
    expect(() => store.settings.getJson('ingest.max_bytes', z.number())).toThrow(/ingest.max_bytes/);
    expect(store.settings.get('missing')).toBeUndefined();
  });

  it('claims a Slack delivery once', () => {
    expect(store.slackEvents.claim('event:Ev1', 'event')).toBe(true);
    expect(store.slackEvents.claim('event:Ev1', 'event')).toBe(false);
    store.slackEvents.setEntity('event:Ev1', 'issue-1');
    expect(store.slackEvents.get('event:Ev1')?.entity_id).toBe('issue-1');
    store.slackEvents.release('event:Ev1');
    expect(store.slackEvents.claim('event:Ev1', 'event')).toBe(true);
  });

  it('binds an issue to its Slack thread and finds the active issues of a channel', () => {
    const issue = store.issues.create({ title: 'bound', severity: 'high' });
    store.slackThreads.bind({ issue_id: issue.id, team_id: 'T1', channel_id: 'C1', created_by: 'U1' });
    store.slackThreads.setThreadTs(issue.id, '1700000000.000100');
    expect(store.slackThreads.findByThread('T1', 'C1', '1700000000.000100')?.issue_id).toBe(issue.id);
    expect(store.slackThreads.findActiveInChannel('T1', 'C1')).toEqual([issue.id]);
    store.issues.updateStatus(issue.id, 'closed');
    expect(store.slackThreads.findActiveInChannel('T1', 'C1')).toEqual([]);
  });

  it('runs a multi-row change as one transaction: a failure leaves nothing behind', () => {
    const before = store.issues.count();
    expect(() =>
      store.transaction(() => {
        const issue = store.issues.create({ title: 'half', severity: 'low' });
        store.audit.append({ action: 'issue_create', entity_type: 'issue', entity_id: issue.id, user_id: 'U1' });
        throw new Error('crash midway');
      }),
    ).toThrow('crash midway');
    expect(store.issues.count()).toBe(before);
    expect(store.audit.list({ action: 'issue_create' }).filter((e) => e.user_id === 'U1')).toEqual([]);
  });
});

describe('audit log', () => {
  let store: Store;
  let tmp: ReturnType<typeof makeTempDir>;
  beforeAll(() => {
    tmp = makeTempDir();
    store = openStore({ dataDir: tmp.dir, key: TEST_DB_KEY });
    for (let i = 0; i < 5; i++) {
      store.audit.append({
        action: 'status_change',
        entity_type: 'issue',
        entity_id: `issue-${i}`,
        user_id: 'U123',
        details: { from: 'open', to: 'investigating', n: i },
      });
    }
  });
  afterAll(() => {
    store.close();
    tmp.cleanup();
  });

  it('chains entries with prev_hash and entry_hash and verifies the chain', () => {
    const entries = store.audit.list();
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(entries[0]!.prev_hash).toBe('0'.repeat(64));
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.prev_hash).toBe(entries[i - 1]!.entry_hash);
    expect(store.verifyAuditChain()).toEqual({ ok: true, entries: 5, unchained: 0 });
  });

  it('is append-only', () => {
    expect(() => store.db.prepare("UPDATE audit_log SET user_id = 'x'").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
  });

  it('refuses content-like details', () => {
    expect(() =>
      store.audit.append({
        action: 'log_attach',
        entity_type: 'log_file',
        entity_id: 'l1',
        details: { excerpt: 'x'.repeat(500) },
      }),
    ).toThrow();
  });

  it('reports the first tampered entry', () => {
    // A tamperer with the key who drops the trigger and edits a row in place.
    store.db.exec('DROP TRIGGER audit_log_no_update');
    try {
      store.db.prepare('UPDATE audit_log SET details = \'{"from":"open","to":"closed","n":2}\' WHERE seq = 3').run();
      const report = store.verifyAuditChain();
      expect(report.ok).toBe(false);
      if (!report.ok) {
        expect(report.brokenAt.seq).toBe(3);
        expect(report.reason).toMatch(/contents changed/);
      }
    } finally {
      store.db.exec(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
        SELECT RAISE(ABORT, 'audit_log is append-only'); END`);
    }
  });

  it('reports a removed entry', () => {
    const t = makeTempDir();
    const s = openStore({ dataDir: t.dir, key: TEST_DB_KEY });
    try {
      for (let i = 0; i < 3; i++) s.audit.append({ action: 'tag', entity_type: 'issue', entity_id: `i${i}` });
      s.db.exec('DROP TRIGGER audit_log_no_delete');
      s.db.prepare('DELETE FROM audit_log WHERE seq = 2').run();
      const report = s.verifyAuditChain();
      expect(report).toMatchObject({ ok: false, brokenAt: { seq: 3 } });
    } finally {
      s.close();
      t.cleanup();
    }
  });
});
