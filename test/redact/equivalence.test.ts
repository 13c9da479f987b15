import { describe, expect, it } from 'vitest';
import { labelledCorpus, logChunks, rng } from '../../bench/lib/log-corpus.js';
import { normalizeConfig } from '../../src/redact/config.js';
import { type CompiledRules, compileRules, findSpans } from '../../src/redact/engine.js';
import { BUILTIN_RULES } from '../../src/redact/rules.js';
import type { RedactConfig } from '../../src/redact/types.js';
import {
  compileRules as compileReference,
  findSpans as findSpansReference,
  type CompiledRules as ReferenceCompiled,
} from './reference/engine.js';
import { NEGATIVES, PEM_BLOCK, POSITIVES, parseMarked } from './samples.js';

/**
 * Differential test: the optimised scanner (`findSpans`: trigger groups, sticky tries, word-start loop) must
 * return exactly what the reference scanner returns — same spans, types, offsets, specificity and allow-list flags —
 * on every input and every configuration. The reference is a frozen copy of the engine, rules,
 * validators and resolver from before the optimisation (`./reference/`: one global regex pass per rule).
 */

const CONFIGS: Record<string, RedactConfig> = {
  default: {},
  'allowlist + internal domains + custom rules': {
    allowlist: ['203.0.113.44', 'jane.doe@example.com', 'hunter2'],
    internalDomains: ['corp.example', '.svc.cluster.local', 'intra'],
    customRules: [
      { name: 'Ticket', pattern: 'TCK-\\d{4,8}' },
      { name: 'EmpId', pattern: 'emp(?:loyee)?[ _-]?id[=: ]+(?<value>[A-Z]\\d{5})', flags: 'i' },
    ],
  },
  'some types disabled': { disabledTypes: ['Hostname', 'Password', 'Email', 'OpenAIKey', 'IPv4'] },
};

interface Both {
  fast: CompiledRules;
  ref: ReferenceCompiled;
}
const compiledFor = (config: RedactConfig): Both => {
  const normalized = normalizeConfig(config);
  return { fast: compileRules(normalized), ref: compileReference(normalized) };
};

/** Latin-1 view of the UTF-8 bytes, as the engine scans. */
const view = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

function expectSame(s: string, compiled: Both, what: string): number {
  const want = findSpansReference(s, compiled.ref);
  const got = findSpans(s, compiled.fast);
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    // Narrow the report to the first differing span (never the whole unit).
    const i = got.findIndex((g, k) => JSON.stringify(g) !== JSON.stringify(want[k]));
    const at = Math.max(0, (got[i] ?? want[i])?.start ?? 0);
    expect({ what, got: got[i], want: want[i], context: s.slice(Math.max(0, at - 80), at + 80) }).toEqual({
      what,
      got: want[i],
      want: want[i],
      context: s.slice(Math.max(0, at - 80), at + 80),
    });
  }
  expect(got.length).toBe(want.length);
  return want.length;
}

