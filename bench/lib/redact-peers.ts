/**
 * Child-process runners for the redaction benchmark, one per contender, so each gets its own peak RSS:
 *   node --import tsx bench/lib/redact-peers.ts <naive|ours|engine-ab|redactpii-node|redact-pii> <file> [maxBytes]
 * Prints one JSON line: { bytes, seconds, count }. Peers run line batches (~1 MB) of the file's first maxBytes.
 * `engine-ab` scans the same 256 KiB units with the pre-optimisation scanner (test/redact/reference: one regex pass
 * per rule) and the current one, alternating, in one process; it adds { refMsPerMB, newMsPerMB } (medians of CPU
 * time over the rounds) and fails if any unit's spans differ.
 */
import fs from 'node:fs';
import os from 'node:os';
import { createRedactor } from '../../src/redact/index.js';
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

async function main(): Promise<{ bytes: number; count: number; refMsPerMB?: number; newMsPerMB?: number }> {
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
  if (mode === 'engine-ab') {
    const { compileRules, findSpans } = await import('../../src/redact/engine.js');
    const ref = await import('../../test/redact/reference/engine.js');
    const data = fs.readFileSync(file!).subarray(0, Number.isFinite(maxBytes) ? maxBytes : undefined);
    const units: string[] = [];
    for (let p = 0; p < data.length; ) {
      const nl = data.indexOf(10, Math.min(data.length - 1, p + (1 << 18)));
      const cut = nl === -1 ? data.length : nl + 1;
      units.push(data.toString('latin1', p, cut));
      p = cut;
    }
    const opts = { disabledTypes: new Set<string>(), customRules: [], allowlist: [], internalDomains: [] };
    const fast = compileRules(opts);
    const slow = ref.compileRules(opts);
    let count = 0;
    for (const u of units) {
      const a = findSpans(u, fast);
      if (JSON.stringify(a) !== JSON.stringify(ref.findSpans(u, slow))) throw new Error('engines disagree');
      count += a.length;
    }
    const cpuMs = (f: () => void) => {
      const c0 = process.cpuUsage();
      f();
      const c = process.cpuUsage(c0);
      return (c.user + c.system) / 1000;
    };
    const refMs: number[] = [];
    const newMs: number[] = [];
    for (let round = 0; round < Number(process.env.BENCH_REDACT_AB_ROUNDS ?? 5); round++) {
      refMs.push(
        cpuMs(() => {
          for (const u of units) ref.findSpans(u, slow);
        }),
      );
      newMs.push(
        cpuMs(() => {
          for (const u of units) findSpans(u, fast);
        }),
      );
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;
    const mb = data.length / 1e6;
    return { bytes: data.length, count, refMsPerMB: median(refMs) / mb, newMsPerMB: median(newMs) / mb };
  }
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
