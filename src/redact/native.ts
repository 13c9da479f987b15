/**
 * The native scanner (native/redact, C + PCRE2, built by `npm ci` through node-gyp): the built-in rules' scan, locate
 * and overlap resolution, several times faster than the JavaScript engine on span-dense logs. It is fed from the
 * same rule definitions (patterns, prefixes, word-start tables, data tables), returns exactly what `findSpans` returns
 * (test/redact/equivalence.test.ts), and the engine falls back to JavaScript when it is not built, when
 * `TFTSR_REDACT_ENGINE=js`, or for a unit where PCRE2 stops on a resource limit.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { hostnameLabels, LOCATE_DATA, PII_TYPES, type Rule } from './rules.js';
import { HOSTNAME_TLDS } from './tlds.js';
import { IBAN_LENGTHS } from './validators.js';

interface Addon {
  createScanner(spec: NativeSpec): unknown;
  scan(handle: unknown, bytes: Uint8Array, resolve: boolean): Int32Array;
  redact(handle: unknown, bytes: Uint8Array): [Uint8Array, Int32Array];
}

interface NativeSpec {
  types: readonly string[];
  typeRank: number[];
  rules: Array<{
    id: string;
    type: number;
    specificity: number;
    source: string;
    caseless: boolean;
    prefixes?: readonly string[];
    wordStart?: { first: string; notAfter: string; next: string; next2: string };
  }>;
  tlds: string[];
  /** The labels the Hostname anchor accepts (its alternation), for the in-loop anchor. */
  hostnameLabels: string[];
  internalSuffixes: readonly string[];
  stopwords: string[];
  dbSchemes: string[];
  ibanLengths: number[];
  placeholder: string;
  replacementToken: string;
  placeholderFirst: string;
  javaRootPackage: string;
  versionContext: string;
  ipv6Body: string;
  dbCredentialsType: number;
  dbCredentialsSpecificity: number;
  privateKey?: { rule: number; bodyLimit: number; fallback: string };
}

export const NATIVE_ADDON_FILE = 'build/Release/tftsr_redact.node';

function loadAddon(): { addon?: Addon; reason: string } {
  if (process.env.TFTSR_REDACT_ENGINE === 'js') return { reason: 'TFTSR_REDACT_ENGINE=js' };
  // Another build of the same sources, e.g. the sanitizer build of scripts/native-sanitizers.mjs.
  const override = process.env.TFTSR_REDACT_ADDON;
  if (override) {
    try {
      return { addon: createRequire(import.meta.url)(override) as Addon, reason: 'native' };
    } catch (err) {
      return { reason: `TFTSR_REDACT_ADDON did not load (${(err as Error).message.split('\n')[0]})` };
    }
  }
  // From src/redact (tsx, tests) the package root is two levels up; from dist/src/redact, three.
  for (const up of ['../../', '../../../']) {
    const file = fileURLToPath(new URL(up + NATIVE_ADDON_FILE, import.meta.url));
    if (!fs.existsSync(file)) continue;
    try {
      return { addon: createRequire(import.meta.url)(file) as Addon, reason: 'native' };
    } catch (err) {
      return { reason: `${NATIVE_ADDON_FILE} did not load (${(err as Error).message.split('\n')[0]})` };
    }
  }
  return { reason: `${NATIVE_ADDON_FILE} is not built (npm ci builds it; it needs libpcre2-dev)` };
}

const loaded = loadAddon();

/** Which engine redactors use, and why: for the startup log and the tests. */
export function redactEngine(): { engine: 'native' | 'js'; reason: string } {
  return { engine: loaded.addon ? 'native' : 'js', reason: loaded.reason };
}

export interface NativeScanner {
  /** Type names by the index the scanner returns. */
  readonly types: readonly string[];
  /** Spans as [start, end, type index, specificity] quadruples: resolved, or every candidate when `resolve` is false. */
  scan(bytes: Uint8Array, resolve: boolean): Int32Array;
  /** The bytes with each resolved span replaced by `[Type]`, and the spans as [start, end, type index] triples. */
  redact(bytes: Uint8Array): [Uint8Array, Int32Array];
}

// PrivateKey's lazy body `{0,N}?` over a group would be compiled by PCRE2 as N copies of the group. The native
// pattern consumes the body possessively up to the first place an END line or a BEGIN starts (the same place the
// lazy body stops) and names it; a body longer than N is re-matched without that branch, as the bounded one fails.
const PEM_LAZY_BODY = /\(\?:\[\^-\]\|-\(\?!----BEGIN \)\)\{0,(\d+)\}\?/;
const PEM_END = '-----END (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----';

