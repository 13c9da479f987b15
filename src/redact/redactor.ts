import { normalizeConfig } from './config.js';
import { compileRules, redactUnit } from './engine.js';
import { type ByteSource, redactByteStream, type StreamTotals } from './stream.js';
import type { RedactBufferResult, RedactConfig, RedactionSpan, Redactor, RedactStreamOptions } from './types.js';

/** Builds a redactor; throws a clear Error (naming the rule or type, never a value) on bad configuration. */
export function createRedactor(config: RedactConfig = {}): Redactor {
  const normalized = normalizeConfig(config);
  const compiled = compileRules(normalized);
  const activeTypes = Object.freeze([...new Set(compiled.rules.map((r) => r.type))]);

  // Each stream gets its own regex instances: `lastIndex` is per-regex state and streams interleave across awaits.
  const fresh = () => compileRules(normalized);

  return {
    activeTypes,
    redactText(text: string) {
      const bytes = Buffer.from(text, 'utf8');
      const r = redactUnit(bytes, compiled);
      const spans: RedactionSpan[] = [];
      for (let i = 0; i < r.spans.length; i += 3) {
        const type = r.types[r.spans[i + 2]!]!;
        const start = r.spans[i]!;
        const end = r.spans[i + 1]!;
        spans.push({ type, start, end, value: bytes.toString('utf8', start, end), replacement: `[${type}]` });
      }
      return { text: r.out.toString('utf8'), spans };
    },
    redactStream(input: ByteSource, opts?: RedactStreamOptions) {
      return redactByteStream(input, fresh(), config, opts);
    },
    async redactBuffer(buf: Buffer): Promise<RedactBufferResult> {
      const spans: RedactionSpan[] = [];
      const totals: StreamTotals = { bytes: 0, lines: 0, lastByte: -1 };
      const out: Buffer[] = [];
      const source = (async function* () {
        yield buf;
      })();
      for await (const chunk of redactByteStream(source, fresh(), config, { onSpan: (s) => spans.push(s) }, totals)) {
        out.push(chunk);
      }
      const countsByType: Record<string, number> = {};
      for (const s of spans) countsByType[s.type] = (countsByType[s.type] ?? 0) + 1;
      return {
        redacted: Buffer.concat(out),
        spans,
        lines: totals.lines + (totals.bytes > 0 && totals.lastByte !== 10 ? 1 : 0),
        bytes: totals.bytes,
        countsByType,
      };
    },
  };
}
