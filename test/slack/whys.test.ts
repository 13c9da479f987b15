import { describe, expect, it } from 'vitest';
import { type SlackHarness, useSlackHarness } from '../support/slack-harness.js';
import {
  backTo,
  blockIdFor,
  createIssue,
  initialOf,
  metaOf,
  openFromCard,
  openFromCommand,
  short,
  submitWhy,
  type View,
  viewAction,
  whyValues,
} from './whys-support.js';

let h: SlackHarness;
let channel: string;
useSlackHarness('C0WHY', (state) => {
  ({ h, channel } = state);
});

const replies = (ts: string) => h.fake.messagesIn(channel, ts);
const rows = (issueId: string) => h.store.steps.listByIssue(issueId);
const auditActions = (issueId: string) =>
  h.store.audit
    .list({ entityId: issueId })
    .map((a) => a.action)
    .filter((a) => a !== 'issue_create');
const buttonIds = (blocks: unknown) =>
  JSON.stringify(blocks ?? [])
    .match(/"action_id":"[^"]+"/g)
    ?.map((s) => s.slice(13, -1)) ?? [];

describe('5 Whys: the modal sequence', () => {
  it('open → five submissions: five rows (1–5), five thread lines, the whole chain with Generate RCA', async () => {
    const { issue, ts } = await createIssue(h, channel, 'Checkout down sev:high');
    let view = await openFromCard(h, channel, ts);
    expect(view.title.text).toBe('Why 1 of 5');
    expect(view.callback_id).toBe('tftsr.whys.step');
    expect(initialOf(view, 'why_question')).toBe('Why did "Checkout down" happen?');
    expect(metaOf(view)).toEqual({ i: issue.id, s: 1 });

    const answers = [
      'The payment pods crashed.',
      'Their memory limit was too low',
      'Nobody resized it after traffic grew',
      'There is no capacity review',
      'Capacity planning has no owner',
    ];
    for (const [i, answer] of answers.entries()) {
      expect(view.title.text).toBe(`Why ${i + 1} of 5`);
      // Each step shows the chain so far.
      for (const earlier of answers.slice(0, i)) expect(JSON.stringify(view.blocks)).toContain(earlier);
      const { json, next } = await submitWhy(h, view, { answer, evidence: i === 0 ? 'Grafana: OOMKilled' : '' });
      expect(json.response_action).toBe('update');
      view = next!;
    }
    // The next question is derived from the last answer.
    expect(rows(issue.id)[1]!.why_question).toBe('Why the payment pods crashed?');
    expect(rows(issue.id).map((r) => [r.step_order, r.answer])).toEqual(answers.map((a, i) => [i + 1, a.trim()]));
    expect(rows(issue.id)[0]!.evidence).toBe('Grafana: OOMKilled');

    expect(view.title.text).toBe('5 Whys complete');
    const lines = replies(ts);
    expect(lines).toHaveLength(5);
    expect(lines[1]!.text).toContain('*Why 2:* Why the payment pods crashed? → Their memory limit was too low');
    expect(lines[4]!.text).toContain('Root cause (why 5): Capacity planning has no owner');
    expect(buttonIds(lines[4]!.blocks)).toEqual(['tftsr.doc.rca']);
    expect(JSON.stringify(lines[4]!.blocks)).toContain(`"value":"${issue.id}"`);
    expect(auditActions(issue.id)).toEqual([...answers.map(() => 'why_step_saved'), 'root_cause_identified']);
  });

  it('Root cause found at why 3 stops the chain there', async () => {
    const { issue, ts } = await createIssue(h, channel, 'Search slow sev:medium');
    let view = await openFromCard(h, channel, ts);
    view = (await submitWhy(h, view, { answer: 'Index rebuilt at noon' })).next!;
    view = (await submitWhy(h, view, { answer: 'A cron ran in business hours' })).next!;
    const { next } = await submitWhy(h, view, { answer: 'The cron schedule used UTC', rootCause: true });
    expect(next!.title.text).toBe('5 Whys complete');
    expect(rows(issue.id)).toHaveLength(3);
    const marks = h.store.audit.list({ entityId: issue.id, action: 'root_cause_identified' });
    expect(marks.map((m) => JSON.parse(m.details!))).toMatchObject([{ step_order: 3, explicit: true }]);
    const lines = replies(ts);
    expect(lines).toHaveLength(3);
    expect(lines[2]!.text).toContain('Root cause (why 3): The cron schedule used UTC');
    expect(buttonIds(lines[2]!.blocks)).toEqual(['tftsr.doc.rca']);
  });

  it('closing keeps the saved steps; /tftsr whys continues at the next one; a finished chain reopens for editing', async () => {
    const { issue, ts } = await createIssue(h, channel, 'Emails delayed sev:low');
    let view = await openFromCard(h, channel, ts);
    view = (await submitWhy(h, view, { answer: 'The queue backed up' })).next!;
    await submitWhy(h, view, { answer: 'A consumer was stuck' });
    // Closed here (Slack sends view_closed only if notify_on_close; nothing to do).

    const resumed = await openFromCommand(h, channel, 'whys');
    expect(resumed.view?.title.text).toBe('Why 3 of 5');
    expect(initialOf(resumed.view!, 'why_question')).toBe('Why a consumer was stuck?');
    expect(JSON.stringify(resumed.view!.blocks)).toContain('The queue backed up');

    const done = (await submitWhy(h, resumed.view!, { answer: 'A poison message', rootCause: true })).next!;
    expect(done.title.text).toBe('5 Whys complete');
    // By id from another channel, and the finished chain opens at its root cause, prefilled.
    const again = await openFromCommand(h, 'C0ELSEWHERE', `whys ${short(issue)}`);
    expect(again.view?.title.text).toBe('Why 3 of 5');
    expect(initialOf(again.view!, 'why_answer')).toBe('A poison message');
    expect(JSON.stringify(again.view!.blocks)).toContain('"initial_options"');
  });

  it('Back edits step 2: saved values prefilled, overwrite reported in the thread, then on to step 3', async () => {
    const { issue, ts } = await createIssue(h, channel, 'Login loop sev:high');
    let view = await openFromCard(h, channel, ts);
    view = (await submitWhy(h, view, { answer: 'Cookies were rejected' })).next!;
    view = (await submitWhy(h, view, { answer: 'The domain changed', evidence: 'HAR file' })).next!;
    view = (await submitWhy(h, view, { answer: 'DNS migration' })).next!;
    expect(view.title.text).toBe('Why 4 of 5');

    const step2 = await backTo(h, view, 2);
    expect(step2.title.text).toBe('Why 2 of 5');
    expect(initialOf(step2, 'why_answer')).toBe('The domain changed');
    expect(initialOf(step2, 'why_evidence')).toBe('HAR file');
    // New block ids per step: Slack does not carry step 4's typed text into step 2.
    expect(blockIdFor(step2, 'why_answer')).not.toBe(blockIdFor(view, 'why_answer'));

    const { next } = await submitWhy(
      h,
      { ...step2, id: view.id },
      { answer: 'The cookie domain was hard-coded', evidence: 'HAR file' },
      'U0BOB',
    );
    expect(next!.title.text).toBe('Why 3 of 5');
    expect(initialOf(next!, 'why_answer')).toBe('DNS migration');
    expect(rows(issue.id).map((r) => r.answer)).toEqual([
      'Cookies were rejected',
      'The cookie domain was hard-coded',
      'DNS migration',
    ]);
    const last = replies(ts).at(-1)!.text!;
    expect(last).toContain('<@U0BOB> replaced *Why 2:*');
    expect(last).toContain('The cookie domain was hard-coded');
    expect(last).toContain('_Before:_');
    expect(last).toContain('The domain changed');
    const audit = h.store.audit.list({ entityId: issue.id, action: 'why_step_saved' });
    expect(JSON.parse(audit.at(-1)!.details!)).toMatchObject({ step_order: 2, edited: true, overwritten: true });
  });

  it('the finished chain’s summary offers “edit a step”, which reopens that step prefilled', async () => {
    const { ts } = await createIssue(h, channel, 'Summary edit sev:low');
    let view = await openFromCard(h, channel, ts);
    view = (await submitWhy(h, view, { answer: 'First answer' })).next!;
    const summary = (await submitWhy(h, view, { answer: 'Second answer', rootCause: true })).next!;
    expect(summary.callback_id).toBe('tftsr.whys.summary');
    expect(JSON.stringify(summary.blocks)).toContain('tftsr.whys.back');
    const step1 = await backTo(h, summary, 1);
    expect(step1.title.text).toBe('Why 1 of 5');
    expect(initialOf(step1, 'why_answer')).toBe('First answer');
  });

  it('two people on one step: the last write wins and the earlier answer is shown in the thread', async () => {
    const { issue, ts } = await createIssue(h, channel, 'Race sev:low');
    const alice = await openFromCard(h, channel, ts, 'U0ALICE');
    const bob = await openFromCard(h, channel, ts, 'U0BOB');
    await submitWhy(h, alice, { answer: 'Alice thinks: disk full' });
    await submitWhy(h, bob, { answer: 'Bob thinks: log rotation off' }, 'U0BOB');
    expect(rows(issue.id).map((r) => r.answer)).toEqual(['Bob thinks: log rotation off']);
    const lines = replies(ts).map((m) => m.text!);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('<@U0BOB> replaced');
    expect(lines[1]).toContain('Alice thinks: disk full');
  });
});

