/**
 * bench:store — 100,000 issue inserts in batches, then 1,000 FTS searches, on an encrypted store and a plaintext
 * one in the same run (the plaintext run is the reference: targets are ratios, machines here are noisy).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore, SEVERITIES, type Store } from '../src/store/index.js';
import { formatTable, percentile, seededRandom } from './lib/stats.js';

const ISSUES = Number(process.env.BENCH_ISSUES ?? 100_000);
const BATCH = 1_000;
const SEARCHES = 1_000;

/**
 * Incident vocabulary with a Zipf-like distribution (a few words are everywhere, most are rare), as in real issue
 * text; queries are drawn from the same distribution, so common words are searched often too.
 */
const BASE_WORDS = (
  'database connection pool exhausted timeout checkout payments gateway latency spike redis eviction kafka ' +
  'consumer lag kubernetes pod crashloop oom killed certificate expired dns resolution failure load balancer ' +
  'deploy rollback migration lock deadlock replica disk full queue backlog cron job stuck memory leak cpu ' +
  'throttling network partition packet loss tls handshake auth token refresh login errors webhook retries rate ' +
  'limit cache miss storm feature flag misconfiguration search index stale elasticsearch shard'
).split(' ');
const VOCABULARY = [
  ...BASE_WORDS,
  ...Array.from({ length: 2000 }, (_, i) => `${BASE_WORDS[i % BASE_WORDS.length]!.slice(0, 4)}${i.toString(36)}`),
];
const ZIPF_CDF = (() => {
  const weights = VOCABULARY.map((_, i) => 1 / (i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  return weights.map((w) => {
    acc += w / total;
    return acc;
  });
})();

function word(rand: () => number): string {
  const u = rand();
  let lo = 0;
  let hi = ZIPF_CDF.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ZIPF_CDF[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return VOCABULARY[lo]!;
}

function sentence(rand: () => number, n: number): string {
  return Array.from({ length: n }, () => word(rand)).join(' ');
}

interface RunResult {
  label: string;
  insertsPerSec: number;
  p50: number;
  p99: number;
  fileMb: number;
}

function run(label: string, open: (dir: string) => Store): RunResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tftsr-bench-${label}-`));
  const store = open(dir);
  try {
    const rand = seededRandom(42);
    const insertBatch = (n: number) =>
      store.transaction(() => {
        for (let i = 0; i < n; i++) {
          store.issues.create({
            title: sentence(rand, 6),
            description: sentence(rand, 30),
            severity: SEVERITIES[Math.floor(rand() * 4)]!,
            tags: ['bench'],
          });
        }
      });
    const t0 = performance.now();
    for (let done = 0; done < ISSUES; done += BATCH) insertBatch(Math.min(BATCH, ISSUES - done));
    const insertSec = (performance.now() - t0) / 1000;

    const queries = Array.from({ length: SEARCHES }, () => sentence(rand, 1 + Math.floor(rand() * 2)));
    const latencies: number[] = [];
    for (const q of queries) {
      const s = performance.now();
      store.issues.search(q, { limit: 10 });
      latencies.push(performance.now() - s);
    }
    latencies.sort((a, b) => a - b);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    return {
      label,
      insertsPerSec: ISSUES / insertSec,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      fileMb: fs.statSync(store.file).size / 1e6,
    };
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const plain = run('plaintext', (dir) => openStore({ dataDir: dir, plaintext: true }));
const encrypted = run('encrypted', (dir) => openStore({ dataDir: dir, key: 'bench-key-0123456789abcdef' }));

const fmt = (n: number, d = 2) => n.toFixed(d);
console.log(
  `bench:store  ${new Date().toISOString().slice(0, 10)}  node ${process.version}  ${os.cpus().length} cores`,
);
console.log(`${ISSUES} issue inserts in batches of ${BATCH}, then ${SEARCHES} FTS searches (top 10)\n`);
console.log(
  formatTable(
    ['store', 'inserts/s', 'FTS p50 ms', 'FTS p99 ms', 'file MB'],
    [plain, encrypted].map((r) => [r.label, Math.round(r.insertsPerSec), fmt(r.p50), fmt(r.p99), fmt(r.fileMb, 1)]),
  ),
);
const insertRatio = plain.insertsPerSec / encrypted.insertsPerSec;
console.log(
  `\nencrypted/plaintext insert time ratio: ${fmt(insertRatio)}x (target <= 1.5x) ${insertRatio <= 1.5 ? 'PASS' : 'FAIL'}`,
);
console.log(`encrypted FTS p99: ${fmt(encrypted.p99)} ms (target <= 10 ms) ${encrypted.p99 <= 10 ? 'PASS' : 'FAIL'}`);
