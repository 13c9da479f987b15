import { describe, expect, it, vi } from 'vitest';
import { shortId } from '../../src/store/index.js';
import { openIssueIn, type SlackHarness, useSlackHarness } from '../support/slack-harness.js';

let h: SlackHarness;
let channel: string;
useSlackHarness('C0LIFE', (state) => {
  ({ h, channel } = state);
});

const createIssue = (text: string, ch = channel) => openIssueIn(h, ch, text);

async function run(text: string, ch = channel, user = 'U0ALICE') {
  const res = await h.driver.command(text, { channel_id: ch, user_id: user });
  await h.idle();
  const replies = h.fake.responsesTo(res.fields.response_url!).map((r) => r.body);
  return { res, replies, text: replies.map((r) => `${String(r.text)}\n${JSON.stringify(r.blocks ?? [])}`).join('\n') };
}

const threadLines = (ts: string, ch = channel) => h.fake.messagesIn(ch, ts).map((m) => m.text ?? '');
const cardJson = (ts: string, ch = channel) => JSON.stringify(h.fake.message(ch, ts)?.blocks);

describe('status / assign / tag / severity from the channel', () => {
  it('applies to the channel’s single active issue: card updated, one thread line, audit with the user', async () => {
    const { issue, ts } = await createIssue('Payments failing sev:high');
    await run('status investigating', channel, 'U0BOB');
    expect(h.store.issues.require(issue.id).status).toBe('investigating');
    expect(cardJson(ts)).toContain('*Status:* investigating');
    expect(threadLines(ts)).toEqual(['<@U0BOB> set status to *investigating* (was open).']);

    await run('status resolved');
    const resolved = h.store.issues.require(issue.id);
    expect(resolved.status).toBe('resolved');
    expect(resolved.resolved_at).not.toBeNull();
    expect(cardJson(ts)).toContain('tftsr.issue.reopen');

    const audit = h.store.audit.list({ entityId: issue.id, action: 'status_change' });
    expect(audit.map((a) => [a.user_id, JSON.parse(a.details!)])).toEqual([
      ['U0BOB', { from: 'open', to: 'investigating' }],
      ['U0ALICE', { from: 'investigating', to: 'resolved' }],
    ]);
  });

  it('assign, severity and tag each change the row, the card and the thread', async () => {
    const { issue, ts } = await createIssue('Slow search sev:low');
    await run('assign <@U0CAROL|carol>');
    await run('severity critical');
    await run('tag search latency');
    await run('tag -latency');
    const after = h.store.issues.require(issue.id);
    expect(after).toMatchObject({ assigned_to: 'U0CAROL', severity: 'critical', tags: ['search'] });
    expect(cardJson(ts)).toContain('<@U0CAROL>');
    expect(cardJson(ts)).toContain('*Severity:* critical');
    expect(threadLines(ts)).toEqual([
      '<@U0ALICE> assigned the issue to <@U0CAROL>.',
      '<@U0ALICE> changed severity to *critical* (was low).',
      '<@U0ALICE> set tags to `search` `latency`.',
      '<@U0ALICE> set tags to `search`.',
    ]);
    const actions = h.store.audit.list({ entityId: issue.id }).map((a) => a.action);
    expect(actions).toEqual(['issue_create', 'assign', 'severity_change', 'tag', 'tag']);
  });

  it('an unchanged value says so and writes nothing', async () => {
    const { issue, ts } = await createIssue('Nothing changes sev:medium');
    const { text } = await run('severity medium');
    expect(text).toContain('already *medium*');
    expect(threadLines(ts)).toEqual([]);
    expect(h.store.audit.list({ entityId: issue.id })).toHaveLength(1);
  });

  it('with several active issues in the channel, lists them and changes nothing', async () => {
    const a = await createIssue('First sev:low');
    await createIssue('Second sev:low');
    const { text } = await run('status resolved');
    expect(text).toContain('Several issues match');
    expect(text).toContain(shortId(a.issue.id));
    expect(h.store.issues.require(a.issue.id).status).toBe('open');
  });

  it('with an explicit id, works from any channel', async () => {
    const { issue, ts } = await createIssue('Elsewhere sev:low');
    await run(`status closed ${shortId(issue.id)}`, 'C0OTHER');
    expect(h.store.issues.require(issue.id).status).toBe('closed');
    expect(threadLines(ts)).toHaveLength(1);
  });

  it('an unknown id or an empty channel gets a clear answer', async () => {
    expect((await run('status resolved deadbeef')).text).toContain('No issue has an id matching');
    expect((await run('assign <@U0X>', 'C0EMPTY')).text).toContain('no open issue');
  });

  it('a Slack failure after the change keeps the change and says what happened', async () => {
    const { issue } = await createIssue('Card gone sev:low');
    h.fake.fail('chat.update', { error: 'message_not_found' });
    const { text } = await run('status investigating');
    expect(h.store.issues.require(issue.id).status).toBe('investigating');
    expect(text).toContain('saved, but Slack did not show it everywhere');
  });
});

