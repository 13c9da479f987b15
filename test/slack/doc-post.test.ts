import { describe, expect, it } from 'vitest';
import { type DocumentRow, sha256Hex, shortId } from '../../src/store/index.js';
import type { RecordedCall } from '../support/fake-slack.js';
import { SlackDriver } from '../support/slack-driver.js';
import { openIssueIn, type SlackHarness, TEST_SIGNING_SECRET, useSlackHarness } from '../support/slack-harness.js';

let h: SlackHarness;
let channel: string;
useSlackHarness('C0DOCS', (state) => {
  ({ h, channel } = state);
});

const createIssue = (text: string, ch = channel) => openIssueIn(h, ch, text);

function addWhys(issueId: string, whys: { q: string; a: string; e?: string }[]): void {
  h.store.transaction(() => {
    whys.forEach((w, i) => {
      h.store.steps.save({
        issue_id: issueId,
        step_order: i + 1,
        why_question: w.q,
        answer: w.a,
        evidence: w.e ?? null,
      });
      h.store.audit.append({
        action: 'why_step_saved',
        entity_type: 'issue',
        entity_id: issueId,
        user_id: 'U0ALICE',
        details: { step_order: i + 1 },
      });
    });
  });
}

const card = (ts: string, ch = channel) => ({ channel: ch, ts, blocks: h.fake.message(ch, ts)!.blocks! });

/** Clicks a card button and returns the modal it opened. */
async function clickForModal(ts: string, actionId: string, ch = channel): Promise<Record<string, unknown>> {
  const before = h.fake.callsTo('views.open').length;
  const res = await h.driver.clickButton(card(ts, ch), actionId);
  expect(res.status).toBe(200);
  await h.idle();
  const open = h.fake.callsTo('views.open').slice(before)[0] as RecordedCall;
  expect(open?.response?.ok).toBe(true);
  return open.response?.view as Record<string, unknown>;
}

/** Modal values as Slack sends them: block id = field, action id `value`. */
function values(fields: Record<string, string>) {
  return Object.fromEntries(
    Object.entries(fields).map(([block, value]) => [block, { value: { type: 'plain_text_input', value } }]),
  );
}

const RCA_FIELDS = {
  corrective_actions_immediate: '- Killed the report job\n- Restarted the payments pods',
  corrective_actions_long_term: 'Give batch jobs their own connection pool',
  lessons_learned: 'Shared pools hide noisy neighbours.',
};

async function submit(view: Record<string, unknown>, fields: Record<string, string>, driver = h.driver) {
  const res = await driver.submitView(view, values(fields));
  await h.idle();
  return res;
}

const markdownMessages = (ts: string, ch = channel) =>
  h.fake.messagesIn(ch, ts).filter((m) => (m.blocks as { type: string }[] | undefined)?.[0]?.type === 'markdown');
const markdownText = (m: { blocks?: unknown[] }) => (m.blocks as { text: string }[])[0]!.text;
const docOf = (issueId: string, type: 'rca' | 'postmortem') =>
  h.store.documents.findByIssue(issueId, type) as DocumentRow;

