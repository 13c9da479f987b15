import { describe, expect, it } from 'vitest';
import { logChunks, rng } from '../../bench/lib/log-corpus.js';
import { createRedactor } from '../../src/redact/index.js';
import { redactEngine } from '../../src/redact/native.js';

/**
 * Adversarial input for every pattern family: long runs of the characters a pattern loops over, near-misses repeated
 * back to back, prefixes that never complete. Linear-time patterns handle each in milliseconds; a catastrophic one
 * would take seconds to years. The bound is deliberately generous (shared 2-core CI): 3 s per MB for the JavaScript
 * engine. The native scanner is held to 25× its own time on a realistic log of the same size, measured in the same
 * run (best of three each, so load on the machine cancels out): its slowest shape here is ~12×, and the quadratic
 * cases it once had (a unit of '@', 'gh' or 'eyJ') were 30-100×.
 */
const SIZE = 256 * 1024;
const NATIVE = redactEngine().engine === 'native';
const JS_MAX_MS_PER_MB = 3000;
const NATIVE_MAX_RATIO = 25;

const fill = (unit: string) => unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);

const ADVERSARIAL: Record<string, string> = {
  'alnum run': fill('a'),
  'digit run': fill('7'),
  'hex run': fill('deadbeef'),
  'dotted digits': fill('1.'),
  'dotted words': fill('a.'),
  'dotted tlds': fill('example.com.'),
  'colon hex': fill('ff:'),
  'double colons': fill('::'),
  'dashed digits': fill('12-'),
  'spaced digits': fill('4111 '),
  'plus digits': fill('+1 '),
  'at signs': fill('a@'),
  'email near-miss': fill('jane.doe@example.'),
  'url userinfo near-miss': fill('://user:pass'),
  'jdbc without password': fill('jdbc:mysql://h/db?user=x&'),
  'server without password': fill('Server=a;'),
  'password keywords': fill('password='),
  'password prose': fill('password is '),
  'quoted password never closed': `"password": "${fill('x')}`,
  'bearer keywords': fill('Bearer '),
  'authorization keywords': fill('Authorization: '),
  'cookie keywords': fill('Cookie: a'),
  'api key keywords': fill('api_key='),
  'session keywords': fill('session='),
  'jwt near-miss': fill('eyJabcde.'),
  'slack prefix': fill('xoxb-'),
  'token prefixes': fill('ghp_sk-glpat-AIzanpm_AKIA'),
  'pem begins without end': fill('-----BEGIN RSA PRIVATE KEY-----\n'),
  'pem begin then long base64': `-----BEGIN PRIVATE KEY-----\n${fill('QUJD\n')}`,
  'iban near-miss': fill('GB82 WEST '),
  'mac near-miss': fill('00:1A:2B:3C:4D:'),
  'phone near-miss': fill('(212) 555-'),
  'azure near-miss': fill('AccountKey='),
  // One trigger literal repeated: every position is a candidate for the same rule.
  'bare at signs': fill('@'),
  'scheme separators': fill('://'),
  'github prefix': fill('gh'),
  'jwt prefix': fill('eyJ'),
  'openai prefix': fill('sk-'),
  'anthropic prefix': fill('sk-ant-api03-'),
  'slack app prefix': fill('xapp-'),
  'github pat prefix': fill('github_pat_'),
  'cookie headers without values': fill('cookie: '),
  'set-cookie headers without values': fill('set-cookie: '),
  colons: fill(':'),
  'long line of mixed separators': fill('a-b_c.d:e@f/g+h=i;j,k'),
};

describe('pathological input runs in linear time', () => {
  const redactor = createRedactor({ customRules: [{ name: 'Ticket', pattern: 'TCK-\\d{4,8}' }] });
  /** Best of `runs` timings of redactText on `input`, in ms per MB, and the last result. */
  const timed = (input: string, runs: number) => {
    let best = Number.POSITIVE_INFINITY;
    let result = redactor.redactText('');
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      result = redactor.redactText(input);
      best = Math.min(best, (performance.now() - t0) / (input.length / 1e6));
    }
    return { msPerMB: best, spans: result.spans };
  };
  let maxMsPerMB = JS_MAX_MS_PER_MB;
  if (NATIVE) {
    let realistic = '';
    for (const chunk of logChunks(SIZE)) {
      realistic += chunk;
      if (realistic.length >= SIZE) break;
    }
    maxMsPerMB = NATIVE_MAX_RATIO * timed(realistic.slice(0, SIZE), 3).msPerMB;
  }

  it.each(Object.keys(ADVERSARIAL))('%s', (name) => {
    const { msPerMB, spans } = timed(ADVERSARIAL[name]!, NATIVE ? 3 : 1);
    expect(msPerMB).toBeLessThan(maxMsPerMB);
    for (let i = 1; i < spans.length; i++) expect(spans[i]!.start).toBeGreaterThanOrEqual(spans[i - 1]!.end);
  });

  it('random strings over the patterns’ alphabet: bounded time, valid non-overlapping spans (fuzz)', () => {
    const alphabet = 'aZ09fF:.-_@/+=; \t"\'\nxobpgh_kAIzKSeyJ-BEGINPRIVATEKEY';
    const next = rng(1234);
    for (let round = 0; round < 8; round++) {
      let s = '';
      for (let i = 0; i < 64 * 1024; i++) s += alphabet[Math.floor(next() * alphabet.length)];
      const t0 = performance.now();
      const { text, spans } = redactor.redactText(s);
      expect((performance.now() - t0) / (s.length / 1e6)).toBeLessThan(JS_MAX_MS_PER_MB);
      const bytes = Buffer.from(s);
      let rebuilt = '';
      let pos = 0;
      for (const sp of spans) {
        expect(sp.start).toBeGreaterThanOrEqual(pos);
        expect(bytes.toString('utf8', sp.start, sp.end)).toBe(sp.value);
        rebuilt += bytes.toString('utf8', pos, sp.start) + sp.replacement;
        pos = sp.end;
      }
      expect(rebuilt + bytes.toString('utf8', pos)).toBe(text);
    }
  });
});
