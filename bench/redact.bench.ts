/**
 * bench:redact — throughput and peak RSS of the redaction engine against ripgrep, a naive baseline and npm peers,
 * on the same generated log, in one run. Prints a Markdown table; records it in bench/RESULTS.md only for a full-size
 * run (BENCH_REDACT_MB ≥ 200) or with BENCH_RECORD=1, so small trial runs never overwrite the recorded results.
 *
 * Our CLI rows run the built CLI as users run it (`node dist/src/cli/main.js redact <file> --stats`): the bench runs
 * `npm run build` first, so dist is never stale. Rows: one core (native scanner), --jobs 2, and one core with
 * TFTSR_REDACT_ENGINE=js (the JavaScript engine through the same CLI: before/after in one run). The "engine only"
 * rows compare the reference, JavaScript and native scanners in one process on the same units and fail the run if
 * their spans differ (bench/lib/redact-peers.ts `engines`).
 *
 * Env: BENCH_REDACT_MB (default 200) size of the generated log; BENCH_REDACT_PEER_MB (default 20) prefix the npm
 * peers get (they are far slower; their MB/s is what matters); BENCH_REDACT_GB=1 adds a 1 GB stdin run (RSS check);
 * BENCH_REDACT_BASELINE=<dir> adds the CLI of another tree (e.g. `git archive <commit> src bench/lib package.json |
 * tar -x -C <dir>` with node_modules linked; run through tsx from its bench/lib/redact-cli.ts) on the same file, one
 * core and --jobs 2; BENCH_REDACT_ROUNDS=n runs the CLI rows n times in alternation and reports medians (shared,
 * noisy machines); BENCH_REDACT_ENGINE_ROUNDS (default 5) rounds of the "engine only" comparison; BENCH_RECORD=1
 * records a run smaller than 200 MB.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUILTIN_RULES } from '../src/redact/rules.js';
import { logChunks } from './lib/log-corpus.js';
import { RG_STAGES } from './lib/rg-patterns.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const WORK = path.join(ROOT, 'bench/.work');
const SIZE_MB = Number(process.env.BENCH_REDACT_MB ?? 200);
const PEER_MB = Math.min(SIZE_MB, Number(process.env.BENCH_REDACT_PEER_MB ?? 20));
const RECORD = SIZE_MB >= 200 || process.env.BENCH_RECORD === '1';
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const TIME_FORMAT = `-f '__TIME__ %e %M %U %S'`;
const NODE_TSX = [process.execPath, '--import', 'tsx'];
const DIST_CLI = path.join(ROOT, 'dist/src/cli/main.js');
const ADDON = path.join(ROOT, 'build/Release/tftsr_redact.node');
/** 150 MB/s on one core; within 1.5× of ripgrep's time; faster than every npm peer (issue 3). */
const TARGET_MBPS = 150;
const TARGET_RG_RATIO = 1.5;

