import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AiConfig } from '../../src/ai/config.js';
import { AiProviderError } from '../../src/ai/errors.js';
import { backoffDelay, createProvider, parseRetryAfterMs } from '../../src/ai/providers/index.js';
import { API_KEY, fastTransport, testAiConfig } from './helpers.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

/** The provider config the tests use (test host, planted key, 3 retries) with overrides. */
const config = (over: Partial<AiConfig>): AiConfig => testAiConfig({ maxRetries: 3, ...over });

interface Case {
  name: string;
  config: AiConfig;
  origin: string;
  path: string;
  keyHeader: string;
  keyValue: string;
  reply: (text: string) => object;
  checkBody: (body: Record<string, unknown>) => void;
}

const CASES: Case[] = [
  {
    name: 'openai',
    config: config({}),
    origin: 'https://llm.test',
    path: '/v1/chat/completions',
    keyHeader: 'authorization',
    keyValue: `Bearer ${API_KEY}`,
    reply: (text) => ({
      choices: [{ message: { role: 'assistant', content: text } }],
      usage: { prompt_tokens: 120, completion_tokens: 7 },
    }),
    checkBody: (b) =>
      expect(b).toEqual({
        model: 'test-model',
        max_tokens: 256,
        stream: false,
        messages: [
          { role: 'system', content: 'SYS' },
          { role: 'user', content: 'hello' },
        ],
      }),
  },
  {
    name: 'azure-openai',
    config: config({
      baseUrl: 'https://acme.openai.azure.com/openai/deployments/gpt4o',
      azure: true,
      apiVersion: '2024-10-21',
    }),
    origin: 'https://acme.openai.azure.com',
    path: '/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21',
    keyHeader: 'api-key',
    keyValue: API_KEY,
    reply: (text) => ({
      choices: [{ message: { content: text } }],
      usage: { prompt_tokens: 120, completion_tokens: 7 },
    }),
    checkBody: (b) => expect(b).toMatchObject({ messages: [{ role: 'system' }, { role: 'user', content: 'hello' }] }),
  },
  {
    name: 'anthropic',
    config: config({ provider: 'anthropic', baseUrl: 'https://anthropic.test' }),
    origin: 'https://anthropic.test',
    path: '/v1/messages',
    keyHeader: 'x-api-key',
    keyValue: API_KEY,
    reply: (text) => ({
      type: 'message',
      content: [{ type: 'text', text }],
      usage: { input_tokens: 120, output_tokens: 7 },
    }),
    checkBody: (b) =>
      expect(b).toEqual({
        model: 'test-model',
        system: 'SYS',
        max_tokens: 256,
        messages: [{ role: 'user', content: 'hello' }],
      }),
  },
  {
    name: 'ollama',
    config: config({ provider: 'ollama', baseUrl: 'http://ollama.test:11434' }),
    origin: 'http://ollama.test:11434',
    path: '/api/chat',
    keyHeader: 'authorization',
    keyValue: `Bearer ${API_KEY}`,
    reply: (text) => ({
      message: { role: 'assistant', content: text },
      done: true,
      prompt_eval_count: 120,
      eval_count: 7,
    }),
    checkBody: (b) =>
      expect(b).toEqual({
        model: 'test-model',
        stream: false,
        options: { num_predict: 256 },
        messages: [
          { role: 'system', content: 'SYS' },
          { role: 'user', content: 'hello' },
        ],
      }),
  },
];

const REQUEST = { system: 'SYS', messages: [{ role: 'user' as const, content: 'hello' }], maxTokens: 256 };

function expectNoKey(err: unknown) {
  expect(err).toBeInstanceOf(AiProviderError);
  const e = err as AiProviderError;
  expect(`${e.message} ${JSON.stringify(e)} ${String(e.stack)}`).not.toContain(API_KEY);
}

