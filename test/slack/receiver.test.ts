import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signSlackBody } from '../support/slack-driver.js';
import { type SlackHarness, startHarness, TEST_SIGNING_SECRET } from '../support/slack-harness.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const issueCount = () => h.store.issues.count();

describe('HTTP receiver: request signatures', () => {
  it('accepts a correctly signed command', async () => {
    const res = await h.driver.command('help');
    expect(res.status).toBe(200);
    expect(res.json?.response_type).toBe('ephemeral');
    expect(String(res.json?.text)).toContain('/tftsr new');
  });

  it('answers 401 to a bad signature and stores nothing', async () => {
    const before = issueCount();
    const calls = h.fake.calls.length;
    const res = await h.driver.command('new Disk full sev:high', {}, { signature: `v0=${'0'.repeat(64)}` });
    await h.idle();
    expect(res.status).toBe(401);
    expect(issueCount()).toBe(before);
    expect(h.fake.calls.length).toBe(calls);
  });

  it('answers 401 to a body signed with another secret', async () => {
    const ts = Math.floor(Date.now() / 1000);
    const body = new URLSearchParams(h.driver.commandFields('new Disk full sev:high')).toString();
    const res = await h.driver.post(body, 'application/x-www-form-urlencoded', {
      timestamp: ts,
      signature: signSlackBody('some-other-secret', ts, body),
    });
    expect(res.status).toBe(401);
  });

  it('answers 401 when the signature header is missing', async () => {
    const res = await h.driver.command('new Disk full sev:high', {}, { signature: null });
    expect(res.status).toBe(401);
  });

  it('answers 401 to a correctly signed request replayed after more than 5 minutes, storing nothing', async () => {
    const before = issueCount();
    const old = Math.floor(Date.now() / 1000) - 6 * 60;
    // Signed with the right secret over the old timestamp: only the age is wrong.
    const res = await h.driver.command('new Replayed sev:high', {}, { timestamp: old });
    await h.idle();
    expect(res.status).toBe(401);
    expect(issueCount()).toBe(before);
  });

  it('answers 401 when the body was altered after signing', async () => {
    const ts = Math.floor(Date.now() / 1000);
    const fields = h.driver.commandFields('list');
    const signed = new URLSearchParams(fields).toString();
    const tampered = new URLSearchParams({ ...fields, text: 'new Injected sev:critical' }).toString();
    const res = await h.driver.post(tampered, 'application/x-www-form-urlencoded', {
      timestamp: ts,
      signature: signSlackBody(TEST_SIGNING_SECRET, ts, signed),
    });
    expect(res.status).toBe(401);
  });

  it('answers Slack url_verification with the challenge', async () => {
    const res = await h.driver.post(
      JSON.stringify({ type: 'url_verification', challenge: 'abc123' }),
      'application/json',
    );
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ challenge: 'abc123' });
  });
});

describe('HTTP receiver: other routes', () => {
  it('serves GET /healthz with 200 while the store answers', async () => {
    const res = await fetch(`${h.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('serves 503 on /healthz when the store does not answer', async () => {
    const spy = vi.spyOn(h.store, 'isHealthy').mockReturnValue(false);
    try {
      const res = await fetch(`${h.baseUrl}/healthz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ ok: false });
    } finally {
      spy.mockRestore();
    }
  });

  it('answers 404 to unknown paths', async () => {
    const res = await fetch(`${h.baseUrl}/nope`);
    expect(res.status).toBe(404);
  });

  it('the Dockerfile HEALTHCHECK command passes against /healthz and fails on a dead port', async () => {
    const dockerfile = fs.readFileSync(path.resolve(import.meta.dirname, '../../Dockerfile'), 'utf8');
    const cmd = JSON.parse(/HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])/.exec(dockerfile)![1]!) as string[];
    expect(cmd[0]).toBe('node');
    const run = (env: Record<string, string>) =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, cmd.slice(1), { env: { PATH: process.env.PATH ?? '', ...env } });
        child.on('exit', resolve);
      });
    expect(await run({ PORT: new URL(h.baseUrl).port })).toBe(0);
    expect(await run({ PORT: '1' })).toBe(1);
    expect(await run({ PORT: '1', SLACK_APP_TOKEN: 'xapp-1' })).toBe(0);
  });

  it('logs no secrets', () => {
    const logs = h.logs.join('\n');
    expect(logs).not.toContain('xoxb-');
    expect(logs).not.toContain(TEST_SIGNING_SECRET);
    expect(logs).not.toContain('test-db-key');
  });
});
