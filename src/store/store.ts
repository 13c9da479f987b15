import fs from 'node:fs';
import path from 'node:path';
import { type Logger, silentLogger } from '../logger.js';
import { StoreOpenError } from './errors.js';
import { KEY_FILE_NAME, NEXT_KEY_FILE_NAME, type ResolvedKey, readKeyFile, resolveDbKey, writeKeyFile } from './key.js';
import { loadMigrations, type Migration, type MigrationStatus, migrate, migrationStatus } from './migrate.js';
import { openDatabase, rekeyDatabase } from './open.js';
import { AiRepo } from './repos/ai.js';
import { type AuditChainReport, AuditRepo } from './repos/audit.js';
import { DocumentsRepo } from './repos/documents.js';
import { IssuesRepo } from './repos/issues.js';
import { LogBlobsRepo } from './repos/log-blobs.js';
import { LogFilesRepo } from './repos/log-files.js';
import { PiiSpansRepo } from './repos/pii-spans.js';
import { ResolutionStepsRepo } from './repos/resolution-steps.js';
import { SettingsRepo } from './repos/settings.js';
import { SlackEventsRepo, SlackThreadsRepo } from './repos/slack.js';
import type { IssueDetail } from './schemas.js';
import type { Db } from './sqlite.js';

export const DB_FILE_NAME = 'tftsr.db';

export interface StoreOptions {
  dataDir: string;
  /** TFTSR_DB_KEY; when absent the installation's own generated key (`.dbkey`) is used or created. */
  key?: string | undefined;
  /** TFTSR_DB_PLAINTEXT=1: the operator explicitly wants no encryption. */
  plaintext?: boolean | undefined;
  logger?: Logger;
  /** Apply pending migrations on open (default true). `db check` opens without migrating. */
  migrate?: boolean;
  migrations?: Migration[];
  /** Fail instead of creating a new database (for checks and tools that must not invent one). */
  mustExist?: boolean;
}

export class Store {
  readonly issues: IssuesRepo;
  readonly logFiles: LogFilesRepo;
  readonly logBlobs: LogBlobsRepo;
  readonly piiSpans: PiiSpansRepo;
  readonly ai: AiRepo;
  readonly steps: ResolutionStepsRepo;
  readonly documents: DocumentsRepo;
  readonly audit: AuditRepo;
  readonly settings: SettingsRepo;
  readonly slackThreads: SlackThreadsRepo;
  readonly slackEvents: SlackEventsRepo;

  constructor(
    readonly db: Db,
    readonly file: string,
    readonly keyInfo: Omit<ResolvedKey, 'key'>,
    private readonly migrations: Migration[],
  ) {
    this.issues = new IssuesRepo(db);
    this.logFiles = new LogFilesRepo(db);
    this.logBlobs = new LogBlobsRepo(db);
    this.piiSpans = new PiiSpansRepo(db);
    this.ai = new AiRepo(db);
    this.steps = new ResolutionStepsRepo(db);
    this.documents = new DocumentsRepo(db);
    this.audit = new AuditRepo(db);
    this.settings = new SettingsRepo(db);
    this.slackThreads = new SlackThreadsRepo(db);
    this.slackEvents = new SlackEventsRepo(db);
  }

  get encrypted(): boolean {
    return this.keyInfo.source !== 'plaintext';
  }

  /** Runs fn in one IMMEDIATE transaction (nested calls become savepoints): every multi-row change goes through here. */
  transaction<T>(fn: () => T): T {
    const tx = this.db.transaction(fn);
    return this.db.inTransaction ? tx() : tx.immediate();
  }

  /** The seed's get_issue: the issue with its logs, whys and AI conversations. */
  getIssueDetail(issueId: string): IssueDetail | undefined {
    const issue = this.issues.get(issueId);
    if (!issue) return undefined;
    return {
      issue,
      log_files: this.logFiles.listByIssue(issueId),
      resolution_steps: this.steps.listByIssue(issueId),
      conversations: this.ai.listConversations(issueId),
    };
  }