describe.each(CASES)('$name client', (c) => {
  it('sends the request in the API shape, the key only in its header, and reads text and usage', async () => {
    const seen: { headers: Record<string, string>; body: Record<string, unknown>; uri: string }[] = [];
    nock(c.origin)
      .post(c.path)
      .reply(function (uri, body) {
        seen.push({ headers: this.req.headers as Record<string, string>, body: body as Record<string, unknown>, uri });
        return [200, c.reply('Because the key rotated.')];
      });
    const provider = createProvider(c.config, fastTransport().overrides);
    expect(provider.name).toBe(c.name);
    const res = await provider.chat(REQUEST);
    expect(res).toEqual({
      text: 'Because the key rotated.',
      usage: { promptTokens: 120, completionTokens: 7 },
      attempts: 1,
    });
    expect(seen).toHaveLength(1);
    const req = seen[0]!;
    c.checkBody(req.body);
    expect(req.headers[c.keyHeader]).toBe(c.keyValue);
    if (c.name === 'anthropic') expect(req.headers['anthropic-version']).toBe('2023-06-01');
    const elsewhere = Object.entries(req.headers)
      .filter(([k]) => k !== c.keyHeader)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n');
    expect(elsewhere).not.toContain(API_KEY);
    expect(JSON.stringify(req.body)).not.toContain(API_KEY);
    expect(req.uri).not.toContain(API_KEY);
    for (const other of ['authorization', 'x-api-key', 'api-key'].filter((h) => h !== c.keyHeader)) {
      expect(req.headers[other]).toBeUndefined();
    }
  });

  it('waits as told by Retry-After on 429, then succeeds', async () => {
    nock(c.origin)
      .post(c.path)
      .reply(429, { error: { type: 'rate_limit_error', message: 'slow down' } }, { 'retry-after': '2' })
      .post(c.path)
      .reply(200, c.reply('ok'));
    const t = fastTransport();
    const res = await createProvider(c.config, t.overrides).chat(REQUEST);
    expect(res.text).toBe('ok');
    expect(res.attempts).toBe(2);
    expect(t.waits).toEqual([2000]);
  });

  it('retries 5xx with exponential backoff, then fails with a clear error', async () => {
    nock(c.origin)
      .post(c.path)
      .times(4)
      .reply(503, { error: { code: 'overloaded', message: `echo: hello` } });
    const t = fastTransport();
    const err = await createProvider(c.config, t.overrides)
      .chat(REQUEST)
      .catch((e: unknown) => e);
    expectNoKey(err);
    const e = err as AiProviderError;
    expect(e).toMatchObject({ kind: 'unavailable', status: 503, attempts: 4, code: 'overloaded', provider: c.name });
    expect(e.message).toBe(
      `The AI provider (${c.name}) is unavailable (HTTP 503, overloaded) after 4 attempts. Try again later.`,
    );
    expect(e.message).not.toContain('hello');
    expect(t.waits).toEqual([1, 2, 4]);
    expect(nock.isDone()).toBe(true);
  });
});

