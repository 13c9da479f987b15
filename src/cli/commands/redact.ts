import fs from 'node:fs';
import type { Command } from 'commander';
// The modules themselves, not the package index: the index also loads the settings reader (zod), unused here.
import { createRedactor } from '../../redact/redactor.js';
import { PII_TYPES } from '../../redact/rules.js';
import { BinaryInputError } from '../../redact/sniff.js';
import type { RedactionSpan } from '../../redact/types.js';
import { CliError } from '../program.js';

export interface RedactCommandIo {
  /** Redacted bytes (or JSON) go here; a byte stream so non-UTF-8 input round-trips exactly. */
  stdout: NodeJS.WritableStream;
  stderr: (text: string) => void;
  stdin: NodeJS.ReadableStream;
}

interface RedactOptions {
  json?: boolean;
  types?: string;
  stats?: boolean;
  showOriginals?: boolean;
  jobs?: string;
}

function write(out: NodeJS.WritableStream, data: string | Buffer): Promise<void> | undefined {
  // Honour back-pressure: a 1 GB log must not pile up in memory when stdout is a slow pipe.
  if (out.write(data)) return undefined;
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      out.off('error', onError);
      resolve();
    };
    const onError = (err: Error) => {
      out.off('drain', onDrain);
      reject(err);
    };
    out.once('drain', onDrain);
    out.once('error', onError);
  });
}

function enabledTypesToDisabled(types: string | undefined): string[] {
  if (types === undefined) return [];
  const wanted = types
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const unknown = wanted.filter((t) => !PII_TYPES.includes(t));
  if (unknown.length > 0 || wanted.length === 0) {
    throw new CliError(
      `--types: unknown type(s) ${unknown.join(', ') || '(none given)'}; known: ${PII_TYPES.join(', ')}`,
    );
  }
  return PII_TYPES.filter((t) => !wanted.includes(t));
}

function openInput(file: string, io: RedactCommandIo): NodeJS.ReadableStream {
  if (file === '-') return io.stdin;
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    fs.accessSync(file, fs.constants.R_OK);
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  return fs.createReadStream(file, { highWaterMark: 1 << 18 });
}

function spanJson(s: RedactionSpan, showOriginals: boolean): string {
  const { type, start, end, replacement } = s;
  return JSON.stringify(
    showOriginals ? { type, start, end, replacement, value: s.value } : { type, start, end, replacement },
  );
}

/**
 * `tftsr redact <file|-> [--json] [--types a,b] [--stats] [--show-originals] [--jobs n]`
 * Redacted text to stdout (gzip input is decompressed). `--json` prints
 * `{"spans":[…],"counts":{…},"bytes":N}` instead, streamed span by span; original values only with
 * `--show-originals`. `--stats` prints counts per type to stderr. Unreadable or binary input throws a CliError
 * (one line on stderr, exit 1, through the program's error handling).
 */
export function registerRedactCommand(program: Command, ioOverrides: Partial<RedactCommandIo> = {}): void {
  const io: RedactCommandIo = {
    stdout: ioOverrides.stdout ?? process.stdout,
    stderr: ioOverrides.stderr ?? ((t) => process.stderr.write(t)),
    stdin: ioOverrides.stdin ?? process.stdin,
  };
  program
    .command('redact')
    .description('redact PII and secrets from a log file (or - for stdin) and print the result')
    .argument('<file>', 'log file (plain or gzip), or - for stdin')
    .option('--json', 'print the spans as JSON instead of the redacted text')
    .option('--types <list>', `only these types, comma-separated (${PII_TYPES.length} built in)`)
    .option('--stats', 'print counts per type to stderr')
    .option('--show-originals', 'with --json: include original values (sensitive!)')
    .option('--jobs <n>', 'scan on n worker threads once the input is past a few MB (default: 1, this thread)')
    .action(async (file: string, opts: RedactOptions) => {
      const redactor = createRedactor({ disabledTypes: enabledTypesToDisabled(opts.types) });
      const jobs = opts.jobs === undefined ? 1 : Number(opts.jobs);
      if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64)
        throw new CliError('--jobs must be an integer from 1 to 64');
      const input = openInput(file, io);
      const counts: Record<string, number> = {};
      let pendingJson: string[] = [];
      let spanCount = 0;
      let bytes = 0;
      // Span objects (with decoded values) only for --json: counts come from the stream itself.
      const onSpan = opts.json
        ? (s: RedactionSpan) => {
            pendingJson.push(`${spanCount === 0 ? '\n' : ',\n'}${spanJson(s, opts.showOriginals === true)}`);
            spanCount++;
          }
        : undefined;
      try {
        if (opts.json) await write(io.stdout, '{"spans":[');
        for await (const chunk of redactor.redactStream(input, {
          ...(onSpan ? { onSpan } : {}),
          countsByType: counts,
          onProgress: (n) => (bytes = n),
          workers: jobs > 1 ? jobs : 0,
        })) {
          if (opts.json) {
            if (pendingJson.length > 0) await write(io.stdout, pendingJson.join(''));
            pendingJson = [];
          } else {
            await write(io.stdout, chunk);
          }
        }
        if (opts.json) await write(io.stdout, `\n],"counts":${JSON.stringify(counts)},"bytes":${bytes}}\n`);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EPIPE') return; // reader went away (e.g. `| head`)
        if (err instanceof BinaryInputError) throw new CliError(`${file === '-' ? 'stdin' : file}: ${err.message}`);
        const code = (err as NodeJS.ErrnoException).code;
        if (code && /^E[A-Z]+$/.test(code)) throw new CliError(`cannot read ${file}: ${code}`);
        throw new CliError(`${file === '-' ? 'stdin' : file}: ${(err as Error).message}`);
      } finally {
        if ('destroy' in input && input !== io.stdin) (input as fs.ReadStream).destroy();
      }
      if (opts.stats) {
        spanCount = Object.values(counts).reduce((a, b) => a + b, 0);
        const lines = Object.entries(counts)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([t, n]) => `${t}\t${n}\n`);
        io.stderr(`${lines.join('')}total\t${spanCount}\tbytes\t${bytes}\n`);
      }
    });
}
