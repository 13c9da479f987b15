/**
 * The scanning core. Works on a Latin-1 string view of raw bytes (one char per byte): offsets are byte offsets, any
 * byte sequence (UTF-8 or not) round-trips exactly, and all patterns are ASCII so UTF-8 text matches as expected.
 */
import { createNativeScanner, type NativeScanner } from './native.js';
import { type Candidate, resolveOverlaps } from './resolve.js';
import { BUILTIN_RULES, hostnameAnchor, type Located, PII_TYPES, type Rule, type ScanContext } from './rules.js';

/** A rule tried only where its trigger group found one of its prefixes: a sticky copy of its regex. */
interface StickyRule {
  rule: Rule;
  sticky: RegExp;
  /** Per scan: where the rule's own global scan would resume (its `lastIndex`). */
  resume: number;
}

/**
 * Rules whose matches all start with a literal prefix, scanned together: one global pass of `trigger` (all their
 * prefixes) finds every position where any prefix starts, and each rule owning a prefix found there is tried at
 * exactly that position. Equivalent to the rule's own global pass: that pass returns the first position ≥ its
 * `lastIndex` where the regex matches, every such position starts with a prefix, and a sticky exec at a position
 * matches exactly when (and as) the global regex would there.
 */
interface TriggerGroup {
  trigger: RegExp;
  /**
   * By trigger literal (for a case-insensitive group: its lower-case, Capitalised and UPPER spellings): the rules with
   * a prefix that is a prefix of it. The trigger alternation lists longer literals first, so a hit is the longest
   * literal at that position and every other prefix found there is a prefix of it.
   */
  byLiteral: Map<string, StickyRule[]>;
  all: StickyRule[];
}

/** Class-led rules tried at word starts (see `Rule.wordStart`): one loop over the unit instead of a pass per rule. */
interface WordStartGroup {
  /** By char code: bit k set when rule k may start with that char. */
  firstBits: Uint32Array;
  /** By char code of s[p-1]: bit k set when rule k may start after it. */
  afterBits: Uint32Array;
  /** By char code of s[p+1]: bit k set when rule k allows it there. */
  nextBits: Uint32Array;
  /** By char code of s[p+2]: bit k set when rule k allows it there. */
  next2Bits: Uint32Array;
  rules: Array<StickyRule & { check: (s: string, p: number) => boolean; matchAt?: (s: string, p: number) => number }>;
}

const ALNUM_CODE = (() => {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) t[c] = /[A-Za-z0-9]/.test(String.fromCharCode(c)) ? 1 : 0;
  return t;
})();

export interface CompiledRules {
  rules: Rule[];
  ctx: ScanContext;
  /** Allow-listed values as Latin-1 views of their UTF-8 bytes. */
  allowlist: ReadonlySet<string>;
  /** Rules that get a global pass of their own: IPv6, Hostname, custom rules. */
  fullScan: Rule[];
  groups: TriggerGroup[];
  wordStarts: WordStartGroup | undefined;
  /** The built-in rules in native code (native.ts), when available; the JavaScript plan above stays the fallback. */
  native: NativeScanner | undefined;
  /** Custom rules, run in JavaScript next to the native scanner. */
  customRules: Rule[];
  /** Every type a span can have: the built-in types, then custom rule names. */
  typeNames: readonly string[];
}

function escapeRegex(lit: string): string {
  return lit.replace(/[\^$.*+?()[\]{}|/-]/g, (c) => `\\${c}`);
}

function triggerGroup(rules: Rule[], ignoreCase: boolean): TriggerGroup | undefined {
  if (rules.length === 0) return undefined;
  const norm = (lit: string) => (ignoreCase ? lit.toLowerCase() : lit);
  const all = rules.map((rule) => ({
    rule,
    sticky: new RegExp(rule.regex.source, rule.regex.flags.replace('g', 'y')),
    prefixes: rule.prefixes!.map(norm),
    resume: 0,
  }));
  const literals = [...new Set(all.flatMap((sr) => sr.prefixes))].sort(
    (a, b) => b.length - a.length || (a < b ? -1 : 1),
  );
  const byLiteral = new Map<string, StickyRule[]>();
  for (const lit of literals) {
    const list = all.filter((sr) => sr.prefixes.some((p) => lit.startsWith(p)));
    byLiteral.set(lit, list);
    // The usual spellings (`Authorization`, `PASSWORD`) are looked up as they are; others are lower-cased first.
    if (ignoreCase) for (const v of [lit[0]!.toUpperCase() + lit.slice(1), lit.toUpperCase()]) byLiteral.set(v, list);
  }
  const trigger = new RegExp(literals.map(escapeRegex).join('|'), ignoreCase ? 'gi' : 'g');
  return { trigger, byLiteral, all };
}

