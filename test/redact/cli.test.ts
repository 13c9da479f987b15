import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerRedactCommand } from '../../src/cli/commands/redact.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ENTRY = path.join(ROOT, 'bench/lib/redact-cli.ts');
const LOG = [
  '203.0.113.42 - - [04/Dec/2024:15:44:54 +0000] "POST /login?email=jane.doe@example.com HTTP/1.1" 302 0',
  'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE',
  '2024-12-04T15:44:54Z INFO started version 4.2.1 in 250ms',
  '',
].join('\n');

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tftsr-redact-cli-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

/** Runs the real command in a child process, as a user would. */
function runCli(args: string[], input?: Buffer) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', ENTRY, 'redact', ...args], {
    cwd: ROOT,
    input,
    encoding: 'buffer',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8'), raw: r.stdout };
}

/** Runs the command in-process on a tiny commander program, capturing stdout bytes and stderr. */
async function runInProcess(args: string[], stdin?: Buffer) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  let stderr = '';
  const program = new Command('tftsr').exitOverride();
  registerRedactCommand(program, {
    stdout: out,
    stderr: (t) => {
      stderr += t;
    },
    stdin: Readable.from(stdin ? [stdin] : []),
  });
  let error: Error | undefined;
  try {
    await program.parseAsync(['redact', ...args], { from: 'user' });
  } catch (err) {
    error = err as Error;
  }
  return { stdout: Buffer.concat(chunks).toString('utf8'), stderr, error };
}

describe('tftsr redact (real process)', () => {
  it('prints redacted text and --stats counts on stderr', () => {
    const r = runCli([file('access.log', LOG), '--stats']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        '[IPv4] - - [04/Dec/2024:15:44:54 +0000] "POST /login?email=[Email] HTTP/1.1" 302 0',
        'AWS_ACCESS_KEY_ID=[AWSAccessKey]',
        '2024-12-04T15:44:54Z INFO started version 4.2.1 in 250ms',
        '',
      ].join('\n'),
    );
    expect(r.stderr).toContain('AWSAccessKey\t1\nEmail\t1\nIPv4\t1\ntotal\t3');
    expect(r.stderr).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });

  it('reads gzip from stdin with -', () => {
    const r = runCli(['-', '--types', 'Email'], gzipSync(Buffer.from(LOG)));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('email=[Email] ');
    expect(r.stdout).toContain('203.0.113.42');
  });

  it('exits non-zero with one clear line for a missing file', () => {
    const r = runCli([path.join(dir, 'missing.log')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/cannot read .*missing\.log: ENOENT/);
    expect(r.stdout).toBe('');
  });

  it('exits non-zero with one clear line for binary input', () => {
    const png = file('shot.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
    const r = runCli([png]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toMatch(/^tftsr: .*shot\.png: binary input refused: PNG image signature$/);
  });
});

describe('tftsr redact (in process)', () => {
  it('--json prints spans without original values', async () => {
    const r = await runInProcess([file('a.log', LOG), '--json']);
    const json = JSON.parse(r.stdout) as { spans: Record<string, unknown>[]; counts: Record<string, number> };
    expect(json.spans.map((s) => s.type)).toEqual(['IPv4', 'Email', 'AWSAccessKey']);
    expect(json.spans[0]).toEqual({ type: 'IPv4', start: 0, end: 12, replacement: '[IPv4]' });
    expect(r.stdout).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(r.stdout).not.toContain('jane.doe');
    expect(json.counts).toEqual({ IPv4: 1, Email: 1, AWSAccessKey: 1 });
  });

  it('--json --show-originals includes the values', async () => {
    const r = await runInProcess([file('b.log', LOG), '--json', '--show-originals']);
    const json = JSON.parse(r.stdout) as { spans: { value: string }[] };
    expect(json.spans.map((s) => s.value)).toEqual(['203.0.113.42', 'jane.doe@example.com', 'AKIAIOSFODNN7EXAMPLE']);
  });

  it('rejects unknown --types', async () => {
    const r = await runInProcess([file('c.log', LOG), '--types', 'Email,IPv5']);
    expect(r.error?.message).toMatch(/--types: unknown type\(s\) IPv5/);
  });

  it('refuses a directory', async () => {
    const r = await runInProcess([dir]);
    expect(r.error?.message).toMatch(/cannot read .*: EISDIR/);
  });

  it('reads stdin', async () => {
    const r = await runInProcess(['-'], Buffer.from('ping 10.0.0.1\n'));
    expect(r.stdout).toBe('ping [IPv4]\n');
  });
});
