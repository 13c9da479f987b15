import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger.js';

export const KEY_FILE_NAME = '.dbkey';
/** Written before a rekey and renamed over .dbkey after it, so a crash mid-rotation never loses the key. */
export const NEXT_KEY_FILE_NAME = '.dbkey.next';

export type KeySource = 'env' | 'file' | 'generated' | 'plaintext';

export interface ResolvedKey {
  /** The passphrase handed to SQLCipher's KDF; null only in explicit plaintext mode. */
  key: string | null;
  source: KeySource;
  keyFile?: string;
}

export class StoreKeyError extends Error {
  override readonly name = 'StoreKeyError';
}

export interface KeyOptions {
  dataDir: string;
  dbFile: string;
  key?: string | undefined;
  plaintext?: boolean | undefined;
  logger: Logger;
}

/**
 * Where the database key comes from. There is no built-in key: an operator-supplied TFTSR_DB_KEY, else the key this
 * installation generated for itself on first start (`{dataDir}/.dbkey`, mode 0600), else — only when the operator
 * says TFTSR_DB_PLAINTEXT=1 — no encryption at all.
 */
export function resolveDbKey(options: KeyOptions): ResolvedKey {
  const { dataDir, dbFile, logger } = options;
  const envKey = options.key?.length ? options.key : undefined;
  if (options.plaintext) {
    if (envKey) {
      throw new StoreKeyError(
        'TFTSR_DB_PLAINTEXT=1 and TFTSR_DB_KEY are both set: choose one (unset TFTSR_DB_PLAINTEXT).',
      );
    }
    logger.warn(
      { file: dbFile },
      'TFTSR_DB_PLAINTEXT=1: the database is NOT encrypted; log originals and PII are readable by anyone with the file',
    );
    return { key: null, source: 'plaintext' };
  }
  if (envKey) {
    if (envKey.length < 16) logger.warn('TFTSR_DB_KEY is shorter than 16 characters; use a long random value');
    return { key: envKey, source: 'env' };
  }

  const keyFile = path.join(dataDir, KEY_FILE_NAME);
  if (fs.existsSync(keyFile)) return { key: readKeyFile(keyFile, logger), source: 'file', keyFile };

  const dbHasContent = fs.existsSync(dbFile) && fs.statSync(dbFile).size > 0;
  if (dbHasContent) {
    throw new StoreKeyError(
      `${dbFile} exists but no key was given: set TFTSR_DB_KEY to its key, or restore ${keyFile}. ` +
        'A new key is generated only for a new database.',
    );
  }
  const key = randomBytes(32).toString('hex');
  writeKeyFile(keyFile, key);
  logger.info({ keyFile }, 'generated a new random 256-bit database key and saved it (mode 0600); back it up');
  return { key, source: 'generated', keyFile };
}

export function readKeyFile(keyFile: string, logger?: Logger): string {
  const stat = fs.statSync(keyFile);
  if ((stat.mode & 0o077) !== 0) {
    logger?.warn({ keyFile }, 'the key file is readable by group or others; run chmod 600 on it');
  }
  const key = fs.readFileSync(keyFile, 'utf8').trim();
  if (!key) throw new StoreKeyError(`${keyFile} is empty: restore the key file or set TFTSR_DB_KEY.`);
  return key;
}

/** Creates the key file exclusively with mode 0600 and flushes it to disk before the key is used. */
export function writeKeyFile(keyFile: string, key: string): void {
  const fd = fs.openSync(keyFile, 'wx', 0o600);
  try {
    fs.writeSync(fd, `${key}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.chmodSync(keyFile, 0o600); // umask cannot widen it, but be explicit
}
