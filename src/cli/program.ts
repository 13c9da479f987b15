import { randomBytes } from 'node:crypto';
import { Command, CommanderError } from 'commander';
import type { Logger } from '../logger.js';
import type { Store } from '../store/index.js';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<string>;
}

/** A failure the operator must see as one clear line; the CLI turns it into exit code 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

export const processIo: CliIo = {
  env: process.env,
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readStdin: () => readAll(process.stdin),
};

/** Builds the `tftsr` command tree. Subcommands of other areas register themselves through `extensions`. */
export function buildProgram(
  io: CliIo = processIo,
  extensions: ((program: Command, openStoreFromEnv: () => Promise<Store>) => void)[] = [],
): Command {
  // The store (SQLCipher driver, zod schemas) and the logger load only for commands that use them: `tftsr redact`
  // starts in a third of the time without them.
  let logger: Logger | undefined;
  const loadStore = async () => {
    const [{ createLogger }, store] = await Promise.all([import('../logger.js'), import('../store/index.js')]);
    // CLI output is for people: the store's notices (key generated, migrations) go to stderr as JSON only when asked.
    logger ??= createLogger({ level: io.env.LOG_LEVEL ?? 'warn' });
    return { ...store, logger };
  };
  const openStoreFromEnv = async (options: { migrate?: boolean; mustExist?: boolean } = {}): Promise<Store> => {
    const { openStore, storeOptionsFromEnv, logger } = await loadStore();
    return openStore({ ...storeOptionsFromEnv(io.env), logger, ...options });
  };

  const program = new Command('tftsr')
    .description('TFTSR for Slack: incident issues, redaction and root-cause analysis on an encrypted store')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  const db = program.command('db').description('the encrypted store (TFTSR_DATA_DIR, TFTSR_DB_KEY)');

  db.command('migrate')
    .description('apply pending migrations')
    .action(async () => {
      const store = await openStoreFromEnv({ migrate: false });
      try {
        const applied = store.migrate(logger);
        io.stdout(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}\n` : 'up to date\n');
      } finally {
        store.close();
      }
    });

  db.command('check')
    .description('open the store, verify migrations, integrity and the audit chain')
    .action(async () => {
      const store = await openStoreFromEnv({ migrate: false, mustExist: true });
      try {
        const problems: string[] = [];
        const status = store.migrationStatus();
        if (status.unknown.length) problems.push(`unknown (newer) migrations: ${status.unknown.join(', ')}`);
        if (status.pending.length)
          problems.push(`pending migrations: ${status.pending.join(', ')} (run tftsr db migrate)`);
        const integrity = store.integrityCheck();
        if (integrity.length) problems.push(`integrity_check: ${integrity.slice(0, 5).join('; ')}`);
        const chain = status.applied.includes('014_audit_chain') ? store.verifyAuditChain() : undefined;
        if (chain && !chain.ok) {
          problems.push(`audit chain broken at seq ${chain.brokenAt.seq} (${chain.brokenAt.id}): ${chain.reason}`);
        }
        io.stdout(
          [
            `file: ${store.file}`,
            `encryption: ${store.encrypted ? 'SQLCipher 4 (AES-256, PBKDF2-HMAC-SHA512 256000, HMAC-SHA512)' : 'NONE (plaintext)'}`,
            `key: ${store.keyInfo.source}`,
            `migrations: ${status.applied.length} applied, ${status.pending.length} pending`,
            `integrity: ${integrity.length ? 'FAILED' : 'ok'}`,
            `audit chain: ${chain ? (chain.ok ? `ok (${chain.entries} entries)` : 'BROKEN') : 'not yet migrated'}`,
            '',
          ].join('\n'),
        );
        if (problems.length) throw new CliError(problems.join('; '));
      } finally {
        store.close();
      }
    });

  db.command('rekey')
    .description('re-encrypt the store under a new key (generated into .dbkey, or read from stdin)')
    .option('--new-key-stdin', 'read the new key from standard input (never from the command line)')
    .action(async (opts: { newKeyStdin?: boolean }) => {
      const { rekeyStore } = await loadStore();
      const store = await openStoreFromEnv({ mustExist: true });
      try {
        let newKey: string;
        if (opts.newKeyStdin) {
          newKey = (await io.readStdin()).trim();
          if (newKey.length < 16) throw new CliError('the new key read from stdin must be at least 16 characters');
        } else if (store.keyInfo.source === 'env') {
          throw new CliError(
            'the key comes from TFTSR_DB_KEY: pass the new key with --new-key-stdin, then set TFTSR_DB_KEY to it',
          );
        } else {
          newKey = randomBytes(32).toString('hex');
        }
        rekeyStore(store, newKey);
        io.stdout(
          store.keyInfo.source === 'env'
            ? 'rekeyed; set TFTSR_DB_KEY to the new key before the next start\n'
            : `rekeyed; the new key is in ${store.keyInfo.keyFile}\n`,
        );
      } finally {
        store.close();
      }
    });

  // Commands that read issues must not invent an empty store when TFTSR_DATA_DIR is wrong.
  for (const extend of extensions) extend(program, () => openStoreFromEnv({ mustExist: true }));
  return program;
}

/** Runs the CLI and returns the exit code; errors become one line on stderr, never a stack trace or a secret. */
export async function runCli(
  argv: string[],
  io: CliIo = processIo,
  extensions = [] as Parameters<typeof buildProgram>[1],
) {
  const program = buildProgram(io, extensions);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : err.exitCode || 2;
    io.stderr(`tftsr: ${(err as Error).message}\n`);
    return 1;
  }
}
