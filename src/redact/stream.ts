/**
 * Streaming redaction with bounded memory. Input is cut into units at line ends (about `chunkSize` bytes each) and
 * every unit is scanned on its own. Because no rule matches across a newline (PrivateKey aside, see below), a unit
 * scan finds exactly what a one-pass scan of the whole input finds, wherever the input's own chunks fall.
 *
 * PEM blocks span lines: when a `-----BEGIN` near the end of a unit has no `-----END` after it, the cut moves to the
 * start of that BEGIN line so the whole block lands in the next unit. Lines longer than MAX_LINE_BYTES are cut at the
 * last blank before the limit (exactness is guaranteed for lines up to that size; a 1 GB single-line file still runs
 * in bounded memory).
 */
import { createGunzip } from 'node:zlib';
import { type CompiledRules, countLines, type RedactedUnit, redactUnit } from './engine.js';
import { ScanPool } from './pool.js';
import type { ScanResult } from './scan-worker.js';
import { assertTextHead, isGzip, SNIFF_BYTES } from './sniff.js';
import type { RedactConfig, RedactionSpan, RedactStreamOptions } from './types.js';

export const DEFAULT_CHUNK_SIZE = 1 << 18;
export const MAX_LINE_BYTES = 16 << 20;
/** Longer than any PrivateKey match can be (16 KiB body + headers, or 150 truncated key lines). */
const PEM_WINDOW = 32 << 10;
/** Units scanned in the calling thread before worker threads (if asked for) are started. */
const UNITS_BEFORE_WORKERS = 4;

export type ByteSource = AsyncIterable<Buffer | Uint8Array | string> | NodeJS.ReadableStream;

