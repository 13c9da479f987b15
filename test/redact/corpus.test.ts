import { describe, expect, it } from 'vitest';
import { labelledCorpus } from '../../bench/lib/log-corpus.js';
import { createRedactor, PII_TYPES } from '../../src/redact/index.js';

/**
 * Labelled corpus: generated realistic lines (nginx, syslog, JSON, Java, k8s, SQL, curl, env dumps) with every
 * planted value labelled by type and byte range, plus noise that must not be touched. A detection counts as a true
 * positive only with the exact type and byte range.
 */
describe('labelled corpus', () => {
  it('has high per-type precision and recall (table printed)', () => {
    const redactor = createRedactor();
    const corpus = labelledCorpus(6000, 2024);
    const stats = new Map<string, { tp: number; fp: number; fn: number }>();
    const stat = (t: string) => {
      let s = stats.get(t);
      if (!s) {
        s = { tp: 0, fp: 0, fn: 0 };
        stats.set(t, s);
      }
      return s;
    };
    for (const { line, labels } of corpus) {
      const key = (x: { type: string; start: number; end: number }) => `${x.type}:${x.start}:${x.end}`;
      const { spans } = redactor.redactText(line);
      const want = new Set(labels.map(key));
      const got = new Set(spans.map(key));
      for (const s of spans) stat(s.type)[want.has(key(s)) ? 'tp' : 'fp']++;
      for (const l of labels) if (!got.has(key(l))) stat(l.type).fn++;
    }
    const rows = [...stats.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    const table = [
      '| type | labelled | precision | recall |',
      '| --- | ---: | ---: | ---: |',
      ...rows.map(([t, s]) => {
        const p = s.tp + s.fp === 0 ? 1 : s.tp / (s.tp + s.fp);
        const r = s.tp + s.fn === 0 ? 1 : s.tp / (s.tp + s.fn);
        return `| ${t} | ${s.tp + s.fn} | ${p.toFixed(3)} | ${r.toFixed(3)} |`;
      }),
    ].join('\n');
    console.log(`redact corpus (${corpus.length} lines)\n${table}`);

    for (const [type, s] of rows) {
      expect(s.tp / (s.tp + s.fp), `${type} precision`).toBeGreaterThanOrEqual(0.95);
      expect(s.tp / (s.tp + s.fn), `${type} recall`).toBeGreaterThanOrEqual(0.95);
    }
    // Every built-in type is planted in the corpus.
    expect(PII_TYPES.filter((t) => !stats.has(t))).toEqual([]);
  });
});