describe('Generate RCA from the card', () => {
  it('button → modal → submit: markdown block and the .md file in the thread, stored document, both audits', async () => {
    const { issue, ts } = await createIssue('Checkout returns 502 sev:high');
    addWhys(issue.id, [
      { q: 'Why did checkout return 502?', a: 'The gateway timed out waiting for payments.' },
      { q: 'Why did payments not answer?', a: 'Its database pool was exhausted by a report job.' },
    ]);
    const view = await clickForModal(ts, 'tftsr.doc.rca');
    expect(view.callback_id).toBe('tftsr.doc.details');
    expect((view.title as { text: string }).text).toBe('RCA details');
    expect(JSON.parse(String(view.private_metadata))).toEqual({ i: issue.id, t: 'rca' });
    const inputs = (view.blocks as { type: string; block_id?: string; element?: Record<string, unknown> }[]).filter(
      (b) => b.type === 'input',
    );
    expect(inputs.map((b) => b.block_id)).toEqual([
      'corrective_actions_immediate',
      'corrective_actions_long_term',
      'lessons_learned',
    ]);
    for (const b of inputs)
      expect(b.element).toMatchObject({ type: 'plain_text_input', multiline: true, max_length: 3000 });

    const res = await submit(view, RCA_FIELDS);
    expect(res.status).toBe(200);
    expect(res.text).toBe(''); // plain ack: the modal closes

    const doc = docOf(issue.id, 'rca');
    expect(doc.content_md).toContain('# Root Cause Analysis');
    expect(doc.content_md).toContain('Killed the report job');
    const row = h.store.db
      .prepare('SELECT typeof(created_at) AS c, typeof(updated_at) AS u, doc_type FROM documents WHERE id = ?')
      .get(doc.id) as { c: string; u: string; doc_type: string };
    expect(row).toEqual({ c: 'integer', u: 'integer', doc_type: 'rca' });
    expect(Math.abs(doc.created_at - Date.now())).toBeLessThan(60_000);

    const [message, ...more] = markdownMessages(ts);
    expect(more).toEqual([]);
    expect(markdownText(message!)).toBe(doc.content_md); // fits: the whole document
    expect(message!.text).toBe(`Root Cause Analysis: Checkout returns 502`);

    const getUrl = h.fake.callsTo('files.getUploadURLExternal').at(-1)!;
    expect(getUrl.body.filename).toBe(`tftsr-rca-${shortId(issue.id)}.md`);
    const upload = h.fake.callsTo('upload').at(-1)!;
    expect(upload.body.file_id).toBe(getUrl.response!.file_id);
    const complete = h.fake.callsTo('files.completeUploadExternal').at(-1)!;
    expect(complete.body).toMatchObject({ channel_id: channel, thread_ts: ts });
    const file = h.fake.uploadedFiles().find((f) => f.id === getUrl.response!.file_id)!;
    expect(file).toMatchObject({ name: `tftsr-rca-${shortId(issue.id)}.md`, channel, thread_ts: ts });
    expect(file.title).toBe(doc.title);
    expect(file.content.toString('utf8')).toBe(doc.content_md);

    const audit = h.store.audit.list({ entityType: 'document', entityId: doc.id });
    expect(audit.map((a) => a.action)).toEqual(['doc_generate', 'doc_post']);
    const post = audit[1]!;
    expect(post.user_id).toBe('U0ALICE');
    const details = JSON.parse(post.details!);
    expect(details).toMatchObject({
      document_id: doc.id,
      doc_type: 'rca',
      channel_id: channel,
      thread_ts: ts,
      message_ts: message!.ts,
      file_id: file.id,
      sha256: sha256Hex(markdownText(message!)),
      file_sha256: sha256Hex(doc.content_md),
      truncated: false,
    });
    expect(post.details).not.toContain('report job');
  });

  it('regenerating updates the same document and posts again (new message and file)', async () => {
    const { issue, ts } = await createIssue('Search is slow sev:medium');
    await submit(await clickForModal(ts, 'tftsr.doc.rca'), { lessons_learned: 'First lesson' });
    const first = docOf(issue.id, 'rca');
    await submit(await clickForModal(ts, 'tftsr.doc.rca'), { lessons_learned: 'Second, better lesson' });
    const second = docOf(issue.id, 'rca');

    expect(second.id).toBe(first.id);
    expect(second.created_at).toBe(first.created_at);
    expect(second.updated_at).toBeGreaterThanOrEqual(first.updated_at);
    expect(second.content_md).toContain('Second, better lesson');
    expect(second.content_md).not.toContain('First lesson');
    expect(h.store.documents.listByIssue(issue.id)).toHaveLength(1);

    const messages = markdownMessages(ts);
    expect(messages).toHaveLength(2);
    expect(markdownText(messages[1]!)).toContain('Second, better lesson');
    expect(JSON.stringify(messages[1]!.blocks)).toContain('replaces the earlier version');
    expect(h.fake.uploadedFiles().filter((f) => f.thread_ts === ts)).toHaveLength(2);
    const actions = h.store.audit.list({ entityId: first.id }).map((a) => a.action);
    expect(actions).toEqual(['doc_generate', 'doc_post', 'doc_generate', 'doc_post']);
  });

  it('a double-clicked submit (same view id and hash) generates and posts once', async () => {
    const { issue, ts } = await createIssue('Double click sev:low');
    const view = await clickForModal(ts, 'tftsr.doc.rca');
    const [a, b] = await Promise.all([
      h.driver.submitView(view, values(RCA_FIELDS)),
      h.driver.submitView(view, values(RCA_FIELDS)),
    ]);
    await h.idle();
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(markdownMessages(ts)).toHaveLength(1);
    const doc = docOf(issue.id, 'rca');
    expect(h.store.audit.list({ entityId: doc.id }).map((x) => x.action)).toEqual(['doc_generate', 'doc_post']);
  });
});

