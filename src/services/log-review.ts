import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { applySpans } from '../redact/index.js';
import type { LogFile, PiiSpan, Rejections, SpanDecision, SpanRow, Store } from '../store/index.js';

/**
 * Who sees original values: nobody, in Slack. A reviewer decides from the type, the value's length and the value's
 * place in the redacted line — originals stay in the encrypted store (the CLI's `--show-originals` on a local file
 * is the only way to print one, and it is the operator's own file).
 */

export interface ReviewValue {
  /**
   * The handle review forms use for this value (it travels through Slack): the id of its first span, so it says
   * nothing about the value. A hash of the value would not do: short values (an SSN, a card, a phone number, an IP)
   * are recovered from an unsalted hash by trying them all.
   */
  key: string;
  occurrences: number;
  /** Length of the original value in characters: a hint, never the value. */
  length: number;
  /** The redacted line around the first occurrence, the value marked by its replacement token. */
  context: string;
  decision: SpanDecision;
}

export interface ReviewGroup {
  type: string;
  occurrences: number;
  distinctValues: number;
  /** The first values of the type (by first occurrence), up to the per-type limit. */
  values: ReviewValue[];
}

export interface RedactionReview {
  logFile: LogFile;
  groups: ReviewGroup[];
  totalSpans: number;
}

/** The original text of a log, decompressed: what span offsets index into. Stays inside services. */
function originalText(store: Store, logFile: LogFile): Buffer {
  const raw = store.logBlobs.read(logFile.id, 'original');
  return logFile.content_encoding === 'gzip' ? gunzipSync(raw) : raw;
}

/** How far before a window a span may start and still reach into it (a PEM block spans lines). */
const SPAN_REACH = 64 * 1024;

/** The line around [start, end), with every span inside it that is not released replaced by its token. */
function redactedContext(
  text: Buffer,
  spansNear: (from: number, to: number) => PiiSpan[],
  rejections: Rejections,
  start: number,
  end: number,
  maxChars = 160,
): string {
  let lineStart = text.lastIndexOf(10, start - 1) + 1;
  let lineEnd = text.indexOf(10, end);
  if (lineEnd === -1) lineEnd = text.length;
  // Keep the window modest on very long lines, widening it to whole spans so no value is cut in half.
  lineStart = Math.max(lineStart, start - maxChars);
  lineEnd = Math.min(lineEnd, end + maxChars);
  const spans = spansNear(Math.max(0, lineStart - SPAN_REACH), lineEnd);
  const inside = spans.filter(
    (s) => s.end_offset > lineStart && s.start_offset < lineEnd && !rejections.has(s.pii_type, s.original_value),
  );
  for (const s of inside) {
    lineStart = Math.min(lineStart, s.start_offset);
    lineEnd = Math.max(lineEnd, s.end_offset);
  }
  const window = text.subarray(lineStart, lineEnd);
  const redacted = applySpans(
    window,
    inside.map((s) => ({
      type: s.pii_type,
      start: s.start_offset - lineStart,
      end: s.end_offset - lineStart,
      value: '',
      replacement: s.start_offset === start && s.end_offset === end ? `⟦${s.replacement}⟧` : s.replacement,
    })),
  );
  return redacted.toString('utf8').replace(/\r$/, '').trim();
}

/** Spans read per step when walking a log: each step is a few milliseconds, then the app answers what waits. */
export const REVIEW_CHUNK_SPANS = 20_000;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Every span of a log in offset order, a chunk at a time, letting the event loop run between chunks. */
async function* spansOf(store: Store, logFileId: string): AsyncGenerator<SpanRow[]> {
  let after = -1;
  for (;;) {
    const rows = store.piiSpans.chunkAfter(logFileId, after, REVIEW_CHUNK_SPANS);
    if (rows.length > 0) yield rows;
    if (rows.length < REVIEW_CHUNK_SPANS) return;
    after = rows[rows.length - 1]!.start_offset;
    await yieldToEventLoop();
  }
}

