import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AI_DISABLED_HELP } from '../../src/ai/index.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import type { AssistantSetup } from '../../src/services/ai.js';
import { splitMessage } from '../../src/slack/flows/ask.js';
import { parseAsk } from '../../src/slack/listeners/commands/ask.js';
import { type SlackHarness, startHarness } from '../support/slack-harness.js';
import { blockIdFor, createIssue, initialOf, openFromCard, short, submitWhy, viewAction } from './whys-support.js';

const AI_ORIGIN = 'https://llm.tftsr-test.invalid';
const AI_PATH = '/v1/chat/completions';
const API_KEY = 'sk-test-ask-7c1d9e0b55aa';
const EMAIL = 'pat.jones@example.com';
const IP = '10.9.8.7';
const AWS = 'AKIAIOSFODNN7EXAMPLE';
const PLANTED = [EMAIL, IP, AWS];

let h: SlackHarness;
let ai: AssistantSetup | null | undefined;
let seq = 0;
let channel: string;

beforeAll(async () => {
  nock.disableNetConnect();
  // The app's receiver and the fake Slack run on loopback; only the AI provider is intercepted.
  nock.enableNetConnect('127.0.0.1');
  h = await startHarness({
    env: {
      TFTSR_AI_PROVIDER: 'openai',
      TFTSR_AI_BASE_URL: `${AI_ORIGIN}/v1`,
      TFTSR_AI_MODEL: 'test-model',
      TFTSR_AI_API_KEY: API_KEY,
      TFTSR_AI_MAX_RETRIES: '0',
      TFTSR_AI_TIMEOUT_MS: '2000',
    },
  });
  ai = h.tftsr.ctx.ai;
});
afterAll(async () => {
  await h?.close();
  nock.cleanAll();
  nock.enableNetConnect();
});
beforeEach(() => {
  seq += 1;
  channel = `C0ASK${seq}`;
  h.tftsr.ctx.ai = ai;
});
afterEach(() => {
  nock.cleanAll();
});

/** Intercepts one chat completion; records the request body. */
function provider(reply: string | { status: number }, times = 1) {
  const bodies: string[] = [];
  nock(AI_ORIGIN)
    .post(AI_PATH)
    .times(times)
    .reply((_uri, body) => {
      bodies.push(typeof body === 'string' ? body : JSON.stringify(body));
      if (typeof reply !== 'string') return [reply.status, { error: { message: `echo ${EMAIL}` } }];
      return [
        200,
        { choices: [{ message: { content: reply } }], usage: { prompt_tokens: 100, completion_tokens: 20 } },
      ];
    });
  return bodies;
}

async function ask(text: string, ch = channel) {
  const res = await h.driver.command(text, { channel_id: ch });
  await h.idle();
  const replies = h.fake.responsesTo(res.fields.response_url!).map((r) => String(r.body.text));
  return { res, replies };
}

const thread = (ts: string) => h.fake.messagesIn(channel, ts).map((m) => m.text ?? '');

/** An issue whose title and first why carry planted PII. */
async function issueWithPii() {
  const created = await createIssue(h, channel, `Login fails for ${EMAIL} sev:high`);
  h.store.steps.save({
    issue_id: created.issue.id,
    step_order: 1,
    why_question: `Why did ${IP} refuse logins?`,
    answer: `The key ${AWS} expired`,
  });
  return created;
}

describe('/tftsr ask', () => {
  it('answers in the issue thread; the provider sees only redacted text; Slack sees no planted value', async () => {
    const { issue, ts } = await issueWithPii();
    const bodies = provider(`Check the rotation job. It was run by ${EMAIL}.`);
    const { res, replies } = await ask(`ask why did ${EMAIL} lose access from ${IP}?`);
    expect(res.status).toBe(200);
    expect(replies).toEqual([]);
    expect(bodies).toHaveLength(1);
    for (const value of PLANTED) expect(bodies[0]).not.toContain(value);
    expect(bodies[0]).toContain('[Email]');

    const lines = thread(ts);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(`<@U0ALICE> asked the assistant about \`${short(issue)}\``);
    expect(lines[0]).not.toContain('thinking');
    expect(lines[1]).toContain('Check the rotation job. It was run by [Email].');
    const outgoing = h.fake.allOutgoingText();
    for (const value of [...PLANTED, API_KEY]) expect(outgoing).not.toContain(value);
    const audit = h.store.audit.list({ entityId: issue.id, action: 'ai_send' });
    expect(JSON.parse(audit[0]!.details!)).toMatchObject({ kind: 'ask', outcome: 'answered' });
  });

  it('a long answer is split into several thread replies under Slack’s limits', async () => {
    const { ts } = await createIssue(h, channel, 'Long answer sev:low');
    const paragraph = `${'word '.repeat(300).trim()}.`;
    provider(Array.from({ length: 8 }, () => paragraph).join('\n\n'));
    await ask('ask explain everything');
    const lines = thread(ts).slice(1);
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(3600);
    expect(lines.at(-1)).toContain(`(${lines.length}/${lines.length})`);
  });

  it('a provider error is explained in the thread (no provider text), with the issue named by id elsewhere', async () => {
    const { issue, ts } = await createIssue(h, channel, 'Provider down sev:low');
    provider({ status: 503 });
    await ask(`ask id:${short(issue)} what broke?`, 'C0SOMEWHEREELSE');
    const lines = thread(ts);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('is unavailable (HTTP 503)');
    expect(h.fake.allOutgoingText()).not.toContain(EMAIL);
  });

  it('no question → usage in the ack; no issue in the channel → the usual answer', async () => {
    const usage = await h.driver.command('ask', { channel_id: channel });
    expect(String(usage.json?.text)).toContain('/tftsr ask [id:<id>] <question>');
    const { replies } = await ask('ask anything?', 'C0EMPTYASK');
    expect(replies.join()).toContain('no open issue');
  });

  it('with the assistant off: an ephemeral with the setup help, nothing posted, nothing sent', async () => {
    h.tftsr.ctx.ai = null;
    const { ts } = await createIssue(h, channel, 'No AI here sev:low');
    const bodies = provider('never');
    const res = await h.driver.command('ask why?', { channel_id: channel });
    await h.idle();
    expect(res.json).toMatchObject({ response_type: 'ephemeral', text: AI_DISABLED_HELP });
    expect(thread(ts)).toEqual([]);
    expect(bodies).toEqual([]);
  });
});

