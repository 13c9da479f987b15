import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { openStore } from '../../src/store/index.js';
import { memoryIo } from '../support/cli.js';
import { makeTempDir, TEST_DB_KEY } from '../support/tmp.js';

const run = promisify(execFile);
const TSX = path.resolve('node_modules/.bin/tsx');

describe('tftsr db', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  it('migrate creates the store and is then up to date', async () => {
    const io = memoryIo({ TFTSR_DATA_DIR: tmp.dir, TFTSR_DB_KEY: TEST_DB_KEY });
    expect(await runCli(['db', 'migrate'], io)).toBe(0);
    expect(io.out()).toMatch(/^applied 17 migration\(s\): 001_issues, /);
    const again = memoryIo({ TFTSR_DATA_DIR: tmp.dir, TFTSR_DB_KEY: TEST_DB_KEY });
    expect(await runCli(['db', 'migrate'], again)).toBe(0);
    expect(again.out()).toBe('up to date\n');
  });

  it('check reports a healthy store, and a broken audit chain with exit 1', async () => {
    const store = openStore({ dataDir: tmp.dir, key: TEST_DB_KEY });
    store.audit.append({ action: 'issue_create', entity_type: 'issue', entity_id: 'i1' });
    store.audit.append({ action: 'tag', entity_type: 'issue', entity_id: 'i1' });
    store.close();
    const ok = memoryIo({ TFTSR_DATA_DIR: tmp.dir, TFTSR_DB_KEY: TEST_DB_KEY });
    expect(await runCli(['db', 'check'], ok)).toBe(0);
    expect(ok.out()).toContain('integrity: ok');
    expect(ok.out()).toContain('audit chain: ok (2 entries)');
    expect(ok.out()).toContain('encryption: SQLCipher 4');

    const tamper = openStore({ dataDir: tmp.dir, key: TEST_DB_KEY });
    tamper.db.exec('DROP TRIGGER audit_log_no_update');
    tamper.db.prepare("UPDATE audit_log SET user_id = 'mallory' WHERE seq = 1").run();
    tamper.close();
    const bad = memoryIo({ TFTSR_DATA_DIR: tmp.dir, TFTSR_DB_KEY: TEST_DB_KEY });
    expect(await runCli(['db', 'check'], bad)).toBe(1);
    expect(bad.err()).toMatch(/^tftsr: audit chain broken at seq 1 /);
  });

  it('rekey with a generated key file replaces .dbkey; with TFTSR_DB_KEY it takes the new key from stdin only', async () => {
    const gen = memoryIo({ TFTSR_DATA_DIR: tmp.dir });
    expect(await runCli(['db', 'migrate'], gen)).toBe(0);
    const keyFile = path.join(tmp.dir, '.dbkey');
    const before = fs.readFileSync(keyFile, 'utf8');
    const rekey = memoryIo({ TFTSR_DATA_DIR: tmp.dir });
    expect(await runCli(['db', 'rekey'], rekey)).toBe(0);
    const after = fs.readFileSync(keyFile, 'utf8');
    expect(after).not.toBe(before);
    expect(rekey.out()).not.toContain(after.trim());
    expect(() => openStore({ dataDir: tmp.dir, key: before.trim() })).toThrow();

    const envDir = makeTempDir();
    try {
      const env = { TFTSR_DATA_DIR: envDir.dir, TFTSR_DB_KEY: TEST_DB_KEY };
      expect(await runCli(['db', 'migrate'], memoryIo(env))).toBe(0);
      const refused = memoryIo(env);
      expect(await runCli(['db', 'rekey'], refused)).toBe(1);
      expect(refused.err()).toMatch(/--new-key-stdin/);
      const viaStdin = memoryIo(env, 'a-brand-new-key-000111222\n');
      expect(await runCli(['db', 'rekey', '--new-key-stdin'], viaStdin)).toBe(0);
      expect(viaStdin.out()).not.toContain('a-brand-new-key');
      openStore({ dataDir: envDir.dir, key: 'a-brand-new-key-000111222' }).close();
    } finally {
      envDir.cleanup();
    }
  });

  it('as a real process: a wrong key is one clear stderr line, a non-zero exit, and no key in the output', async () => {
    openStore({ dataDir: tmp.dir, key: TEST_DB_KEY }).close();
    const env = {
      ...process.env,
      TFTSR_DATA_DIR: tmp.dir,
      TFTSR_DB_KEY: 'the-wrong-key-42424242',
      LOG_LEVEL: 'silent',
    };
    const failure = await run(TSX, ['src/cli/main.ts', 'db', 'check'], { env }).catch((e: unknown) => e);
    const { code, stderr, stdout } = failure as { code: number; stderr: string; stdout: string };
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^tftsr: cannot open .*tftsr\.db: the key is wrong/);
    expect(stderr + stdout).not.toContain('the-wrong-key');

    const ok = await run(TSX, ['src/cli/main.ts', 'db', 'check'], { env: { ...env, TFTSR_DB_KEY: TEST_DB_KEY } });
    expect(ok.stdout).toContain('integrity: ok');
  });

  it('check and rekey never create a database', async () => {
    const io = memoryIo({ TFTSR_DATA_DIR: tmp.dir, TFTSR_DB_KEY: TEST_DB_KEY });
    expect(await runCli(['db', 'check'], io)).toBe(1);
    expect(io.err()).toMatch(/^tftsr: no database at .*tftsr\.db/);
    expect(
      await runCli(['db', 'rekey', '--new-key-stdin'], memoryIo({ TFTSR_DATA_DIR: tmp.dir }, 'x'.repeat(20))),
    ).toBe(1);
    expect(fs.readdirSync(tmp.dir)).toEqual([]);
  });

  it('unknown subcommands and options exit non-zero with usage on stderr', async () => {
    const io = memoryIo({ TFTSR_DATA_DIR: tmp.dir, TFTSR_DB_KEY: TEST_DB_KEY });
    expect(await runCli(['db', 'explode'], io)).not.toBe(0);
    expect(io.err()).toMatch(/unknown command/);
  });
});
