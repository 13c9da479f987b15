import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  JOURNEY_CHANNEL,
  type JourneyResult,
  playJourney,
  SAMPLE_PLANTED,
  TYPED_PLANTED,
  WHY_ANSWERS,
} from '../support/journey.js';
import { type SlackHarness, startHarness } from '../support/slack-harness.js';
import { filesUnder } from '../support/tmp.js';

const ALL_PLANTED = [...SAMPLE_PLANTED, TYPED_PLANTED];

describe.each(['http', 'socket'] as const)('the whole incident journey over %s', (transport) => {
  let h: SlackHarness;
  let result: JourneyResult;
  beforeAll(async () => {
    h = await startHarness({ transport });
    result = await playJourney(h);
  }, 60_000);
  afterAll(() => h?.close());

  it('leaves the issue resolved with its log, spans, five whys and RCA in the encrypted store', () => {
    const { store } = h;
    expect(result.issue).toMatchObject({ status: 'resolved', severity: 'critical' });
    expect(result.issue.resolved_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const [log] = store.logFiles.listByIssue(result.issue.id);
    expect(log).toMatchObject({ file_name: 'checkout-api.log', redacted: 1, line_count: 23 });
    const counts = store.piiSpans.countsByType(result.logFileId);
    expect(counts).toMatchObject({ Email: 4, IPv4: 5, AWSAccessKey: 1, SlackToken: 1, JWT: 1, CreditCard: 1 });
    expect(counts.Hostname).toBeUndefined(); // rejected in review
    const redacted = store.logBlobs.read(result.logFileId, 'redacted').toString();
    expect(redacted).toContain('db-primary.payments.example.com'); // shown after the review
    expect(redacted).toContain('client=[IPv4] user=[Email]');
    expect(SAMPLE_PLANTED.filter((v) => redacted.includes(v))).toEqual([]);
    const steps = store.steps.listByIssue(result.issue.id);
    expect(steps.map((s) => [s.step_order, s.answer])).toEqual(WHY_ANSWERS.map((a, i) => [i + 1, a]));
    expect(steps[3]!.answer).toContain(TYPED_PLANTED); // stored as typed
    const rca = store.documents.findByIssue(result.issue.id, 'rca');
    expect(rca?.content_md).toMatch(/^# Root Cause Analysis: Checkout returns 502 for EU customers/);
    expect(rca?.content_md).toContain('Moved the export job to the read replica');
    expect(typeof rca?.created_at).toBe('number');
  });

  it('audited every operation in an intact hash chain', () => {
    const actions = new Set(h.store.audit.list({ limit: 1000 }).map((e) => e.action));
    for (const action of [
      'issue_create',
      'log_attach',
      'redaction_review',
      'why_step_saved',
      'root_cause_identified',
      'doc_generate',
      'doc_post',
      'status_change',
    ]) {
      expect(actions, action).toContain(action);
    }
    expect(h.store.verifyAuditChain().ok).toBe(true);
  });

  it('showed it all in the thread: card, log summary, whys, RCA as markdown and as an uploaded file', () => {
    const thread = h.fake.messagesIn(JOURNEY_CHANNEL, result.threadTs);
    const card = h.fake.message(JOURNEY_CHANNEL, result.threadTs);
    expect(JSON.stringify(card?.blocks)).toMatch(/Resolved|resolved/);
    expect(thread.some((m) => JSON.stringify(m.blocks ?? []).includes('"type":"markdown"'))).toBe(true);
    const threadText = thread.map((m) => `${m.text ?? ''} ${JSON.stringify(m.blocks ?? [])}`).join('\n');
    for (let n = 1; n <= 5; n++) expect(threadText).toContain(`Why ${n}`);
    expect(threadText).toContain('checkout-api.log');
    const [upload] = h.fake.uploadedFiles().filter((f) => f.name.endsWith('.md'));
    expect(upload).toMatchObject({ channel: JOURNEY_CHANNEL, thread_ts: result.threadTs });
    expect(upload!.content.toString()).toContain('# Root Cause Analysis');
    expect(h.fake.callsTo('chat.update').length).toBeGreaterThan(0);
  });

  it('let no planted value out: not to Slack, not into uploads, not into logs, not onto disk outside the DB', () => {
    const outgoing = [
      h.fake.allOutgoingText(),
      ...h.fake.uploadedFiles().map((f) => f.content.toString()),
      ...h.fake.calls.map((c) => JSON.stringify(c.response ?? {})),
    ].join('\n');
    expect(ALL_PLANTED.filter((v) => outgoing.includes(v))).toEqual([]);
    const logs = h.logs.join('\n');
    expect(ALL_PLANTED.filter((v) => logs.includes(v))).toEqual([]);
    h.store.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const file of filesUnder(h.dataDir)) {
      const bytes = fs.readFileSync(file);
      expect(
        ALL_PLANTED.filter((v) => bytes.includes(Buffer.from(v))),
        file,
      ).toEqual([]);
    }
  });
});
