/**
 * Child-process runners for the redaction benchmark, one per contender, so each gets its own peak RSS:
 *   node --import tsx bench/lib/redact-peers.ts <naive|ours|engines|re2|redactpii-node|redact-pii> <file> [maxBytes]
 * Prints one JSON line: { bytes, seconds, count }. Peers run line batches (~1 MB) of the file's first maxBytes.
 * `engines` compares the scanners in one process on the same 256 KiB units (cut at line ends, as the stream cuts
 * them), in alternating rounds: the frozen reference (test/redact/reference: one regex pass per rule), the JavaScript
 * engine (`findSpans` on the Latin-1 view) and the native scanner (`redactUnit`: scan plus rebuilt bytes; and
 * `findSpansInBytes`: spans as objects). It adds { units, rounds, msPerMB: {…} } (medians of process CPU time over
 * the rounds, GC included; BENCH_REDACT_ENGINE_ROUNDS, default 5) and throws if the native scanner is not loaded or if
 * any unit's spans (start, end, type) differ between the engines.
 */
import fs from 'node:fs';
import os from 'node:os';
import { createRedactor } from '../../src/redact/index.js';
import type { Candidate } from '../../src/redact/resolve.js';
import { BUILTIN_RULES } from '../../src/redact/rules.js';

const [mode, file, maxArg] = process.argv.slice(2);
if (!mode || !file) throw new Error('usage: redact-peers.ts <mode> <file> [maxBytes]');
const maxBytes = maxArg ? Number(maxArg) : Number.POSITIVE_INFINITY;
// A marker no input contains, to count replacements made by peers.
const MARK = '\u00a7R\u00a7';

function countMarks(s: string): number {
  let n = 0;
  for (let i = s.indexOf(MARK); i !== -1; i = s.indexOf(MARK, i + MARK.length)) n++;
  return n;
}

/** Yields ~1 MB batches of whole lines (peers' regexes are meant for messages, not 200 MB strings). */
function* batches(): Generator<string> {
  const fd = fs.openSync(file!, 'r');
  const buf = Buffer.alloc(1 << 20);
  let carry = '';
  let total = 0;
  try {
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0 || total >= maxBytes) break;
      total += n;
      const text = carry + buf.toString('utf8', 0, n);
      const cut = text.lastIndexOf('\n') + 1;
      carry = text.slice(cut);
      yield text.slice(0, cut);
    }
  } finally {
    fs.closeSync(fd);
  }
  if (carry) yield carry;
}

interface EngineComparison {
  bytes: number;
  count: number;
  units: number;
  rounds: number;
  /** CPU ms per MB, medians over the rounds. */
  msPerMB: { reference: number; javascript: number; native: number; nativeSpans: number };
}

/** See the header: reference vs JavaScript vs native on the same units, identical spans or a loud failure. */
async function compareEngines(): Promise<EngineComparison> {
  const { compileRules, findSpans, findSpansInBytes, redactUnit, replaceSpans } = await import(
    '../../src/redact/engine.js'
  );
  const { redactEngine } = await import('../../src/redact/native.js');
  const ref = await import('../../test/redact/reference/engine.js');
  const data = fs.readFileSync(file!).subarray(0, Number.isFinite(maxBytes) ? maxBytes : undefined);
  const buffers: Buffer[] = [];
  for (let p = 0; p < data.length; ) {
    const nl = data.indexOf(10, Math.min(data.length - 1, p + (1 << 18)));
    const cut = nl === -1 ? data.length : nl + 1;
    buffers.push(data.subarray(p, cut));
    p = cut;
  }
  const strings = buffers.map((b) => b.toString('latin1'));
  const opts = { disabledTypes: new Set<string>(), customRules: [], allowlist: [], internalDomains: [] };
  const compiled = compileRules(opts);
  const reference = ref.compileRules(opts);
  if (compiled.native === undefined) {
    throw new Error(`engines: the native scanner is not loaded (${redactEngine().reason}); nothing to compare`);
  }
  const key = (spans: ReadonlyArray<Pick<Candidate, 'start' | 'end' | 'type'>>) =>
    spans.map((c) => `${c.start}-${c.end}:${c.type}`);
  const disagree = (unit: number, what: string, a: string[], b: string[]): Error => {
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    return new Error(
      `engines disagree on unit ${unit} (bytes ${buffers.slice(0, unit).reduce((n, b) => n + b.length, 0)}…): ${what}: ` +
        `${a.length} vs ${b.length} spans, first difference at span ${i}: ${a[i] ?? '(none)'} vs ${b[i] ?? '(none)'}`,
    );
  };
  let count = 0;
  for (let u = 0; u < buffers.length; u++) {
    const s = strings[u]!;
    const r = key(ref.findSpans(s, reference));
    const jsSpans = findSpans(s, compiled);
    const js = key(jsSpans);
    const inBytes = key(findSpansInBytes(buffers[u]!, compiled));
    const unit = redactUnit(buffers[u]!, compiled);
    const native: string[] = [];
    for (let i = 0; i < unit.spans.length; i += 3) {
      native.push(`${unit.spans[i]}-${unit.spans[i + 1]}:${unit.types[unit.spans[i + 2]!]}`);
    }
    for (const [what, other] of [
      ['JavaScript vs reference', js],
      ['native findSpansInBytes vs reference', inBytes],
      ['native redactUnit vs reference', native],
    ] as const) {
      if (other.length !== r.length || other.some((x, i) => x !== r[i])) throw disagree(u, what, other, r);
    }
    if (!unit.out.equals(Buffer.from(replaceSpans(s, jsSpans), 'latin1'))) {
      throw new Error(`engines disagree on unit ${u}: native redactUnit output bytes differ from replaceSpans`);
    }
    count += r.length;
  }
  const cpuMs = (f: () => void) => {
    const c0 = process.cpuUsage();
    f();
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  };
  const runs = {
    reference: () => {
      for (const s of strings) ref.findSpans(s, reference);
    },
    javascript: () => {
      for (const s of strings) findSpans(s, compiled);
    },
    native: () => {
      for (const b of buffers) redactUnit(b, compiled);
    },
    nativeSpans: () => {
      for (const b of buffers) findSpansInBytes(b, compiled);
    },
  };
  const names = Object.keys(runs) as Array<keyof typeof runs>;
  const ms = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<keyof typeof runs, number[]>;
  const rounds = Math.max(1, Number(process.env.BENCH_REDACT_ENGINE_ROUNDS ?? 5));
  for (let round = 0; round < rounds; round++) {
    // Alternate, and rotate who goes first, so drift on a shared machine hits every engine alike.
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length]!;
      ms[name].push(cpuMs(runs[name]));
    }
  }
  const mb = data.length / 1e6;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]! / mb;
  return {
    bytes: data.length,
    count,
    units: buffers.length,
    rounds,
    msPerMB: {
      reference: median(ms.reference),
      javascript: median(ms.javascript),
      native: median(ms.native),
      nativeSpans: median(ms.nativeSpans),
    },
  };
}

