import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type CreateAppOptions, createApp, type TftsrApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { type Issue, openStore, type Store } from '../../src/store/index.js';
import { FakeSlack } from './fake-slack.js';
import { SlackDriver } from './slack-driver.js';

export const TEST_BOT_TOKEN = 'xoxb-test-0000-not-a-real-token';
export const TEST_SIGNING_SECRET = 'test-signing-secret-8f14e45fceea167a';
export const TEST_DB_KEY = 'test-db-key-0123456789abcdef';

/** The real app over real HTTP on an ephemeral port, an encrypted store in a temp dir, and the fake Slack. */
export interface SlackHarness {
  fake: FakeSlack;
  store: Store;
  tftsr: TftsrApp;
  driver: SlackDriver;
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  dataDir: string;
  /** Every log line the app wrote (JSON strings), for leak checks. */
  logs: string[];
  /** Waits until the app has no listener running. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export const TEST_APP_TOKEN = 'xapp-1-A0TFTSR-test-0000';

/**
 * A test file's harness: started once before its tests and closed after them, with a fresh channel id per test
 * (`<prefix><n>`) so tests never see each other's threads. `bind` hands both to the file's own variables before
 * every test: `useSlackHarness('C0LOG', (s) => ({ h, channel } = s))`.
 */
export function useSlackHarness(
  channelPrefix: string,
  bind: (state: { h: SlackHarness; channel: string }) => void,
  options?: Parameters<typeof startHarness>[0],
): void {
  let harness: SlackHarness | undefined;
  let seq = 0;
  beforeAll(async () => {
    harness = await startHarness(options);
  });
  afterAll(async () => {
    await harness?.close();
  });
  beforeEach(() => {
    seq += 1;
    bind({ h: harness!, channel: `${channelPrefix}${seq}` });
  });
}

export async function startHarness(
  options: {
    appOptions?: Partial<CreateAppOptions>;
    env?: Record<string, string>;
    /** Socket Mode: the app connects to the fake's WebSocket and the driver sends envelopes instead of HTTP. */
    transport?: 'http' | 'socket';
  } = {},
): Promise<SlackHarness> {
  const socket = options.transport === 'socket';
  const fake = await FakeSlack.start({ botToken: TEST_BOT_TOKEN });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tftsr-slack-'));
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => logs.push(line) } });
  const config = loadConfig({
    SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
    ...(socket ? { SLACK_APP_TOKEN: TEST_APP_TOKEN } : { SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET }),
    SLACK_API_URL: fake.apiUrl,
    PORT: '0',
    TFTSR_DATA_DIR: dataDir,
    TFTSR_DB_KEY: TEST_DB_KEY,
    ...options.env,
  });
  const store = openStore({ dataDir, key: config.dbKey, logger });
  const tftsr = createApp({
    config,
    store,
    logger,
    // Fast retries keep fault-injection tests short; Retry-After is still honoured.
    retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 20 },
    ...options.appOptions,
  });
  const { port } = await tftsr.start();
  if (socket) await fake.socketConnected();
  const baseUrl = socket ? 'socket-mode:' : `http://127.0.0.1:${port}`;
  const driver = new SlackDriver({
    url: `${baseUrl}/slack/events`,
    signingSecret: TEST_SIGNING_SECRET,
    fake,
    transport: socket ? 'socket' : 'http',
  });
  return {
    fake,
    store,
    tftsr,
    driver,
    baseUrl,
    dataDir,
    logs,
    idle: () => tftsr.idle(),
    async close() {
      await tftsr.stop().catch(() => undefined);
      store.close();
      await fake.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `/tftsr new <text>` in a channel, as a person types it; the new issue and its card's ts (the issue's thread). */
export async function openIssueIn(
  h: Pick<SlackHarness, 'driver' | 'store' | 'idle'>,
  channel: string,
  text: string,
): Promise<{ issue: Issue; ts: string }> {
  await h.driver.command(`new ${text}`, { channel_id: channel });
  await h.idle();
  // Newest first: the issue this command created.
  const [id] = h.store.slackThreads.findActiveInChannel(h.driver.teamId, channel);
  if (!id) throw new Error(`no issue was created in ${channel}`);
  const issue = h.store.issues.require(id);
  return { issue, ts: h.store.slackThreads.findByIssue(issue.id)!.thread_ts! };
}
