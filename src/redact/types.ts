/** One redacted range. Offsets are byte offsets into the original (decompressed) bytes. */
export interface RedactionSpan {
  type: string;
  start: number;
  end: number;
  /** Original text of the range (UTF-8 decoded). Sensitive: keep it inside the encrypted store. */
  value: string;
  replacement: string;
}

/** A workspace-defined rule. `pattern` is a JavaScript regex source; a named group `value` narrows the span. */
export interface CustomRule {
  name: string;
  pattern: string;
  /** Only `i` is accepted; `g` and `m` are always applied (rules are line-scoped). */
  flags?: string;
}

export interface RedactConfig {
  disabledTypes?: string[];
  /** Exact values never redacted (a span whose whole value equals an entry is kept as is). */
  allowlist?: string[];
  customRules?: CustomRule[];
  /** Host suffixes (e.g. `corp.acme`) treated as real domains by the Hostname rule even without a public TLD. */
  internalDomains?: string[];
}

export interface RedactStreamOptions {
  /** Target size in bytes of one scanned unit (cut at line ends). Default 256 KiB. */
  chunkSize?: number;
  onSpan?: (span: RedactionSpan) => void;
  /**
   * Filled in with the number of spans per type as units are redacted. Cheaper than counting in `onSpan` when the
   * spans themselves are not needed (no span objects, no decoded values).
   */
  countsByType?: Record<string, number>;
  /** Called after each unit with the number of (decompressed) input bytes consumed so far. */
  onProgress?: (bytesIn: number) => void;
  /**
   * Scan units on this many worker threads (output order, spans and offsets are unchanged). Workers start only once
   * the input exceeds a few units, so small inputs never pay their start-up. Default 0: scan in the calling thread.
   */
  workers?: number;
}

export interface RedactBufferResult {
  redacted: Buffer;
  spans: RedactionSpan[];
  /** Lines in the (decompressed) input; a final line without newline counts. */
  lines: number;
  /** Bytes of the (decompressed) input: span offsets index into these. */
  bytes: number;
  countsByType: Record<string, number>;
}

export interface Redactor {
  redactText(text: string): { text: string; spans: RedactionSpan[] };
  redactStream(
    input: AsyncIterable<Buffer | Uint8Array> | NodeJS.ReadableStream,
    opts?: RedactStreamOptions,
  ): AsyncIterable<Buffer>;
  redactBuffer(buf: Buffer): Promise<RedactBufferResult>;
  /** Types this redactor detects (built-ins not disabled, then custom rule names). */
  readonly activeTypes: readonly string[];
}