describe('Generate RCA elsewhere', () => {
  it('inside a modal (no response_url): the form is pushed on top of it', async () => {
    const { issue } = await createIssue('From a modal sev:low');
    const trigger = `${Date.now()}.pushme`;
    const res = await h.driver.interactive({
      type: 'block_actions',
      team: { id: h.driver.teamId },
      user: { id: 'U0ALICE', team_id: h.driver.teamId },
      trigger_id: trigger,
      container: { type: 'view', view_id: 'V0WHYSUMMARY' },
      view: { id: 'V0WHYSUMMARY', type: 'modal', callback_id: 'tftsr.whys.summary' },
      actions: [{ type: 'button', action_id: 'tftsr.doc.rca', value: issue.id, action_ts: '1' }],
    });
    expect(res.status).toBe(200);
    await h.idle();
    const push = h.fake.callsTo('views.push').at(-1)!;
    expect(push.body.trigger_id).toBe(trigger);
    expect((push.body.view as { callback_id: string }).callback_id).toBe('tftsr.doc.details');
  });

  it('a button for an issue of another team is refused with an ephemeral notice', async () => {
    const { ts } = await createIssue('Team bound sev:low');
    const otherTeam = new SlackDriver({
      url: `${h.baseUrl}/slack/events`,
      signingSecret: TEST_SIGNING_SECRET,
      fake: h.fake,
      teamId: 'T0OTHERTEAM',
    });
    const opened = h.fake.callsTo('views.open').length;
    const res = await otherTeam.clickButton(card(ts), 'tftsr.doc.rca');
    await h.idle();
    expect(h.fake.callsTo('views.open')).toHaveLength(opened);
    expect(JSON.stringify(h.fake.responsesTo(res.responseUrl))).toContain('not in this workspace');
  });
});

