import type { RedactionSpan } from './types.js';

/**
 * Regenerates redacted bytes from the original bytes and the spans to keep (e.g. after a reviewer rejected false
 * positives). Spans may come in any order but must lie inside `original` and must not overlap.
 */
export function applySpans(original: Buffer, spans: RedactionSpan[]): Buffer {
  const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  const parts: Buffer[] = [];
  let pos = 0;
  for (const sp of sorted) {
    if (!Number.isInteger(sp.start) || !Number.isInteger(sp.end) || sp.start < pos || sp.end < sp.start) {
      throw new Error(`applySpans: span ${sp.type} [${sp.start}, ${sp.end}) overlaps another or is malformed`);
    }
    if (sp.end > original.length) {
      throw new Error(
        `applySpans: span ${sp.type} [${sp.start}, ${sp.end}) is outside the ${original.length}-byte input`,
      );
    }
    parts.push(original.subarray(pos, sp.start), Buffer.from(sp.replacement, 'utf8'));
    pos = sp.end;
  }
  parts.push(original.subarray(pos));
  return Buffer.concat(parts);
}