function wordStartGroup(rules: Rule[]): WordStartGroup | undefined {
  if (rules.length === 0) return undefined;
  const firstBits = new Uint32Array(256);
  const afterBits = new Uint32Array(256);
  const nextBits = new Uint32Array(256);
  const next2Bits = new Uint32Array(256);
  const list = rules.slice(0, 32).map((rule, k) => {
    const ws = rule.wordStart!;
    for (const c of ws.first) firstBits[c.charCodeAt(0)]! |= 1 << k;
    for (const c of ws.next) nextBits[c.charCodeAt(0)]! |= 1 << k;
    for (const c of ws.next2) next2Bits[c.charCodeAt(0)]! |= 1 << k;
    for (let c = 0; c < 256; c++) {
      if (ALNUM_CODE[c] === 0 && !ws.notAfter.includes(String.fromCharCode(c))) afterBits[c]! |= 1 << k;
    }
    return {
      rule,
      sticky: new RegExp(rule.regex.source, rule.regex.flags.replace('g', 'y')),
      resume: 0,
      check: ws.check,
      matchAt: ws.matchAt,
    };
  });
  return { firstBits, afterBits, nextBits, next2Bits, rules: list };
}

export function compileRules(opts: {
  disabledTypes: ReadonlySet<string>;
  customRules: Rule[];
  allowlist: readonly string[];
  internalDomains: readonly string[];
}): CompiledRules {
  const internalSuffixes = opts.internalDomains.map((d) => d.toLowerCase().replace(/^\.+/, ''));
  const rules = BUILTIN_RULES.filter((r) => !opts.disabledTypes.has(r.type)).map((r) => ({
    ...r,
    // Own copy of each regex: `lastIndex` is per-instance state and redactors may run concurrently.
    regex: r.type === 'Hostname' ? hostnameAnchor(internalSuffixes) : new RegExp(r.regex.source, r.regex.flags),
  }));
  rules.push(
    ...opts.customRules
      .filter((r) => !opts.disabledTypes.has(r.type))
      .map((r) => ({
        ...r,
        regex: new RegExp(r.regex.source, r.regex.flags),
        prefixes: undefined,
        wordStart: undefined,
      })),
  );
  const prefixed = rules.filter(
    (r) => r.prefixes !== undefined && r.prefixes.length > 0 && r.regex.flags.includes('g'),
  );
  const wordStartRules = rules
    .filter((r) => r.wordStart !== undefined && !prefixed.includes(r) && r.regex.flags.includes('g'))
    .slice(0, 32);
  const groups = [
    triggerGroup(
      prefixed.filter((r) => r.regex.flags.includes('i')),
      true,
    ),
    triggerGroup(
      prefixed.filter((r) => !r.regex.flags.includes('i')),
      false,
    ),
  ].filter((g) => g !== undefined);
  const customRules = rules.filter((r) => r.id === undefined);
  return {
    rules,
    native: createNativeScanner(rules, internalSuffixes),
    customRules,
    typeNames: [...new Set([...PII_TYPES, ...customRules.map((r) => r.type)])],
    ctx: { internalSuffixes },
    allowlist: new Set(opts.allowlist.map((v) => Buffer.from(v, 'utf8').toString('latin1'))),
    fullScan: rules.filter((r) => !prefixed.includes(r) && !wordStartRules.includes(r)),
    groups,
    wordStarts: wordStartGroup(wordStartRules),
  };
}

function candidate(s: string, loc: Located, rule: Rule, allowlist: ReadonlySet<string>): Candidate {
  return {
    start: loc.start,
    end: loc.end,
    type: loc.type ?? rule.type,
    specificity: loc.specificity ?? rule.specificity,
    keep: allowlist.size > 0 && allowlist.has(s.slice(loc.start, loc.end)),
  };
}

/**
 * Finds the resolved, non-allow-listed spans in `s`, sorted by start. Offsets are relative to `s`. Returns exactly
 * what one global pass per rule returns (test/redact/equivalence.test.ts checks it against a frozen copy of that
 * engine).
 */