describe('/tftsr postmortem and /tftsr rca', () => {
  it('/tftsr postmortem <id> opens the postmortem form; action items are parsed into the table', async () => {
    const { issue, ts } = await createIssue('Payments outage sev:critical');
    await h.driver.command(`status resolved ${shortId(issue.id)}`, { channel_id: channel });
    await h.idle();
    const res = await h.driver.command(`postmortem ${shortId(issue.id)}`, { channel_id: 'C0ELSEWHERE' });
    expect(res.status).toBe(200);
    await h.idle();
    const open = h.fake.callsTo('views.open').find((c) => c.body.trigger_id === res.fields.trigger_id)!;
    const view = open.response!.view as Record<string, unknown>;
    expect((view.title as { text: string }).text).toBe('Postmortem details');
    expect(String(view.private_metadata)).toBe(JSON.stringify({ i: issue.id, t: 'postmortem' }));
    const blockIds = (view.blocks as { block_id?: string; type: string }[])
      .filter((b) => b.type === 'input')
      .map((b) => b.block_id);
    expect(blockIds).toEqual([
      'impact',
      'contributing_factors',
      'what_went_well',
      'what_could_be_improved',
      'action_items',
    ]);

    const bad = await submit(view, { action_items: 'urgent | Fix it\nhigh | Add alert | SRE | next week' });
    expect(bad.json).toMatchObject({ response_action: 'errors' });
    const errors = (bad.json as { errors: Record<string, string> }).errors;
    expect(Object.keys(errors)).toEqual(['action_items']);
    expect(errors.action_items).toContain('line 1: the priority is not high, medium or low');
    expect(errors.action_items).toContain('line 2: the due date');
    expect(h.store.documents.listByIssue(issue.id)).toEqual([]);

    const ok = await submit(view, {
      impact: '30% of checkouts failed for two hours.',
      what_went_well: 'The alert paged within 5 minutes.',
      action_items:
        '- high | Separate pool for batch jobs | Payments team | 2026-03-16 | in progress\nUpdate the runbook\n| low | Tidy dashboards | - | - | done |',
    });
    expect(ok.text).toBe('');
    const doc = docOf(issue.id, 'postmortem');
    expect(doc.content_md).toContain(
      '| high | Separate pool for batch jobs | Payments team | 2026-03-16 | in progress |',
    );
    expect(doc.content_md).toContain('| medium | Update the runbook |');
    expect(doc.content_md).toContain('| low | Tidy dashboards |');
    const [message] = markdownMessages(ts);
    expect(markdownText(message!)).toContain('Postmortem');
    expect(h.fake.uploadedFiles().find((f) => f.thread_ts === ts)?.name).toBe(
      `tftsr-postmortem-${shortId(issue.id)}.md`,
    );
    // Resolved: the card now offers the postmortem too.
    expect(JSON.stringify(h.fake.message(channel, ts)!.blocks)).toContain('tftsr.doc.postmortem');
  });

  it('/tftsr rca without an id uses the channel’s single active issue; problems get clear answers', async () => {
    const { issue } = await createIssue('Only issue here sev:low');
    const res = await h.driver.command('rca', { channel_id: channel });
    await h.idle();
    const open = h.fake.callsTo('views.open').find((c) => c.body.trigger_id === res.fields.trigger_id)!;
    expect(JSON.parse(String((open.response!.view as { private_metadata: string }).private_metadata)).i).toBe(issue.id);

    const empty = await h.driver.command('rca', { channel_id: 'C0NOTHING' });
    await h.idle();
    expect(JSON.stringify(h.fake.responsesTo(empty.fields.response_url!))).toContain('no open issue');
    const usage = await h.driver.command('postmortem two words', { channel_id: channel });
    expect(usage.text).toContain('Usage: `/tftsr postmortem [id]`');
    const unknown = await h.driver.command('rca deadbeef', { channel_id: channel });
    await h.idle();
    expect(JSON.stringify(h.fake.responsesTo(unknown.fields.response_url!))).toContain('No issue has an id matching');
  });
});

describe('long documents', () => {
  it('the message holds a summary within 12,000 characters; the file holds the full text', async () => {
    const { issue, ts } = await createIssue('Cascading failure sev:critical');
    const long = (n: number, what: string) => `${what} ${n}: ${'the queue backed up and retries piled on '.repeat(70)}`;
    addWhys(
      issue.id,
      [1, 2, 3, 4, 5].map((n) => ({ q: `Why ${n}?`, a: long(n, 'answer'), e: long(n, 'evidence') })),
    );
    await submit(await clickForModal(ts, 'tftsr.doc.rca'), RCA_FIELDS);
    const doc = docOf(issue.id, 'rca');
    expect(doc.content_md.length).toBeGreaterThan(12_000);
    const [message] = markdownMessages(ts);
    const inline = markdownText(message!);
    expect(inline.length).toBeLessThanOrEqual(12_000);
    expect(inline).toContain('# Root Cause Analysis');
    expect(inline).toContain('attached Markdown file');
    expect(JSON.stringify(message!.blocks)).toContain('summary only');
    const file = h.fake.uploadedFiles().find((f) => f.thread_ts === ts)!;
    expect(file.content.toString('utf8')).toBe(doc.content_md);
    const post = h.store.audit.list({ entityId: doc.id, action: 'doc_post' })[0]!;
    expect(JSON.parse(post.details!)).toMatchObject({ truncated: true, sha256: sha256Hex(inline) });
  });
});

