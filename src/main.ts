import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { redactEngine } from './redact/native.js';
import { openStore, type Store } from './store/index.js';

/**
 * `npm start`: validate the environment, open the encrypted store, start the Slack app. Nothing half-starts: any
 * failure before listening closes what was opened and exits non-zero.
 */
async function main(): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      // Plain text on stderr: the operator reads this before any log pipeline exists. It never echoes values.
      process.stderr.write(`${err.message}\n`);
      return 78; // EX_CONFIG
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel });
  // Which redaction engine is active, once: the JavaScript one is correct but slower, so say why when it is that one.
  const redaction = redactEngine();
  if (redaction.engine === 'native') logger.info({ engine: 'native' }, 'redaction engine: native');
  else logger.warn(redaction, 'redaction engine: JavaScript, the native one is not in use');
  let store: Store | undefined;
  try {
    store = openStore({ dataDir: config.dataDir, key: config.dbKey, plaintext: config.dbPlaintext, logger });
    // Logs are stored in several transactions under a 'storing' row: a crash mid-way leaves one to clear.
    const unfinished = store.logFiles.removeUnfinished();
    if (unfinished > 0) logger.warn({ count: unfinished }, 'removed logs a previous run left half-stored');
    const tftsr = createApp({ config, store, logger });
    await tftsr.start();

    const openStoreRef = store;
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping: no new work, finishing in-flight work');
      const force = setTimeout(() => {
        logger.error('in-flight work did not finish within 20 s; exiting');
        process.exit(1);
      }, 20_000);
      force.unref();
      try {
        await tftsr.stop();
      } catch (err) {
        logger.warn({ err_name: (err as Error)?.name }, 'receiver stop failed');
      }
      openStoreRef.close();
      logger.info('stopped');
      process.exit(0);
    };
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    process.once('SIGINT', () => void shutdown('SIGINT'));
    return -1; // keep running
  } catch (err) {
    logger.fatal({ err_name: (err as Error)?.name, reason: (err as Error)?.message }, 'TFTSR failed to start');
    store?.close();
    return 1;
  }
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`TFTSR crashed at startup: ${(err as Error)?.name ?? 'Error'}\n`);
    process.exit(1);
  },
);