export interface DistinctValue {
  pii_type: string;
  original_value: string;
  occurrences: number;
  /** The id of the value's first span: the opaque handle review forms use for it (ReviewValue.key). */
  first_id: string;
  first_start: number;
  first_end: number;
  decision: SpanDecision;
}

/**
 * A log's distinct detected values, by type (types sorted, values in order of first occurrence), with their current
 * verdict: what a reviewer decides on. One walk over the spans, grouped in memory (a GROUP BY sorted a million
 * strings in a temporary B-tree: 10 s on a 100 MB log).
 */
export async function distinctValues(store: Store, logFileId: string): Promise<DistinctValue[]> {
  const rejections = store.piiSpans.rejections(logFileId);
  const byType = new Map<string, Map<string, DistinctValue>>();
  for await (const rows of spansOf(store, logFileId)) {
    for (const row of rows) {
      let values = byType.get(row.pii_type);
      if (!values) {
        values = new Map();
        byType.set(row.pii_type, values);
      }
      let entry = values.get(row.original_value);
      if (!entry) {
        entry = {
          pii_type: row.pii_type,
          original_value: row.original_value,
          occurrences: 0,
          first_id: row.id,
          first_start: row.start_offset,
          first_end: row.end_offset,
          decision: rejections.has(row.pii_type, row.original_value) ? 'rejected' : 'pending',
        };
        values.set(row.original_value, entry);
      }
      entry.occurrences++;
    }
  }
  const out: DistinctValue[] = [];
  for (const type of [...byType.keys()].sort()) out.push(...byType.get(type)!.values());
  return out;
}

/** What the review modal shows: spans grouped by type, with counts and examples in redacted context. */
export async function buildRedactionReview(
  store: Store,
  logFileId: string,
  maxValuesPerType = 8,
): Promise<RedactionReview> {
  const logFile = store.logFiles.get(logFileId);
  if (!logFile) throw new Error(`log file ${logFileId} not found`);
  const distinct = await distinctValues(store, logFileId);
  const spansNear = (from: number, to: number) => store.piiSpans.between(logFileId, from, to);
  const rejections = store.piiSpans.rejections(logFileId);
  const text = distinct.length ? originalText(store, logFile) : Buffer.alloc(0);
  let totalSpans = 0;
  const groups = new Map<string, ReviewGroup>();
  for (const v of distinct) {
    let group = groups.get(v.pii_type);
    if (!group) {
      group = { type: v.pii_type, occurrences: 0, distinctValues: 0, values: [] };
      groups.set(v.pii_type, group);
    }
    group.occurrences += v.occurrences;
    totalSpans += v.occurrences;
    group.distinctValues++;
    if (group.values.length < maxValuesPerType) {
      group.values.push({
        key: v.first_id,
        occurrences: v.occurrences,
        length: [...v.original_value].length,
        context: redactedContext(text, spansNear, rejections, v.first_start, v.first_end),
        decision: v.decision,
      });
    }
  }
  return { logFile, groups: [...groups.values()], totalSpans };
}

/**
 * The redacted text of a log under a verdict: the original with every span that is not released replaced by its
 * token, in ~1 MiB pieces, with the kept spans counted per type. Reads only, a chunk at a time.
 */
async function rebuildRedacted(
  store: Store,
  logFileId: string,
  original: Buffer,
  rejections: Rejections,
): Promise<{ pieces: Buffer[]; countsByType: Record<string, number> }> {
  const pieces: Buffer[] = [];
  const countsByType: Record<string, number> = {};
  const tokens = new Map<string, Buffer>();
  let parts: Buffer[] = [];
  let size = 0;
  let pos = 0;
  const push = (b: Buffer) => {
    parts.push(b);
    size += b.length;
    if (size >= 1024 * 1024) {
      pieces.push(Buffer.concat(parts));
      parts = [];
      size = 0;
    }
  };
  for await (const rows of spansOf(store, logFileId)) {
    for (const s of rows) {
      if (rejections.has(s.pii_type, s.original_value)) continue;
      if (s.start_offset < pos || s.end_offset > original.length) {
        throw new Error(`span of type ${s.pii_type} at ${s.start_offset} overlaps another or lies outside the log`);
      }
      countsByType[s.pii_type] = (countsByType[s.pii_type] ?? 0) + 1;
      let token = tokens.get(s.replacement);
      if (!token) {
        token = Buffer.from(s.replacement, 'utf8');
        tokens.set(s.replacement, token);
      }
      push(original.subarray(pos, s.start_offset));
      push(token);
      pos = s.end_offset;
    }
  }
  push(original.subarray(pos));
  if (parts.length) pieces.push(Buffer.concat(parts));
  return { pieces, countsByType };
}

