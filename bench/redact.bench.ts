/**
 * bench:redact — throughput and peak RSS of the redaction engine against ripgrep, a naive baseline and npm peers,
 * on the same generated log, in one run. Prints a Markdown table and records it in bench/RESULTS.md.
 *
 * Env: BENCH_REDACT_MB (default 200) size of the generated log; BENCH_REDACT_PEER_MB (default 20) prefix the npm
 * peers get (they are far slower; their MB/s is what matters); BENCH_REDACT_GB=1 adds a 1 GB stdin run (RSS check);
 * BENCH_REDACT_BASELINE=<dir> adds the CLI of another tree (e.g. `git archive <commit> src bench/lib package.json |
 * tar -x -C <dir>` with node_modules linked) on the same file, one core and --jobs 2, for before/after in one run;
 * BENCH_REDACT_ROUNDS=n runs those CLI rows n times in alternation and reports medians (shared, noisy machines).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { logChunks } from './lib/log-corpus.js';
import { RG_STAGES } from './lib/rg-patterns.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const WORK = path.join(ROOT, 'bench/.work');
const SIZE_MB = Number(process.env.BENCH_REDACT_MB ?? 200);
const PEER_MB = Math.min(SIZE_MB, Number(process.env.BENCH_REDACT_PEER_MB ?? 20));
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const NODE = [process.execPath, '--import', 'tsx'];

interface Row {
  name: string;
  mb: number;
  seconds: number;
  rssMB: number | undefined;
  found: number | undefined;
  note: string;
}

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`;
}

/** Runs a shell command under GNU time; returns wall seconds, peak RSS (max over the processes), stdout, stderr. */
function measure(command: string): { seconds: number; rssMB: number | undefined; stdout: string; stderr: string } {
  const wrapped = TIME ? `${TIME} -f '__TIME__ %e %M' sh -c ${shellQuote(command)}` : command;
  const t0 = performance.now();
  const r = spawnSync('sh', ['-c', wrapped], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`benchmark command failed (${r.status}): ${command}\n${r.stderr.slice(-2000)}`);
  const m = /__TIME__ ([\d.]+) (\d+)/.exec(r.stderr);
  return {
    seconds: m ? Number(m[1]) : wall,
    rssMB: m ? Number(m[2]) / 1024 : undefined,
    stdout: r.stdout,
    stderr: r.stderr.replace(/__TIME__.*\n?/, ''),
  };
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

function oursCli(file: string, extra = '', root = ROOT): Row & { spans: number } {
  const cli = path.join(root, 'bench/lib/redact-cli.ts');
  const cmd = `${NODE.map(shellQuote).join(' ')} ${shellQuote(cli)} redact ${shellQuote(file)} --stats ${extra} > /dev/null`;
  const r = measure(cmd);
  const total = /^total\t(\d+)\tbytes\t(\d+)/m.exec(r.stderr);
  const bytes = total ? Number(total[2]) : fs.statSync(file).size;
  return {
    name: `ours: tftsr redact CLI${extra ? ` ${extra}` : ''}`,
    mb: bytes / 1e6,
    seconds: r.seconds,
    rssMB: r.rssMB,
    found: total ? Number(total[1]) : undefined,
    spans: total ? Number(total[1]) : 0,
    note: extra ? 'worker threads' : 'one core, streaming, validators',
  };
}

function child(mode: string, file: string, label: string, note: string): Row {
  const r = measure(`${NODE.map(shellQuote).join(' ')} bench/lib/redact-peers.ts ${mode} ${shellQuote(file)}`);
  const json = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { bytes: number; seconds: number; count: number };
  return { name: label, mb: json.bytes / 1e6, seconds: r.seconds, rssMB: r.rssMB, found: json.count, note };
}

/** The scanner alone, before (frozen pre-optimisation copy) and now, alternating in one process on the same units. */
function engineAB(file: string): { rows: Row[]; speedup: number } {
  const r = measure(`${NODE.map(shellQuote).join(' ')} bench/lib/redact-peers.ts engine-ab ${shellQuote(file)}`);
  const json = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
    bytes: number;
    count: number;
    refMsPerMB: number;
    newMsPerMB: number;
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
  return {
    rows: [
      row('engine only, before: one regex pass per rule', json.refMsPerMB, 'findSpans, frozen pre-optimisation copy'),
      row(
        'engine only, now: trigger groups + word-start loop',
        json.newMsPerMB,
        'same process and units, CPU-time medians; spans identical',
      ),
    ],
    speedup: json.refMsPerMB / json.newMsPerMB,
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
    lines.push('', `ours / ripgrep time per MB: ${(oursSecondsPerMB / rgSecondsPerMB).toFixed(2)}× (target ≤ 1.5×)`);
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
    text = text.slice(0, start) + section + (next === -1 ? '' : text.slice(next + 1));
  }
  fs.writeFileSync(file, text);
}

const file = ensureLog(SIZE_MB);
const peerFile = prefix(file, PEER_MB);
const rows: Row[] = [];
const notes: string[] = [];

const jobs2 = `--jobs ${Math.min(2, os.availableParallelism())}`;
const baseline = process.env.BENCH_REDACT_BASELINE;
const ROUNDS = Math.max(1, Number(process.env.BENCH_REDACT_ROUNDS ?? 1));
// Our CLI (and the baseline's, if given) one core and --jobs 2, ROUNDS times in alternation: median seconds, max RSS.
const cliRuns: Array<{ key: string; run: () => Row & { spans: number } }> = [
  ...(baseline
    ? ['', jobs2].map((extra) => ({
        key: `before${extra}`,
        run: () => ({
          ...oursCli(file, extra, path.resolve(baseline)),
          name: `before: ${path.basename(baseline)} CLI${extra ? ` ${extra}` : ''}`,
          note: 'same file, run next to ours',
        }),
      }))
    : []),
  { key: 'ours', run: () => oursCli(file) },
  { key: `ours${jobs2}`, run: () => oursCli(file, jobs2) },
];
const cliResults = new Map<string, Array<Row & { spans: number }>>();
for (let round = 0; round < ROUNDS; round++) {
  for (const { key, run } of cliRuns) cliResults.set(key, [...(cliResults.get(key) ?? []), run()]);
}
const medianRow = (runs: Array<Row & { spans: number }>): Row & { spans: number } => {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  const mid = sorted[sorted.length >> 1]!;
  const rss = runs.map((r) => r.rssMB).filter((x) => x !== undefined);
  return {
    ...mid,
    rssMB: rss.length > 0 ? Math.max(...rss) : undefined,
    note: ROUNDS > 1 ? `${mid.note}; median of ${ROUNDS} alternating runs` : mid.note,
  };
};
for (const { key } of cliRuns) rows.push(medianRow(cliResults.get(key)!));
const ours = medianRow(cliResults.get('ours')!);
const rg = ripgrep(file);
if (typeof rg === 'string') notes.push(rg);
else rows.push(rg);
rows.push(child('naive', file, 'naive: one String.replace per pattern', 'whole file in memory, no validators'));
rows.push(child('redactpii-node', peerFile, '@redactpii/node 1.0.17', `first ${PEER_MB} MB, ~1 MB batches`));
rows.push(child('redact-pii', peerFile, 'redact-pii 3.4.0 (SyncRedactor)', `first ${PEER_MB} MB, ~1 MB batches`));
if (fs.existsSync(path.join(WORK, 're2/node_modules/re2'))) {
  rows.push(
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
const ab = engineAB(peerFile);
rows.push(...ab.rows);
const oursPeer = oursCli(peerFile);
rows.push({ ...oursPeer, name: 'ours on the peers’ prefix', note: `first ${PEER_MB} MB (compare spans with peers)` });
if (process.env.BENCH_REDACT_GB === '1') {
  const r = measure(
    `${NODE.map(shellQuote).join(' ')} bench/lib/gen-log.ts 1000 | ${TIME ? `${TIME} -f '__TIME__ %e %M'` : ''} ${NODE.map(shellQuote).join(' ')} bench/lib/redact-cli.ts redact - > /dev/null`,
  );
  rows.push({
    name: 'ours: 1 GB from stdin',
    mb: 1000,
    seconds: r.seconds,
    rssMB: r.rssMB,
    found: undefined,
    note: 'bounded-memory check (RSS)',
  });
}

const oursPerMB = ours.seconds / ours.mb;
if (baseline) {
  const mbps = (key: string) => {
    const r = medianRow(cliResults.get(key)!);
    return r.mb / r.seconds;
  };
  const pair = (before: string, now: string) =>
    `${mbps(before).toFixed(1)} → ${mbps(now).toFixed(1)} MB/s (${(mbps(now) / mbps(before)).toFixed(2)}×)`;
  notes.push(
    `Before/after, same file and run (${path.basename(baseline)} = the tree before this engine): one core ${pair('before', 'ours')}; ${jobs2} ${pair(`before${jobs2}`, `ours${jobs2}`)}; wall time including ~0.4 s of start-up.`,
  );
}
const rgPerMB = typeof rg === 'string' ? undefined : rg.seconds / rg.mb;
const fastestPeer = rows
  .filter((r) => r.name.startsWith('@') || r.name.startsWith('redact-pii'))
  .sort((a, b) => a.seconds / a.mb - b.seconds / b.mb)[0];
notes.push(
  [
    'Reading the table:',
    `- Targets from issue 3 on this shared 2-core machine: ≥ 150 MB/s on one core — **not met** (${(ours.mb / ours.seconds).toFixed(1)} MB/s);`,
    `  within 1.5× of ripgrep — ${rgPerMB === undefined ? 'not measured' : `${(oursPerMB / rgPerMB).toFixed(2)}×`}; faster than every npm peer —`,
    `  ${fastestPeer && fastestPeer.seconds / fastestPeer.mb < oursPerMB ? `**not met** against ${fastestPeer.name}, which checks 5 types and finds a fraction of the spans` : 'met'};`,
    '  peak RSS bounded while streaming (run with BENCH_REDACT_GB=1 for the 1 GB row).',
    `- Scanner: the 24 rules whose matches start with a literal (\`xoxb-\`, \`AKIA\`, \`password\`, \`@\`, \`://\` …) share two`,
    '  V8 passes (one case-insensitive alternation of their prefixes, one case-sensitive); each rule is tried with a',
    '  sticky copy of its regex only where one of its prefixes starts. IBAN, card, SSN, IPv4, MAC and both phone rules are',
    '  tried only at word starts that pass a cheap structural check, found in one JS loop. IPv6, Hostname (and',
    '  custom rules) keep a pass of their own; patterns lost the `d` flag (V8 match indices cost ~0.7 µs a match).',
    '  Validators and overlap resolution are unchanged; a differential test',
    '  (test/redact/equivalence.test.ts) checks every span against the pre-optimisation scanner (test/redact/reference).',
    `  Scanner alone: ${ab.speedup.toFixed(2)}× faster than before in the same process (the two "engine only" rows).`,
    '- Why not 150 MB/s: this log carries ~8,800 spans per MB. What is left is spread thin: the two prefix passes',
    '  (~17% of CPU), the word-start loop (~20%), the two remaining passes (~5%), and per-match work — exec and',
    '  match objects, `locate`/validators, candidates, overlap resolution, span values, rebuilding (~45%). Plain JS',
    '  loops run at ~2 ns per char here and V8 regexes that start with a character class at ~1 ns per char per',
    '  pattern, so a native multi-pattern DFA/Aho-Corasick prefilter (WASM) would be needed for the scanning half, and',
    '  the per-span half would still cap the total near 100 MB/s on this span density.',
    '- `--jobs 2` uses worker threads: it pays only when a core is idle (this machine is shared) and doubles RSS.',
    '- Counts differ in meaning: redact-pii masks every long digit run (`DIGITS`), names and URLs; the naive baseline',
    '  has no validators (so it replaces version numbers, class names, Luhn-invalid numbers …); ripgrep is not counted.',
  ].join('\n'),
);
const header = `${new Date().toISOString().slice(0, 10)} · ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}) · Node ${process.versions.node} · ${SIZE_MB} MB generated mixed log (bench/lib/log-corpus.ts)`;
const markdown = [header, '', table(rows, oursPerMB, rgPerMB), ...notes.map((n) => `\n${n}`)].join('\n');
console.log(markdown);
record(markdown);