describe('unexpected failures after the ack', () => {
  it('a store error during a change is reported to the person; nothing is half-applied', async () => {
    const { issue, ts } = await createIssue('Store breaks sev:low');
    const spy = vi.spyOn(h.store.audit, 'append').mockImplementation(() => {
      throw new Error('disk I/O error');
    });
    try {
      const { text } = await run('status investigating');
      expect(text).toContain('failed and nothing was changed');
    } finally {
      spy.mockRestore();
    }
    // The status update and its audit entry were one transaction: both rolled back.
    expect(h.store.issues.require(issue.id).status).toBe('open');
    expect(threadLines(ts)).toEqual([]);
    expect(h.logs.join('\n')).toContain('"err_name":"Error"');
  });
});

describe('card buttons', () => {
  it('Investigating / Resolve / Close buttons change status via the issue id in value', async () => {
    const { issue, ts } = await createIssue('Button driven sev:high');
    const card = () => ({ channel, ts, blocks: h.fake.message(channel, ts)!.blocks! });
    const r1 = await h.driver.clickButton(card(), 'tftsr.issue.investigate', { id: 'U0DAVE' });
    expect(r1.status).toBe(200);
    await h.idle();
    expect(h.store.issues.require(issue.id).status).toBe('investigating');
    await h.driver.clickButton(card(), 'tftsr.issue.resolve');
    await h.idle();
    expect(h.store.issues.require(issue.id).resolved_at).not.toBeNull();
    await h.driver.clickButton(card(), 'tftsr.issue.close');
    await h.idle();
    expect(h.store.issues.require(issue.id).status).toBe('closed');
    expect(threadLines(ts)).toHaveLength(3);
    expect(h.store.audit.list({ entityId: issue.id, action: 'status_change' })[0]!.user_id).toBe('U0DAVE');
  });

  it('Generate RCA opens the RCA form (the document flow is tested in doc-post.test.ts)', async () => {
    const { issue, ts } = await createIssue('Not yet sev:low');
    const res = await h.driver.clickButton(
      { channel, ts, blocks: h.fake.message(channel, ts)!.blocks! },
      'tftsr.doc.rca',
    );
    await h.idle();
    expect(res.status).toBe(200);
    const view = h.fake.callsTo('views.open').at(-1)?.body.view as { callback_id?: string; private_metadata?: string };
    expect(view.callback_id).toBe('tftsr.doc.details');
    expect(JSON.parse(view.private_metadata ?? '{}')).toEqual({ i: issue.id, t: 'rca' });
    expect(h.fake.responsesTo(res.responseUrl)).toEqual([]);
  });
});

describe('list / search / show', () => {
  it('list shows open issues with links to their threads; all and sev: filter', async () => {
    const { issue, ts } = await createIssue('Listed issue sev:critical');
    const { text } = await run('list');
    expect(text).toContain('Listed issue');
    expect(text).toContain(`${h.fake.teamUrl}archives/${channel}/p${ts.replace('.', '')}|${shortId(issue.id)}`);
    await run(`status closed ${shortId(issue.id)}`);
    expect((await run('list')).text).not.toContain('Listed issue');
    expect((await run('list all sev:critical')).text).toContain('Listed issue');
    expect((await run('list all sev:low')).text).not.toContain('Listed issue');
  });

  it('search finds by words with snippets; show gives one issue', async () => {
    const { issue } = await createIssue('Kafka consumer lag sev:medium');
    h.store.issues.update(issue.id, { description: 'Partition rebalancing storms after the broker upgrade' });
    const search = await run('search rebalancing broker');
    expect(search.text).toContain('Kafka consumer lag');
    expect(search.text).toContain('*rebalancing*');
    const show = await run(`show ${shortId(issue.id)}`);
    expect(show.text).toContain('Kafka consumer lag');
    expect(show.text).toContain('Partition rebalancing storms');
    expect(show.replies[0]!.response_type).toBe('ephemeral');
    expect((await run('search zzzznothing')).text).toContain('No issues match');
  });

  it('redacts free text from the store before it reaches Slack (show, search, list, card updates)', async () => {
    const { issue, ts } = await createIssue('Login failures for jane.roe@example.com sev:high');
    h.store.issues.update(issue.id, { description: 'Customer card 4111 1111 1111 1111 from 203.0.113.77 rejected' });
    const before = h.fake.allOutgoingText().length;
    await run(`show ${shortId(issue.id)}`);
    await run('search customer rejected');
    await run('list');
    await run('status investigating');
    const sent = h.fake.allOutgoingText().slice(before);
    expect(sent).toContain('[Email]');
    for (const secret of ['jane.roe@example.com', '4111 1111 1111 1111', '203.0.113.77']) {
      expect(sent).not.toContain(secret);
    }
    expect(JSON.stringify(h.fake.message(channel, ts)?.blocks)).not.toContain('jane.roe@example.com');
    expect(h.logs.join('\n')).not.toContain('jane.roe');
  });

  it('escapes mrkdwn control characters so titles cannot ping channels', async () => {
    const { issue } = await createIssue('Broken <!channel> & stuff sev:low');
    expect(issue.title).toBe('Broken <!channel> & stuff');
    const { text } = await run(`show ${shortId(issue.id)}`);
    expect(text).toContain('&lt;!channel&gt; &amp; stuff');
    expect(text).not.toContain('<!channel>');
  });

  it('bare /tftsr and unknown subcommands answer usage ephemerally', async () => {
    const bare = await h.driver.command('', { channel_id: channel });
    expect(String(bare.json?.text)).toContain('/tftsr list');
    const unknown = await h.driver.command('frobnicate', { channel_id: channel });
    expect(String(unknown.json?.text)).toContain('Unknown subcommand');
  });
});