function privateKeySpec(source: string): { source: string; bodyLimit: number; fallback: string } {
  const m = PEM_LAZY_BODY.exec(source);
  const branch = m === null ? -1 : source.indexOf(`${m[0]}${PEM_END}|`);
  if (m === null || branch !== m.index) {
    throw new Error('redact native: the PrivateKey pattern changed; update src/redact/native.ts (privateKeySpec)');
  }
  const body = `(?<body>(?:[^-]++|-(?!----BEGIN )(?!${PEM_END.slice(1)}))*+)`;
  return {
    source: source.replace(m[0], body),
    bodyLimit: Number(m[1]),
    fallback: source.replace(`${m[0]}${PEM_END}|`, ''),
  };
}

const charsOf = (table: Uint8Array) => {
  let s = '';
  for (let c = 0; c < 256; c++) if (table[c] === 1) s += String.fromCharCode(c);
  return s;
};

/**
 * A native scanner for the built-in rules among `rules` (as compiled for one redactor), or undefined when the
 * addon is not available or the configuration needs the JavaScript engine (internal domains outside ASCII).
 */
export function createNativeScanner(
  rules: readonly Rule[],
  internalSuffixes: readonly string[],
): NativeScanner | undefined {
  const addon = loaded.addon;
  if (addon === undefined) return undefined;
  // Case-insensitive matching of non-ASCII letters differs between V8 and PCRE2: such suffixes stay in JavaScript.
  if (internalSuffixes.some((s) => /[^\x20-\x7e]/.test(s))) return undefined;
  const builtins = rules.filter((r) => r.id !== undefined && r.regex.flags.includes('g'));
  // Compiling costs a few ms (PCRE2 JIT) and redactors are created per stream: reuse scanners per configuration.
  // Sharing one is safe: a scan is one synchronous call and starts from a clean state.
  const key = JSON.stringify([builtins.map((r) => [r.id, r.type, r.regex.source]), internalSuffixes]);
  const cached = SCANNERS.get(key);
  if (cached !== undefined) return cached;
  const types = PII_TYPES;
  const sorted = [...types].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const ibanLengths = new Array<number>(26 * 26).fill(0);
  for (const [country, length] of Object.entries(IBAN_LENGTHS)) {
    ibanLengths[(country.charCodeAt(0) - 65) * 26 + (country.charCodeAt(1) - 65)] = length;
  }
  let privateKey: NativeSpec['privateKey'];
  const specRules = builtins.map((r, index) => {
    const prefixed = r.prefixes !== undefined && r.prefixes.length > 0;
    let source = r.regex.source;
    if (r.id === 'private-key') {
      const pk = privateKeySpec(source);
      source = pk.source;
      privateKey = { rule: index, bodyLimit: pk.bodyLimit, fallback: pk.fallback };
    }
    return {
      id: r.id!,
      type: types.indexOf(r.type),
      specificity: r.specificity,
      source,
      caseless: r.regex.flags.includes('i'),
      ...(prefixed ? { prefixes: r.prefixes } : {}),
      ...(!prefixed && r.wordStart
        ? {
            wordStart: {
              first: r.wordStart.first,
              notAfter: r.wordStart.notAfter,
              next: r.wordStart.next,
              next2: r.wordStart.next2,
            },
          }
        : {}),
    };
  });
  const d = LOCATE_DATA;
  // The C side compiles these with fixed flags: fail loudly if a definition changes under it.
  if (!d.placeholder.flags.includes('i') || !d.versionContext.flags.includes('i') || d.replacementToken.flags !== '') {
    throw new Error('redact native: a locate pattern changed its flags; update native/redact/addon.c');
  }
  const spec: NativeSpec = {
    types,
    typeRank: types.map((t) => sorted.indexOf(t)),
    rules: specRules,
    tlds: [...HOSTNAME_TLDS],
    hostnameLabels: hostnameLabels(internalSuffixes),
    internalSuffixes,
    stopwords: [...d.proseStopwords],
    dbSchemes: [...d.dbSchemes],
    ibanLengths,
    placeholder: d.placeholder.source,
    replacementToken: d.replacementToken.source,
    placeholderFirst: charsOf(d.placeholderFirst),
    javaRootPackage: d.javaRootPackage.source,
    versionContext: d.versionContext.source,
    ipv6Body: d.ipv6Body.source,
    dbCredentialsType: types.indexOf(d.dbUrlCredentials.type),
    dbCredentialsSpecificity: d.dbUrlCredentials.specificity,
    ...(privateKey ? { privateKey } : {}),
  };
  const handle = addon.createScanner(spec);
  const scanner: NativeScanner = {
    types,
    scan: (bytes, resolve) => addon.scan(handle, bytes, resolve),
    redact: (bytes) => addon.redact(handle, bytes),
  };
  if (SCANNERS.size >= 32) SCANNERS.delete(SCANNERS.keys().next().value!);
  SCANNERS.set(key, scanner);
  return scanner;
}

const SCANNERS = new Map<string, NativeScanner>();
