import { createHash } from 'node:crypto';
import { constants, gunzipSync } from 'node:zlib';
import { BinaryInputError, type RedactionSpan, type Redactor } from '../redact/index.js';
import type { LogFile, Store } from '../store/index.js';

/** Default size cap for one log (setting `ingest.max_bytes` overrides it). */
export const DEFAULT_MAX_LOG_BYTES = 100 * 1024 * 1024;

export type LogRejectReason = 'too_large' | 'binary' | 'html' | 'size_mismatch' | 'empty' | 'unreadable';

/** A log that is refused, with a message fit for the thread (names the file, never its content). */
export class LogRejectedError extends Error {
  override readonly name = 'LogRejectedError';
  constructor(
    readonly reason: LogRejectReason,
    message: string,
  ) {
    super(message);
  }
}

export function maxLogBytes(store: Store): number {
  const raw = store.settings.get('ingest.max_bytes');
  const n = raw === undefined ? Number.NaN : Number(raw);
  return Number.isSafeInteger(n) && n > 0 ? n : DEFAULT_MAX_LOG_BYTES;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

const HTML_START = /^\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>])/i;

/**
 * Slack answers a download without the right token or scope with its HTML sign-in page and status 200. A file
 * named .html is taken at its word; anything else that starts like an HTML page is not a log.
 */
function looksLikeHtmlPage(head: Buffer, fileName: string): boolean {
  if (/\.x?html?$/i.test(fileName)) return false;
  return HTML_START.test(head.subarray(0, 512).toString('latin1'));
}

export interface IncomingLog {
  issueId: string;
  fileName: string;
  mimeType?: string | null;
  /**
   * The bytes exactly as received (a .gz stays compressed; it is decompressed for redaction): an array, or a stream
   * straight from the download so the file is never held whole in memory (then the size is checked at the end).
   */
  chunks: Buffer[] | AsyncIterable<Buffer>;
  userId: string;
  /** Where it came from: `slack://<team>/<file id>` or a local path for the CLI. */
  filePath: string;
  slackFileId?: string | null;
  /** The size Slack announced; a different received size means a truncated or substituted download. */
  announcedSize?: number | null;
}

export interface AttachLogResult {
  logFile: LogFile;
  /** false when this Slack file was already attached to the issue (a retried event): nothing new was stored. */
  created: boolean;
  countsByType: Record<string, number>;
  spanCount: number;
  lines: number;
  /** Size of the (decompressed) text that was redacted. */
  textBytes: number;
}

/** A download that is not the size Slack announced was cut off or substituted: refuse it. */
function checkReceivedSize(log: IncomingLog, received: number): void {
  if (log.announcedSize != null && log.announcedSize !== received) {
    throw new LogRejectedError(
      'size_mismatch',
      `${log.fileName}: received ${formatBytes(received)} but Slack announced ${formatBytes(log.announcedSize)}; ` +
        'the download was incomplete, nothing was stored. Upload it again.',
    );
  }
}

/**
 * Reads the first `bytes` of the input (to recognise gzip, binaries and web pages before anything is stored) and
 * gives back the whole input again as one stream: the chunks already read, then the rest. An array is consumed as it
 * is streamed (each chunk dropped once handed on), so the caller's copy is released as the log is stored.
 */
async function peekHead(
  input: Buffer[] | AsyncIterable<Buffer>,
  bytes: number,
): Promise<{ head: Buffer; chunks: () => AsyncIterable<Buffer> }> {
  if (Array.isArray(input)) {
    const first: Buffer[] = [];
    for (let i = 0, size = 0; i < input.length && size < bytes; i++) {
      first.push(input[i]!);
      size += input[i]!.length;
    }
    const head = Buffer.concat(first).subarray(0, bytes);
    return {
      head,
      chunks: async function* () {
        while (input.length) yield input.shift()!;
      },
    };
  }
  const iterator = input[Symbol.asyncIterator]();
  const seen: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < bytes) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    seen.push(next.value);
    size += next.value.length;
  }
  return {
    head: Buffer.concat(seen).subarray(0, bytes),
    chunks: async function* () {
      yield* seen.splice(0);
      if (done) return;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    },
  };
}

function isGzip(buf: Buffer | undefined): boolean {
  return !!buf && buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;
}

