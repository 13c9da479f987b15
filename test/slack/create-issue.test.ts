import { describe, expect, it } from 'vitest';
import { shortId } from '../../src/store/index.js';
import type { RecordedCall } from '../support/fake-slack.js';
import { type SlackHarness, useSlackHarness } from '../support/slack-harness.js';

let h: SlackHarness;
let channel: string;
useSlackHarness('C0CREATE', (state) => {
  ({ h, channel } = state);
});

const issuesIn = (ch: string) =>
  h.store.slackThreads.findActiveInChannel(h.driver.teamId, ch).map((id) => h.store.issues.require(id));
const postsTo = (ch: string) => h.fake.callsTo('chat.postMessage').filter((c) => c.body.channel === ch);
const ephemeralTexts = (responseUrl: string) => h.fake.responsesTo(responseUrl).map((r) => String(r.body.text));
const actionIds = (blocks: unknown[] | undefined) =>
  (blocks as { type: string; elements?: { action_id: string; value: string }[] }[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? []);

/** The values Slack sends for the create modal, by block and action id. */
function formValues(v: {
  title?: string;
  severity?: string;
  description?: string;
  tags?: string;
  category?: string;
  assignee?: string;
}) {
  return {
    title: { title_input: { type: 'plain_text_input', value: v.title ?? null } },
    severity: {
      severity_select: { type: 'static_select', selected_option: v.severity ? { value: v.severity } : null },
    },
    category: { category_input: { type: 'plain_text_input', value: v.category ?? null } },
    description: { description_input: { type: 'plain_text_input', value: v.description ?? null } },
    tags: { tags_input: { type: 'plain_text_input', value: v.tags ?? null } },
    assignee: { assignee_select: { type: 'users_select', selected_user: v.assignee ?? null } },
  };
}

async function openModal(title = ''): Promise<Record<string, unknown>> {
  const res = await h.driver.command(`new ${title}`.trim(), { channel_id: channel });
  expect(res.status).toBe(200);
  await h.idle();
  const open = h.fake.callsTo('views.open').find((c) => c.body.trigger_id === res.fields.trigger_id) as RecordedCall;
  expect(open?.response?.ok).toBe(true);
  return open.response?.view as Record<string, unknown>;
}

describe('/tftsr new — quick form', () => {
  it('creates the issue row, posts the card, binds the thread and audits, in one go', async () => {
    const res = await h.driver.command('new Database primary down sev:high cat:database tag:db,prod <@U0BOB|bob>', {
      channel_id: channel,
      channel_name: 'incidents',
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe(''); // plain ack: the card is the answer
    await h.idle();

    const [issue, ...others] = issuesIn(channel);
    expect(others).toHaveLength(0);
    expect(issue).toMatchObject({
      title: 'Database primary down',
      severity: 'high',
      status: 'open',
      category: 'database',
      tags: ['db', 'prod'],
      assigned_to: 'U0BOB',
    });
    expect(issue!.source).toContain('#incidents');
    expect(issue!.source).toContain(channel);

    const thread = h.store.slackThreads.findByIssue(issue!.id)!;
    expect(thread).toMatchObject({ team_id: h.driver.teamId, channel_id: channel, created_by: 'U0ALICE' });
    const card = h.fake.message(channel, thread.thread_ts!)!;
    expect(card).toBeDefined();
    expect(JSON.stringify(card.blocks)).toContain('Database primary down');
    expect(JSON.stringify(card.blocks)).toContain(shortId(issue!.id));
    const buttons = actionIds(card.blocks);
    expect(buttons.map((b) => b.action_id)).toEqual([
      'tftsr.issue.investigate',
      'tftsr.issue.resolve',
      'tftsr.issue.close',
      'tftsr.whys.start',
      'tftsr.doc.rca',
    ]);
    expect(new Set(buttons.map((b) => b.value))).toEqual(new Set([issue!.id]));

    const audit = h.store.audit.list({ entityId: issue!.id });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'issue_create', entity_type: 'issue', user_id: 'U0ALICE' });
    expect(audit[0]!.details).not.toContain('Database');
  });

  it('answers a bad severity ephemerally in the ack and stores nothing', async () => {
    const res = await h.driver.command('new Disk full sev:urgent', { channel_id: channel });
    expect(res.status).toBe(200);
    expect(res.json?.response_type).toBe('ephemeral');
    expect(String(res.json?.text)).toContain('critical, high, medium, low');
    await h.idle();
    expect(issuesIn(channel)).toHaveLength(0);
    expect(postsTo(channel)).toHaveLength(0);
  });

  it('answers an invalid tag ephemerally and stores nothing', async () => {
    const res = await h.driver.command(`new Disk full sev:low tag:${'x'.repeat(60)}`, { channel_id: channel });
    expect(String(res.json?.text)).toMatch(/Issue not created:[\s\S]*tags/);
    await h.idle();
    expect(issuesIn(channel)).toHaveLength(0);
  });
});

describe('/tftsr new — modal', () => {
  it('opens the modal with the title prefilled, and a submit creates row + card', async () => {
    const view = await openModal('Checkout errors');
    expect(view.callback_id).toBe('tftsr.issue.create');
    expect(String((view.title as { text: string }).text).length).toBeLessThanOrEqual(24);
    expect(JSON.stringify(view.blocks)).toContain('"initial_value":"Checkout errors"');

    const res = await h.driver.submitView(
      view,
      formValues({
        title: 'Checkout errors',
        severity: 'critical',
        description: 'HTTP 500 on /checkout since 10:02',
        tags: 'payments, web',
        category: 'web',
        assignee: 'U0CAROL',
      }),
    );
    expect(res.status).toBe(200);
    expect(res.text).toBe(''); // empty ack closes the modal
    await h.idle();

    const [issue] = issuesIn(channel);
    expect(issue).toMatchObject({
      title: 'Checkout errors',
      severity: 'critical',
      description: 'HTTP 500 on /checkout since 10:02',
      tags: ['payments', 'web'],
      category: 'web',
      assigned_to: 'U0CAROL',
    });
    const thread = h.store.slackThreads.findByIssue(issue!.id)!;
    expect(h.fake.message(channel, thread.thread_ts!)?.blocks).toBeDefined();
  });

  it('answers validation errors with response_action: errors on the right blocks and stores nothing', async () => {
    const view = await openModal();
    const res = await h.driver.submitView(
      view,
      formValues({ title: '   ', severity: 'high', tags: `ok ${'y'.repeat(51)}` }),
    );
    expect(res.status).toBe(200);
    expect(res.json?.response_action).toBe('errors');
    const errors = res.json?.errors as Record<string, string>;
    expect(Object.keys(errors).sort()).toEqual(['tags', 'title']);
    expect(errors.title).toMatch(/title is required/);
    await h.idle();
    expect(issuesIn(channel)).toHaveLength(0);
    expect(postsTo(channel)).toHaveLength(0);
  });

  it('rejects a submission whose private_metadata was tampered with', async () => {
    const view = await openModal('x');
    const res = await h.driver.submitView(
      { ...view, private_metadata: '{"c":"not a channel"}' },
      formValues({ title: 'x', severity: 'low' }),
    );
    expect(res.json?.response_action).toBe('errors');
  });

  it('a double-clicked submit (same view id and hash) creates one issue and one card', async () => {
    const view = await openModal();
    const values = formValues({ title: 'Double click', severity: 'medium' });
    const [a, b] = await Promise.all([h.driver.submitView(view, values), h.driver.submitView(view, values)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await h.idle();
    expect(issuesIn(channel)).toHaveLength(1);
    expect(postsTo(channel)).toHaveLength(1);
  });

  it('tells the person when the form could not be opened (expired trigger)', async () => {
    h.fake.fail('views.open', { error: 'expired_trigger_id' });
    const res = await h.driver.command('new', { channel_id: channel });
    await h.idle();
    expect(ephemeralTexts(res.fields.response_url!).join()).toContain('took too long');
  });
});

describe('duplicate deliveries', () => {
  it('the same command delivered twice creates one issue and says so the second time', async () => {
    const first = await h.driver.command('new Cache stampede sev:medium', { channel_id: channel });
    await h.idle();
    const again = await h.driver.command('new Cache stampede sev:medium', { ...first.fields });
    await h.idle();
    expect(again.status).toBe(200);
    const issues = issuesIn(channel);
    expect(issues).toHaveLength(1);
    expect(postsTo(channel)).toHaveLength(1);
    expect(ephemeralTexts(first.fields.response_url!).join()).toContain(
      `${shortId(issues[0]!.id)}\` was already created`,
    );
  });

  it('concurrent copies of one command create one issue', async () => {
    const fields = h.driver.commandFields('new Queue backlog sev:low', { channel_id: channel });
    await Promise.all([1, 2, 3].map(() => h.driver.command('', fields)));
    await h.idle();
    expect(issuesIn(channel)).toHaveLength(1);
    expect(postsTo(channel)).toHaveLength(1);
  });
});

describe('Slack API errors', () => {
  it('bot not in the channel: an ephemeral how-to-invite, nothing stored; the retry after inviting works', async () => {
    h.fake.addChannel({ id: channel, name: 'secret-ops', is_member: false });
    const res = await h.driver.command('new Outage sev:critical', { channel_id: channel });
    await h.idle();
    expect(ephemeralTexts(res.fields.response_url!).join()).toMatch(/not a member.*\/invite @TFTSR/s);
    expect(issuesIn(channel)).toHaveLength(0);
    expect(h.store.issues.search('Outage')).toHaveLength(0);

    h.fake.addChannel({ id: channel, name: 'secret-ops', is_member: true });
    // The claim was released: the very same delivery now goes through.
    await h.driver.command('', { ...res.fields });
    await h.idle();
    expect(issuesIn(channel)).toHaveLength(1);
  });

  it('modal submitted for a channel the bot left: the person gets a DM from the app, nothing stored', async () => {
    const view = await openModal('Left channel');
    h.fake.addChannel({ id: channel, is_member: false });
    await h.driver.submitView(view, formValues({ title: 'Left channel', severity: 'high' }));
    await h.idle();
    expect(issuesIn(channel)).toHaveLength(0);
    const dm = h.fake.callsTo('chat.postMessage').find((c) => c.body.channel === 'U0ALICE');
    expect(String(dm?.body.text)).toMatch(/Issue not created.*\/invite @TFTSR/s);
  });

  it('channel_not_found (private channel): explains, stores nothing', async () => {
    h.fake.addChannel({ id: channel, is_member: false, is_private: true });
    const res = await h.driver.command('new Hidden sev:low', { channel_id: channel });
    await h.idle();
    expect(ephemeralTexts(res.fields.response_url!).join()).toContain('I cannot see');
    expect(issuesIn(channel)).toHaveLength(0);
  });

  it('429 with Retry-After, then success: waits, retries, creates once', async () => {
    h.fake.fail('chat.postMessage', { status: 429, retryAfter: 1 });
    const started = Date.now();
    await h.driver.command('new Rate limited sev:high', { channel_id: channel });
    await h.idle();
    const posts = postsTo(channel);
    expect(posts.map((p) => p.status)).toEqual([429, 200]);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(900);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(issuesIn(channel)).toHaveLength(1);
  });

  it('5xx on chat.postMessage is not retried (it may have posted): clear message, nothing stored', async () => {
    h.fake.fail('chat.postMessage', { status: 503 });
    const res = await h.driver.command('new Flaky sev:high', { channel_id: channel });
    await h.idle();
    expect(postsTo(channel).map((p) => p.status)).toEqual([503]);
    expect(ephemeralTexts(res.fields.response_url!).join()).toContain('Slack did not answer properly');
    expect(issuesIn(channel)).toHaveLength(0);
  });

  it('5xx on chat.update (safe to repeat) is retried and the card still changes', async () => {
    await h.driver.command('new Update retried sev:low', { channel_id: channel });
    await h.idle();
    const [issue] = issuesIn(channel);
    const ts = h.store.slackThreads.findByIssue(issue!.id)!.thread_ts!;
    h.fake.fail('chat.update', { status: 500 });
    await h.driver.command('status investigating', { channel_id: channel });
    await h.idle();
    const updates = h.fake.callsTo('chat.update').filter((c) => c.body.ts === ts);
    expect(updates.map((u) => u.status)).toEqual([500, 200]);
    expect(JSON.stringify(h.fake.message(channel, ts)?.blocks)).toContain('*Status:* investigating');
  });

  it('when another process records the same delivery first, the posted card is removed and nothing is stored', async () => {
    const fields = h.driver.commandFields('new Raced sev:low', { channel_id: channel });
    const key = `command:${fields.team_id}:${fields.user_id}:${fields.trigger_id}`;
    // The other replica finishes between our chat.postMessage and our transaction.
    h.fake.override('chat.postMessage', () => {
      h.store.slackEvents.claim(key, 'create');
      return { ok: true, channel, ts: '1700009999.000001', message: { type: 'message' } };
    });
    await h.driver.command('', fields);
    await h.idle();
    h.fake.override('chat.postMessage', undefined);
    expect(issuesIn(channel)).toHaveLength(0);
    expect(h.fake.callsTo('chat.delete').map((c) => c.body.ts)).toContain('1700009999.000001');
  });
});
