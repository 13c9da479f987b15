import type { RedactionSpan, Redactor, RedactStreamOptions } from '../../src/redact/index.js';

/** Feeds `data` to redactStream in pieces of the given sizes (cycled), collecting output and spans. */
export async function streamRedact(
  redactor: Redactor,
  data: Buffer,
  pieceSizes: number[],
  opts: Omit<RedactStreamOptions, 'onSpan'> = {},
): Promise<{ out: Buffer; spans: RedactionSpan[] }> {
  const spans: RedactionSpan[] = [];
  async function* pieces() {
    let pos = 0;
    let i = 0;
    while (pos < data.length) {
      const n = Math.max(1, pieceSizes[i++ % pieceSizes.length]!);
      yield data.subarray(pos, pos + n);
      pos += n;
    }
  }
  const out: Buffer[] = [];
  for await (const chunk of redactor.redactStream(pieces(), { ...opts, onSpan: (s) => spans.push(s) })) out.push(chunk);
  return { out: Buffer.concat(out), spans };
}