  /** Applies pending migrations; returns their names. */
  migrate(logger?: Logger): string[] {
    return migrate(this.db, this.migrations, logger);
  }

  migrationStatus(): MigrationStatus {
    return migrationStatus(this.db, this.migrations);
  }

  /** For health checks: the store answers a query. */
  isHealthy(): boolean {
    try {
      this.db.prepare('SELECT 1').get();
      return true;
    } catch {
      return false;
    }
  }

  integrityCheck(): string[] {
    const rows = this.db.pragma('integrity_check') as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
  }

  verifyAuditChain(): AuditChainReport {
    return this.audit.verifyChain();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export function dbFilePath(dataDir: string): string {
  return path.join(path.resolve(dataDir), DB_FILE_NAME);
}

/** Opens the encrypted store, applies pending migrations, and returns it ready for use. */
export function openStore(options: StoreOptions): Store {
  const logger = options.logger ?? silentLogger;
  const dataDir = path.resolve(options.dataDir);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = dbFilePath(dataDir);
  const migrations = options.migrations ?? loadMigrations();
  if (options.mustExist && !(fs.existsSync(file) && fs.statSync(file).size > 0)) {
    throw new StoreOpenError(`no database at ${file}: check TFTSR_DATA_DIR, or create it with tftsr db migrate`, file);
  }
  const resolved = resolveDbKey({ dataDir, dbFile: file, key: options.key, plaintext: options.plaintext, logger });

  let db: Db;
  try {
    db = openDatabase({ file, key: resolved.key, logger });
  } catch (err) {
    db = recoverInterruptedRekey(err, dataDir, file, resolved, logger);
  }
  const store = new Store(db, file, { source: resolved.source, keyFile: resolved.keyFile }, migrations);
  try {
    if (options.migrate !== false) store.migrate(logger);
  } catch (err) {
    store.close();
    throw err;
  }
  return store;
}

/**
 * A rotation of the generated key writes `.dbkey.next` before re-encrypting and renames it over `.dbkey` after.
 * If the process died in between, the database is already under the next key: finish the rename.
 */
function recoverInterruptedRekey(
  err: unknown,
  dataDir: string,
  file: string,
  resolved: ResolvedKey,
  logger: Logger,
): Db {
  const nextFile = path.join(dataDir, NEXT_KEY_FILE_NAME);
  if (!(err instanceof StoreOpenError) || resolved.source !== 'file' || !fs.existsSync(nextFile)) throw err;
  const db = openDatabase({ file, key: readKeyFile(nextFile, logger), logger });
  fs.renameSync(nextFile, path.join(dataDir, KEY_FILE_NAME));
  logger.warn('finished an interrupted key rotation: .dbkey.next became .dbkey');
  return db;
}

/**
 * Re-encrypts the store under a new key. With a generated key file the new key replaces it (through .dbkey.next,
 * so a crash at any point leaves a key that opens the file). With TFTSR_DB_KEY the operator must switch the
 * variable to the new key before the next start.
 */
export function rekeyStore(store: Store, newKey: string, options: { userId?: string } = {}): void {
  if (!store.encrypted) throw new Error('the store is in plaintext mode (TFTSR_DB_PLAINTEXT=1); rekey needs a key');
  if (newKey.length < 16) throw new Error('the new key must be at least 16 characters');
  const keyFile = store.keyInfo.source === 'env' ? undefined : store.keyInfo.keyFile;
  const nextFile = keyFile ? path.join(path.dirname(keyFile), NEXT_KEY_FILE_NAME) : undefined;
  if (nextFile) {
    fs.rmSync(nextFile, { force: true });
    writeKeyFile(nextFile, newKey);
  }
  try {
    rekeyDatabase(store.db, newKey);
  } catch (err) {
    if (nextFile) fs.rmSync(nextFile, { force: true });
    throw err;
  }
  if (nextFile && keyFile) fs.renameSync(nextFile, keyFile);
  store.audit.append({
    action: 'db_rekey',
    entity_type: 'database',
    entity_id: path.basename(store.file),
    user_id: options.userId ?? 'local',
    details: { key_source: store.keyInfo.source },
  });
}