interface Row {
  name: string;
  mb: number;
  seconds: number;
  rssMB: number | undefined;
  found: number | undefined;
  note: string;
  /** User + system CPU seconds (GNU time), when measured. */
  cpuSeconds?: number;
}

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`;
}

/** The environment for a child: the native engine unless `engine` says otherwise (whatever this process was given). */
function childEnv(engine?: 'js'): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.TFTSR_REDACT_ENGINE;
  if (engine !== undefined) env.TFTSR_REDACT_ENGINE = engine;
  return env;
}

/**
 * Runs a shell command under GNU time (or, with `timed: false`, a command that puts its own `__TIME__` marker on
 * stderr); returns wall seconds, peak RSS (max over the processes), CPU seconds, stdout, stderr.
 */
function measure(
  command: string,
  { env = childEnv(), timed = true }: { env?: NodeJS.ProcessEnv; timed?: boolean } = {},
): { seconds: number; rssMB: number | undefined; cpuSeconds: number | undefined; stdout: string; stderr: string } {
  const wrapped = TIME && timed ? `${TIME} ${TIME_FORMAT} sh -c ${shellQuote(command)}` : command;
  const t0 = performance.now();
  const r = spawnSync('sh', ['-c', wrapped], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`benchmark command failed (${r.status}): ${command}\n${r.stderr.slice(-2000)}`);
  const m = /__TIME__ ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(r.stderr);
  return {
    seconds: m ? Number(m[1]) : wall,
    rssMB: m ? Number(m[2]) / 1024 : undefined,
    cpuSeconds: m ? Number(m[3]) + Number(m[4]) : undefined,
    stdout: r.stdout,
    stderr: r.stderr.replace(/__TIME__.*\n?/, ''),
  };
}

/** `npm run build` (tsc -p tsconfig.build.json): our CLI rows measure dist, which must match the sources. */
function build(): void {
  console.error('building dist (npm run build) …');
  const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`npm run build failed (${r.status ?? r.signal}): not measuring a stale dist`);
  if (!fs.existsSync(DIST_CLI)) throw new Error(`npm run build did not produce ${path.relative(ROOT, DIST_CLI)}`);
}

/** Which engine the built CLI's redactors use under `env` (dist/src/redact/native.js, as the CLI loads it). */
function distEngine(env: NodeJS.ProcessEnv): { engine: string; reason: string } {
  const native = path.join(ROOT, 'dist/src/redact/native.js');
  const script = `const m = await import(${JSON.stringify(native)}); console.log(JSON.stringify(m.redactEngine()));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot load ${path.relative(ROOT, native)}: ${r.stderr.slice(-1000)}`);
  return JSON.parse(r.stdout.trim()) as { engine: string; reason: string };
}

/** A warning when build/Release/tftsr_redact.node is older than the native sources (it is not rebuilt here). */
function addonStaleness(): string | undefined {
  const sources = [
    path.join(ROOT, 'binding.gyp'),
    ...fs.readdirSync(path.join(ROOT, 'native/redact')).map((f) => path.join(ROOT, 'native/redact', f)),
  ];
  const newest = Math.max(...sources.filter((f) => fs.existsSync(f)).map((f) => fs.statSync(f).mtimeMs));
  const built = fs.statSync(ADDON).mtimeMs;
  if (built >= newest) return undefined;
  return `**Warning:** ${path.relative(ROOT, ADDON)} is older than native/redact (by ${((newest - built) / 1000).toFixed(0)} s): the native rows measure the previous build (rebuild: \`node /usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js rebuild --nodedir=/usr\`).`;
}

function ensureLog(mb: number): string {
  const file = path.join(WORK, `redact-${mb}mb.log`);
  if (fs.existsSync(file) && Math.abs(fs.statSync(file).size - mb * 1e6) < 2e6) return file;
  fs.mkdirSync(WORK, { recursive: true });
  console.error(`generating ${mb} MB of mixed log into ${path.relative(ROOT, file)} …`);
  const fd = fs.openSync(file, 'w');
  for (const chunk of logChunks(mb * 1e6)) fs.writeSync(fd, chunk);
  fs.closeSync(fd);
  return file;
}

function prefix(file: string, mb: number): string {
  const out = path.join(WORK, `redact-${mb}mb-prefix.log`);
  if (fs.existsSync(out) && Math.abs(fs.statSync(out).size - mb * 1e6) < 2e6) return out;
  const data = fs.readFileSync(file).subarray(0, mb * 1e6);
  fs.writeFileSync(out, data.subarray(0, data.lastIndexOf(10) + 1));
  return out;
}

type CliRow = Row & { spans: number };

/**
 * Our CLI on `file`: the built dist CLI with plain node (as users run it), or with `baseline` another tree's
 * bench/lib/redact-cli.ts through tsx (that tree may predate dist and the native scanner).
 */
function oursCli(
  file: string,
  { extra = '', engine, baseline }: { extra?: string; engine?: 'js'; baseline?: string } = {},
): CliRow {
  const entry = baseline ? [...NODE_TSX, path.join(baseline, 'bench/lib/redact-cli.ts')] : [process.execPath, DIST_CLI];
  const cmd = `${entry.map(shellQuote).join(' ')} redact ${shellQuote(file)} --stats ${extra} > /dev/null`;
  const r = measure(cmd, { env: childEnv(engine) });
  const total = /^total\t(\d+)\tbytes\t(\d+)/m.exec(r.stderr);
  if (!total) throw new Error(`no --stats total from: ${cmd}\n${r.stderr.slice(-1000)}`);
  return {
    name: `ours: tftsr redact CLI${extra ? ` ${extra}` : ''}`,
    mb: Number(total[2]) / 1e6,
    seconds: r.seconds,
    rssMB: r.rssMB,
    cpuSeconds: r.cpuSeconds,
    found: Number(total[1]),
    spans: Number(total[1]),
    note: '',
  };
}

