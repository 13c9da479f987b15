/**
 * The scanning core. Works on a Latin-1 string view of raw bytes (one char per byte): offsets are byte offsets, any
 * byte sequence (UTF-8 or not) round-trips exactly, and all patterns are ASCII so UTF-8 text matches as expected.
 */
import { type Candidate, resolveOverlaps } from './resolve.js';
import { BUILTIN_RULES, hostnameAnchor, type Located, type Rule, type ScanContext } from './rules.js';

/** A rule tried only where its trigger group found one of its prefixes: a sticky copy of its regex. */
interface StickyRule {
  rule: Rule;
  sticky: RegExp;
  /** Per scan: where the rule's own global scan would resume (its `lastIndex`). */
  resume: number;
}

/**
 * Rules whose matches all start with a literal prefix, scanned together: one global pass of `trigger` (all their
 * prefixes) finds every position where any prefix starts, and each rule registered for the character there is tried
 * at exactly that position. Equivalent to the rule's own global pass: that pass returns the first position ≥ its
 * `lastIndex` where the regex matches, every such position starts with a prefix, and a sticky exec at a position
 * matches exactly when (and as) the global regex would there.
 */
interface TriggerGroup {
  trigger: RegExp;
  /** By char code (Latin-1 view: < 256): the rules with a prefix starting with that char. */
  byChar: StickyRule[][];
}

export interface CompiledRules {
  rules: Rule[];
  ctx: ScanContext;
  /** Allow-listed values as Latin-1 views of their UTF-8 bytes. */
  allowlist: ReadonlySet<string>;
  /** Rules that get a global pass of their own (no prefixes: class-led patterns, Hostname, custom rules). */
  fullScan: Rule[];
  groups: TriggerGroup[];
}

function escapeRegex(lit: string): string {
  return lit.replace(/[\^$.*+?()[\]{}|/-]/g, (c) => `\\${c}`);
}

function triggerGroup(rules: Rule[], ignoreCase: boolean): TriggerGroup | undefined {
  if (rules.length === 0) return undefined;
  const byChar: StickyRule[][] = Array.from({ length: 256 }, () => []);
  const literals = new Set<string>();
  for (const rule of rules) {
    const sr: StickyRule = {
      rule,
      sticky: new RegExp(rule.regex.source, rule.regex.flags.replace('g', 'y')),
      resume: 0,
    };
    const firstChars = new Set<number>();
    for (const lit of rule.prefixes!) {
      literals.add(ignoreCase ? lit.toLowerCase() : lit);
      const c = lit[0]!;
      for (const v of ignoreCase ? [c.toLowerCase(), c.toUpperCase()] : [c]) firstChars.add(v.charCodeAt(0) & 0xff);
    }
    for (const c of firstChars) byChar[c]!.push(sr);
  }
  const source = [...literals]
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1))
    .map(escapeRegex)
    .join('|');
  return { trigger: new RegExp(source, ignoreCase ? 'gi' : 'g'), byChar };
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
      .map((r) => ({ ...r, regex: new RegExp(r.regex.source, r.regex.flags), prefixes: undefined })),
  );
  const prefixed = rules.filter(
    (r) => r.prefixes !== undefined && r.prefixes.length > 0 && r.regex.flags.includes('g'),
  );
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
  return {
    rules,
    ctx: { internalSuffixes },
    allowlist: new Set(opts.allowlist.map((v) => Buffer.from(v, 'utf8').toString('latin1'))),
    fullScan: rules.filter((r) => !prefixed.includes(r)),
    groups,
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
 * what `findSpansReference` (one global pass per rule) returns.
 */
export function findSpans(s: string, compiled: CompiledRules): Candidate[] {
  const { fullScan, groups, ctx, allowlist } = compiled;
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
  for (const { trigger, byChar } of groups) {
    for (const list of byChar) for (const sr of list) sr.resume = 0;
    trigger.lastIndex = 0;
    for (let t = trigger.exec(s); t !== null; t = trigger.exec(s)) {
      const p = t.index;
      trigger.lastIndex = p + 1; // every position where a prefix starts, overlapping ones included
      const list = byChar[s.charCodeAt(p) & 0xff]!;
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
  const resolved = resolveOverlaps(found);
  return allowlist.size > 0 ? resolved.filter((c) => !c.keep) : resolved;
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