describe('5 Whys: validation and forged forms', () => {
  it('an empty answer and an over-long one come back as field errors; nothing is written', async () => {
    const { issue, ts } = await createIssue(h, channel, 'Validation sev:low');
    const view = await openFromCard(h, channel, ts);
    const empty = await submitWhy(h, view, { answer: '   ' });
    expect(empty.json).toEqual({
      response_action: 'errors',
      errors: { [blockIdFor(view, 'why_answer')]: 'An answer is required.' },
    });
    const long = await submitWhy(h, view, { answer: 'x'.repeat(3001) });
    expect(long.json.errors?.[blockIdFor(view, 'why_answer')]).toContain('3000');
    const noQuestion = await submitWhy(h, view, { question: ' ', answer: 'ok' });
    expect(Object.keys(noQuestion.json.errors ?? {})).toEqual([blockIdFor(view, 'why_question')]);
    expect(rows(issue.id)).toEqual([]);
    expect(auditActions(issue.id)).toEqual([]);
    expect(replies(ts)).toEqual([]);
  });

  it('forged private_metadata (unknown issue, out-of-range step, skipped step, not JSON, other team) → errors, nothing written', async () => {
    const { issue, ts } = await createIssue(h, channel, 'Forgery sev:low');
    const view = await openFromCard(h, channel, ts);
    const answerBlock = blockIdFor(view, 'why_answer');
    const forged = (private_metadata: string): View => ({ ...view, private_metadata });
    const cases = [
      forged(JSON.stringify({ i: '0190a5d4-0000-7000-8000-000000000000', s: 1 })),
      forged(JSON.stringify({ i: issue.id, s: 6 })),
      forged(JSON.stringify({ i: issue.id, s: 0 })),
      forged(JSON.stringify({ i: issue.id, s: 1, extra: 'x' })),
      forged('{not json'),
      forged(''),
    ];
    for (const v of cases) {
      const { json } = await submitWhy(h, v, { answer: 'forged' });
      expect(json.response_action, v.private_metadata).toBe('errors');
      expect(json.errors?.[answerBlock] ?? Object.values(json.errors ?? {})[0]).toContain('does not match an issue');
    }
    // A step ahead of the chain (why 3 before why 1) is refused by the service.
    const skipped = await submitWhy(h, forged(JSON.stringify({ i: issue.id, s: 3 })), { answer: 'forged' });
    expect(Object.values(skipped.json.errors ?? {}).join()).toContain('Answer why 1 before why 3');

    // The right issue, but submitted from another workspace.
    const other = await h.driver.interactive({
      type: 'view_submission',
      team: { id: 'T0OTHERTEAM', domain: 'other' },
      user: { id: 'U0MALLORY', username: 'mallory', team_id: 'T0OTHERTEAM' },
      api_app_id: 'A0TFTSR',
      token: 'deprecated-verification-token',
      trigger_id: '1.2',
      view: { ...view, team_id: 'T0OTHERTEAM', state: { values: whyValues(view, { answer: 'forged' }) } },
    });
    expect((other.json as { response_action?: string }).response_action).toBe('errors');
    await h.idle();

    expect(rows(issue.id)).toEqual([]);
    expect(auditActions(issue.id)).toEqual([]);
    expect(replies(ts)).toEqual([]);
  });

  it('a Start 5 Whys button naming another team’s or an unknown issue opens nothing', async () => {
    const foreign = h.store.issues.create({ title: 'Theirs', severity: 'low' });
    h.store.slackThreads.bind({
      issue_id: foreign.id,
      team_id: 'T0OTHERTEAM',
      channel_id: channel,
      thread_ts: '1700000000.000001',
      created_by: 'U0X',
    });
    const before = h.fake.callsTo('views.open').length;
    for (const id of [foreign.id, '0190a5d4-0000-7000-8000-000000000000']) {
      const button = {
        type: 'button',
        action_id: 'tftsr.whys.start',
        value: id,
        text: { type: 'plain_text', text: 'x' },
      };
      const res = await h.driver.clickButton(
        { channel, ts: '1700000000.000002', blocks: [{ type: 'actions', elements: [button] }] },
        'tftsr.whys.start',
      );
      await h.idle();
      expect(JSON.stringify(h.fake.responsesTo(res.responseUrl))).toContain('another workspace');
    }
    expect(h.fake.callsTo('views.open')).toHaveLength(before);
  });

  it('a closed issue answers ephemerally instead of opening the modal', async () => {
    const { issue } = await createIssue(h, channel, 'Closed one sev:low');
    h.store.issues.updateStatus(issue.id, 'closed');
    const { view, replies: r } = await openFromCommand(h, channel, `whys ${short(issue)}`);
    expect(view).toBeUndefined();
    expect(r.join()).toContain('is closed');
  });

  it('without an id and several active issues, lists them; a bad argument gets the usage', async () => {
    await createIssue(h, channel, 'One sev:low');
    await createIssue(h, channel, 'Two sev:low');
    expect((await openFromCommand(h, channel, 'whys')).replies.join()).toContain('Several issues match');
    const bad = await h.driver.command('whys not-an-id', { channel_id: channel });
    expect(bad.json).toMatchObject({ response_type: 'ephemeral' });
    expect(String(bad.json?.text)).toContain('/tftsr whys [id]');
  });
});

