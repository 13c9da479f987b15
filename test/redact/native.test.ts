import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { rng } from '../../bench/lib/log-corpus.js';
import { normalizeConfig } from '../../src/redact/config.js';
import { type CompiledRules, compileRules, findSpansInBytes, redactUnit } from '../../src/redact/engine.js';
import { redactEngine } from '../../src/redact/native.js';
import { ScanPool } from '../../src/redact/pool.js';
import { PII_TYPES } from '../../src/redact/rules.js';
import { adversarialLine, type Both, CONFIGS, compiledFor, expectNativeSame, unitSpans, view } from './differential.js';
import { compileRules as compileReference, findSpans as findSpansReference } from './reference/engine.js';
import { NEGATIVES, PEM_BLOCK, POSITIVES, parseMarked } from './samples.js';

/**
 * The native scanner (native/redact, built to build/Release/tftsr_redact.node) against the reference scanner: that it
 * is really the engine under test (equivalence.test.ts runs every differential input through it), its edge cases
 * (PEM body limit and fallback, non-UTF-8 bytes, unit boundaries) and the paths that fall back to JavaScript.
 */

const SAMPLE_LINES = [...POSITIVES.map((p) => parseMarked(p.marked).line), ...NEGATIVES, PEM_BLOCK];
/** Each planted value (Latin-1 view of its UTF-8 bytes) with the view of its line cut around it. */
const PLANTED = POSITIVES.map((p) => {
  const { line, start, end } = parseMarked(p.marked);
  const v = view(line);
  return { type: p.type, before: v.slice(0, start), value: v.slice(start, end), after: v.slice(end) };
});

describe('the native engine is the one under test', () => {
  it('is loaded (CI builds the addon: a missing or broken build fails here instead of testing JavaScript twice)', () => {
    expect(redactEngine()).toEqual({ engine: 'native', reason: 'native' });
    for (const config of Object.values(CONFIGS)) {
      const compiled = compileRules(normalizeConfig(config));
      expect(compiled.native).toBeDefined();
      expect(compiled.native!.types).toContain('PrivateKey');
    }
  });

  it('is loaded in worker threads too, and the scan workers of redactStream({ workers }) return the reference spans', async () => {
    // The same bootstrap as pool.ts: this module is TypeScript, so the worker registers tsx first.
    const url = (p: string) => new URL(p, import.meta.url).href;
    const probe = new Worker(
      `import('tsx/esm/api').then(async (tsx) => {
        tsx.register();
        const { redactEngine } = await import(${JSON.stringify(url('../../src/redact/native.ts'))});
        const { compileRules } = await import(${JSON.stringify(url('../../src/redact/engine.ts'))});
        const { normalizeConfig } = await import(${JSON.stringify(url('../../src/redact/config.ts'))});
        const native = compileRules(normalizeConfig({})).native !== undefined;
        require('node:worker_threads').parentPort.postMessage({ ...redactEngine(), native });
      })`,
      { eval: true },
    );
    const report = await new Promise((resolve, reject) => {
      probe.once('message', resolve);
      probe.once('error', reject);
      probe.once('exit', (code) => reject(new Error(`probe worker exited with ${code}`)));
    });
    await probe.terminate();
    expect(report).toEqual({ engine: 'native', reason: 'native', native: true });

    for (const [name, config] of Object.entries(CONFIGS)) {
      const { ref } = compiledFor(config);
      const pool = new ScanPool(1, config);
      try {
        const units = [SAMPLE_LINES.join('\n'), `é${PEM_BLOCK}\n\u00ff${SAMPLE_LINES.slice(0, 20).join('\xa0')}\n`];
        const results = await Promise.all(units.map((u) => pool.scan(new Uint8Array(Buffer.from(u, 'utf8')))));
        for (const [k, r] of results.entries()) {
          const s = view(units[k]!);
          const want = findSpansReference(s, ref);
          expect(unitSpans(r), name).toEqual(want.map((c) => [c.start, c.end, c.type]));
          expect(Buffer.from(r.out).toString('latin1'), name).toBe(replaceSpansLatin1(s, want));
        }
      } finally {
        await pool.close();
      }
    }
  });
});

function replaceSpansLatin1(s: string, spans: ReadonlyArray<{ start: number; end: number; type: string }>): string {
  let out = '';
  let pos = 0;
  for (const sp of spans) {
    out += `${s.slice(pos, sp.start)}[${sp.type}]`;
    pos = sp.end;
  }
  return out + s.slice(pos);
}