export function findSpans(s: string, compiled: CompiledRules): Candidate[] {
  const { fullScan, groups, wordStarts, ctx, allowlist } = compiled;
  const found: Candidate[] = [];
  for (const rule of fullScan) {
    const re = rule.regex;
    re.lastIndex = 0;
    let m: RegExpExecArray | null = re.exec(s);
    while (m !== null) {
      const loc = rule.locate(s, m, ctx);
      if (loc === null || loc.end <= loc.start) {
        re.lastIndex = m.index + 1; // a later, valid match may start inside the rejected one
      } else {
        found.push(candidate(s, loc, rule, allowlist));
        if (loc.end > re.lastIndex) re.lastIndex = loc.end;
      }
      m = re.exec(s);
    }
  }
  for (const { trigger, byLiteral, all } of groups) {
    for (const sr of all) sr.resume = 0;
    trigger.lastIndex = 0;
    for (let t = trigger.exec(s); t !== null; t = trigger.exec(s)) {
      const p = t.index;
      trigger.lastIndex = p + 1; // every position where a prefix starts, overlapping ones included
      const list = byLiteral.get(t[0]) ?? byLiteral.get(t[0].toLowerCase())!;
      for (let k = 0; k < list.length; k++) {
        const sr = list[k]!;
        if (p < sr.resume) continue;
        const re = sr.sticky;
        re.lastIndex = p;
        const m = re.exec(s);
        if (m === null) continue;
        const loc = sr.rule.locate(s, m, ctx);
        if (loc === null || loc.end <= loc.start) {
          sr.resume = p + 1;
        } else {
          found.push(candidate(s, loc, sr.rule, allowlist));
          sr.resume = Math.max(p + m[0].length, loc.end);
        }
      }
    }
  }
  if (wordStarts !== undefined) scanWordStarts(s, wordStarts, ctx, allowlist, found);
  const resolved = resolveOverlaps(found);
  return allowlist.size > 0 ? resolved.filter((c) => !c.keep) : resolved;
}

/** Tries each word-start rule at every position its `first`/`check` allow, in order, as its global pass would. */
function scanWordStarts(
  s: string,
  { firstBits, afterBits, nextBits, next2Bits, rules }: WordStartGroup,
  ctx: ScanContext,
  allowlist: ReadonlySet<string>,
  found: Candidate[],
): void {
  for (const sr of rules) sr.resume = 0;
  const n = s.length;
  // At p = 0 nothing precedes: any char that is not [A-Za-z0-9] stands in (a space).
  let allowed = afterBits[32]!;
  for (let p = 0; p < n; p++) {
    const c = s.charCodeAt(p);
    if (c > 0xff) {
      // Not from a Latin-1 view (findSpans called on other text): starts nothing; `locate` decides what may follow.
      allowed = 0xffffffff;
      continue;
    }
    let bits = firstBits[c]! & allowed;
    allowed = afterBits[c]!;
    if (bits === 0) continue;
    // Past the end charCodeAt is NaN, & 0xff makes it 0 (NUL), which no rule allows there.
    bits &= nextBits[s.charCodeAt(p + 1) & 0xff]! & next2Bits[s.charCodeAt(p + 2) & 0xff]!;
    while (bits !== 0) {
      const k = 31 - Math.clz32(bits);
      bits ^= 1 << k;
      const sr = rules[k]!;
      if (p < sr.resume || !sr.check(s, p)) continue;
      // Positions tried stay in order: a rule with `matchAt` starts on an alphanumeric, so word starts are ≥ 2 apart.
      const q = sr.matchAt === undefined ? p : sr.matchAt(s, p);
      if (q < sr.resume) continue;
      const re = sr.sticky;
      re.lastIndex = q;
      const m = re.exec(s);
      if (m === null) continue;
      const loc = sr.rule.locate(s, m, ctx);
      if (loc === null || loc.end <= loc.start) {
        sr.resume = q + 1;
      } else {
        found.push(candidate(s, loc, sr.rule, allowlist));
        sr.resume = Math.max(q + m[0].length, loc.end);
      }
    }
  }
}

/** Candidates of the custom rules (a global pass each), in JavaScript: they are workspace-defined V8 patterns. */
function customCandidates(s: string, compiled: CompiledRules, found: Candidate[]): void {
  for (const rule of compiled.customRules) {
    const re = rule.regex;
    re.lastIndex = 0;
    for (let m = re.exec(s); m !== null; m = re.exec(s)) {
      const loc = rule.locate(s, m, compiled.ctx);
      if (loc === null || loc.end <= loc.start) {
        re.lastIndex = m.index + 1;
      } else {
        found.push(candidate(s, loc, rule, compiled.allowlist));
        if (loc.end > re.lastIndex) re.lastIndex = loc.end;
      }
    }
  }
}

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

/** The native scanner stopped on a PCRE2 resource limit: that unit is scanned in JavaScript (same result). */
function isNativeLimit(err: unknown): boolean {
  return (err as { code?: string }).code === 'ERR_REDACT_NATIVE_LIMIT';
}