describe('Suggest in the why modal', () => {
  it('fills the question from the assistant, keeps the typed answer’s block, and the prompt is redacted', async () => {
    const { issue, ts } = await issueWithPii();
    const view = await openFromCard(h, channel, ts);
    expect(view.title.text).toBe('Why 2 of 5');
    expect(JSON.stringify(view.blocks)).toContain('tftsr.whys.suggest');
    const bodies = provider('Why 2: Why was the key not rotated before it expired?');
    const answerBlock = blockIdFor(view, 'why_answer');
    await viewAction(
      h,
      view,
      { type: 'button', action_id: 'tftsr.whys.suggest', value: 'suggest' },
      { values: { [answerBlock]: { why_answer: { type: 'plain_text_input', value: 'typed so far' } } } },
    );
    for (const value of PLANTED) expect(bodies[0]).not.toContain(value);
    const update = h.fake.callsTo('views.update').at(-1)!;
    expect(update.body.view_id).toBe(view.id);
    expect(update.response?.ok).toBe(true);
    const updated = { ...(update.response!.view as typeof view), id: view.id };
    expect(initialOf(updated, 'why_question')).toBe('Why was the key not rotated before it expired?');
    // A new question block id (so Slack shows the suggestion); the answer keeps its id (so Slack keeps the typing).
    expect(blockIdFor(updated, 'why_question')).not.toBe(blockIdFor(view, 'why_question'));
    expect(blockIdFor(updated, 'why_answer')).toBe(answerBlock);
    expect(JSON.stringify(updated.blocks)).toContain('Your typed answer and evidence are kept');

    const { next } = await submitWhy(h, updated, { answer: 'No rotation alarm' });
    expect(next!.title.text).toBe('Why 3 of 5');
    expect(h.store.steps.listByIssue(issue.id)[1]).toMatchObject({
      why_question: 'Why was the key not rotated before it expired?',
      answer: 'No rotation alarm',
    });
    const outgoing = h.fake.allOutgoingText();
    for (const value of [...PLANTED, API_KEY]) expect(outgoing).not.toContain(value);
  });

  it('a failed suggestion says why in the modal and keeps the question as it was', async () => {
    const { ts } = await createIssue(h, channel, 'Suggest fails sev:low');
    const view = await openFromCard(h, channel, ts);
    provider({ status: 429 });
    await viewAction(h, view, { type: 'button', action_id: 'tftsr.whys.suggest', value: 'suggest' });
    const updated = h.fake.callsTo('views.update').at(-1)!.response!.view as typeof view;
    expect(JSON.stringify(updated.blocks)).toContain('rate-limiting');
    expect(blockIdFor(updated, 'why_question')).toBe(blockIdFor(view, 'why_question'));
  });
});

describe('TFTSR_AI_* at startup', () => {
  const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };

  it('is off without TFTSR_AI_PROVIDER, and built from the variables otherwise', () => {
    expect(loadConfig(base).ai).toBeNull();
    const config = loadConfig({ ...base, TFTSR_AI_PROVIDER: 'ollama', TFTSR_AI_MODEL: 'llama3.1' });
    expect(config.ai).toMatchObject({ provider: 'ollama', model: 'llama3.1' });
  });

  it('reports TFTSR_AI_* problems together with the other startup problems, never echoing values', () => {
    let error: unknown;
    try {
      loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', TFTSR_AI_PROVIDER: 'anthropic', TFTSR_AI_TIMEOUT_MS: 'soon' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('SLACK_SIGNING_SECRET');
    expect(problems).toContain('TFTSR_AI_MODEL is required');
    expect(problems).toContain('TFTSR_AI_API_KEY is required for anthropic');
    expect(problems).toContain('TFTSR_AI_TIMEOUT_MS');
    expect(problems).not.toContain('soon');
  });
});

describe('ask helpers', () => {
  it('parseAsk takes an id:<id> at either end; everything else is the question', () => {
    expect(parseAsk('ask id:1a2b3c4d why did it fail?')).toEqual({
      question: 'why did it fail?',
      fragment: '1a2b3c4d',
    });
    expect(parseAsk('ask why did it fail? id:1a2b')).toEqual({ question: 'why did it fail?', fragment: '1a2b' });
    expect(parseAsk('ask is &lt;none&gt; &amp; ok')).toEqual({ question: 'is <none> & ok' });
    expect(parseAsk('ask')).toEqual({ question: '' });
  });

  it('splitMessage keeps every piece under the limit, preferring paragraph and line ends', () => {
    const text = ['a'.repeat(60), 'b'.repeat(60), 'c'.repeat(60)].join('\n\n');
    expect(splitMessage(text, 130)).toEqual([`${'a'.repeat(60)}\n\n${'b'.repeat(60)}`, 'c'.repeat(60)]);
    const word = splitMessage('x'.repeat(250), 100);
    expect(word.map((w) => w.length)).toEqual([100, 100, 50]);
    expect(splitMessage('short')).toEqual(['short']);
  });
});
