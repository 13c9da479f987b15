import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';

/** A fresh temp directory removed by the returned cleanup. */
export function makeTempDir(prefix = 'tftsr-test-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Every byte of every file under dir, for "this value appears nowhere on disk" assertions. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(p));
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

export const TEST_DB_KEY = 'test-key-0123456789abcdef';

/**
 * An encrypted store in a fresh temp dir for the enclosing describe block: opened before its tests, closed and
 * removed after them (with `perTest`, around each test). `bind` hands it to the block's own variable.
 */
export function useTempStore(bind: (store: Store) => void, opts: { perTest?: boolean } = {}): void {
  let tmp: ReturnType<typeof makeTempDir> | undefined;
  let store: Store | undefined;
  (opts.perTest ? beforeEach : beforeAll)(() => {
    tmp = makeTempDir();
    store = openStore({ dataDir: tmp.dir, key: TEST_DB_KEY });
    bind(store);
  });
  (opts.perTest ? afterEach : afterAll)(() => {
    store?.close();
    tmp?.cleanup();
  });
}