describe('5 Whys: redaction', () => {
  const EMAIL = 'jane.doe@example.com';
  const IP = '10.20.30.40';
  const AWS = 'AKIAIOSFODNN7EXAMPLE';

  it('PII typed in answers is stored as typed and appears in no Slack call (thread lines, modals, chain)', async () => {
    const { issue, ts } = await createIssue(h, channel, 'Gateway errors sev:high');
    let view = await openFromCard(h, channel, ts);
    view = (
      await submitWhy(h, view, {
        answer: `Requests from ${EMAIL} at ${IP} failed`,
        evidence: `key ${AWS} in the log`,
      })
    ).next!;
    // The derived question carries the answer: redacted in the modal …
    expect(initialOf(view, 'why_question')).not.toContain(EMAIL);
    expect(initialOf(view, 'why_question')).toContain('[');
    view = (await submitWhy(h, view, { answer: `The key ${AWS} was revoked` })).next!;
    // … and saved unchanged, it is stored as the original (not its redacted form).
    expect(rows(issue.id)[1]!.why_question).toBe(`Why requests from ${EMAIL} at ${IP} failed?`);

    // Back to step 1: prefilled redacted; re-saved unchanged, the stored original stays.
    const step1 = await backTo(h, view, 1);
    expect(initialOf(step1, 'why_answer')).not.toContain(EMAIL);
    await submitWhy(
      h,
      { ...step1, id: view.id },
      {
        answer: initialOf(step1, 'why_answer')!,
        evidence: initialOf(step1, 'why_evidence')!,
        rootCause: true,
      },
    );

    const stored = rows(issue.id);
    expect(stored[0]!.answer).toBe(`Requests from ${EMAIL} at ${IP} failed`);
    expect(stored[0]!.evidence).toBe(`key ${AWS} in the log`);
    expect(stored[1]!.answer).toBe(`The key ${AWS} was revoked`);
    expect(replies(ts).length).toBe(3);
    const outgoing = h.fake.allOutgoingText();
    for (const planted of [EMAIL, IP, AWS]) {
      expect(outgoing).not.toContain(planted);
      expect(h.logs.join('\n')).not.toContain(planted);
    }
  });
});

