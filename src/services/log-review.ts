import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { applySpans } from '../redact/index.js';
import type { LogFile, PiiSpan, Rejections, SpanDecision, Store } from '../store/index.js';

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

/** What the review modal shows: spans grouped by type, with counts and examples in redacted context. */
export function buildRedactionReview(store: Store, logFileId: string, maxValuesPerType = 8): RedactionReview {
  const logFile = store.logFiles.get(logFileId);
  if (!logFile) throw new Error(`log file ${logFileId} not found`);
  const distinct = store.piiSpans.distinctValues(logFileId);
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
 * Applies a reviewer's verdicts: rejected spans are shown as they are from now on, the rest stay redacted; the
 * redacted text is regenerated from the original, the log marked reviewed (`redacted = 1`), and a
 * `redaction_review` audit entry written — all in one transaction.
 */
export function applyRedactionReview(store: Store, decision: ReviewDecision): ReviewOutcome {
  const logFile = store.logFiles.get(decision.logFileId);
  if (!logFile) throw new Error(`log file ${decision.logFileId} not found`);
  const rejectTypes = new Set(decision.rejectTypes);
  const rejectKeys = new Set(decision.rejectValueKeys);
  const text = originalText(store, logFile);
  return store.transaction(() => {
    store.piiSpans.decide(logFile.id, { types: [...rejectTypes], valueSpanIds: [...rejectKeys] });
    const { pieces, countsByType } = store.piiSpans.redactWithKept(logFile.id, text);
    // Kept spans are the non-rejected ones, counted while rebuilding: no further pass over a million rows.
    const approved = Object.values(countsByType).reduce((a, b) => a + b, 0);
    const rejected = store.piiSpans.countOf(logFile.id) - approved;
    const sha256Redacted = createHash('sha256');
    for (const piece of pieces) sha256Redacted.update(piece);
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
        rejected_types: [...rejectTypes].slice(0, 50),
        rejected_values: rejectKeys.size,
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