const BEGIN = '-----BEGIN PRIVATE KEY-----';
const END = '-----END PRIVATE KEY-----';
const B64 = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj+/=';

/** A PEM body of exactly `n` chars: `sep` + base64 lines of 64 (with `extra` before every 7th), ending with `sep`. */
function pemBody(n: number, sep = '\n', extra = ''): string {
  if (n < sep.length) return 'A'.repeat(n);
  const line = (k: number) => B64.slice(k % 3, (k % 3) + 64);
  let body = '';
  for (let k = 0; body.length < n; k++) body += sep + (k % 7 === 3 ? extra : '') + line(k);
  return body.slice(0, n - sep.length) + sep;
}

describe('native edge cases equal the reference', () => {
  for (const [name, config] of Object.entries(CONFIGS)) {
    describe(name, () => {
      const compiled = compiledFor(config);
      const same = (s: string, what: string) => expectNativeSame(s, compiled, what);

      it('token values at the bounds the native prechecks use (JWT, Slack, OpenAI, Anthropic), and repeated prefixes', () => {
        const run = (n: number, alphabet = 'aB3_-') =>
          Array.from({ length: n }, (_, i) => alphabet[i % alphabet.length]).join('');
        const jwtTail = `.eyJ${run(20, 'xY9')}.${run(43, 'sIg')}`;
        const makers: Record<string, { make: (n: number) => string; lengths: number[] }> = {
          'JWT header': { make: (n) => `eyJ${run(n, 'hD7')}${jwtTail}`, lengths: [4, 5, 6, 4095, 4096, 4097] },
          'JWT header ending in _ and -': { make: (n) => `eyJ${run(n, '_-a')}${jwtTail}`, lengths: [5, 4096, 4097] },
          'Slack bot token': { make: (n) => `xoxb-${run(n, '1a-B')}`, lengths: [9, 10, 11, 249, 250, 251] },
          'Slack app token': { make: (n) => `xapp-${run(n, '1a-B')}`, lengths: [9, 10, 250, 251] },
          'Slack token then _': { make: (n) => `xoxp-${run(n, '1a-B')}_x`, lengths: [10, 250] },
          'OpenAI key': { make: (n) => `sk-${run(n, 'Ab1')}`, lengths: [19, 20, 21, 250, 251] },
          'OpenAI project key': { make: (n) => `sk-proj-${run(n, 'Ab1')}`, lengths: [19, 20, 250, 251] },
          'OpenAI service account key': { make: (n) => `sk-svcacct-${run(n, 'Ab1')}`, lengths: [20, 247, 250, 251] },
          'Anthropic key': { make: (n) => `sk-ant-api03-${run(n, 'Ab1_')}`, lengths: [19, 20, 200, 201] },
          'Anthropic admin key': { make: (n) => `sk-ant-admin01-${run(n, 'Ab1')}`, lengths: [20, 200, 201] },
        };
        let spans = 0;
        for (const [kind, { make, lengths }] of Object.entries(makers)) {
          for (const n of lengths) {
            for (const [before, after] of [
              ['', ''],
              ['token=', ' ok'],
              ['a', '.'],
              ['"', '"'],
              ['x ', '-'],
              ['', '_'],
            ]) {
              spans += same(`${before}${make(n)}${after}`, `${kind}, value ${n}, in ${before}…${after}`);
            }
          }
        }
        expect(spans).toBeGreaterThan(0);
        // One prefix repeated (each later one inside the earlier one's run), and runs that cross many prefixes.
        for (const prefix of ['eyJ', 'sk-', 'xoxb-', 'xapp-', 'sk-ant-api03-', 'eyJa.']) {
          for (const count of [1, 2, 7, 50, 400]) {
            same(prefix.repeat(count), `${prefix} × ${count}`);
            same(
              `${prefix.repeat(count)}${run(30)} ${prefix.repeat(count)}${jwtTail}`,
              `${prefix} × ${count} with values`,
            );
          }
        }
      });

      it("Cookie values around the native precheck's window (an '=' within 4096 chars of the value, before the line ends)", () => {
        const pad = (n: number) => 'v'.repeat(n);
        const heads = [
          'cookie: ',
          'Cookie=',
          'COOKIE = "',
          'set-cookie: ',
          'Set-Cookie:\t',
          'cookie:=',
          'cookie    :    ',
          'x-cookie: ',
        ];
        let checked = 0;
        for (const head of heads) {
          for (const n of [0, 1, 4093, 4094, 4095, 4096, 4097, 5000]) {
            for (const value of [
              `${pad(n)}=x`,
              `=${pad(n)}`,
              `a${pad(n)}=`,
              `${pad(n)}`,
              `${pad(n)}\n=x`,
              `${pad(n)};b=c`,
            ]) {
              same(`${head}${value}`, `${head}… value ${value.length}`);
              same(`${head}${head}${head}${value}`, `${head} × 3 … value ${value.length}`);
              checked++;
            }
          }
          same(`${head}`.repeat(2000), `${head} × 2000`);
          same(`${`${head}`.repeat(600)}a=b`, `${head} × 600 then a=b`);
        }
        expect(checked).toBe(heads.length * 8 * 6);
      });

      it('PrivateKey bodies around the native body limit (16384) and its fallback pattern', () => {
        const kinds: Record<string, (n: number) => string> = {
          lines: (n) => `${BEGIN}${pemBody(n)}${END}`,
          crlf: (n) => `${BEGIN}${pemBody(n, '\r\n')}${END}`,
          'dashes in the body': (n) => `${BEGIN}${pemBody(n, '\n', '-a--b----c-')}${END}`,
          'an END with four words in the body': (n) =>
            `${BEGIN}${pemBody(n, '\n', '-----END A B C D PRIVATE KEY-----')}${END}`,
          'RSA, BLOCK': (n) => `-----BEGIN RSA PRIVATE KEY BLOCK-----${pemBody(n)}-----END RSA PRIVATE KEY BLOCK-----`,
          'escaped \\n in JSON': (n) => `{"key":"${BEGIN}${pemBody(n, '\\n')}${END}\\n","x":1}`,
          'escaped \\r\\n in JSON': (n) => `{"key":"${BEGIN}${pemBody(n, '\\r\\n')}${END}"}`,
          'text around, two blocks': (n) => `key: ${BEGIN}${pemBody(n)}${END} and ${BEGIN}${pemBody(100)}${END} done`,
          'no END': (n) => `${BEGIN}${pemBody(n)}`,
          'a second BEGIN after the body': (n) => `${BEGIN}${pemBody(n)}${BEGIN}${pemBody(200)}${END}`,
        };
        let spans = 0;
        for (const [kind, make] of Object.entries(kinds)) {
          for (const n of [0, 1, 64, 16383, 16384, 16385, 16386, 17000]) {
            expect(pemBody(n, kind.includes('JSON') ? '\\r\\n' : '\r\n').length).toBe(n);
            const s = make(n);
            spans += same(s, `${kind}, body ${n}`);
            spans += same(`${s}\n${s}`, `${kind}, body ${n}, twice`);
          }
        }
        expect(spans).toBeGreaterThan(100);
        // The limit itself: a 16384-char body is one block, a 16385-char one is not (only the header's key lines).
        const at = (n: number) => expectNativeSpan(compiled, `${BEGIN}${pemBody(n)}${END}`);
        expect(at(16384)).toEqual([{ start: 0, end: BEGIN.length + 16384 + END.length, type: 'PrivateKey' }]);
        expect(at(16385)).toHaveLength(1);
        expect(at(16385)[0]!.end).toBeLessThan(BEGIN.length + 16385);
      });

      it('unterminated BEGIN followed by key lines, headers, BEGIN inside a body', () => {
        const keyLines = (k: number, len: number, sep = '\n') =>
          Array.from({ length: k }, (_, i) => sep + B64.repeat(2).slice(i % 5, (i % 5) + len)).join('');
        const inputs: string[] = [];
        for (const k of [1, 2, 149, 150, 151, 200]) {
          for (const len of [1, 64, 100, 101]) {
            inputs.push(`${BEGIN}${keyLines(k, len)}`, `${BEGIN}${keyLines(k, len)}\nnext line`);
          }
          for (const sep of ['\r\n', '\\n', '\\r\\n', '\\\\n']) {
            inputs.push(`"${BEGIN}${keyLines(k, 64, sep)}"`, `{"k":"${BEGIN}${keyLines(k, 64, sep)}${sep}","n":1}`);
          }
        }
        inputs.push(
          `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,3F17F5316E2BAC89\n\n${keyLines(3, 64).slice(1)}`,
          `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,3F17F5316E2BAC89${keyLines(3, 64)}`,
          `${BEGIN}\nAAAA\n${BEGIN}\nBBBB\n${END}`,
          `-----BEGIN RSA PRIVATE KEY-----${keyLines(5, 64)}\n-----BEGIN CERTIFICATE-----${keyLines(5, 64)}\n${END}`,
          `${BEGIN}${keyLines(5, 64)}\n-----BEGIN ${keyLines(2, 64)}\n${END}`,
          `${BEGIN.repeat(600)}${keyLines(3, 64)}`,
          `${BEGIN}\n${BEGIN}\n${BEGIN}${keyLines(3, 64)}\n${END}`,
          `-----BEGIN A B C PRIVATE KEY-----${keyLines(2, 64)}\n-----END A B C PRIVATE KEY-----`,
          `-----BEGIN A B C D PRIVATE KEY-----${keyLines(2, 64)}\n-----END A B C D PRIVATE KEY-----`,
          `${BEGIN}${keyLines(2, 64)}\n------END PRIVATE KEY-----`,
          `${BEGIN}${keyLines(2, 64)}\n-----END PRIVATE KEY----`,
          `${BEGIN}${keyLines(2, 64)}\n-----END RSA PRIVATE KEY-----`,
          `${BEGIN}-${END}`,
          `${BEGIN}${END}`,
          `${BEGIN}----${END}`,
          `-${BEGIN}`,
          BEGIN,
        );
        let spans = 0;
        for (const s of inputs) spans += same(s, 'pem');
        expect(spans).toBeGreaterThan(50);
      });

      it('bytes 0x80-0xFF (not UTF-8) right before and after every planted value, alone and in its line', () => {
        expect(new Set(PLANTED.map((p) => p.type))).toEqual(new Set(PII_TYPES));
        let spans = 0;
        for (let b = 0x80; b <= 0xff; b++) {
          const x = String.fromCharCode(b);
          const y = String.fromCharCode(0x17f - b); // another high byte after the value: 0xFF .. 0x80
          for (const p of PLANTED) {
            spans += same(`${p.before}${x}${p.value}${y}${p.after}`, `${p.type} between 0x${b.toString(16)} bytes`);
            if (b % 8 === 0) spans += same(`${x}${p.value}${y}`, `${p.type} alone between 0x${b.toString(16)} bytes`);
          }
        }
        expect(spans).toBeGreaterThan(PLANTED.length * 64);
      });

      it('every planted value next to Latin-1 and other non-ASCII letters (UTF-8) on both sides', () => {
        const letters = ['é', 'É', 'À', 'ÿ', 'ß', 'ü', '\u00a0', 'µ', 'Ā', 'İ', 'ſ', 'K', '€', '😀'];
        let spans = 0;
        for (const letter of letters) {
          const l = view(letter);
          for (const p of PLANTED) {
            spans += same(`${p.before}${l}${p.value}${l}${p.after}`, `${p.type} between ${letter}`);
            spans += same(`${l}${p.value}${l}`, `${p.type} alone between ${letter}`);
            spans += same(`${p.before}${p.value}${l}${p.after}`, `${p.type} then ${letter}`);
            spans += same(`${p.before}${l}${p.value}${p.after}`, `${letter} then ${p.type}`);
          }
        }
        expect(spans).toBeGreaterThan(PLANTED.length * letters.length * 2);
      });

      it('spans at the very start and end of a unit; empty, newline-only and single-byte units', () => {
        for (const p of PLANTED) {
          same(p.value, `${p.type} is the whole unit`);
          same(`${p.value}\n`, `${p.type} at the start`);
          same(`\n${p.value}`, `${p.type} at the end`);
          same(`${p.value}${p.after}`, `${p.type} at the start of its line`);
          same(`${p.before}${p.value}`, `${p.type} at the end of its line`);
          same(`${p.value}\n${p.before}${p.value}`, `${p.type} at both ends`);
        }
        for (const s of ['', '\n', '\n\n', '\r\n', '\r', '\t', ' ']) {
          expect(same(s, JSON.stringify(s))).toBe(0);
          expect(redactUnit(Buffer.from(s, 'latin1'), compiled.fast).out.toString('latin1')).toBe(s);
        }
        for (let b = 0; b < 256; b++) same(String.fromCharCode(b), `byte 0x${b.toString(16)}`);
      });

      it('values whose entropy is exactly at a threshold (3, 3.5) with frequencies that are not powers of two', () => {
        // E.g. counts 9,3,3,1×9 over 24 chars: exactly 3 bits, computed as 3 ± 1 ulp. V8's Math.log2 and the C
        // library's log2 differ in the last bit for some k/n, so the summation must stay the same on both sides.
        const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
        const values: string[] = [];
        for (const counts of partitions(8, 40)) {
          if (counts.length > letters.length) continue;
          let h = 0;
          for (const c of counts) h -= (c / sum(counts)) * Math.log2(c / sum(counts));
          if (Math.abs(h - 3) > 1e-9 && Math.abs(h - 3.5) > 1e-9) continue;
          const grouped = counts.map((c, k) => letters[k]!.repeat(c));
          values.push(grouped.join(''), [...grouped].reverse().join(''), interleave(grouped));
        }
        expect(values.length).toBeGreaterThan(30);
        for (const v of values) {
          for (const line of [`bearer ${v}`, `Authorization: ${v}`, `session_id=${v}`, `api_key=${v}`, `token: ${v}`]) {
            same(line, `entropy threshold ${v}`);
          }
        }
      });

      it('runs of near-misses and random bytes', () => {
        const runs = ['a@', '1.', 'a.', 'ff:', '::', '12-', '4111 ', '+1 ', 'eyJabcde.', 'xoxb-', 'password=', '\xe9.'];
        for (const run of runs) same(run.repeat(Math.ceil(16384 / run.length)), `run of ${JSON.stringify(run)}`);
        const next = rng(31337);
        for (let round = 0; round < 4; round++) {
          let s = '';
          for (let i = 0; i < 16 * 1024; i++) s += String.fromCharCode(Math.floor(next() * 256));
          same(s, 'random bytes');
        }
      });
    });
  }
});

