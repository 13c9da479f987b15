import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  dbFilePath,
  KEY_FILE_NAME,
  MigrationError,
  openStore,
  rekeyStore,
  StoreKeyError,
  StoreOpenError,
} from '../../src/store/index.js';
import { filesUnder, makeTempDir, TEST_DB_KEY } from '../support/tmp.js';

const PLANTED_TITLE = 'PlantedTitle-7f3a9c checkout outage';

function sha(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}
const require = createRequire(import.meta.url);

interface JaDatabase {
  serialize(fn: () => void): void;
  run(sql: string, cb?: (err: Error | null) => void): void;
  all(sql: string, cb: (err: Error | null, rows: Record<string, unknown>[]) => void): void;
  close(cb?: (err: Error | null) => void): void;
}
const journeyapps = require('@journeyapps/sqlcipher') as {
  Database: new (file: string, mode: number, cb: (err: Error | null) => void) => JaDatabase;
  OPEN_READONLY: number;
};

/** Reads rows with Zetetic's own SQLCipher 4 (an independent implementation), using the seed's settings. */
function readWithZeteticSqlcipher(file: string, key: string, sql: string): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const db = new journeyapps.Database(file, journeyapps.OPEN_READONLY, (err) => {
      if (err) reject(err);
    });
    db.serialize(() => {
      db.run(`PRAGMA key = '${key.replace(/'/g, "''")}'`);
      // SQLCipher 4 defaults, spelled out: 4096-byte pages, PBKDF2-HMAC-SHA512 256,000 iterations, HMAC-SHA512.
      db.run('PRAGMA cipher_page_size = 4096');
      db.run('PRAGMA kdf_iter = 256000');
      db.run('PRAGMA cipher_hmac_algorithm = HMAC_SHA512');
      db.run('PRAGMA cipher_kdf_algorithm = PBKDF2_HMAC_SHA512');
      db.all(sql, (err, rows) => {
        db.close();
        if (err) reject(err);
        else resolve(rows);
      });
    });
  });
}