function child(mode: string, file: string, label: string, note: string): Row {
  const r = measure(`${NODE_TSX.map(shellQuote).join(' ')} bench/lib/redact-peers.ts ${mode} ${shellQuote(file)}`);
  const json = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { bytes: number; seconds: number; count: number };
  return { name: label, mb: json.bytes / 1e6, seconds: r.seconds, rssMB: r.rssMB, found: json.count, note };
}

interface EngineComparison {
  rows: Row[];
  mbps: { reference: number; javascript: number; native: number; nativeSpans: number };
  units: number;
  rounds: number;
  count: number;
  mb: number;
}

/** The scanners alone, in one process on the same 256 KiB units, alternating; the child fails if spans differ. */
function engines(file: string): EngineComparison {
  const r = measure(`${NODE_TSX.map(shellQuote).join(' ')} bench/lib/redact-peers.ts engines ${shellQuote(file)}`);
  const json = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
    bytes: number;
    count: number;
    units: number;
    rounds: number;
    msPerMB: { reference: number; javascript: number; native: number; nativeSpans: number };
  };
  const mb = json.bytes / 1e6;
  const row = (name: string, msPerMB: number, note: string): Row => ({
    name,
    mb,
    seconds: (msPerMB * mb) / 1000,
    rssMB: undefined,
    found: json.count,
    note,
  });
  const m = json.msPerMB;
  const same = `same process and ${json.units} units, CPU-time medians of ${json.rounds} alternating rounds`;
  return {
    rows: [
      row('engine only: reference', m.reference, 'test/redact/reference: one regex pass per rule; Latin-1 view'),
      row('engine only: JavaScript', m.javascript, `findSpans on the Latin-1 view; ${same}`),
      row(
        'engine only: native',
        m.native,
        `redactUnit(bytes): scan + rebuilt bytes (findSpansInBytes alone: ${(1000 / m.nativeSpans).toFixed(1)} MB/s); spans identical to both rows above`,
      ),
    ],
    mbps: {
      reference: 1000 / m.reference,
      javascript: 1000 / m.javascript,
      native: 1000 / m.native,
      nativeSpans: 1000 / m.nativeSpans,
    },
    units: json.units,
    rounds: json.rounds,
    count: json.count,
    mb,
  };
}

function ripgrep(file: string): Row | string {
  const probe = spawnSync('rg', ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0) return 'ripgrep not found: install it with `apt-get install -y ripgrep` (Debian) to compare';
  const stage = (s: (typeof RG_STAGES)[number]) =>
    `rg --passthru --no-filename --no-line-number --color never -e ${shellQuote(s.pattern)} -r ${shellQuote(s.replace)}`;
  const [first, ...rest] = RG_STAGES;
  const pipeline = [`${stage(first!)} ${shellQuote(file)}`, ...rest.map((s) => `${stage(s)} -`)].join(' | ');
  const r = measure(`${pipeline} > /dev/null`);
  return {
    name: `ripgrep ${probe.stdout.split('\n')[0]?.split(' ')[1] ?? ''} (${RG_STAGES.length}-stage pipeline)`,
    mb: fs.statSync(file).size / 1e6,
    seconds: r.seconds,
    rssMB: r.rssMB,
    found: undefined,
    note: 'same patterns where they translate; no validators; stages run in parallel',
  };
}

