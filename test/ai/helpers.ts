import type { AiConfig } from '../../src/ai/index.js';
import { Secret } from '../../src/ai/secret.js';
import { createRedactor } from '../../src/redact/index.js';
import { type Issue, type LogFile, openStore, type Store } from '../../src/store/index.js';
import { makeTempDir, TEST_DB_KEY } from '../support/tmp.js';

/** Values planted in every user-written field; none may appear in anything that leaves or is stored for the AI. */
export const PII = {
  email: 'alice.smith@example.com',
  ipv4: '10.42.17.201',
  aws: 'AKIAIOSFODNN7EXAMPLE',
  slack: 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx',
  card: '4111111111111111',
} as const;
export const PLANTED = Object.values(PII);
/** One string carrying all of them, for planting. */
export const ALL_PII = `mail ${PII.email} from ${PII.ipv4} key ${PII.aws} token ${PII.slack} card ${PII.card}`;

export const API_KEY = 'sk-test-SECRET-4fd2a9c7e1b3';

/** An OpenAI-compatible provider config on a test host with the planted key; tests override what they exercise. */
export function testAiConfig(over: Partial<AiConfig> = {}): AiConfig {
  return {
    provider: 'openai',
    baseUrl: 'https://llm.test/v1',
    model: 'test-model',
    apiKey: new Secret(API_KEY),
    azure: false,
    apiVersion: undefined,
    timeoutMs: 2000,
    maxRetries: 3,
    maxTokens: 256,
    excerptBudgetChars: 1000,
    ...over,
  };
}

/** The planted values (and the API key) found in `text`, if any. */
export function leaks(text: string, extra: string[] = []): string[] {
  return [...PLANTED, ...extra].filter((v) => text.includes(v));
}

export const redactor = createRedactor();

export interface Fixture {
  store: Store;
  issue: Issue;
  logs: LogFile[];
  cleanup: () => void;
}

/** A real encrypted store in a temp dir with one issue whose every free-text field carries PII, two whys and logs. */
export function seedStore(opts: { logs?: number } = {}): Fixture {
  const tmp = makeTempDir('tftsr-ai-');
  const store = openStore({ dataDir: tmp.dir, key: TEST_DB_KEY });
  const issue = store.issues.create({
    title: `API 502s for ${PII.email}`,
    description: `Gateway ${PII.ipv4} failed. ${ALL_PII}`,
    severity: 'high',
    category: `network ${PII.ipv4}`,
  });
  store.steps.save({
    issue_id: issue.id,
    step_order: 1,
    why_question: `Why did the gateway at ${PII.ipv4} return 502?`,
    answer: `Upstream rejected key ${PII.aws}`,
    evidence: `ticket from ${PII.email}, card ${PII.card}`,
  });
  store.steps.save({
    issue_id: issue.id,
    step_order: 2,
    why_question: `Why was the key rejected? token ${PII.slack}`,
    answer: 'It was rotated without a deploy',
  });
  const logs: LogFile[] = [];
  for (let i = 0; i < (opts.logs ?? 2); i++) {
    logs.push(
      store.logFiles.create(
        { issue_id: issue.id, file_name: `gateway-${i}-${PII.email}.log`, file_path: `/logs/${i}` },
        new Date(Date.UTC(2026, 0, 1, 0, i)),
      ),
    );
  }
  return {
    store,
    issue,
    logs,
    cleanup: () => {
      store.close();
      tmp.cleanup();
    },
  };
}

/** All the AI rows and ai_send audit entries of an issue, as one string to search. */
export function storedAiText(store: Store, issueId: string): string {
  const conversations = store.ai.listConversations(issueId);
  const messages = conversations.flatMap((c) => store.ai.listMessages(c.id));
  const audit = store.audit.list({ action: 'ai_send', limit: 1000 });
  return JSON.stringify({ conversations, messages, audit });
}

/** Instant retries: records the waits instead of sleeping. */
export function fastTransport() {
  const waits: number[] = [];
  return {
    waits,
    overrides: {
      backoffBaseMs: 1,
      backoffMaxMs: 4,
      random: () => 1,
      sleep: async (ms: number) => {
        waits.push(ms);
      },
    },
  };
}
