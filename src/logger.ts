import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Field names whose values are never written, wherever they appear in a log object. Log calls pass ids, counts and
 * hashes; this is the second line of defence for the day someone logs a whole payload or config.
 */
const SECRET_FIELDS = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'key',
  'dbKey',
  'password',
  'secret',
  'authorization',
  'cookie',
  'text',
  'value',
  'original_value',
  'content',
  'content_md',
];

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const paths = SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]);
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      base: { app: 'tftsr' },
      redact: { paths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ dest: 2, sync: true }),
  );
}

/** A logger that drops everything: for library callers (CLI, tests) that do not want output. */
export const silentLogger: Logger = pino({ level: 'silent' });