/** Spans and redacted bytes written per transaction: each stays in the low milliseconds, so acks keep flowing. */
export const INGEST_BATCH_SPANS = 20_000;
export const INGEST_BATCH_BYTES = 4 * 1024 * 1024;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Attaches a downloaded log to an issue: checks it is a text log, redacts it, and stores the original, the spans and
 * the redacted text in the encrypted store. The original never leaves it; callers show only the redacted text.
 *
 * A 100 MB log holds about a million spans: written in one transaction that blocks the app for ~10 s (Slack wants an
 * ack within 3 s). So the row is created as 'storing'; the original, the spans and the redacted text are written in
 * short transactions as the redactor goes (memory stays bounded: nothing is collected first); and a last
 * transaction flips the row to 'ready' with its `log_attach` audit entry. Only ready logs are listed, a failure
 * deletes the row (blobs and spans cascade), and rows a crash left 'storing' are removed at start
 * (`logFiles.removeUnfinished`): a half-written log is never seen. `log.chunks` is consumed (emptied) as it is stored.
 */
export async function attachLog(store: Store, redactor: Redactor, log: IncomingLog): Promise<AttachLogResult> {
  const existing = log.slackFileId ? store.logFiles.findBySlackFile(log.issueId, log.slackFileId) : undefined;
  if (existing) return describeExisting(store, existing);

  store.issues.require(log.issueId);
  const input = await peekHead(log.chunks, 64 * 1024);
  if (input.head.length === 0) throw new LogRejectedError('empty', `${log.fileName} is empty; nothing was stored.`);
  if (Array.isArray(log.chunks))
    checkReceivedSize(
      log,
      log.chunks.reduce((n, c) => n + c.length, 0),
    );
  const gzip = isGzip(input.head);
  const textHead = gzip ? gunzipHead(input.head, log.fileName) : input.head;
  if (looksLikeHtmlPage(textHead, log.fileName)) {
    throw new LogRejectedError(
      'html',
      `${log.fileName}: Slack sent a web page instead of the file (the app may lack the files:read scope); ` +
        'nothing was stored.',
    );
  }
  const encoding = gzip ? 'gzip' : 'identity';

  let row: LogFile;
  try {
    row = store.transaction(() =>
      store.logFiles.create({
        issue_id: log.issueId,
        file_name: log.fileName.slice(0, 500),
        file_path: log.filePath,
        mime_type: log.mimeType ?? null,
        slack_file_id: log.slackFileId ?? null,
        uploaded_by: log.userId,
        content_encoding: encoding,
        ingest_state: 'storing',
      }),
    );
  } catch (err) {
    // Two deliveries of the same file raced past the first check: the unique index kept one; answer with it.
    const again = log.slackFileId ? store.logFiles.findBySlackFile(log.issueId, log.slackFileId) : undefined;
    if (again) return describeExisting(store, again);
    throw err;
  }

  try {
    const countsByType: Record<string, number> = {};
    let spanCount = 0;
    let textBytes = 0;
    let newlines = 0;
    let lastByte = -1;
    let pendingSpans: RedactionSpan[] = [];
    let pendingOut: Buffer[] = [];
    let pendingBytes = 0;
    let redactedSeq = 0;
    let pendingOriginal: Buffer[] = [];
    let pendingOriginalBytes = 0;
    let originalSeq = 0;
    const flush = () => {
      const spans = pendingSpans;
      const out = pendingOut.length > 1 ? [Buffer.concat(pendingOut)] : pendingOut;
      const original = pendingOriginal;
      pendingSpans = [];
      pendingOut = [];
      pendingBytes = 0;
      pendingOriginal = [];
      pendingOriginalBytes = 0;
      store.transaction(() => {
        redactedSeq = store.logBlobs.append(row.id, 'redacted', redactedSeq, out).nextSeq;
        originalSeq = store.logBlobs.append(row.id, 'original', originalSeq, original).nextSeq;
        store.piiSpans.insertMany(
          row.id,
          spans.map((s) => ({
            pii_type: s.type,
            start_offset: s.start,
            end_offset: s.end,
            original_value: s.value,
            replacement: s.replacement,
          })),
        );
      });
    };
    // Each downloaded chunk is handed to the redactor and queued for storage as it is, then dropped from the
    // caller's array: what is in memory is the part not yet stored, not the whole file twice.
    const hash = createHash('sha256');
    let received = 0;
    const source = (async function* () {
      for await (const chunk of input.chunks()) {
        hash.update(chunk);
        received += chunk.length;
        pendingOriginal.push(chunk);
        pendingOriginalBytes += chunk.length;
        yield chunk;
      }
    })();
    try {
      const stream = redactor.redactStream(source, {
        onSpan: (s) => {
          pendingSpans.push(s);
          spanCount++;
          countsByType[s.type] = (countsByType[s.type] ?? 0) + 1;
        },
        onProgress: (bytesIn) => {
          textBytes = bytesIn; // decompressed bytes: what span offsets index into
        },
      });
      for await (const out of stream) {
        // Lines are counted on the redacted text: replacements never contain newlines.
        for (let i = out.indexOf(10); i !== -1; i = out.indexOf(10, i + 1)) newlines++;
        if (out.length) lastByte = out[out.length - 1]!;
        pendingOut.push(out);
        pendingBytes += out.length;
        if (
          pendingSpans.length >= INGEST_BATCH_SPANS ||
          pendingBytes >= INGEST_BATCH_BYTES ||
          pendingOriginalBytes >= INGEST_BATCH_BYTES
        ) {
          flush();
          await yieldToEventLoop();
        }
      }
    } catch (err) {
      if (err instanceof BinaryInputError) {
        throw new LogRejectedError(
          'binary',
          `${log.fileName} is not a text log (${err.message}); upload logs as text or .gz.`,
        );
      }
      throw new LogRejectedError('unreadable', `${log.fileName} could not be read as a log: ${safeReason(err)}.`);
    }
    flush();
    checkReceivedSize(log, received);
    const contentHash = hash.digest('hex');
    const lines = newlines + (textBytes > 0 && lastByte !== 10 ? 1 : 0);

    store.transaction(() => {
      store.logFiles.markReady(row.id, { lineCount: lines, fileSize: received, contentHash });
      store.audit.append({
        action: 'log_attach',
        entity_type: 'log_file',
        entity_id: row.id,
        user_id: log.userId,
        details: {
          issue_id: log.issueId,
          sha256: contentHash,
          bytes: received,
          lines,
          spans: spanCount,
          spans_by_type: countsByType,
          encoding,
          ...(log.slackFileId ? { slack_file_id: log.slackFileId } : {}),
        },
      });
    });
    return { logFile: store.logFiles.get(row.id)!, created: true, countsByType, spanCount, lines, textBytes };
  } catch (err) {
    store.logFiles.delete(row.id);
    throw err;
  }
}

