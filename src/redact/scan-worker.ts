/** Worker thread: scans units for the parallel stream. Receives the redactor's plain config, compiles its own rules. */
import { parentPort, workerData } from 'node:worker_threads';
import { normalizeConfig } from './config.js';
import { compileRules, countLines, redactUnit } from './engine.js';
import type { RedactConfig } from './types.js';

export interface ScanRequest {
  id: number;
  unit: Uint8Array;
}

export interface ScanResult {
  id: number;
  out: Uint8Array;
  /** [start, end, type index] per span */
  spans: Int32Array;
  types: readonly string[];
  lines: number;
}

const compiled = compileRules(normalizeConfig(workerData as RedactConfig));

parentPort!.on('message', ({ id, unit }: ScanRequest) => {
  const bytes = Buffer.from(unit.buffer, unit.byteOffset, unit.byteLength);
  const r = redactUnit(bytes, compiled);
  // Transferable: redactUnit's output and spans own their ArrayBuffers (never Node's shared pool).
  const out = new Uint8Array(r.out.buffer, r.out.byteOffset, r.out.byteLength);
  const result: ScanResult = { id, out, spans: r.spans, types: r.types, lines: countLines(bytes) };
  parentPort!.postMessage(result, [out.buffer as ArrayBuffer, r.spans.buffer as ArrayBuffer]);
});
