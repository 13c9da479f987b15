import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AI_DISABLED_HELP, type AiConfig } from '../../src/ai/config.js';
import {
  AiDisabledError,
  AiInputError,
  AiProviderError,
  AiRedactionError,
  aiErrorMessage,
} from '../../src/ai/errors.js';
import { promptSha256 } from '../../src/ai/prompt.js';
import { createProvider } from '../../src/ai/providers/index.js';
import { askAssistant, assistantSetup, promptRedactorFor, suggestNextWhy } from '../../src/services/ai.js';
import { NotFoundError } from '../../src/store/index.js';
import {
  ALL_PII,
  API_KEY,
  type Fixture,
  fastTransport,
  leaks,
  PII,
  redactor,
  seedStore,
  storedAiText,
  testAiConfig,
} from './helpers.js';

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

/** The provider config the tests use (test host, planted key, 2 retries) with overrides. */
const config = (over: Partial<AiConfig>): AiConfig => testAiConfig({ maxRetries: 2, ...over });

const PROVIDERS = [
  {
    name: 'openai',
    config: config({}),
    origin: 'https://llm.test',
    path: '/v1/chat/completions',
    reply: (text: string) => ({
      choices: [{ message: { content: text } }],
      usage: { prompt_tokens: 321, completion_tokens: 12 },
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
    reply: (text: string) => ({
      choices: [{ message: { content: text } }],
      usage: { prompt_tokens: 321, completion_tokens: 12 },
    }),
  },
  {
    name: 'anthropic',
    config: config({ provider: 'anthropic', baseUrl: 'https://anthropic.test' }),
    origin: 'https://anthropic.test',
    path: '/v1/messages',
    reply: (text: string) => ({ content: [{ type: 'text', text }], usage: { input_tokens: 321, output_tokens: 12 } }),
  },
  {
    name: 'ollama',
    config: config({ provider: 'ollama', baseUrl: 'http://ollama.test:11434' }),
    origin: 'http://ollama.test:11434',
    path: '/api/chat',
    reply: (text: string) => ({ message: { content: text }, prompt_eval_count: 321, eval_count: 12 }),
  },
];

let fx: Fixture;
beforeEach(() => {
  fx = seedStore({ logs: 2 });
});
afterEach(() => {
  nock.cleanAll();
  fx.cleanup();
});

/** Log 0 (newest last) is reviewed but its source leaks PII: the final pass must catch it. Log 1 is pending review. */
function excerpts(fixture: Fixture) {
  const [reviewed, pending] = fixture.logs;
  const asked: [string, number][] = [];
  const source = (id: string, maxChars: number) => {
    asked.push([id, maxChars]);
    if (id === pending!.id) return null;
    return `2026-01-01T00:00:00Z ERROR upstream refused ${ALL_PII}\n`;
  };
  return { source, asked, reviewedId: reviewed!.id, pendingId: pending!.id };
}

function capture(origin: string, path: string, reply: object, status = 200) {
  const bodies: string[] = [];
  const headers: Record<string, unknown>[] = [];
  nock(origin)
    .post(path)
    .reply(function (_uri, body) {
      bodies.push(typeof body === 'string' ? body : JSON.stringify(body));
      headers.push(this.req.headers);
      return [status, reply];
    });
  return { bodies, headers };
}

function aiSendAudit(fixture: Fixture) {
  return fixture.store.audit
    .list({ action: 'ai_send', entityId: fixture.issue.id })
    .map((a) => ({ ...a, details: JSON.parse(a.details ?? '{}') as Record<string, unknown> }));
}

function aiRowCount(fixture: Fixture): number {
  const conversations = fixture.store.ai.listConversations(fixture.issue.id);
  return conversations.length + conversations.flatMap((c) => fixture.store.ai.listMessages(c.id)).length;
}

describe.each(PROVIDERS)('askAssistant over $name', (p) => {
  it('sends only redacted text, stores the redacted prompt and answer with token counts, audits without content', async () => {
    // The model echoes a planted value: the answer is redacted before it is stored or returned.
    const sent = capture(p.origin, p.path, p.reply(`Check the key ${PII.aws} used from ${PII.ipv4}.`));
    const ex = excerpts(fx);
    const result = await askAssistant(fx.store, {
      issueId: fx.issue.id,
      userId: 'U0ALICE',
      question: `Why did ${PII.email} see 502s? ${ALL_PII}`,
      provider: createProvider(p.config, fastTransport().overrides),
      redactor,
      getRedactedExcerpt: ex.source,
    });

    // What left: one request, clean, but carrying the context (placeholders, whys, the reviewed excerpt).
    expect(sent.bodies).toHaveLength(1);
    const body = sent.bodies[0]!;
    expect(leaks(body, [API_KEY])).toEqual([]);
    for (const token of ['[Email]', '[IPv4]', '[AWSAccessKey]', '[SlackToken]', '[CreditCard]']) {
      expect(body).toContain(token);
    }
    expect(body).toContain('It was rotated without a deploy');
    expect(body).toContain('upstream refused');
    expect(body).toContain('Severity: high');

    // What came back.
    expect(result.answer).toBe('Check the key [AWSAccessKey] used from [IPv4].');
    expect(result.sentLogIds).toEqual([ex.reviewedId]);
    expect(result.skippedLogIds).toEqual([ex.pendingId]);
    expect(result.usage).toEqual({ promptTokens: 321, completionTokens: 12 });

    // What was stored.
    const [conversation, ...more] = fx.store.ai.listConversations(fx.issue.id);
    expect(more).toEqual([]);
    expect(conversation).toMatchObject({ id: result.conversationId, provider: p.name, model: 'test-model' });
    expect(conversation?.title).toMatch(/^Ask: Why did \[Email\] see 502s\?/);
    const messages = fx.store.ai.listMessages(result.conversationId);
    expect(messages.map((m) => [m.role, m.token_count])).toEqual([
      ['system', 0],
      ['user', 321],
      ['assistant', 12],
    ]);
    expect(messages[2]?.content).toBe(result.answer);
    // The stored prompt is the one sent: its hash is the audited one.
    const system = messages[0]!.content;
    const user = messages[1]!.content;
    expect(promptSha256({ system, messages: [{ role: 'user', content: user }] })).toBe(result.promptSha256);
    expect(body).toContain(JSON.stringify(user).slice(1, 200));

    const [audit, ...moreAudit] = aiSendAudit(fx);
    expect(moreAudit).toEqual([]);
    expect(audit).toMatchObject({ entity_type: 'issue', entity_id: fx.issue.id, user_id: 'U0ALICE' });
    expect(audit?.details).toMatchObject({
      kind: 'ask',
      outcome: 'answered',
      provider: p.name,
      model: 'test-model',
      prompt_sha256: result.promptSha256,
      log_ids: [ex.reviewedId],
      skipped_log_ids: [ex.pendingId],
      prompt_tokens: 321,
      completion_tokens: 12,
      conversation_id: result.conversationId,
      attempts: 1,
    });
    expect(audit?.details.prompt_sha256).toMatch(/^[0-9a-f]{64}$/);
    // No content in the audit: not the question, not a why, not the answer.
    expect(audit?.details ? JSON.stringify(audit.details) : '').not.toMatch(/502s|rotated|Check the key|upstream/);
    expect(leaks(storedAiText(fx.store, fx.issue.id), [API_KEY])).toEqual([]);
    expect(fx.store.verifyAuditChain()).toMatchObject({ ok: true });
  });
});

describe('askAssistant failures', () => {
  const p = PROVIDERS[2]!; // anthropic

  it('429 with Retry-After, then an answer: one set of rows, attempts audited', async () => {
    nock(p.origin)
      .post(p.path)
      .reply(429, { error: { type: 'rate_limit_error' } }, { 'retry-after': '1' })
      .post(p.path)
      .reply(200, p.reply('Rotate keys with a deploy.'));
    const t = fastTransport();
    const result = await askAssistant(fx.store, {
      issueId: fx.issue.id,
      userId: 'U1',
      question: 'What now?',
      provider: createProvider(p.config, t.overrides),
      redactor,
    });
    expect(result.answer).toBe('Rotate keys with a deploy.');
    expect(t.waits).toEqual([1000]);
    expect(aiRowCount(fx)).toBe(4);
    expect(aiSendAudit(fx).map((a) => a.details.attempts)).toEqual([2]);
    // No excerpt source: logs are reported as skipped, nothing of them was sent.
    expect(result.skippedLogIds.sort()).toEqual(fx.logs.map((l) => l.id).sort());
  });

  it('500s until retries run out: a clear error, no conversation rows, a failed ai_send entry', async () => {
    nock(p.origin)
      .post(p.path)
      .times(3)
      .reply(500, { error: { type: 'api_error', message: 'boom' } });
    const err = await askAssistant(fx.store, {
      issueId: fx.issue.id,
      userId: 'U1',
      question: `Is ${PII.email} affected?`,
      provider: createProvider(p.config, fastTransport().overrides),
      redactor,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AiProviderError);
    expect((err as Error).message).toBe(
      'The AI provider (anthropic) is unavailable (HTTP 500, api_error) after 3 attempts. Try again later.',
    );
    expect(leaks(`${(err as Error).message} ${JSON.stringify(err)}`, [API_KEY])).toEqual([]);
    expect(aiRowCount(fx)).toBe(0);
    const audit = aiSendAudit(fx);
    expect(audit.map((a) => a.details)).toEqual([
      expect.objectContaining({ outcome: 'failed', error_kind: 'unavailable', http_status: 500, attempts: 3 }),
    ]);
    expect(leaks(JSON.stringify(audit), [API_KEY])).toEqual([]);
    expect(nock.isDone()).toBe(true);
  });

  it('a timeout: clear error, no rows', async () => {
    nock(p.origin).post(p.path).delay(1000).reply(200, p.reply('late'));
    const err = await askAssistant(fx.store, {
      issueId: fx.issue.id,
      userId: 'U1',
      question: `Token ${PII.slack}?`,
      provider: createProvider(config({ ...p.config, timeoutMs: 50 }), fastTransport().overrides),
      redactor,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'AiProviderError', kind: 'timeout' });
    expect((err as Error).message).toMatch(/did not answer in time/);
    expect(leaks((err as Error).message, [API_KEY])).toEqual([]);
    expect(aiRowCount(fx)).toBe(0);
    expect(aiSendAudit(fx).map((a) => a.details.error_kind)).toEqual(['timeout']);
  });

  it('no provider configured: disabled with the how-to-enable explanation, nothing written', async () => {
    const err = await askAssistant(fx.store, {
      issueId: fx.issue.id,
      userId: 'U1',
      question: 'Anything?',
      provider: null,
      redactor,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AiDisabledError);
    expect((err as Error).message).toBe(AI_DISABLED_HELP);
    await expect(
      suggestNextWhy(fx.store, { issueId: fx.issue.id, userId: 'U1', provider: null, redactor }),
    ).rejects.toBeInstanceOf(AiDisabledError);
    expect(aiRowCount(fx)).toBe(0);
    expect(aiSendAudit(fx)).toEqual([]);
  });

  it('refuses bad input and unknown issues before sending anything', async () => {
    const provider = createProvider(p.config, fastTransport().overrides);
    const base = { issueId: fx.issue.id, userId: 'U1', provider, redactor };
    await expect(askAssistant(fx.store, { ...base, question: '   ' })).rejects.toBeInstanceOf(AiInputError);
    await expect(askAssistant(fx.store, { ...base, question: 'x'.repeat(2001) })).rejects.toBeInstanceOf(AiInputError);
    await expect(askAssistant(fx.store, { ...base, issueId: 'nope', question: 'Why?' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(aiSendAudit(fx)).toEqual([]);
  });

  it('fails closed when the redactor breaks: nothing sent, nothing written', async () => {
    const scope = nock(p.origin).post(p.path).reply(200, p.reply('never'));
    const broken = {
      redactText: () => {
        throw new Error('engine down');
      },
    };
    await expect(
      askAssistant(fx.store, {
        issueId: fx.issue.id,
        userId: 'U1',
        question: 'Why?',
        provider: createProvider(p.config, fastTransport().overrides),
        redactor: broken,
      }),
    ).rejects.toBeInstanceOf(AiRedactionError);
    expect(scope.isDone()).toBe(false);
    expect(aiRowCount(fx)).toBe(0);
    expect(aiSendAudit(fx)).toEqual([]);
  });
});

describe('suggestNextWhy', () => {
  const p = PROVIDERS[0]!; // openai

  it('proposes the next why from the chain and the redacted logs, stored and audited like a question', async () => {
    const sent = capture(p.origin, p.path, p.reply(`Why 3: "Why was the rotation of ${PII.aws} not deployed?"\n`));
    const ex = excerpts(fx);
    const result = await suggestNextWhy(fx.store, {
      issueId: fx.issue.id,
      userId: 'U0BOB',
      provider: createProvider(p.config, fastTransport().overrides),
      redactor,
      getRedactedExcerpt: ex.source,
    });
    expect(result).toMatchObject({
      question: 'Why was the rotation of [AWSAccessKey] not deployed?',
      stepOrder: 3,
      sentLogIds: [ex.reviewedId],
      skippedLogIds: [ex.pendingId],
    });
    const body = sent.bodies[0]!;
    expect(leaks(body, [API_KEY])).toEqual([]);
    expect(body).toContain('Propose Why 3');
    expect(body).toContain('Why 2: Why was the key rejected? token [SlackToken]');
    expect(fx.store.ai.listConversations(fx.issue.id)).toEqual([
      expect.objectContaining({ id: result.conversationId, title: 'Suggest why 3' }),
    ]);
    expect(aiSendAudit(fx).map((a) => a.details)).toEqual([
      expect.objectContaining({ kind: 'suggest_why', outcome: 'answered', prompt_sha256: result.promptSha256 }),
    ]);
    expect(leaks(storedAiText(fx.store, fx.issue.id), [API_KEY])).toEqual([]);
  });

  it('for an explicit step, uses only the whys before it', async () => {
    const sent = capture(p.origin, p.path, p.reply('What changed in the gateway?'));
    const result = await suggestNextWhy(fx.store, {
      issueId: fx.issue.id,
      userId: 'U0BOB',
      stepOrder: 2,
      provider: createProvider(p.config, fastTransport().overrides),
      redactor,
    });
    expect(result.question).toBe('What changed in the gateway?');
    expect(sent.bodies[0]).toContain('Why 1: Why did the gateway at [IPv4] return 502?');
    expect(sent.bodies[0]).toContain('Propose Why 2');
    expect(sent.bodies[0]).not.toContain('Why was the key rejected');
  });

  it('refuses a sixth why, and treats an empty reply as a bad response (no rows)', async () => {
    for (let step = 3; step <= 5; step++) {
      fx.store.steps.save({ issue_id: fx.issue.id, step_order: step, why_question: `Why ${step}?`, answer: 'because' });
    }
    const provider = createProvider(p.config, fastTransport().overrides);
    await expect(suggestNextWhy(fx.store, { issueId: fx.issue.id, userId: 'U1', provider, redactor })).rejects.toThrow(
      /All 5 whys are recorded/,
    );

    capture(p.origin, p.path, p.reply('\n  \n'));
    const err = await suggestNextWhy(fx.store, {
      issueId: fx.issue.id,
      userId: 'U1',
      stepOrder: 5,
      provider,
      redactor,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'bad_response' });
    expect(aiRowCount(fx)).toBe(0);
    expect(aiSendAudit(fx).map((a) => a.details.error_kind)).toEqual(['bad_response']);
  });
});

describe('wiring helpers', () => {
  it('assistantSetup: off without a config, the configured client and limits with one', async () => {
    expect(assistantSetup(null)).toMatchObject({ provider: null });
    const p = PROVIDERS[3]!; // ollama
    const setup = assistantSetup(config({ ...p.config, excerptBudgetChars: 500, maxTokens: 64 }));
    expect(setup).toMatchObject({ excerptBudgetChars: 500, maxTokens: 64 });
    expect(setup.provider).toMatchObject({ name: 'ollama', model: 'test-model' });
    const sent = capture(p.origin, p.path, p.reply('ok'));
    await askAssistant(fx.store, { ...setup, issueId: fx.issue.id, userId: 'U1', question: 'q', redactor });
    expect(JSON.parse(sent.bodies[0]!).options).toEqual({ num_predict: 64 });
  });

  it('promptRedactorFor applies the workspace redact.* settings (a custom rule) to what is sent', async () => {
    fx.store.settings.setJson('redact.custom_rules', [{ name: 'Ticket', pattern: 'TCK-\\d+' }]);
    const p = PROVIDERS[0]!;
    const sent = capture(p.origin, p.path, p.reply('See TCK-999.'));
    const result = await askAssistant(fx.store, {
      ...assistantSetup(p.config, fastTransport().overrides),
      issueId: fx.issue.id,
      userId: 'U1',
      question: `Is TCK-4242 related to ${PII.email}?`,
      redactor: promptRedactorFor(fx.store),
    });
    expect(sent.bodies[0]).toContain('Is [Ticket] related to [Email]?');
    expect(sent.bodies[0]).not.toContain('TCK-4242');
    expect(result.answer).toBe('See [Ticket].');
  });

  it('aiErrorMessage gives our message for assistant errors only', () => {
    expect(aiErrorMessage(new AiDisabledError(AI_DISABLED_HELP))).toBe(AI_DISABLED_HELP);
    expect(aiErrorMessage(new AiProviderError({ kind: 'timeout', provider: 'ollama', attempts: 1 }))).toMatch(
      /did not answer in time/,
    );
    expect(aiErrorMessage(new Error(`db broke near ${PII.email}`))).toBeUndefined();
  });
});
