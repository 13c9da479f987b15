/** A small pool of scan workers, used by the stream for large inputs. */
import { Worker } from 'node:worker_threads';
import type { ScanRequest, ScanResult } from './scan-worker.js';
import type { RedactConfig } from './types.js';

// Under tsx/vitest this module is TypeScript: the worker then needs the tsx loader too.
const fromSource = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(fromSource ? './scan-worker.ts' : './scan-worker.js', import.meta.url).href;
const BOOTSTRAP = fromSource
  ? `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL)}); })`
  : `import(${JSON.stringify(WORKER_URL)})`;

export class ScanPool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, { resolve: (r: ScanResult) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failed: Error | undefined;

  constructor(size: number, config: RedactConfig) {
    this.workers = Array.from({ length: size }, () => {
      const w = new Worker(BOOTSTRAP, { eval: true, workerData: config });
      w.on('message', (r: ScanResult) => {
        this.waiting.get(r.id)?.resolve(r);
        this.waiting.delete(r.id);
      });
      w.on('error', (err) => this.fail(err));
      w.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`redaction worker exited with code ${code}`));
      });
      return w;
    });
  }

  private fail(err: Error): void {
    this.failed ??= err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }

  /** Scans one unit; the unit's bytes are transferred (the caller must not reuse `unit`). */
  scan(unit: Uint8Array): Promise<ScanResult> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    const worker = this.workers[id % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, unit } satisfies ScanRequest, [unit.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    this.failed ??= new Error('scan pool closed');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
