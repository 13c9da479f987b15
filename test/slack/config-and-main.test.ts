import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { FakeSlack } from '../support/fake-slack.js';
import { TEST_BOT_TOKEN, TEST_DB_KEY, TEST_SIGNING_SECRET } from '../support/slack-harness.js';

describe('loadConfig', () => {
  it('HTTP mode with defaults', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret' });
    expect(config).toMatchObject({ mode: 'http', port: 3000, dataDir: './data', logLevel: 'info', dbPlaintext: false });
    expect(config.slackApiUrl).toBeUndefined();
  });

  it('Socket Mode when SLACK_APP_TOKEN is set; no signing secret needed', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-A-1-x' });
    expect(config.mode).toBe('socket');
  });

  it('normalises SLACK_API_URL to end in a slash', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 's',
      SLACK_API_URL: 'http://127.0.0.1:9/api',
    });
    expect(config.slackApiUrl).toBe('http://127.0.0.1:9/api/');
  });

  it('reports every problem at once, naming variables but never echoing their values', () => {
    let error: unknown;
    try {
      loadConfig({
        SLACK_BOT_TOKEN: 'xoxp-user-token-value',
        SLACK_APP_TOKEN: 'bogus-app-token-value',
        PORT: '99999',
        LOG_LEVEL: 'loud',
        TFTSR_DB_KEY: 'short',
        SLACK_API_URL: 'not a url',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    const named = e.problems.map((p) => p.split(' ')[0]).sort();
    expect(named).toEqual(['LOG_LEVEL', 'PORT', 'SLACK_API_URL', 'SLACK_APP_TOKEN', 'SLACK_BOT_TOKEN', 'TFTSR_DB_KEY']);
    expect(e.message).toContain('README.md');
    expect(e.message).toContain('manifest.yml');
    for (const value of ['xoxp-user-token-value', 'bogus-app-token-value', 'short']) {
      expect(e.message).not.toContain(value);
    }
  });

  it('requires the signing secret in HTTP mode, even alongside other errors', () => {
    expect(() => loadConfig({ PORT: 'x' })).toThrow(/SLACK_BOT_TOKEN[\s\S]*PORT[\s\S]*SLACK_SIGNING_SECRET/);
  });
});

/** Runs src/main.ts as `npm start` would run the build (same code, through tsx). */
function startMain(env: Record<string, string>): {
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<number | null>;
} {
  let err = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stderr: () => err, exit };
}

describe('main (npm start)', () => {
  let fake: FakeSlack;
  let dataDir: string;
  beforeAll(async () => {
    fake = await FakeSlack.start({ botToken: TEST_BOT_TOKEN });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tftsr-main-'));
  });
  afterAll(async () => {
    await fake.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits non-zero with one message listing every problem, and creates nothing', async () => {
    const emptyDir = path.join(dataDir, 'never');
    const main = startMain({ TFTSR_DATA_DIR: emptyDir, SLACK_BOT_TOKEN: 'nope', PORT: 'abc' });
    const code = await main.exit;
    expect(code).not.toBe(0);
    const out = main.stderr();
    expect(out).toContain('SLACK_BOT_TOKEN');
    expect(out).toContain('SLACK_SIGNING_SECRET');
    expect(out).toContain('PORT');
    expect(out).toContain('manifest.yml');
    expect(fs.existsSync(emptyDir)).toBe(false);
  });

  it('exits non-zero when Slack rejects the bot token, closing the store', async () => {
    const main = startMain({
      SLACK_BOT_TOKEN: 'xoxb-wrong-token',
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
      TFTSR_DATA_DIR: path.join(dataDir, 'badtoken'),
      TFTSR_DB_KEY: TEST_DB_KEY,
    });
    expect(await main.exit).toBe(1);
    expect(main.stderr()).toContain('SLACK_BOT_TOKEN was rejected by Slack (invalid_auth)');
    expect(main.stderr()).not.toContain('xoxb-wrong-token');
  });

  it('starts in HTTP mode, serves /healthz, and stops cleanly on SIGTERM', async () => {
    const main = startMain({
      SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
      TFTSR_DATA_DIR: path.join(dataDir, 'ok'),
      TFTSR_DB_KEY: TEST_DB_KEY,
    });
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line: ${main.stderr()}`)), 20_000);
      main.child.stderr?.on('data', () => {
        const line = main
          .stderr()
          .split('\n')
          .find((l) => l.includes('TFTSR is listening'));
        if (line) {
          clearTimeout(timer);
          resolve((JSON.parse(line) as { port: number }).port);
        }
      });
    });
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    main.child.kill('SIGTERM');
    expect(await main.exit).toBe(0);
    const logs = main.stderr();
    expect(logs).toContain('"msg":"stopped"');
    expect(logs).not.toContain(TEST_BOT_TOKEN);
    expect(logs).not.toContain(TEST_SIGNING_SECRET);
    expect(logs).not.toContain(TEST_DB_KEY);
  });
});
