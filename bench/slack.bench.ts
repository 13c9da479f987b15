/**
 * bench:slack — 500 signed `/tftsr new … sev:x` quick-form commands, 50 in flight, over loopback into the real Bolt
 * HTTP receiver (HTTP mode) on the encrypted store. Prints ack latency p50/p99 (what Slack's 3 s budget applies to),
 * acks/s, and the time until every issue and its card exist.
 *
 * Slack's side — the load generator and the fake Web API the app calls — runs in a worker thread (this same file),
 * so it does not compete with the app for its event loop, as it would not in production.
 *
 * Env: BENCH_COMMANDS (500), BENCH_IN_FLIGHT (50), BENCH_WORK (the app's post-ack concurrency, default 8),
 * BENCH_DEBUG=1 (print slow requests and transactions over 10 ms).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 500);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 50);
const WARMUP = 60;
const TOKEN = 'xoxb-bench-not-a-real-token';
const SECRET = 'bench-signing-secret';

type ToWorker = { type: 'run'; port: number } | { type: 'count' } | { type: 'stop' };
type FromWorker =
  | { type: 'ready'; apiUrl: string }
  | { type: 'started' }
  | { type: 'result'; latencies: number[]; failures: number; elapsedMs: number }
  | { type: 'counts'; posts: number };

/** Slack's side: fake Web API + signed command sender. */
async function slackSide(): Promise<void> {
  const { FakeSlack } = await import('../test/support/fake-slack.js');
  const { SlackDriver } = await import('../test/support/slack-driver.js');
  const { SEVERITIES } = await import('../src/store/schemas.js');
  const port = parentPort!;
  const fake = await FakeSlack.start({ botToken: TOKEN });
  const send = (m: FromWorker) => port.postMessage(m);
  port.on('message', async (m: ToWorker) => {
    if (m.type === 'stop') {
      await fake.stop();
      port.close();
      return;
    }
    if (m.type === 'count') {
      send({ type: 'counts', posts: fake.callsTo('chat.postMessage').length });
      return;
    }
    const driver = new SlackDriver({ url: `http://127.0.0.1:${m.port}/slack/events`, signingSecret: SECRET, fake });
    // Warm-up: JIT, prepared statements, and as many keep-alive connections as the run keeps in flight.
    await Promise.all(
      Array.from({ length: WARMUP }, (_, i) => driver.command(`new Warm-up ${i} sev:low`, { channel_id: 'C0WARM' })),
    );
    await new Promise((r) => setTimeout(r, 500));
    const latencies: number[] = [];
    let next = 0;
    let failures = 0;
    send({ type: 'started' });
    const started = performance.now();
    const sender = async () => {
      while (next < COMMANDS) {
        const i = next++;
        const t0 = performance.now();
        const res = await driver.command(
          `new Bench issue ${i} checkout latency sev:${SEVERITIES[i % SEVERITIES.length]} tag:bench`,
          { channel_id: `C0BENCH${i % 10}`, user_id: `U0USER${i % 25}` },
        );
        latencies.push(performance.now() - t0);
        if (process.env.BENCH_DEBUG && performance.now() - t0 > 100) {
          console.log('slow', i, Math.round(t0 - started), Math.round(performance.now() - t0));
        }
        if (res.status !== 200) failures++;
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, sender));
    send({ type: 'result', latencies, failures, elapsedMs: performance.now() - started });
  });
  send({ type: 'ready', apiUrl: fake.apiUrl });
}

