/** Worker thread: scans units for the parallel stream. Receives the redactor's plain config, compiles its own rules. */
import { parentPort, workerData } from 'node:worker_threads';
import { normalizeConfig } from './config.js';
import { compileRules, findSpans, replaceSpanBytes } from './engine.js';
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
  const text = bytes.toString('latin1');
  const spans = findSpans(text, compiled);
  // A fresh buffer (never Node's shared pool) so it can be transferred without copying.
  const redacted = replaceSpanBytes(bytes, bytes.length, spans);
  const outBuf = new Uint8Array(redacted.buffer, redacted.byteOffset, redacted.byteLength);
  const starts = new Int32Array(spans.length);
  const ends = new Int32Array(spans.length);
  const types: string[] = new Array(spans.length);
  spans.forEach((s, i) => {
    starts[i] = s.start;
    ends[i] = s.end;
    types[i] = s.type;
  });
  let lines = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) lines++;
  const result: ScanResult = { id, out: outBuf, starts, ends, types, lines };
  parentPort!.postMessage(result, [outBuf.buffer as ArrayBuffer, starts.buffer, ends.buffer]);
});