describe('App Home', () => {
  it('publishes open issues by severity, mine, recent RCAs; an event retry publishes once', async () => {
    const { issue } = await createIssue('Home visible sev:critical <@U0HOME>');
    const sent = await h.driver.event({ type: 'app_home_opened', user: 'U0HOME', channel: 'D0HOME', tab: 'home' });
    expect(sent.status).toBe(200);
    await h.idle();
    const view = JSON.stringify(h.fake.published.get('U0HOME'));
    expect(view).toContain('Home visible');
    expect(view).toContain('Assigned to me');
    expect(view).toContain('Recent RCAs');
    expect(view).toContain(shortId(issue.id));
    const publishes = () => h.fake.callsTo('views.publish').filter((c) => c.body.user_id === 'U0HOME').length;
    expect(publishes()).toBe(1);
    await h.driver.event(
      { type: 'app_home_opened', user: 'U0HOME', channel: 'D0HOME', tab: 'home' },
      { eventId: sent.eventId, retryNum: 1 },
    );
    await h.idle();
    expect(publishes()).toBe(1);
  });
});

describe('message shortcut "Add to TFTSR issue"', () => {
  it('in an issue thread: posts the redacted message as evidence and audits it without content', async () => {
    const { issue, ts } = await createIssue('Evidence target sev:high');
    const res = await h.driver.messageShortcut('tftsr.evidence.add', {
      channel,
      ts: '1700000999.000100',
      thread_ts: ts,
      text: 'db error for user bob.smith@example.org at 198.51.100.23',
    });
    expect(res.status).toBe(200);
    await h.idle();
    const evidence = threadLines(ts).find((l) => l.includes('as evidence'))!;
    expect(evidence).toContain('[Email]');
    expect(evidence).not.toContain('bob.smith@example.org');
    expect(evidence).not.toContain('198.51.100.23');
    const [entry] = h.store.audit.list({ entityId: issue.id, action: 'evidence_add' });
    expect(JSON.parse(entry!.details!)).toMatchObject({ channel_id: channel, message_ts: '1700000999.000100' });
    expect(entry!.details).not.toContain('example.org');

    // The same message again is recognised.
    const again = await h.driver.messageShortcut('tftsr.evidence.add', {
      channel,
      ts: '1700000999.000100',
      thread_ts: ts,
      text: 'db error',
    });
    await h.idle();
    expect(JSON.stringify(h.fake.responsesTo(again.responseUrl))).toContain('already evidence');
    expect(h.store.audit.list({ entityId: issue.id, action: 'evidence_add' })).toHaveLength(1);
  });

  it('outside an issue thread: opens the create modal prefilled with the redacted message; submit creates it', async () => {
    const res = await h.driver.messageShortcut('tftsr.evidence.add', {
      channel,
      ts: '1700001000.000200',
      text: 'Checkout 502s for carol@example.net\nsince deploy 42',
    });
    await h.idle();
    const open = h.fake.callsTo('views.open').find((c) => c.body.trigger_id === res.triggerId)!;
    const view = open.response!.view as Record<string, unknown>;
    expect(JSON.stringify(view)).toContain('Checkout 502s for [Email]');
    expect(JSON.stringify(view)).not.toContain('carol@example.net');
    await h.driver.submitView(view, {
      title: { title_input: { value: 'Checkout 502s for [Email]' } },
      severity: { severity_select: { selected_option: { value: 'high' } } },
      description: { description_input: { value: 'Checkout 502s for [Email]\nsince deploy 42' } },
    });
    await h.idle();
    const [id] = h.store.slackThreads.findActiveInChannel(h.driver.teamId, channel);
    expect(h.store.audit.list({ entityId: id!, action: 'evidence_add' })).toHaveLength(1);
  });
});
