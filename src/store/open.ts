import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger.js';
import { StoreOpenError } from './errors.js';
import { type Db as Database, Sqlite as DatabaseConstructor } from './sqlite.js';

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** The seed's SQLCipher settings, which are SQLCipher 4's defaults. Checked after keying, not just requested. */
export const CIPHER_SETTINGS = {
  cipher: 'sqlcipher',
  legacy: 4,
  kdf_iter: 256_000,
  hmac_algorithm: 2, // HMAC-SHA512
  kdf_algorithm: 2, // PBKDF2-HMAC-SHA512
  legacy_page_size: 4096,
} as const;

export const BUSY_TIMEOUT_MS = 5000;
/**
 * Page cache per connection (KiB when negative). Every cache miss on an encrypted file costs a page decryption and
 * an HMAC check, so the default 2 MiB makes full-text search ~4x slower than plaintext; 64 MiB keeps it close.
 */
export const CACHE_SIZE_KIB = 65_536;

export interface OpenDatabaseOptions {
  file: string;
  /** null: plaintext, only when the operator asked for it. */
  key: string | null;
  logger: Logger;
  readonly?: boolean;
}

function headerOf(file: string): Buffer | null {
  if (!fs.existsSync(file)) return null;
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(16);
    const n = fs.readSync(fd, buf, 0, 16, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

function applyCipher(db: Database, key: string): void {
  db.pragma(`cipher='${CIPHER_SETTINGS.cipher}'`);
  db.pragma(`legacy=${CIPHER_SETTINGS.legacy}`);
  db.pragma(`kdf_iter=${CIPHER_SETTINGS.kdf_iter}`);
  db.pragma(`hmac_algorithm=${CIPHER_SETTINGS.hmac_algorithm}`);
  db.pragma(`kdf_algorithm=${CIPHER_SETTINGS.kdf_algorithm}`);
  db.pragma(`legacy_page_size=${CIPHER_SETTINGS.legacy_page_size}`);
  // Buffer API: the key never appears inside an SQL string, so it cannot leak through an SQL error message.
  db.key(Buffer.from(key, 'utf8'));
}

/**
 * Opens (or creates) the database file. Nothing is written until the key has been proven to open the file: a wrong
 * key, a foreign file or a corrupt one fails with a StoreOpenError and leaves the file's bytes as they were.
 */
export function openDatabase(options: OpenDatabaseOptions): Database {
  const { file, key, logger } = options;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const header = headerOf(file);
  const existing = header !== null && header.length > 0;
  const isPlainSqlite = existing && header.equals(SQLITE_HEADER);

  if (existing && key !== null && isPlainSqlite) {
    throw new StoreOpenError(
      `${file} is an unencrypted SQLite database, but a key is configured. TFTSR will not open it as if it were ` +
        'encrypted. If it is a plaintext TFTSR database, open it with TFTSR_DB_PLAINTEXT=1 (and no TFTSR_DB_KEY).',
      file,
    );
  }
  if (existing && key === null && !isPlainSqlite) {
    throw new StoreOpenError(
      `${file} is not a plaintext SQLite database: it is probably encrypted (unset TFTSR_DB_PLAINTEXT and set ` +
        'TFTSR_DB_KEY), or it is not a database at all.',
      file,
    );
  }

  let db: Database;
  try {
    db = new DatabaseConstructor(file, { fileMustExist: existing, readonly: options.readonly ?? false });
  } catch (err) {
    throw new StoreOpenError(`cannot open ${file}: ${(err as Error).message}`, file);
  }
  try {
    if (key !== null) applyCipher(db, key);
    // The first read decrypts page 1: a wrong key or a foreign/corrupt file fails here, before any write.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (err) {
    db.close();
    const code = (err as { code?: string }).code ?? '';
    const cause =
      key === null
        ? 'the file is corrupt or not a SQLite database'
        : 'the key is wrong (check TFTSR_DB_KEY or the .dbkey file next to it), or the file is not a TFTSR ' +
          'database, or it is corrupt';
    throw new StoreOpenError(`cannot open ${file}: ${cause} [${code || 'error'}]. The file was not modified.`, file);
  }

  if (key !== null) verifyCipherSettings(db, file);
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma(`cache_size = -${CACHE_SIZE_KIB}`);
  logger.debug({ file, encrypted: key !== null }, 'database opened');
  return db;
}

function verifyCipherSettings(db: Database, file: string): void {
  const actual = {
    kdf_iter: Number(db.pragma('kdf_iter', { simple: true })),
    hmac_algorithm: Number(db.pragma('hmac_algorithm', { simple: true })),
    kdf_algorithm: Number(db.pragma('kdf_algorithm', { simple: true })),
    legacy_page_size: Number(db.pragma('legacy_page_size', { simple: true })),
  };
  for (const [name, value] of Object.entries(actual)) {
    if (value !== CIPHER_SETTINGS[name as keyof typeof actual]) {
      db.close();
      throw new StoreOpenError(`${file}: cipher setting ${name} is ${value}, expected the seed's value`, file);
    }
  }
}

/**
 * Re-encrypts the whole file under a new key in one step. SQLite3 Multiple Ciphers cannot rekey in WAL mode, so the
 * WAL is checkpointed and the journal mode switched around the rekey. The caller must hold the only connection.
 */
export function rekeyDatabase(db: Database, newKey: string): void {
  if (!newKey) throw new Error('the new key is empty');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('journal_mode = DELETE');
  try {
    db.rekey(Buffer.from(newKey, 'utf8'));
  } finally {
    db.pragma('journal_mode = WAL');
  }
}
