/**
 * Shared by the differential tests (equivalence.test.ts, native.test.ts): the configurations, the inputs' building
 * blocks and the comparisons of the optimised JavaScript scanner (`findSpans`) and of the native scanner
 * (`findSpansInBytes`, `redactUnit`) with the frozen reference scanner (`./reference/`, one global pass per rule).
 */
import { expect } from 'vitest';
import { normalizeConfig } from '../../src/redact/config.js';
import {
  type CompiledRules,
  compileRules,
  findSpans,
  findSpansInBytes,
  redactUnit,
  replaceSpanBytes,
} from '../../src/redact/engine.js';
import { type Candidate, resolveOverlaps } from '../../src/redact/resolve.js';
import { BUILTIN_RULES } from '../../src/redact/rules.js';
import type { RedactConfig } from '../../src/redact/types.js';
import {
  compileRules as compileReference,
  findSpans as findSpansReference,
  type CompiledRules as ReferenceCompiled,
} from './reference/engine.js';

export const CONFIGS: Record<string, RedactConfig> = {
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

export interface Both {
  fast: CompiledRules;
  ref: ReferenceCompiled;
}
export const compiledFor = (config: RedactConfig): Both => {
  const normalized = normalizeConfig(config);
  return { fast: compileRules(normalized), ref: compileReference(normalized) };
};

/** Latin-1 view of the UTF-8 bytes, as the engine scans. */
export const view = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

/** Fails with the first differing span and a little context (never the whole unit) when `got` differs from `want`. */
function expectSameSpans(got: readonly object[], want: readonly object[], s: string, what: string): void {
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    const i = got.findIndex((g, k) => JSON.stringify(g) !== JSON.stringify(want[k]));
    const at = Math.max(0, ((got[i] ?? want[i]) as { start?: number } | undefined)?.start ?? 0);
    const context = s.slice(Math.max(0, at - 80), at + 80);
    expect({ what, got: got[i], want: want[i], context }).toEqual({ what, got: want[i], want: want[i], context });
  }
  expect(got.length).toBe(want.length);
}

/** What the native scanner reports of a span (allow-listed spans are dropped by both engines). */
const spanOf = (c: Candidate) => ({ start: c.start, end: c.end, type: c.type, specificity: c.specificity });

const NOT_LATIN1 = /[\u0100-\uffff]/;

/**
 * `findSpans(s)` must equal the reference's spans (offsets, types, specificity, allow-list flags); when `s` is a
 * Latin-1 view (one char per byte), so must the native path on its bytes (`expectNativeSame`). Returns the number of
 * spans.
 */
export function expectSame(s: string, compiled: Both, what: string): number {
  const want = findSpansReference(s, compiled.ref);
  expectSameSpans(findSpans(s, compiled.fast), want, s, what);
  if (!NOT_LATIN1.test(s)) expectNativeSame(s, compiled, what, want);
  return want.length;
}

/**
 * The native path on the bytes of the Latin-1 view `s` equals the reference: `findSpansInBytes` (start, end, type,
 * specificity), the unresolved candidates resolved in JavaScript (built-in rules only: the path custom rules and the
 * allow-list take), and `redactUnit` (its spans and its bytes, against `replaceSpanBytes` of the reference spans).
 * Returns the number of spans.
 */
export function expectNativeSame(
  s: string,
  compiled: Both,
  what: string,
  want: readonly Candidate[] = findSpansReference(s, compiled.ref),
): number {
  const bytes = Buffer.from(s, 'latin1');
  const wanted = want.map(spanOf);
  expectSameSpans(findSpansInBytes(bytes, compiled.fast).map(spanOf), wanted, s, `${what} (native findSpansInBytes)`);
  const native = compiled.fast.native;
  if (native !== undefined && compiled.fast.customRules.length === 0 && compiled.fast.allowlist.size === 0) {
    const q = native.scan(bytes, false);
    const found: Candidate[] = [];
    for (let i = 0; i < q.length; i += 4) {
      found.push({ start: q[i]!, end: q[i + 1]!, type: native.types[q[i + 2]!]!, specificity: q[i + 3]!, keep: false });
    }
    expectSameSpans(resolveOverlaps(found).map(spanOf), wanted, s, `${what} (native candidates, resolved in JS)`);
  }
  const unit = redactUnit(bytes, compiled.fast);
  expectSameSpans(
    unitSpans(unit).map(([start, end, type]) => ({ start, end, type })),
    want.map((c) => ({ start: c.start, end: c.end, type: c.type })),
    s,
    `${what} (native redactUnit spans)`,
  );
  const out = replaceSpanBytes(bytes, bytes.length, want);
  if (!unit.out.equals(out)) {
    let i = 0;
    while (i < out.length && unit.out[i] === out[i]) i++;
    const around = (b: Buffer) => b.subarray(Math.max(0, i - 40), i + 40).toString('latin1');
    expect({ what: `${what} (native redactUnit bytes)`, at: i, bytes: around(unit.out) }).toEqual({
      what: `${what} (native redactUnit bytes)`,
      at: i,
      bytes: around(out),
    });
  }
  return want.length;
}

/** The spans of a `redactUnit` result or a scan worker's `ScanResult` ([start, end, type index]) as triples. */
export function unitSpans(unit: { spans: Int32Array; types: readonly string[] }): Array<[number, number, string]> {
  const triples: Array<[number, number, string]> = [];
  for (let i = 0; i < unit.spans.length; i += 3) {
    triples.push([unit.spans[i]!, unit.spans[i + 1]!, unit.types[unit.spans[i + 2]!]!]);
  }
  return triples;
}

/** Pieces that start, continue or nearly complete every rule, plus separators, quotes, non-ASCII and line ends. */
export const FRAGMENTS = [
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

/** A seeded line of rule fragments, token-shaped runs, numbers, base64 and hex, joined by one separator. */
export function adversarialLine(next: () => number): string {
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