export interface ReviewDecision {
  logFileId: string;
  userId: string;
  /** Types whose every span is a false positive. */
  rejectTypes: string[];
  /** ReviewValue keys of single values that are false positives (every span with that type and value). */
  rejectValueKeys: string[];
}

export interface ReviewOutcome {
  logFile: LogFile;
  rejected: number;
  approved: number;
  countsByType: Record<string, number>;
}

/**
 * Applies a reviewer's verdicts: rejected spans are shown as they are from now on, the rest stay redacted. The new
 * redacted text is rebuilt from the original first, reading a chunk of spans at a time (a log may carry a million);
 * then one short transaction records the verdict, replaces the redacted text, marks the log reviewed
 * (`redacted = 1`) and writes the `redaction_review` audit entry. Spans never change after ingest, so the text
 * rebuilt is the text of this verdict; a concurrent review that commits in between is simply replaced by this one.
 */
export async function applyRedactionReview(store: Store, decision: ReviewDecision): Promise<ReviewOutcome> {
  const logFile = store.logFiles.get(decision.logFileId);
  if (!logFile) throw new Error(`log file ${decision.logFileId} not found`);
  const rejectTypes = [...new Set(decision.rejectTypes)];
  const rejectKeys = [...new Set(decision.rejectValueKeys)];
  const rejections = store.piiSpans.resolveRejections(logFile.id, { types: rejectTypes, valueSpanIds: rejectKeys });
  const { pieces, countsByType } = await rebuildRedacted(store, logFile.id, originalText(store, logFile), rejections);
  const approved = Object.values(countsByType).reduce((a, b) => a + b, 0);
  const rejected = store.piiSpans.countOf(logFile.id) - approved;
  const sha256Redacted = createHash('sha256');
  for (const piece of pieces) sha256Redacted.update(piece);
  return store.transaction(() => {
    if (!store.logFiles.get(logFile.id)) throw new Error(`log file ${logFile.id} not found`);
    store.piiSpans.setRejections(logFile.id, rejections);
    store.logBlobs.write(logFile.id, 'redacted', pieces);
    store.logFiles.setRedacted(logFile.id, true);
    store.audit.append({
      action: 'redaction_review',
      entity_type: 'log_file',
      entity_id: logFile.id,
      user_id: decision.userId,
      details: {
        issue_id: logFile.issue_id,
        rejected,
        approved,
        rejected_types: rejectTypes.slice(0, 50),
        rejected_values: rejectKeys.length,
        sha256_redacted: sha256Redacted.digest('hex'),
      },
    });
    return { logFile: store.logFiles.get(logFile.id)!, rejected, approved, countsByType };
  });
}

/** The redacted text for a download into Slack, with a `redacted_download` audit entry. */
export function takeRedactedDownload(
  store: Store,
  logFileId: string,
  userId: string,
): { logFile: LogFile; text: Buffer } {
  const logFile = store.logFiles.get(logFileId);
  if (!logFile) throw new Error(`log file ${logFileId} not found`);
  const text = store.logBlobs.read(logFileId, 'redacted');
  store.audit.append({
    action: 'redacted_download',
    entity_type: 'log_file',
    entity_id: logFileId,
    user_id: userId,
    details: {
      issue_id: logFile.issue_id,
      bytes: text.length,
      sha256_redacted: createHash('sha256').update(text).digest('hex'),
    },
  });
  return { logFile, text };
}