async function* asBuffers(input: ByteSource): AsyncGenerator<Buffer> {
  for await (const chunk of input as AsyncIterable<Buffer | Uint8Array | string>) {
    if (typeof chunk === 'string') yield Buffer.from(chunk, 'utf8');
    else if (Buffer.isBuffer(chunk)) yield chunk;
    else yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}

/** Yields decompressed (when gzip) and sniffed (binary refused) bytes. */
export async function* decodedBytes(input: ByteSource): AsyncGenerator<Buffer> {
  const it = asBuffers(input)[Symbol.asyncIterator]();
  const headParts: Buffer[] = [];
  let headLen = 0;
  let done = false;
  while (headLen < SNIFF_BYTES) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    headParts.push(r.value);
    headLen += r.value.length;
  }
  const head = Buffer.concat(headParts, headLen);
  async function* raw(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  if (isGzip(head)) {
    const gunzip = createGunzip();
    const feed = (async () => {
      for await (const b of raw()) {
        if (!gunzip.write(b)) await new Promise((res) => gunzip.once('drain', res));
      }
      gunzip.end();
    })();
    feed.catch((err: unknown) => gunzip.destroy(err instanceof Error ? err : new Error(String(err))));
    yield* sniffed(gunzipped(gunzip));
    await feed;
  } else {
    yield* sniffed(raw());
  }
}

async function* gunzipped(gunzip: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  try {
    yield* gunzip;
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new Error(`gzip input is corrupt or truncated${code ? ` (${code})` : ''}`);
  }
}

async function* sniffed(src: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let checked = 0;
  const held: Buffer[] = [];
  for await (const b of src) {
    if (checked < SNIFF_BYTES) {
      held.push(b);
      checked += b.length;
      if (checked < SNIFF_BYTES) continue;
      assertTextHead(Buffer.concat(held));
      yield* held;
      held.length = 0;
      continue;
    }
    yield b;
  }
  if (held.length > 0) {
    assertTextHead(Buffer.concat(held));
    yield* held;
  }
}

/** Where to end the unit taken from `pending` (length `len`, last newline at `lastNl`), or 0 to wait for more input. */
function cutPoint(pending: Buffer, len: number, lastNl: number, chunkSize: number, final: boolean): number {
  if (final) return len;
  if (lastNl < 0) {
    if (len < MAX_LINE_BYTES) return 0;
    const from = len - 65536;
    const blank = Math.max(pending.lastIndexOf(32, len - 1), pending.lastIndexOf(9, len - 1));
    return blank >= from ? blank + 1 : len;
  }
  // About chunkSize per unit: the last line end before it, else the first one after it.
  const nlBefore = len > chunkSize ? pending.lastIndexOf(10, chunkSize - 1) : lastNl;
  let cut = (nlBefore >= 0 ? nlBefore : pending.indexOf(10, chunkSize)) + 1;
  for (;;) {
    const lastEnd = lastIndexBefore(pending, END_MARK, cut);
    const begin = indexBefore(pending, BEGIN_MARK, Math.max(lastEnd + 1, cut - PEM_WINDOW), cut);
    if (begin === -1) return cut;
    const lineStart = begin === 0 ? 0 : pending.lastIndexOf(10, begin - 1) + 1;
    if (lineStart > 0) return lineStart;
    // The block opens the unit: extend the unit until it can hold any PEM match, or wait for that much input.
    const farEnough = pending.indexOf(10, begin + PEM_WINDOW);
    if (farEnough === -1 || farEnough >= len) return len >= MAX_LINE_BYTES ? cut : 0;
    cut = farEnough + 1;
  }
}

const END_MARK = Buffer.from('-----END', 'latin1');
const BEGIN_MARK = Buffer.from('-----BEGIN', 'latin1');

/** Last start of `needle` wholly inside pending[0, end), or -1. */
function lastIndexBefore(pending: Buffer, needle: Buffer, end: number): number {
  return end < needle.length ? -1 : pending.lastIndexOf(needle, end - needle.length);
}

/** First start of `needle` at or after `from` wholly inside pending[0, end), or -1. */
function indexBefore(pending: Buffer, needle: Buffer, from: number, end: number): number {
  const i = pending.indexOf(needle, Math.max(0, from));
  return i !== -1 && i + needle.length <= end ? i : -1;
}

export interface StreamTotals {
  bytes: number;
  lines: number;
  lastByte: number;
}

/**
 * Redacts a byte stream unit by unit. Spans go to `opts.onSpan` with absolute byte offsets into the decompressed
 * input; `totals` (when given) is filled in as the stream is consumed.
 */
export async function* redactByteStream(
  input: ByteSource,
  compiled: CompiledRules,
  config: RedactConfig,
  opts: RedactStreamOptions = {},
  totals?: StreamTotals,
): AsyncGenerator<Buffer> {
  const chunkSize = Math.max(1, opts.chunkSize ?? DEFAULT_CHUNK_SIZE);
  const workers = Math.max(0, Math.floor(opts.workers ?? 0));
  let pieces: Buffer[] = [];
  let len = 0;
  let lastNl = -1;
  let base = 0;
  let units = 0;
  let pool: ScanPool | undefined;
  // Units in flight on workers, oldest first; results are emitted strictly in input order.
  const inFlight: Array<{ unit: Buffer; base: number; result: Promise<ScanResult> }> = [];

  /** Reports one redacted unit (spans, counts, totals, progress) and returns its output bytes. */
  const deliver = (unit: Buffer, unitBase: number, r: RedactedUnit, lines: number): Buffer => {
    const { spans, types } = r;
    const counts = opts.countsByType;
    if (counts && spans.length > 0) {
      const perType = new Int32Array(types.length);
      for (let i = 2; i < spans.length; i += 3) perType[spans[i]!]!++;
      for (let t = 0; t < types.length; t++)
        if (perType[t]! > 0) counts[types[t]!] = (counts[types[t]!] ?? 0) + perType[t]!;
    }
    if (opts.onSpan) {
      for (let i = 0; i < spans.length; i += 3) {
        const type = types[spans[i + 2]!]!;
        const start = spans[i]!;
        const end = spans[i + 1]!;
        opts.onSpan({
          type,
          start: unitBase + start,
          end: unitBase + end,
          value: unit.toString('utf8', start, end),
          replacement: `[${type}]`,
        } satisfies RedactionSpan);
      }
    }
    if (totals) {
      totals.lines += lines;
      totals.bytes += unit.length;
      totals.lastByte = unit[unit.length - 1]!;
    }
    opts.onProgress?.(unitBase + unit.length);
    return r.out;
  };

  /** Hands a unit to a worker; returns a finished unit's output once enough are in flight. */
  async function dispatch(unit: Buffer, drainAll: boolean): Promise<Buffer[]> {
    pool ??= new ScanPool(workers, config);
    if (unit.length > 0) {
      const copy = new Uint8Array(unit.length); // transferred to the worker; `unit` stays for span values
      copy.set(unit);
      inFlight.push({ unit, base, result: pool.scan(copy) });
      base += unit.length;
    }
    const out: Buffer[] = [];
    while (inFlight.length > (drainAll ? 0 : workers * 2)) {
      const next = inFlight.shift()!;
      const r = await next.result;
      out.push(
        deliver(
          next.unit,
          next.base,
          { out: Buffer.from(r.out.buffer, r.out.byteOffset, r.out.byteLength), spans: r.spans, types: r.types },
          r.lines,
        ),
      );
    }
    return out;
  }
  const useWorkers = () => workers > 1 && units >= UNITS_BEFORE_WORKERS;

  /** Scans one unit in this thread: the first `length` bytes of `bytes`. */
  const emit = (bytes: Buffer, length: number): Buffer => {
    const unit = bytes.subarray(0, length);
    const unitBase = base;
    base += length;
    return deliver(unit, unitBase, redactUnit(unit, compiled), totals ? countLines(unit) : 0);
  };

  try {
    for await (const chunk of decodedBytes(input)) {
      if (chunk.length === 0) continue;
      pieces.push(chunk);
      const nl = chunk.lastIndexOf(10);
      if (nl !== -1) lastNl = len + nl;
      len += chunk.length;
      while (len >= chunkSize && (lastNl >= 0 || len >= MAX_LINE_BYTES)) {
        const pending = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, len);
        const cut = cutPoint(pending, len, lastNl, chunkSize, false);
        if (cut === 0) {
          pieces = [pending];
          break;
        }
        if (useWorkers()) yield* await dispatch(pending.subarray(0, cut), false);
        else yield emit(pending, cut);
        units++;
        const rest = pending.subarray(cut, len); // a view, not a copy: a 100 MB buffer is not copied per unit
        pieces = rest.length > 0 ? [rest] : [];
        len = rest.length;
        lastNl = rest.lastIndexOf(10);
        if (lastNl === -1 || len < chunkSize) break;
      }
    }
    if (useWorkers() || inFlight.length > 0) {
      yield* await dispatch(Buffer.concat(pieces, len), true);
    } else if (len > 0) {
      const pending = Buffer.concat(pieces, len);
      yield emit(pending, len);
    }
  } finally {
    await pool?.close();
  }
}