function describeExisting(store: Store, logFile: LogFile): AttachLogResult {
  const countsByType = store.piiSpans.countsByType(logFile.id);
  return {
    logFile,
    created: false,
    countsByType,
    spanCount: Object.values(countsByType).reduce((a, b) => a + b, 0),
    lines: logFile.line_count ?? 0,
    textBytes: store.logBlobs.size(logFile.id, 'redacted'),
  };
}

/** The first decompressed bytes of a gzip log (from its first 64 KiB: enough to recognise a web page). */
function gunzipHead(prefix: Buffer, fileName: string): Buffer {
  try {
    return gunzipSync(prefix, { finishFlush: constants.Z_SYNC_FLUSH }).subarray(0, 4096);
  } catch {
    throw new LogRejectedError('unreadable', `${fileName} looks like gzip but could not be decompressed.`);
  }
}

/** Error text that is safe to show: the redaction engine's messages name rules and offsets, never values. */
function safeReason(err: unknown): string {
  const msg = err instanceof Error ? err.message : 'unknown error';
  return msg.length > 200 ? `${msg.slice(0, 200)}…` : msg;
}

/**
 * A short excerpt of the redacted text for the thread summary: the first lines that had something redacted
 * (so people see what was caught), else the first lines. Never more than maxChars.
 */
export function redactedExcerpt(store: Store, logFileId: string, maxLines = 5, maxChars = 800): string {
  const head = store.logBlobs.head(logFileId, 'redacted', 64 * 1024).toString('utf8');
  const lines = head.split(/\r?\n/).slice(0, -1).length ? head.split(/\r?\n/) : [head];
  const interesting = lines.filter((l) => /\[[A-Za-z][A-Za-z0-9]*\]/.test(l));
  const picked = (interesting.length ? interesting : lines).filter((l) => l.trim()).slice(0, maxLines);
  let out = '';
  for (const line of picked) {
    const clipped = line.length > 200 ? `${line.slice(0, 199)}…` : line;
    if (out.length + clipped.length + 1 > maxChars) break;
    out += `${clipped}\n`;
  }
  return out.trimEnd();
}
