import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp, type TftsrApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { openStore, type Store } from '../../src/store/index.js';
import { FakeSlack } from '../support/fake-slack.js';
import { SlackDriver } from '../support/slack-driver.js';
import { TEST_BOT_TOKEN, TEST_DB_KEY } from '../support/slack-harness.js';

let fake: FakeSlack;
let store: Store;
let tftsr: TftsrApp;
let dataDir: string;
let driver: SlackDriver;

beforeAll(async () => {
  fake = await FakeSlack.start({ botToken: TEST_BOT_TOKEN });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tftsr-socket-'));
  const config = loadConfig({
    SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
    SLACK_APP_TOKEN: 'xapp-1-A0TFTSR-test',
    SLACK_API_URL: fake.apiUrl,
    TFTSR_DATA_DIR: dataDir,
    TFTSR_DB_KEY: TEST_DB_KEY,
  });
  expect(config.mode).toBe('socket');
  store = openStore({ dataDir, key: config.dbKey });
  tftsr = createApp({ config, store, logger: createLogger({ level: 'silent' }) });
  expect(await tftsr.start()).toEqual({});
  await fake.socketConnected();
  // Only used to build payloads; nothing is sent over HTTP in Socket Mode.
  driver = new SlackDriver({ url: 'http://unused.invalid/', signingSecret: 'unused', fake });
});
afterAll(async () => {
  await tftsr?.stop();
  store?.close();
  await fake?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('connects through apps.connections.open with the app token, and answers a command in the ack', async () => {
  expect(fake.callsTo('apps.connections.open')[0]?.headers.authorization).toBe('Bearer xapp-1-A0TFTSR-test');
  const ack = await fake.socketSend('slash_commands', driver.commandFields('help'));
  expect(ack?.response_type).toBe('ephemeral');
  expect(String(ack?.text)).toContain('/tftsr new');
});

it('creates an issue with its card from a Socket Mode slash command', async () => {
  const ack = await fake.socketSend(
    'slash_commands',
    driver.commandFields('new Socket mode outage sev:high', { channel_id: 'C0SOCK' }),
  );
  expect(ack).toBeUndefined();
  await tftsr.idle();
  const [id] = store.slackThreads.findActiveInChannel(fake.teamId, 'C0SOCK');
  const issue = store.issues.require(id!);
  expect(issue.title).toBe('Socket mode outage');
  expect(fake.messagesIn('C0SOCK')).toHaveLength(1);
});