describe('5 Whys: cited logs', () => {
  it('the modal offers the issue’s logs; cited ones are stored in the evidence and reselected on edit', async () => {
    const { issue, ts } = await createIssue(h, channel, 'With logs sev:low');
    const log = h.store.logFiles.create({ issue_id: issue.id, file_name: 'api.log', file_path: '/x/api.log' });
    let view = await openFromCard(h, channel, ts);
    expect(JSON.stringify(view.blocks)).toContain('api.log');
    view = (await submitWhy(h, view, { answer: 'Timeouts', evidence: 'p99 spike', logs: [log.id] })).next!;
    expect(rows(issue.id)[0]!.evidence).toBe(`p99 spike\nCited logs: api.log (#${log.id.replace(/-/g, '').slice(-8)})`);
    const step1 = await backTo(h, view, 1);
    expect(initialOf(step1, 'why_evidence')).toBe('p99 spike');
    expect(JSON.stringify(step1.blocks)).toContain('"initial_options"');

    // A log id that is not this issue's is refused on the logs field.
    const { json } = await submitWhy(
      h,
      { ...step1, id: view.id },
      { answer: 'Timeouts', logs: ['0190a5d4-0000-7000-8000-000000000000'] },
    );
    expect(json.errors?.[blockIdFor(step1, 'why_logs')]).toContain('not attached');
  });

  it('no Suggest button while the assistant is off', async () => {
    const { ts } = await createIssue(h, channel, 'No AI sev:low');
    const view = await openFromCard(h, channel, ts);
    expect(JSON.stringify(view.blocks)).not.toContain('tftsr.whys.suggest');
    // A forged Suggest click redraws the modal with the "not enabled" note.
    await viewAction(h, view, { type: 'button', action_id: 'tftsr.whys.suggest', value: 'suggest' });
    const update = h.fake.callsTo('views.update').at(-1)!;
    expect(JSON.stringify(update.body.view)).toContain('not enabled');
  });
});