async function main(): Promise<{ bytes: number; count: number } | EngineComparison> {
  if (mode === 'naive') {
    // The baseline the issue describes: one String.replace per pattern over the whole text, no validators.
    let text = fs.readFileSync(file!, 'latin1');
    const bytes = text.length;
    for (const rule of BUILTIN_RULES) text = text.replace(new RegExp(rule.regex.source, 'g'), `[${rule.type}]`);
    let count = 0;
    for (const m of text.matchAll(/\[[A-Za-z0-9]+\]/g)) if (m[0]) count++;
    return { bytes, count };
  }
  if (mode === 'ours' || mode === 'ours-workers') {
    const redactor = createRedactor();
    const workers = mode === 'ours-workers' ? Math.min(4, os.availableParallelism()) : 0;
    let count = 0;
    let bytes = 0;
    const input = fs.createReadStream(file!, { highWaterMark: 1 << 20 });
    for await (const _ of redactor.redactStream(input, {
      chunkSize: Number(process.env.REDACT_CHUNK ?? 1 << 20),
      workers,
      onSpan: () => count++,
      onProgress: (b) => (bytes = b),
    })) {
      // drain
    }
    return { bytes, count };
  }
  if (mode === 'engines') return compareEngines();
  if (mode === 're2') {
    // Measurement only: re2 is not a dependency (native build; its latest needs Node 22). Installed on demand into
    // bench/.work/re2 by `npm install --prefix bench/.work/re2 re2@1.24.0`. RE2 caps repetitions at 1000.
    const { createRequire } = await import('node:module');
    const { RG_STAGES } = await import('./rg-patterns.js');
    const RE2 = createRequire(import.meta.url)('../.work/re2/node_modules/re2') as new (
      p: string,
      f: string,
    ) => { lastIndex: number; exec(b: Buffer): unknown };
    const data = fs.readFileSync(file!).subarray(0, Number.isFinite(maxBytes) ? maxBytes : undefined);
    let count = 0;
    for (const stage of RG_STAGES) {
      const source = stage.pattern.replace(
        /\{(\d+),(\d+)\}/g,
        (_m, a: string, b: string) => `{${a},${Math.min(1000, Number(b))}}`,
      );
      let re: { lastIndex: number; exec(b: Buffer): unknown };
      try {
        re = new RE2(source, 'g');
      } catch {
        continue; // a pattern RE2 refuses (nested counted repetition over its limit)
      }
      while (re.exec(data) !== null) count++;
    }
    return { bytes: data.length, count };
  }
  let redact: (s: string) => string;
  if (mode === 'redactpii-node') {
    const { Redactor } = await import('@redactpii/node');
    const r = new Redactor({ globalReplaceWith: MARK });
    redact = (s) => r.redact(s);
  } else if (mode === 'redact-pii') {
    const { SyncRedactor } = await import('redact-pii');
    const r = new SyncRedactor({ globalReplaceWith: MARK });
    redact = (s) => r.redact(s);
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  let bytes = 0;
  let count = 0;
  for (const batch of batches()) {
    bytes += Buffer.byteLength(batch);
    count += countMarks(redact(batch));
  }
  return { bytes, count };
}

const t0 = process.hrtime.bigint();
const result = await main();
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
process.stdout.write(`${JSON.stringify({ ...result, seconds })}\n`);
