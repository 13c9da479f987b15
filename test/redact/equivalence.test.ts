import { describe, expect, it } from 'vitest';
import { labelledCorpus, logChunks, rng } from '../../bench/lib/log-corpus.js';
import { BUILTIN_RULES } from '../../src/redact/rules.js';
import { adversarialLine, CONFIGS, compiledFor, expectSame, view } from './differential.js';
import { NEGATIVES, PEM_BLOCK, POSITIVES, parseMarked } from './samples.js';

/**
 * Differential test: the optimised scanner (`findSpans`: trigger groups, sticky tries, word-start loop) and the
 * native scanner (`findSpansInBytes`, `redactUnit` on the raw bytes) must return exactly what the reference scanner
 * returns — same spans, types, offsets, specificity (and, for `findSpans`, allow-list flags), same redacted bytes — on
 * every input and every configuration. The reference is a frozen copy of the engine and rules from before the
 * optimisation (`./reference/`: one global regex pass per rule). native.test.ts checks that the native scanner is
 * really the one under test here, and its edge cases.
 */

describe('rule prefixes', () => {
  it('every match of a prefixed rule starts with one of its prefixes (on corpus and adversarial text)', () => {
    const texts = [
      ...logChunks(1e6, 5, 500),
      Array.from(
        { length: 4000 },
        (
          (next) => () =>
            adversarialLine(next)
        )(rng(99)),
      ).join('\n'),
    ].map(view);
    let checked = 0;
    for (const rule of BUILTIN_RULES) {
      if (!rule.prefixes) continue;
      const ci = rule.regex.flags.includes('i');
      const prefixes = rule.prefixes.map((p) => (ci ? p.toLowerCase() : p));
      const re = new RegExp(rule.regex.source, rule.regex.flags);
      for (const text of texts) {
        re.lastIndex = 0;
        for (let m = re.exec(text); m !== null; m = re.exec(text)) {
          const head = ci ? m[0].toLowerCase() : m[0];
          expect(
            prefixes.some((p) => head.startsWith(p)),
            `${rule.type}: ${m[0].slice(0, 40)}`,
          ).toBe(true);
          re.lastIndex = m.index + 1;
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(5000);
  });
});

describe('findSpans and the native scanner equal the reference (one pass per rule) scanner', () => {
  for (const [name, config] of Object.entries(CONFIGS)) {
    describe(name, () => {
      const compiled = compiledFor(config);

      it('labelled corpus: each line alone and 64 KiB multi-line units', () => {
        const corpus = labelledCorpus(6000, 2024);
        let spans = 0;
        for (const { line } of corpus) spans += expectSame(view(line), compiled, 'corpus line');
        for (const chunk of logChunks(2e6, 11, 600)) spans += expectSame(view(chunk), compiled, 'corpus unit');
        expect(spans).toBeGreaterThan(10_000);
      });

      it('samples: positives, negatives, PEM blocks', () => {
        const lines = [
          ...POSITIVES.map((p) => parseMarked(p.marked).line),
          ...NEGATIVES,
          PEM_BLOCK,
          `secret: "${PEM_BLOCK.replaceAll('\n', '\\n')}"`,
        ];
        for (const line of lines) expectSame(view(line), compiled, 'sample');
        expectSame(view(lines.join('\n')), compiled, 'all samples');
      });

      it('seeded adversarial lines (fragments of every rule, separators, non-ASCII)', () => {
        const next = rng(name.length * 7919 + 17);
        let spans = 0;
        const unit: string[] = [];
        for (let i = 0; i < 6000; i++) {
          const line = adversarialLine(next);
          spans += expectSame(view(line), compiled, 'adversarial line');
          unit.push(line);
          if (unit.length === 200) {
            expectSame(view(unit.join('\n')), compiled, 'adversarial unit');
            unit.length = 0;
          }
        }
        expect(spans).toBeGreaterThan(1000);
      });

      it('text that is not a Latin-1 view (chars above U+00FF next to every pattern char)', () => {
        const next = rng(777);
        const odd = ['\u012b', '\u0130', '\u0141', '\u212a', '\u017f', '\u0100'];
        for (let i = 0; i < 2000; i++) {
          const parts = adversarialLine(next).split('');
          for (let k = 0; k < parts.length; k++) if (next() < 0.08) parts[k] = odd[Math.floor(next() * odd.length)]!;
          const text = parts.join('');
          expectSame(text, compiled, 'non-Latin-1 text');
          expectSame(view(text), compiled, 'UTF-8 bytes of non-Latin-1 text');
        }
      });

      it('raw bytes 0x80-0xFF (not UTF-8) next to every pattern char', () => {
        const next = rng(4711);
        const unit: string[] = [];
        for (let i = 0; i < 2000; i++) {
          const parts = view(adversarialLine(next)).split('');
          for (let k = 0; k < parts.length; k++) {
            if (next() < 0.08) parts[k] = String.fromCharCode(0x80 + Math.floor(next() * 0x80));
          }
          const line = parts.join('');
          expectSame(line, compiled, 'raw high bytes');
          unit.push(line);
        }
        expectSame(unit.join('\n'), compiled, 'raw high bytes unit');
      });

      it('seeded random characters over the patterns’ alphabet', () => {
        const alphabet = 'aZ09fF:.-_@/+=; \t"\'\nxobpgh_kAIzKSeyJ-BEGINPRIVATEKEY()&?%éwdsc';
        const next = rng(4242);
        for (let round = 0; round < 4; round++) {
          let s = '';
          for (let i = 0; i < 32 * 1024; i++) s += alphabet[Math.floor(next() * alphabet.length)];
          expectSame(view(s), compiled, 'random characters');
        }
      });
    });
  }
});