/** The partitions of each n in [from, to] into positive counts, largest first. */
function* partitions(from: number, to: number): Generator<number[]> {
  function* rec(rest: number, max: number, parts: number[]): Generator<number[]> {
    if (rest === 0) yield [...parts];
    for (let c = Math.min(max, rest); c >= 1; c--) {
      parts.push(c);
      yield* rec(rest - c, c, parts);
      parts.pop();
    }
  }
  for (let n = from; n <= to; n++) yield* rec(n, n, []);
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** One char of each run in turn: `aaab`, `cc` → `acacab`. */
function interleave(runs: string[]): string {
  let out = '';
  for (let i = 0; out.length < sum(runs.map((r) => r.length)); i++) for (const r of runs) out += r[i] ?? '';
  return out;
}

/** The native spans (start, end, type) of a Latin-1 view, after checking they equal the reference's. */
function expectNativeSpan(compiled: Both, s: string): Array<{ start: number; end: number; type: string }> {
  expectNativeSame(s, compiled, 'limit');
  return findSpansInBytes(Buffer.from(s, 'latin1'), compiled.fast).map(({ start, end, type }) => ({
    start,
    end,
    type,
  }));
}

describe('fallbacks to JavaScript', () => {
  const sampleUnits = [
    SAMPLE_LINES.join('\n'),
    ...Array.from(
      { length: 50 },
      (
        (next) => () =>
          adversarialLine(next)
      )(rng(5)),
    ),
    `${BEGIN}${pemBody(16385)}${END}`,
  ].map(view);

  it('TFTSR_REDACT_ENGINE=js: the JavaScript engine, same spans and bytes', async () => {
    const url = (p: string) => JSON.stringify(new URL(p, import.meta.url).href);
    const script = `
      const { redactEngine } = await import(${url('../../src/redact/native.ts')});
      const { compileRules, findSpansInBytes, redactUnit } = await import(${url('../../src/redact/engine.ts')});
      const { normalizeConfig } = await import(${url('../../src/redact/config.ts')});
      let input = '';
      for await (const chunk of process.stdin) input += chunk;
      const { configs, units } = JSON.parse(input);
      const results = configs.map((config) => {
        const compiled = compileRules(normalizeConfig(config));
        return {
          native: compiled.native !== undefined,
          units: units.map((u) => {
            const bytes = Buffer.from(u, 'latin1');
            return { spans: findSpansInBytes(bytes, compiled), out: redactUnit(bytes, compiled).out.toString('latin1') };
          }),
        };
      });
      process.stdout.write(JSON.stringify({ engine: redactEngine(), results }));
    `;
    const configs = Object.values(CONFIGS);
    const stdout = await runNode(['--import', 'tsx', '--input-type=module', '-e', script], {
      input: JSON.stringify({ configs, units: sampleUnits }),
      env: { ...process.env, TFTSR_REDACT_ENGINE: 'js' },
    });
    const { engine, results } = JSON.parse(stdout) as {
      engine: unknown;
      results: Array<{ native: boolean; units: Array<{ spans: unknown; out: string }> }>;
    };
    expect(engine).toEqual({ engine: 'js', reason: 'TFTSR_REDACT_ENGINE=js' });
    expect(results).toHaveLength(configs.length);
    for (const [k, config] of configs.entries()) {
      const { ref } = compiledFor(config);
      expect(results[k]!.native).toBe(false);
      for (const [i, s] of sampleUnits.entries()) {
        const want = findSpansReference(s, ref);
        expect(results[k]!.units[i]!.spans).toEqual(want);
        expect(results[k]!.units[i]!.out).toBe(replaceSpansLatin1(s, want));
      }
    }
  });

  it('internal domains outside ASCII: no native scanner, the reference spans', () => {
    const opts = (internalDomains: string[]) => ({
      disabledTypes: new Set<string>(),
      customRules: [],
      allowlist: ['10.0.0.1'],
      internalDomains,
    });
    // U+212A (Kelvin sign) lower-cases to an ASCII k: that suffix is ASCII by the time the scanner sees it.
    for (const domains of [['bücher.example'], ['corp.example', 'ÉCOLE.example'], ['\u212aelvin.example']]) {
      const compiled: Both = { fast: compileRules(opts(domains)), ref: compileReference(opts(domains)) };
      expect(compiled.fast.native === undefined, domains.join()).toBe(!domains[0]!.startsWith('\u212a'));
      const hosts = ['db.bücher.example', 'DB.BÜCHER.EXAMPLE', 'x.école.example', 'kelvin.example', 'a.corp.example'];
      for (const h of hosts) {
        const s = view(`connect to ${h} from 10.0.0.1 and 10.0.0.2 via https://u:p@${h}/x mail a@${h}`);
        expect(expectNativeSame(s, compiled, `${domains} / ${h}`)).toBeGreaterThan(0);
      }
      for (const s of sampleUnits) expectNativeSame(s, compiled, domains.join());
    }
    // ASCII suffixes keep the native scanner.
    expect(compileRules(opts(['corp.example'])).native).toBeDefined();
  });

  it('a unit where PCRE2 stops on a resource limit is scanned in JavaScript (same result); other errors propagate', () => {
    // No cheap input makes the JIT stop (16 MiB of `-x` after a BEGIN, long runs for each pattern: all fine), so the
    // scanner is stubbed to fail the way the addon does.
    for (const config of Object.values(CONFIGS)) {
      const real = compiledFor(config);
      const failing = (code: string) => () => {
        throw Object.assign(new Error('redact native: PCRE2 error'), { code });
      };
      const limited: CompiledRules = {
        ...real.fast,
        native: {
          ...real.fast.native!,
          scan: failing('ERR_REDACT_NATIVE_LIMIT'),
          redact: failing('ERR_REDACT_NATIVE_LIMIT'),
        },
      };
      for (const s of sampleUnits) {
        const want = findSpansReference(s, real.ref);
        const bytes = Buffer.from(s, 'latin1');
        expect(findSpansInBytes(bytes, limited).map(({ start, end, type }) => [start, end, type])).toEqual(
          want.map(({ start, end, type }) => [start, end, type]),
        );
        const unit = redactUnit(bytes, limited);
        expect(unitSpans(unit)).toEqual(want.map(({ start, end, type }) => [start, end, type]));
        expect(unit.out.toString('latin1')).toBe(replaceSpansLatin1(s, want));
      }
      const broken: CompiledRules = {
        ...real.fast,
        native: { ...real.fast.native!, scan: failing('X'), redact: failing('X') },
      };
      const bytes = Buffer.from(sampleUnits[0]!, 'latin1');
      expect(() => findSpansInBytes(bytes, broken)).toThrow('PCRE2 error');
      expect(() => redactUnit(bytes, broken)).toThrow('PCRE2 error');
    }
  });
});

function runNode(args: string[], opts: { input: string; env: NodeJS.ProcessEnv }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
      env: opts.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`node exited with ${code}: ${err}`))));
    child.stdin.end(opts.input);
  });
}