describe('redaction', () => {
  it('PII in the title, description, whys and modal fields never reaches Slack or the uploaded files', async () => {
    const planted = [
      'jane.roe@example.com',
      '4111 1111 1111 1111',
      '203.0.113.77',
      'ops.lead@example.org',
      '198.51.100.23',
      'oncall.bob@example.net',
      '5500 0000 0000 0004',
      'carol.owner@example.com',
    ];
    const before = h.fake.calls.length;
    const filesBefore = h.fake.uploadedFiles().length;
    const { issue, ts } = await createIssue('Login failures for jane.roe@example.com sev:high');
    h.store.issues.update(issue.id, { description: 'Customer card 4111 1111 1111 1111 from 203.0.113.77 rejected' });
    addWhys(issue.id, [
      { q: 'Why did logins fail?', a: 'The SSO proxy rejected ops.lead@example.org', e: 'deny from 198.51.100.23' },
    ]);
    await submit(await clickForModal(ts, 'tftsr.doc.rca'), {
      corrective_actions_immediate: 'Unblocked oncall.bob@example.net',
      lessons_learned: 'Never paste card 5500 0000 0000 0004 into tickets',
    });
    await h.driver.command(`status resolved ${shortId(issue.id)}`, { channel_id: channel });
    await h.idle();
    await submit(await clickForModal(ts, 'tftsr.doc.postmortem'), {
      impact: 'Users like jane.roe@example.com could not log in',
      action_items: 'high | Rotate SSO keys | carol.owner@example.com | 2026-04-01',
    });

    const sent = h.fake.calls
      .slice(before)
      .map((c) => JSON.stringify(c.body))
      .join('\n');
    const files = h.fake
      .uploadedFiles()
      .slice(filesBefore)
      .map((f) => `${f.name}\n${f.title}\n${f.content.toString('utf8')}`)
      .join('\n');
    expect(h.fake.uploadedFiles().slice(filesBefore)).toHaveLength(2);
    expect(markdownMessages(ts)).toHaveLength(2);
    expect(sent).toContain('[Email]');
    expect(files).toContain('[Email]');
    for (const value of planted) {
      expect(sent).not.toContain(value);
      expect(files).not.toContain(value);
      expect(h.fake.allOutgoingText()).not.toContain(value);
    }
    // Stored documents are built from the same redacted text.
    for (const doc of h.store.documents.listByIssue(issue.id)) {
      for (const value of planted) expect(doc.content_md).not.toContain(value);
    }
  });
});