/**
 * The resolved, non-allow-listed spans of one unit of raw bytes, sorted by start: `findSpans` of its Latin-1 view,
 * through the native scanner when there is one.
 */
export function findSpansInBytes(bytes: Uint8Array, compiled: CompiledRules): Candidate[] {
  const native = compiled.native;
  if (native === undefined) return findSpans(latin1(bytes), compiled);
  const plain = compiled.customRules.length === 0 && compiled.allowlist.size === 0;
  let q: Int32Array;
  try {
    q = native.scan(bytes, plain);
  } catch (err) {
    if (isNativeLimit(err)) return findSpans(latin1(bytes), compiled);
    throw err;
  }
  const found: Candidate[] = new Array(q.length / 4);
  const s = plain ? '' : latin1(bytes);
  for (let i = 0, k = 0; i < q.length; i += 4, k++) {
    const start = q[i]!;
    const end = q[i + 1]!;
    const keep = !plain && compiled.allowlist.size > 0 && compiled.allowlist.has(s.slice(start, end));
    found[k] = { start, end, type: native.types[q[i + 2]!]!, specificity: q[i + 3]!, keep };
  }
  if (plain) return found;
  customCandidates(s, compiled, found);
  const resolved = resolveOverlaps(found);
  return compiled.allowlist.size > 0 ? resolved.filter((c) => !c.keep) : resolved;
}

/** One redacted unit: its bytes with each span replaced by `[Type]`, and the spans (byte offsets into the unit). */
export interface RedactedUnit {
  out: Buffer;
  /** [start, end, type index] per span, sorted by start. */
  spans: Int32Array;
  /** Type names by index. */
  types: readonly string[];
}

/** Newlines in `bytes`. */
export function countLines(bytes: Uint8Array): number {
  let n = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}

/** Redacts one unit of raw bytes: in one native call when only built-in rules are configured. */
export function redactUnit(bytes: Buffer, compiled: CompiledRules): RedactedUnit {
  const native = compiled.native;
  if (native !== undefined && compiled.customRules.length === 0 && compiled.allowlist.size === 0) {
    try {
      const [out, spans] = native.redact(bytes);
      return { out: Buffer.from(out.buffer, out.byteOffset, out.byteLength), spans, types: native.types };
    } catch (err) {
      if (!isNativeLimit(err)) throw err;
    }
  }
  const found = native === undefined ? findSpans(latin1(bytes), compiled) : findSpansInBytes(bytes, compiled);
  const types = compiled.typeNames;
  const spans = new Int32Array(found.length * 3);
  for (let i = 0; i < found.length; i++) {
    spans[3 * i] = found[i]!.start;
    spans[3 * i + 1] = found[i]!.end;
    spans[3 * i + 2] = types.indexOf(found[i]!.type);
  }
  return { out: replaceSpanBytes(bytes, bytes.length, found), spans, types };
}

const REPLACEMENT_BYTES = new Map<string, Buffer>();

/** `[Type]` as bytes, Latin-1 encoded exactly as `replaceSpans` output is. Cached (built-in and custom type names). */
function replacementBytes(type: string): Buffer {
  let r = REPLACEMENT_BYTES.get(type);
  if (r === undefined) {
    r = Buffer.from(`[${type}]`, 'latin1');
    if (REPLACEMENT_BYTES.size < 1024) REPLACEMENT_BYTES.set(type, r);
  }
  return r;
}

/**
 * Rebuilds the first `length` bytes of `bytes` (the unit `findSpans` scanned, as raw bytes) with each span replaced by
 * `[Type]`, into a new buffer: the byte-level twin of `replaceSpans`, without building a string first.
 */
export function replaceSpanBytes(bytes: Buffer, length: number, spans: readonly Candidate[]): Buffer {
  let outLength = length;
  for (const sp of spans) {
    outLength += replacementBytes(sp.type).length - (sp.end - sp.start);
  }
  const out = Buffer.allocUnsafeSlow(outLength); // its own ArrayBuffer (never the shared pool): transferable
  let pos = 0;
  let at = 0;
  for (const sp of spans) {
    pos += bytes.copy(out, pos, at, sp.start);
    pos += replacementBytes(sp.type).copy(out, pos);
    at = sp.end;
  }
  bytes.copy(out, pos, at, length);
  return out;
}

/** Rebuilds `s` with each span replaced by `[Type]`. */
export function replaceSpans(s: string, spans: readonly Candidate[]): string {
  if (spans.length === 0) return s;
  const parts: string[] = [];
  let pos = 0;
  for (const sp of spans) {
    parts.push(s.slice(pos, sp.start), `[${sp.type}]`);
    pos = sp.end;
  }
  parts.push(s.slice(pos));
  return parts.join('');
}