describe('encryption at rest', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  it('writes no SQLite header and no plaintext anywhere, WAL and SHM included', () => {
    const store = openStore({ dataDir: tmp.dir, key: TEST_DB_KEY });
    store.issues.create({ title: PLANTED_TITLE, severity: 'high', description: 'PlantedDescription-44b1' });
    // Inspect while the WAL still holds the pages (the connection is open).
    const files = filesUnder(tmp.dir);
    expect(files.map((f) => path.basename(f)).sort()).toEqual(['tftsr.db', 'tftsr.db-shm', 'tftsr.db-wal']);
    for (const file of files) {
      const bytes = fs.readFileSync(file);
      expect(bytes.includes(Buffer.from('SQLite format 3')), file).toBe(false);
      expect(bytes.includes(Buffer.from('PlantedTitle-7f3a9c')), file).toBe(false);
      expect(bytes.includes(Buffer.from('PlantedDescription-44b1')), file).toBe(false);
    }
    expect(fs.statSync(path.join(tmp.dir, 'tftsr.db-wal')).size).toBeGreaterThan(0);
    store.close();
    const bytes = fs.readFileSync(dbFilePath(tmp.dir));
    expect(bytes.includes(Buffer.from('PlantedTitle-7f3a9c'))).toBe(false);
  });

  it('is readable by an independent SQLCipher 4 implementation with the key and the seed settings', async () => {
    const store = openStore({ dataDir: tmp.dir, key: TEST_DB_KEY });
    const issue = store.issues.create({ title: PLANTED_TITLE, severity: 'critical' });
    store.close();
    const rows = await readWithZeteticSqlcipher(dbFilePath(tmp.dir), TEST_DB_KEY, 'SELECT id, title FROM issues');
    expect(rows).toEqual([{ id: issue.id, title: PLANTED_TITLE }]);
    await expect(
      readWithZeteticSqlcipher(dbFilePath(tmp.dir), 'wrong-key-0000000000', 'SELECT 1 FROM issues'),
    ).rejects.toThrow(/not a database/);
  });

  it('refuses a wrong key with a clear error and leaves the file byte-for-byte untouched', () => {
    const store = openStore({ dataDir: tmp.dir, key: TEST_DB_KEY });
    store.issues.create({ title: PLANTED_TITLE, severity: 'low' });
    store.close();
    const file = dbFilePath(tmp.dir);
    const before = sha(file);
    const listing = fs.readdirSync(tmp.dir).sort();
    let error: unknown;
    try {
      openStore({ dataDir: tmp.dir, key: 'a-different-key-0123456789' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(StoreOpenError);
    const message = (error as Error).message;
    expect(message).toContain(file);
    expect(message).toMatch(/key is wrong/);
    expect(message).not.toContain('a-different-key');
    expect(message).not.toContain(TEST_DB_KEY);
    expect(sha(file)).toBe(before);
    expect(fs.readdirSync(tmp.dir).sort()).toEqual(listing);
  });

  it.each([
    ['random bytes', () => Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919) % 256))],
    ['a text file', () => Buffer.from('this is not a database\n'.repeat(100))],
  ])('refuses %s as the database and leaves it untouched', (_name, bytes) => {
    const file = dbFilePath(tmp.dir);
    fs.writeFileSync(file, bytes());
    const before = sha(file);
    expect(() => openStore({ dataDir: tmp.dir, key: TEST_DB_KEY })).toThrow(StoreOpenError);
    expect(sha(file)).toBe(before);
    expect(fs.readdirSync(tmp.dir)).toEqual(['tftsr.db']);
  });

  it('refuses a corrupted encrypted file (a flipped byte in page 1) and leaves it untouched', () => {
    const store = openStore({ dataDir: tmp.dir, key: TEST_DB_KEY });
    store.close();
    const file = dbFilePath(tmp.dir);
    const bytes = fs.readFileSync(file);
    bytes[100] = bytes[100]! ^ 0xff;
    fs.writeFileSync(file, bytes);
    const before = sha(file);
    expect(() => openStore({ dataDir: tmp.dir, key: TEST_DB_KEY })).toThrow(/not modified/);
    expect(sha(file)).toBe(before);
  });

  it('refuses to open a plaintext SQLite file as encrypted, and an encrypted file as plaintext', () => {
    const plain = makeTempDir();
    try {
      openStore({ dataDir: plain.dir, plaintext: true }).close();
      const file = dbFilePath(plain.dir);
      expect(fs.readFileSync(file).subarray(0, 15).toString('latin1')).toBe('SQLite format 3');
      const before = sha(file);
      expect(() => openStore({ dataDir: plain.dir, key: TEST_DB_KEY })).toThrow(/unencrypted SQLite database/);
      expect(sha(file)).toBe(before);
    } finally {
      plain.cleanup();
    }
    openStore({ dataDir: tmp.dir, key: TEST_DB_KEY }).close();
    expect(() => openStore({ dataDir: tmp.dir, plaintext: true })).toThrow(/probably encrypted/);
  });

  it('rejects plaintext mode combined with a key', () => {
    expect(() => openStore({ dataDir: tmp.dir, key: TEST_DB_KEY, plaintext: true })).toThrow(StoreKeyError);
  });

  it('without TFTSR_DB_KEY generates a 256-bit key in .dbkey (0600) and reuses it on the next open', () => {
    const store = openStore({ dataDir: tmp.dir });
    store.issues.create({ title: PLANTED_TITLE, severity: 'medium' });
    expect(store.keyInfo.source).toBe('generated');
    store.close();
    const keyFile = path.join(tmp.dir, KEY_FILE_NAME);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = fs.readFileSync(keyFile, 'utf8').trim();
    expect(key).toMatch(/^[0-9a-f]{64}$/);

    const again = openStore({ dataDir: tmp.dir });
    expect(again.keyInfo.source).toBe('file');
    expect(again.issues.list().map((i) => i.title)).toEqual([PLANTED_TITLE]);
    again.close();
    // The generated key is a real key: another installation's key cannot open the file.
    expect(() => openStore({ dataDir: tmp.dir, key: 'f'.repeat(64) })).toThrow(StoreOpenError);
  });

  it('does not invent a key for an existing database that has none', () => {
    openStore({ dataDir: tmp.dir, key: TEST_DB_KEY }).close();
    expect(() => openStore({ dataDir: tmp.dir })).toThrow(/exists but no key was given/);
    expect(fs.existsSync(path.join(tmp.dir, KEY_FILE_NAME))).toBe(false);
  });

  it('rekeys atomically: the new key opens the file, the old one no longer does', () => {
    const store = openStore({ dataDir: tmp.dir, key: TEST_DB_KEY });
    store.issues.create({ title: PLANTED_TITLE, severity: 'high' });
    rekeyStore(store, 'the-new-key-9876543210');
    store.close();
    expect(() => openStore({ dataDir: tmp.dir, key: TEST_DB_KEY })).toThrow(StoreOpenError);
    const reopened = openStore({ dataDir: tmp.dir, key: 'the-new-key-9876543210' });
    expect(reopened.issues.list().map((i) => i.title)).toEqual([PLANTED_TITLE]);
    expect(reopened.audit.list({ action: 'db_rekey' })).toHaveLength(1);
    expect(reopened.verifyAuditChain().ok).toBe(true);
    expect(reopened.db.pragma('journal_mode', { simple: true })).toBe('wal');
    reopened.close();
  });

  it('rekeys a generated key file in place, and finishes a rotation interrupted after re-encryption', () => {
    const store = openStore({ dataDir: tmp.dir });
    const keyFile = path.join(tmp.dir, KEY_FILE_NAME);
    const oldKey = fs.readFileSync(keyFile, 'utf8').trim();
    rekeyStore(store, 'b'.repeat(64));
    store.close();
    expect(fs.readFileSync(keyFile, 'utf8').trim()).toBe('b'.repeat(64));
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(() => openStore({ dataDir: tmp.dir, key: oldKey })).toThrow(StoreOpenError);

    // Simulate a crash between re-encryption and the rename: .dbkey still has the old key, .dbkey.next the new.
    const s3 = openStore({ dataDir: tmp.dir, key: 'b'.repeat(64) });
    rekeyStore(s3, 'c'.repeat(64)); // env-key source: no key file is touched
    s3.close();
    fs.writeFileSync(path.join(tmp.dir, '.dbkey.next'), `${'c'.repeat(64)}\n`, { mode: 0o600 });
    const recovered = openStore({ dataDir: tmp.dir });
    expect(recovered.issues.count()).toBe(0);
    recovered.close();
    expect(fs.readFileSync(keyFile, 'utf8').trim()).toBe('c'.repeat(64));
    expect(fs.existsSync(path.join(tmp.dir, '.dbkey.next'))).toBe(false);
  });

  it('refuses a database carrying a migration this version does not know', () => {
    const store = openStore({ dataDir: tmp.dir, key: TEST_DB_KEY });
    store.db
      .prepare("INSERT INTO _migrations (name, applied_at) VALUES ('099_from_the_future', '2030-01-01 00:00:00')")
      .run();
    store.close();
    expect(() => openStore({ dataDir: tmp.dir, key: TEST_DB_KEY })).toThrow(MigrationError);
    expect(() => openStore({ dataDir: tmp.dir, key: TEST_DB_KEY })).toThrow(/099_from_the_future/);
  });

  it('re-running migrations is a no-op', () => {
    const first = openStore({ dataDir: tmp.dir, key: TEST_DB_KEY });
    const applied = first.db.prepare('SELECT name, applied_at FROM _migrations ORDER BY name').all();
    const schema = first.db.prepare('SELECT name, sql FROM sqlite_master ORDER BY name').all();
    first.close();
    const second = openStore({ dataDir: tmp.dir, key: TEST_DB_KEY });
    expect(second.db.prepare('SELECT name, applied_at FROM _migrations ORDER BY name').all()).toEqual(applied);
    expect(second.db.prepare('SELECT name, sql FROM sqlite_master ORDER BY name').all()).toEqual(schema);
    expect(second.migrationStatus().pending).toEqual([]);
    second.close();
  });
});