describe('transport', () => {
  const c = CASES[0]!;

  it('does not retry other 4xx, and never repeats the provider error text (it may echo the prompt)', async () => {
    nock(c.origin)
      .post(c.path)
      .reply(400, { error: { message: 'context too long: hello SECRET PROMPT', type: 'invalid_request_error' } });
    const t = fastTransport();
    const err = (await createProvider(c.config, t.overrides)
      .chat(REQUEST)
      .catch((e: unknown) => e)) as AiProviderError;
    expectNoKey(err);
    expect(err).toMatchObject({ kind: 'bad_request', status: 400, attempts: 1, code: 'invalid_request_error' });
    expect(err.message).not.toMatch(/hello|SECRET PROMPT/);
    expect(t.waits).toEqual([]);
  });

  it('reports rejected credentials as auth, without retrying', async () => {
    nock(c.origin)
      .post(c.path)
      .reply(401, { error: { message: `Incorrect API key provided: ${API_KEY}` } });
    const err = await createProvider(c.config, fastTransport().overrides)
      .chat(REQUEST)
      .catch((e: unknown) => e);
    expectNoKey(err);
    expect(err).toMatchObject({ kind: 'auth', status: 401, attempts: 1 });
    expect((err as Error).message).toMatch(/TFTSR_AI_API_KEY/);
  });

  it('times out without retrying (nock delays beyond the timeout)', async () => {
    nock(c.origin).post(c.path).delay(1000).reply(200, c.reply('late'));
    const t = fastTransport();
    const started = Date.now();
    const err = await createProvider(config({ timeoutMs: 50 }), t.overrides)
      .chat(REQUEST)
      .catch((e: unknown) => e);
    expectNoKey(err);
    expect(err).toMatchObject({ kind: 'timeout', attempts: 1 });
    expect((err as Error).message).toMatch(/did not answer in time.*TFTSR_AI_TIMEOUT_MS/);
    expect(Date.now() - started).toBeLessThan(900);
    expect(t.waits).toEqual([]);
  });

  it('retries network errors, then succeeds', async () => {
    nock(c.origin).post(c.path).replyWithError('socket hang up').post(c.path).reply(200, c.reply('ok'));
    const t = fastTransport();
    const res = await createProvider(c.config, t.overrides).chat(REQUEST);
    expect(res).toMatchObject({ text: 'ok', attempts: 2 });
    expect(t.waits).toEqual([1]);
  });

  it('gives up at once when Retry-After is longer than it is willing to wait', async () => {
    nock(c.origin).post(c.path).reply(429, {}, { 'retry-after': '3600' });
    const t = fastTransport();
    const err = await createProvider(c.config, t.overrides)
      .chat(REQUEST)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'rate_limited', attempts: 1, retryAfterSeconds: 3600 });
    expect((err as Error).message).toMatch(/Try again in about 3600 s/);
    expect(t.waits).toEqual([]);
  });

  it('reports an unreadable answer, and honours a caller abort', async () => {
    nock(c.origin).post(c.path).reply(200, 'not json');
    await expect(createProvider(c.config, fastTransport().overrides).chat(REQUEST)).rejects.toMatchObject({
      kind: 'bad_response',
    });
    nock(c.origin).post(c.path).reply(200, { choices: [] });
    await expect(createProvider(c.config, fastTransport().overrides).chat(REQUEST)).rejects.toMatchObject({
      kind: 'bad_response',
    });
    const aborted = AbortSignal.abort();
    await expect(
      createProvider(c.config, fastTransport().overrides).chat(REQUEST, { signal: aborted }),
    ).rejects.toMatchObject({ kind: 'aborted', attempts: 0 });
  });

  it('estimates usage when an OpenAI-compatible server reports none; Ollama sends no auth header without a key', async () => {
    nock(c.origin)
      .post(c.path)
      .reply(200, { choices: [{ message: { content: '12345678' } }] });
    const res = await createProvider(c.config, fastTransport().overrides).chat(REQUEST);
    expect(res.usage).toEqual({ promptTokens: 2, completionTokens: 2, estimated: true });

    let headers: Record<string, unknown> = {};
    nock('http://ollama.test:11434')
      .post('/api/chat')
      .reply(function () {
        headers = this.req.headers;
        return [200, { message: { content: 'ok' } }];
      });
    await createProvider(
      config({ provider: 'ollama', baseUrl: 'http://ollama.test:11434/api', apiKey: undefined }),
      fastTransport().overrides,
    ).chat(REQUEST);
    expect(headers.authorization).toBeUndefined();
  });

  it('honours Retry-After on a 503 too', async () => {
    nock(c.origin).post(c.path).reply(503, {}, { 'retry-after': '3' }).post(c.path).reply(200, c.reply('ok'));
    const t = fastTransport();
    await createProvider(c.config, t.overrides).chat(REQUEST);
    expect(t.waits).toEqual([3000]);
  });

  it('sends max_completion_tokens to api.openai.com, max_tokens to compatible servers', async () => {
    let body: Record<string, unknown> = {};
    nock('https://api.openai.com')
      .post('/v1/chat/completions', (b) => {
        body = b;
        return true;
      })
      .reply(200, c.reply('ok'));
    await createProvider(config({ baseUrl: 'https://api.openai.com/v1' }), fastTransport().overrides).chat(REQUEST);
    expect(body.max_completion_tokens).toBe(256);
    expect(body.max_tokens).toBeUndefined();
  });

  it('backoff doubles with jitter up to the cap; Retry-After reads seconds, milliseconds and dates', () => {
    const opts = { timeoutMs: 1, maxRetries: 5, backoffBaseMs: 100, backoffMaxMs: 1000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, { ...opts, random: () => 0 }))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3].map((n) => backoffDelay(n, { ...opts, random: () => 1 }))).toEqual([100, 200, 400]);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '1.5' }), now)).toBe(1500);
    expect(parseRetryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now)).toBe(5000);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfterMs(new Headers(), now)).toBeUndefined();
  });
});