/** The app's side: the real app factory, encrypted store, HTTP receiver. */
async function appSide(): Promise<void> {
  const { createApp } = await import('../src/app.js');
  const { loadConfig } = await import('../src/config.js');
  const { createLogger } = await import('../src/logger.js');
  const { openStore } = await import('../src/store/index.js');
  const { formatTable, percentile } = await import('./lib/stats.js');

  // tsx's loader is not inherited by worker threads: the worker registers it, then loads this file.
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(bootstrap, { eval: true, workerData: { role: 'slack' } });
  const inbox: FromWorker[] = [];
  const waiters: ((m: FromWorker) => void)[] = [];
  worker.on('message', (m: FromWorker) => {
    const waiter = waiters.shift();
    if (waiter) waiter(m);
    else inbox.push(m);
  });
  worker.on('error', (err) => {
    console.error('bench:slack worker failed:', err);
    process.exit(1);
  });
  const receive = <T extends FromWorker['type']>(type: T) =>
    new Promise<Extract<FromWorker, { type: T }>>((resolve) => {
      const queued = inbox.shift();
      const take = (m: FromWorker) => {
        if (m.type !== type) throw new Error(`expected ${type}, got ${m.type}`);
        resolve(m as Extract<FromWorker, { type: T }>);
      };
      if (queued) take(queued);
      else waiters.push(take);
    });

  const { apiUrl } = await receive('ready');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tftsr-bench-slack-'));
  const logger = createLogger({ level: 'warn' });
  const config = loadConfig({
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: apiUrl,
    PORT: '0',
    TFTSR_DATA_DIR: dataDir,
  });
  // No TFTSR_DB_KEY: the generated-key path, encrypted like a default installation.
  const store = openStore({ dataDir, logger });
  const slowTx: number[] = [];
  if (process.env.BENCH_DEBUG) {
    const tx = store.transaction.bind(store);
    store.transaction = <T>(fn: () => T): T => {
      const t0 = performance.now();
      try {
        return tx(fn);
      } finally {
        const ms = performance.now() - t0;
        if (ms > 10) slowTx.push(Math.round(ms));
      }
    };
  }
  const tftsr = createApp({
    config,
    store,
    logger,
    ...(process.env.BENCH_WORK ? { workConcurrency: Number(process.env.BENCH_WORK) } : {}),
  });
  const { port, server } = await tftsr.start();
  if (port === undefined || !server) throw new Error('the app did not start in HTTP mode');
  // Server-side ack latency: request received → response finished (excludes the sender's own queueing).
  const serverLatencies: number[] = [];
  let measuring = false;
  server.on('request', (req, res) => {
    if (!measuring || req.method !== 'POST') return;
    const t0 = performance.now();
    res.once('finish', () => serverLatencies.push(performance.now() - t0));
  });

  const elu0 = performance.eventLoopUtilization();
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const run = Date.now();
  worker.postMessage({ type: 'run', port } satisfies ToWorker);
  await receive('started');
  measuring = true;
  const result = await receive('result');
  measuring = false;
  await tftsr.idle();
  const doneMs = Date.now() - run;
  const elu = performance.eventLoopUtilization(elu0);
  loopDelay.disable();
  if (process.env.BENCH_DEBUG) console.log('transactions over 10 ms:', JSON.stringify(slowTx));
  console.log(
    `app event loop: utilization ${(elu.utilization * 100).toFixed(0)}%, delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms, max ${(loopDelay.max / 1e6).toFixed(1)} ms`,
  );
  worker.postMessage({ type: 'count' } satisfies ToWorker);
  const counts = await receive('counts');

  const created = store.issues.count() - WARMUP;
  const cards = counts.posts - WARMUP;
  const latencies = [...result.latencies].sort((a, b) => a - b);
  const p99 = percentile(latencies, 99);
  const server99 = [...serverLatencies].sort((a, b) => a - b);
  console.log(
    `bench:slack — ${COMMANDS} signed quick-form commands, ${IN_FLIGHT} in flight, HTTP mode, encrypted store: ${store.encrypted}, node ${process.version}, ${os.cpus().length} cores`,
  );
  console.log(
    formatTable(
      [
        'ack p50 ms',
        'ack p99 ms',
        'ack max ms',
        'server-side p50/p99 ms',
        'commands/s (acked)',
        'all cards posted s',
        'issues',
        'cards',
        'non-200',
      ],
      [
        [
          percentile(latencies, 50).toFixed(1),
          p99.toFixed(1),
          latencies[latencies.length - 1]!.toFixed(1),
          `${percentile(server99, 50).toFixed(1)} / ${percentile(server99, 99).toFixed(1)}`,
          Math.round(COMMANDS / (result.elapsedMs / 1000)),
          (doneMs / 1000).toFixed(2),
          created,
          cards,
          result.failures,
        ],
      ],
    ),
  );
  console.log(`target ack p99 < 100 ms: ${p99 < 100 ? 'PASS' : 'FAIL'} (${p99.toFixed(1)} ms)`);

  await tftsr.stop();
  store.close();
  worker.postMessage({ type: 'stop' } satisfies ToWorker);
  await new Promise((r) => worker.once('exit', r));
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (created !== COMMANDS || cards !== COMMANDS || result.failures > 0) {
    console.error('bench:slack: not every command produced exactly one issue and one card');
    process.exitCode = 1;
  }
}

if (isMainThread) await appSide();
else if ((workerData as { role?: string })?.role === 'slack') await slackSide();
