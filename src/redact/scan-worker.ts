/** Worker thread: scans units for the parallel stream. Receives the redactor's plain config, compiles its own rules. */
import { parentPort, workerData } from 'node:worker_threads';
import { normalizeConfig } from './config.js';
import { compileRules, redactUnit } from './engine.js';
import type { RedactConfig } from './types.js';

export interface ScanRequest {
  id: number;
  unit: Uint8Array;
}

export interface ScanResult {
  id: number;
  out: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  types: string[];
  lines: number;
}

const compiled = compileRules(normalizeConfig(workerData as RedactConfig));

parentPort!.on('message', ({ id, unit }: ScanRequest) => {
  const bytes = Buffer.from(unit.buffer, unit.byteOffset, unit.byteLength);
  const r = redactUnit(bytes, compiled);
  // Transferable: redactUnit's output owns its ArrayBuffer (never Node's shared pool).
  const outBuf = new Uint8Array(r.out.buffer, r.out.byteOffset, r.out.byteLength);
  const { starts, ends, types } = r;
  let lines = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) lines++;
  const result: ScanResult = { id, out: outBuf, starts, ends, types, lines };
  parentPort!.postMessage(result, [
    outBuf.buffer as ArrayBuffer,
    starts.buffer as ArrayBuffer,
    ends.buffer as ArrayBuffer,
  ]);
});