function table(rows: Row[], oursSecondsPerMB: number, rgSecondsPerMB: number | undefined): string {
  const lines = [
    '| contender | MB | seconds | MB/s | peak RSS MB | spans / replacements | time/MB vs ours | notes |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const r of rows) {
    const perMB = r.seconds / r.mb;
    lines.push(
      `| ${r.name} | ${r.mb.toFixed(0)} | ${r.seconds.toFixed(2)} | ${(r.mb / r.seconds).toFixed(1)} | ${
        r.rssMB === undefined ? 'n/a' : r.rssMB.toFixed(0)
      } | ${r.found === undefined ? 'n/a' : r.found.toLocaleString('en-US')} | ${(perMB / oursSecondsPerMB).toFixed(2)}× | ${r.note} |`,
    );
  }
  if (rgSecondsPerMB !== undefined) {
    lines.push(
      '',
      `ours / ripgrep time per MB: ${(oursSecondsPerMB / rgSecondsPerMB).toFixed(2)}× (target ≤ ${TARGET_RG_RATIO}×)`,
    );
  }
  return lines.join('\n');
}

function record(markdown: string): void {
  const file = path.join(ROOT, 'bench/RESULTS.md');
  const section = `## bench:redact\n\n${markdown}\n`;
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmark results\n\n';
  const start = text.indexOf('## bench:redact');
  if (start === -1) text = `${text.trimEnd()}\n\n${section}`;
  else {
    const next = text.indexOf('\n## ', start + 1);
    text = text.slice(0, start) + section + (next === -1 ? '' : `\n${text.slice(next + 1)}`);
  }
  fs.writeFileSync(file, text);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

build();
const nativeEngine = distEngine(childEnv());
if (nativeEngine.engine !== 'native') {
  throw new Error(`the built CLI would run the JavaScript engine (${nativeEngine.reason}): build the addon first`);
}
const jsEngine = distEngine(childEnv('js'));
if (jsEngine.engine !== 'js') throw new Error('TFTSR_REDACT_ENGINE=js did not select the JavaScript engine');
const stale = addonStaleness();
if (stale) console.error(stale);

const file = ensureLog(SIZE_MB);
const peerFile = prefix(file, PEER_MB);
const rows: Row[] = [];
const notes: string[] = [];
if (stale) notes.push(stale);

const jobs2 = `--jobs ${Math.min(2, os.availableParallelism())}`;
const baseline = process.env.BENCH_REDACT_BASELINE ? path.resolve(process.env.BENCH_REDACT_BASELINE) : undefined;
const ROUNDS = Math.max(1, Number(process.env.BENCH_REDACT_ROUNDS ?? 1));
// Our CLI rows (and the baseline's, if given), ROUNDS times in alternation: median seconds, max RSS.
const cliRuns: Array<{ key: string; run: () => CliRow }> = [
  ...(baseline
    ? ['', jobs2].map((extra) => ({
        key: `before${extra}`,
        run: () => ({
          ...oursCli(file, { extra, baseline }),
          name: `before: ${path.basename(baseline)} CLI${extra ? ` ${extra}` : ''}`,
          note: 'same file, run next to ours; its bench/lib/redact-cli.ts through tsx (+~0.35 s start-up)',
        }),
      }))
    : []),
  {
    key: 'ours',
    run: () => ({
      ...oursCli(file),
      name: 'ours: tftsr redact CLI (native)',
      note: 'one core, streaming, validators; `node dist/src/cli/main.js redact <file> --stats`',
    }),
  },
  {
    key: 'ours-jobs',
    run: () => ({
      ...oursCli(file, { extra: jobs2 }),
      name: `ours: tftsr redact CLI ${jobs2} (native)`,
      note: 'worker threads',
    }),
  },
  {
    key: 'ours-js',
    run: () => ({
      ...oursCli(file, { engine: 'js' }),
      name: 'ours: tftsr redact CLI, TFTSR_REDACT_ENGINE=js',
      note: 'one core; the JavaScript engine through the same CLI',
    }),
  },
];
const cliResults = new Map<string, CliRow[]>();
for (let round = 0; round < ROUNDS; round++) {
  for (const { key, run } of cliRuns) cliResults.set(key, [...(cliResults.get(key) ?? []), run()]);
}
const medianRow = (runs: CliRow[]): CliRow => {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  const mid = sorted[sorted.length >> 1]!;
  const rss = runs.map((r) => r.rssMB).filter((x) => x !== undefined);
  const cpu = mid.cpuSeconds === undefined ? '' : `; CPU ${mid.cpuSeconds.toFixed(2)} s`;
  return {
    ...mid,
    rssMB: rss.length > 0 ? Math.max(...rss) : undefined,
    note: `${mid.note}${cpu}${ROUNDS > 1 ? `; median of ${ROUNDS} alternating runs` : ''}`,
  };
};
const cli = new Map([...cliResults].map(([key, runs]) => [key, medianRow(runs)]));
for (const { key } of cliRuns) rows.push(cli.get(key)!);
const ours = cli.get('ours')!;
const oursJobs = cli.get('ours-jobs')!;
const oursJs = cli.get('ours-js')!;
for (const [key, runs] of cliResults) {
  if (key.startsWith('before')) continue;
  for (const r of runs) {
    if (r.spans !== ours.spans) {
      throw new Error(`our CLI rows disagree: ${r.name} found ${r.spans} spans, ${ours.name} ${ours.spans}`);
    }
  }
}
// Start-up of the CLI (node, modules, compiling the rules): the log's first line alone, median of three runs.
const oneLine = path.join(WORK, 'redact-one-line.log');
{
  const head = Buffer.alloc(64 << 10);
  const fd = fs.openSync(file, 'r');
  const n = fs.readSync(fd, head, 0, head.length, 0);
  fs.closeSync(fd);
  fs.writeFileSync(oneLine, head.subarray(0, head.subarray(0, n).indexOf(10) + 1));
}
const startup = median([0, 1, 2].map(() => oursCli(oneLine).seconds));

const rg = ripgrep(file);
if (typeof rg === 'string') notes.push(rg);
else rows.push(rg);
rows.push(child('naive', file, 'naive: one String.replace per pattern', 'whole file in memory, no validators'));
const peers: Row[] = [
  child('redactpii-node', peerFile, '@redactpii/node 1.0.17', `first ${PEER_MB} MB, ~1 MB batches`),
  child('redact-pii', peerFile, 'redact-pii 3.4.0 (SyncRedactor)', `first ${PEER_MB} MB, ~1 MB batches`),
];
if (fs.existsSync(path.join(WORK, 're2/node_modules/re2'))) {
  peers.push(
    child(
      're2',
      peerFile,
      're2 1.24.0 (node binding), one pass per pattern',
      `first ${PEER_MB} MB as a Buffer; matches only`,
    ),
  );
} else {
  notes.push(
    're2 not measured: `npm install --prefix bench/.work/re2 re2@1.24.0` (native build, measurement only) adds it.',
  );
}
rows.push(...peers);
const eng = engines(peerFile);
rows.push(...eng.rows);
const oursPeer = oursCli(peerFile);
if (oursPeer.spans !== eng.count) {
  throw new Error(`the CLI found ${oursPeer.spans} spans on the peers' prefix, the engines ${eng.count}`);
}
rows.push({
  ...oursPeer,
  name: 'ours on the peers’ prefix',
  note: `first ${PEER_MB} MB (compare spans with peers); native, one core`,
});
let gb: Row | undefined;
if (process.env.BENCH_REDACT_GB === '1') {
  const timeCli = TIME ? `${TIME} ${TIME_FORMAT} ` : '';
  const r = measure(
    `${NODE_TSX.map(shellQuote).join(' ')} bench/lib/gen-log.ts 1000 | ${timeCli}${shellQuote(process.execPath)} ${shellQuote(DIST_CLI)} redact - --stats > /dev/null`,
    { timed: false },
  );
  const total = /^total\t(\d+)\tbytes\t(\d+)/m.exec(r.stderr);
  gb = {
    name: 'ours: 1 GB from stdin',
    mb: total ? Number(total[2]) / 1e6 : 1000,
    seconds: r.seconds,
    rssMB: r.rssMB,
    found: total ? Number(total[1]) : undefined,
    note: 'bounded-memory check (peak RSS of the CLI, native); the time is set by the generator piping the log in',
  };
  rows.push(gb);
}

const mbps = (r: Row) => r.mb / r.seconds;
const oursPerMB = ours.seconds / ours.mb;
const rgPerMB = typeof rg === 'string' ? undefined : rg.seconds / rg.mb;
const verdict = (ok: boolean) => (ok ? '**PASS**' : '**FAIL**');
const slowerPeers = peers.filter((p) => p.seconds / p.mb > oursPerMB);
const fasterPeers = peers.filter((p) => p.seconds / p.mb <= oursPerMB);
const rgRatio = rgPerMB === undefined ? undefined : oursPerMB / rgPerMB;
const steady = ours.mb / Math.max(1e-9, ours.seconds - startup);
/** A note: its title, then its bullets wrapped at 118 columns (continuation lines indented by two spaces). */
function note(title: string, bullets: string[]): string {
  const wrap = (text: string) => {
    const lines: string[] = [];
    let line = '';
    for (const word of text.split(' ')) {
      if (line !== '' && line.length + 1 + word.length > 118) {
        lines.push(line);
        line = `  ${word}`;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    return [...lines, line].join('\n');
  };
  return [title, ...bullets.map((b) => wrap(`- ${b}`))].join('\n');
}

const oneCore = `${mbps(ours).toFixed(1)} MB/s (${ours.seconds.toFixed(2)} s wall${
  ours.cpuSeconds === undefined ? '' : `, ${ours.cpuSeconds.toFixed(2)} s CPU`
}, of which ~${startup.toFixed(2)} s is start-up; ~${steady.toFixed(0)} MB/s past start-up)`;
notes.push(
  note(
    `Targets from issue 3 (${os.availableParallelism()} cores, ${SIZE_MB} MB log; "ours" = the one-core native CLI row, wall time including start-up; verdicts computed from this run):`,
    [
      `≥ ${TARGET_MBPS} MB/s on one core: ${verdict(mbps(ours) >= TARGET_MBPS)} — ${oneCore}.`,
      `within ${TARGET_RG_RATIO}× of ripgrep's time: ${
        rgRatio === undefined
          ? 'not measured (no ripgrep)'
          : `${verdict(rgRatio <= TARGET_RG_RATIO)} — ${rgRatio.toFixed(2)}× ripgrep's time per MB`
      }.`,
      `faster than every npm peer: ${verdict(fasterPeers.length === 0)} — ${
        fasterPeers.length === 0
          ? `${slowerPeers.map((p) => `${p.name.split(' (')[0]} takes ${(p.seconds / p.mb / oursPerMB).toFixed(1)}×`).join(', ')} our time per MB`
          : `not faster than ${fasterPeers.map((p) => `${p.name} (${mbps(p).toFixed(1)} MB/s)`).join(', ')}`
      } (peers on the first ${PEER_MB} MB, wall time including their tsx start-up).`,
      `peak RSS bounded while streaming: ${
        gb === undefined
          ? 'not measured in this run (BENCH_REDACT_GB=1 adds the 1 GB row)'
          : `${gb.rssMB === undefined ? 'n/a' : `${gb.rssMB.toFixed(0)} MB`} for 1 GB from stdin`
      }${ours.rssMB === undefined ? '' : `; ${ours.rssMB.toFixed(0)} MB for the ${ours.mb.toFixed(0)} MB file`}.`,
    ],
  ),
);

if (baseline) {
  const pair = (before: string, now: string) =>
    `${mbps(cli.get(before)!).toFixed(1)} → ${mbps(cli.get(now)!).toFixed(1)} MB/s (${(mbps(cli.get(now)!) / mbps(cli.get(before)!)).toFixed(2)}×)`;
  notes.push(
    `Against ${path.basename(baseline)} (same file and run; its CLI runs through tsx, ~0.35 s more start-up): one core ${pair('before', 'ours')}; ${jobs2} ${pair(`before${jobs2}`, 'ours-jobs')}.`,
  );
}

const prefixed = BUILTIN_RULES.filter((r) => r.prefixes !== undefined && r.prefixes.length > 0);
const literals = new Set(
  prefixed.flatMap((r) => r.prefixes!.map((p) => (r.regex.flags.includes('i') ? p.toLowerCase() : p))),
);
const wordStart = BUILTIN_RULES.filter((r) => r.wordStart !== undefined && !prefixed.includes(r));
const typeNames = (rs: typeof BUILTIN_RULES) => [...new Set(rs.map((r) => r.type))].join(', ');
const m = eng.mbps;
notes.push(
  note('How it works (the figures are from this run):', [
    `Native scanner (the default): the ${BUILTIN_RULES.length} built-in rules run in C (native/redact, PCRE2; built by \`npm ci\` into build/Release/tftsr_redact.node). One byte loop walks each unit. A table indexed by each byte pair (the pair filter) rules out most positions in a tight skip loop; where it passes, the ${literals.size} trigger literals of the ${prefixed.length} literal-led rules (\`xoxb-\`, \`AKIA\`, \`password\`, \`@\`, \`://\` …) are compared 4 bytes at a time (ASCII-folded for the case-insensitive ones), the IPv6 (\`::\`, \`:hex:hex:\`) and Hostname (\`.label\`) anchors are checked in the same loop, and the ${wordStart.length} class-led rules (${typeNames(wordStart)}) are tried only at word starts that pass their first/previous/next-byte tables and a structural check. A rule's own pattern runs (PCRE2, anchored, JIT-compiled where the platform allows) only at those candidate positions; \`locate\`, the validators (Luhn, IBAN, SSN, entropy, TLDs, placeholders …) and overlap resolution are C too, and \`redactUnit\` gets the rebuilt bytes and the spans back in one call.`,
    'In JavaScript: custom rules (workspace-defined V8 patterns) and the allow-list, merged with the native candidates and resolved in JS; and the whole JavaScript engine (src/redact/engine.ts: two trigger-literal passes, a word-start loop, own passes for IPv6 and Hostname) as the fallback when the addon is not built, with TFTSR_REDACT_ENGINE=js, for non-ASCII internal domains, or for a unit where PCRE2 stops on a resource limit.',
    `Same spans: the reference, JavaScript and native engines returned identical spans (start, end, type) on every one of the ${eng.units} units of the "engine only" rows, and \`redactUnit\`'s bytes equal \`replaceSpans\`'; the three CLI rows of ours reported the same totals (the run fails otherwise). test/redact/equivalence.test.ts checks the same in the suite.`,
    `Engine only (${eng.mb.toFixed(0)} MB in one process, CPU time): reference ${m.reference.toFixed(1)} MB/s, JavaScript ${m.javascript.toFixed(1)} MB/s, native ${m.native.toFixed(1)} MB/s including the rebuilt bytes (${m.nativeSpans.toFixed(1)} MB/s returning span objects): native is ${(m.native / m.javascript).toFixed(2)}× the JavaScript engine and ${(m.native / m.reference).toFixed(2)}× the reference.`,
    `Through the CLI, same file and run: JavaScript engine ${mbps(oursJs).toFixed(1)} → native ${mbps(ours).toFixed(1)} MB/s (${(mbps(ours) / mbps(oursJs)).toFixed(2)}×) on one core; ${jobs2} ${mbps(oursJobs).toFixed(1)} MB/s. Every CLI row pays ~${startup.toFixed(2)} s of start-up (node, modules, compiling the rules), measured on a one-line input.`,
    `\`${jobs2}\` uses worker threads: it pays only when a core is idle, and each worker holds its own units (RSS).`,
    'Counts differ in meaning: redact-pii masks every long digit run (`DIGITS`), names and URLs; the naive baseline has no validators (so it replaces version numbers, class names, Luhn-invalid numbers …); ripgrep is not counted.',
  ]),
);
const header = `${new Date().toISOString().slice(0, 10)} · ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}) · Node ${process.versions.node} · ${SIZE_MB} MB generated mixed log (bench/lib/log-corpus.ts)`;
const markdown = [header, '', table(rows, oursPerMB, rgPerMB), ...notes.map((n) => `\n${n}`)].join('\n');
console.log(markdown);
if (RECORD) record(markdown);
else {
  console.error(
    `\n(not recorded in bench/RESULTS.md: a ${SIZE_MB} MB run; runs of ≥ 200 MB, or BENCH_RECORD=1, are recorded)`,
  );
}
