import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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