/** Pieces that start, continue or nearly complete every rule, plus separators, quotes, non-ASCII and line ends. */
const FRAGMENTS = [
  ...BUILTIN_RULES.flatMap((r) => [...(r.prefixes ?? [])]),
  ...BUILTIN_RULES.flatMap((r) => (r.prefixes ?? []).map((p) => p.toUpperCase())),
  'Password',
  'PASSWORD',
  "password='hunter2 x'",
  'password="s3cr3t; y"',
  "secret: 'Zx9-abc'",
  'PWD="a b"',
  "passwd = 'p@ss)'",
  "api_key='AbCdEf123456'",
  'session_id="0123abcdEFGH"',
  "Cookie: 'a=b; c=d'",
  'Authorization: "Basic dXNlcjpwYXNz"',
  'passcode',
  'passphrase',
  'secret_access_key',
  'aws_secret_key',
  'AWS_SECRET_ACCESS_KEY',
  'session_id',
  'sessionToken',
  'PHPSESSID',
  'connect.sid',
  'csrf-token',
  'api_key',
  'api-token',
  'x-api-key',
  'client_secret',
  'access_token',
  'refresh-token',
  'Authorization',
  'Bearer ',
  'bearer\t',
  'Basic ',
  'Set-Cookie',
  'Cookie',
  'Server=db1;',
  'Data Source=x;',
  'User Id=sa;',
  'Pwd=',
  'jdbc:mysql://h/db?',
  '&password=',
  ';password=',
  'postgres://',
  'https://',
  'mongodb+srv://',
  'user:',
  'p4ss@',
  '@example.com',
  '@mail.example.org',
  'jane.doe',
  'xoxb-',
  'xapp-1-',
  'ghp_',
  'github_pat_',
  'glpat-',
  'AIza',
  'sk_live_',
  'rk_test_',
  'sk-ant-api03-',
  'sk-proj-',
  'npm_',
  '_authToken=',
  'AKIA',
  'ASIA',
  'eyJ',
  'eyJhbGciOiJIUzI1NiJ9',
  'AccountKey=',
  'SharedAccessKey=',
  '?sig=',
  '&sig=',
  '%3D',
  '-----BEGIN ',
  'RSA ',
  'PRIVATE KEY-----',
  '-----END ',
  '\\n',
  'GB82',
  'DE89',
  ' WEST',
  '3704',
  '0044',
  '4111',
  '1111',
  '378282246310005',
  '4111111111111111',
  '5555 5555 5555 4444',
  '123-45-6789',
  '212',
  '555',
  '0123',
  '(212) ',
  '+1 ',
  '+44',
  '1-',
  '00:1A:2B:3C:4D:5E',
  '00-1a-2b-3c-4d-5e',
  '.0011.22aa',
  '::1',
  'fe80::',
  '2001:db8:',
  ':85a3:',
  '192.168.',
  '10.0.0.',
  '255',
  '.1',
  'version ',
  'build=',
  '0.0.0.0',
  '.com',
  '.io',
  '.local',
  '.corp.example',
  'svc.cluster.local',
  'api.example.co.uk',
  'java.io',
  'TCK-',
  'employee_id=',
  'A12345',
  'is ',
  'was: ',
  'set to ',
  'incorrect',
  '********',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal placeholder is the point
  '${X}',
  '<redacted>',
  '[APIKey]',
  'hunter2',
  'YES)',
  '(',
  ')',
  ':',
  '=',
  ' = ',
  ': ',
  '"',
  "'",
  ';',
  ',',
  '&',
  '?',
  '/',
  '.',
  '-',
  '_',
  '+',
  '%',
  ' ',
  '\t',
  '\n',
  '\r\n',
  'é',
  'ü',
  '€',
  '\u00ff',
];
const PREFIXES = BUILTIN_RULES.flatMap((r) => [...(r.prefixes ?? [])]);
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64 = `${ALNUM}+/=_-`;

function adversarialLine(next: () => number): string {
  const pick = <T>(xs: ArrayLike<T>): T => xs[Math.floor(next() * xs.length)]!;
  const parts: string[] = [];
  const n = 1 + Math.floor(next() * 24);
  for (let i = 0; i < n; i++) {
    const r = next();
    if (r < 0.45) parts.push(pick(FRAGMENTS));
    else if (r < 0.55) {
      // A rule's prefix with a token-shaped body (upper+digits as in AWS keys, or mixed alphanumerics).
      const body = next() < 0.5 ? 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789' : ALNUM;
      let run = pick(PREFIXES);
      const len = 8 + Math.floor(next() * 52);
      for (let k = 0; k < len; k++) run += pick(body);
      parts.push(run);
    } else if (r < 0.7) parts.push(String(Math.floor(next() * 1e6)));
    else if (r < 0.85) {
      let run = '';
      const len = Math.floor(next() * 48);
      for (let k = 0; k < len; k++) run += pick(B64);
      parts.push(run);
    } else {
      let hex = '';
      for (let k = 0; k < 2 + Math.floor(next() * 6); k++) hex += pick('0123456789abcdefABCDEF');
      parts.push(hex);
    }
  }
  return parts.join(next() < 0.5 ? '' : pick(['', ' ', '=', ':', '.', '-', '\t', '/']));
}

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

describe('findSpans equals the reference (one pass per rule) scanner', () => {
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
          expectSame(parts.join(''), compiled, 'non-Latin-1 text');
        }
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