describe('untrusted input and failures', () => {
  it('forged private_metadata (unknown issue, garbage, another team) → error in the modal, nothing written', async () => {
    const { issue, ts } = await createIssue('Forgery target sev:low');
    const view = await clickForModal(ts, 'tftsr.doc.rca');
    const postsBefore = h.fake.callsTo('chat.postMessage').length;
    const uploadsBefore = h.fake.callsTo('files.getUploadURLExternal').length;
    const auditBefore = h.store.audit.list({ limit: 10_000 }).length;

    const forged = [
      JSON.stringify({ i: '01890000-0000-7000-8000-000000000000', t: 'rca' }),
      JSON.stringify({ i: issue.id, t: 'novel' }),
      'not json at all',
      JSON.stringify({ i: issue.id }),
    ];
    for (const metadata of forged) {
      const res = await submit({ ...view, private_metadata: metadata }, RCA_FIELDS);
      expect(res.json).toMatchObject({ response_action: 'errors' });
    }
    const otherTeam = new SlackDriver({
      url: `${h.baseUrl}/slack/events`,
      signingSecret: TEST_SIGNING_SECRET,
      fake: h.fake,
      teamId: 'T0OTHERTEAM',
    });
    const cross = await submit(view, RCA_FIELDS, otherTeam);
    expect(cross.json).toMatchObject({ response_action: 'errors' });
    expect(JSON.stringify(cross.json)).toContain('not in this workspace');

    expect(h.store.documents.listByIssue(issue.id)).toEqual([]);
    expect(h.store.audit.list({ limit: 10_000 })).toHaveLength(auditBefore);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(postsBefore);
    expect(h.fake.callsTo('files.getUploadURLExternal')).toHaveLength(uploadsBefore);
  });

  it('upload failure (not_in_channel) → clear ephemeral, document kept, message withdrawn, no doc_post', async () => {
    const { issue, ts } = await createIssue('Upload breaks sev:medium');
    h.fake.fail('files.completeUploadExternal', { error: 'not_in_channel' });
    await submit(await clickForModal(ts, 'tftsr.doc.rca'), RCA_FIELDS);

    const doc = docOf(issue.id, 'rca');
    expect(doc).toBeDefined();
    expect(h.store.audit.list({ entityId: doc.id }).map((a) => a.action)).toEqual(['doc_generate']);
    expect(markdownMessages(ts)).toEqual([]);
    expect(h.fake.callsTo('chat.delete').length).toBeGreaterThan(0);
    const notice = h.fake.ephemerals.filter((e) => e.user === 'U0ALICE' && e.channel === channel).at(-1)!;
    expect(notice.text).toContain('generated and saved');
    expect(notice.text).toContain('not posted');
    expect(notice.text).toContain('/invite @TFTSR');
    expect(notice.text).toContain(`/tftsr rca ${shortId(issue.id)}`);
  });

  it('a 5xx from completeUploadExternal is not retried (Slack may have shared the file already)', async () => {
    const { issue, ts } = await createIssue('Upload 5xx sev:medium');
    const before = h.fake.callsTo('files.completeUploadExternal').length;
    h.fake.fail('files.completeUploadExternal', { status: 500 });
    await submit(await clickForModal(ts, 'tftsr.doc.rca'), RCA_FIELDS);
    expect(h.fake.callsTo('files.completeUploadExternal')).toHaveLength(before + 1);
    const doc = docOf(issue.id, 'rca');
    expect(h.store.audit.list({ entityId: doc.id }).map((a) => a.action)).toEqual(['doc_generate']);
    const notice = h.fake.ephemerals.filter((e) => e.user === 'U0ALICE' && e.channel === channel).at(-1)!;
    expect(notice.text).toContain('not posted');
  });

  it('posting failure → the document is stored, the person is told it was generated but not posted', async () => {
    const { issue, ts } = await createIssue('Post breaks sev:medium');
    const view = await clickForModal(ts, 'tftsr.doc.rca');
    h.fake.fail('chat.postMessage', { error: 'is_archived' });
    await submit(view, RCA_FIELDS);
    const doc = docOf(issue.id, 'rca');
    expect(doc.content_md).toContain('Killed the report job');
    expect(h.store.audit.list({ entityId: doc.id }).map((a) => a.action)).toEqual(['doc_generate']);
    expect(
      h.fake
        .callsTo('files.getUploadURLExternal')
        .filter((c) => c.body.filename === `tftsr-rca-${shortId(issue.id)}.md`),
    ).toEqual([]);
    const notice = h.fake.ephemerals.filter((e) => e.channel === channel).at(-1)!;
    expect(notice.text).toContain('generated and saved');
    expect(notice.text).toContain('archived');
  });
});
