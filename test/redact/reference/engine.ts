/**
 * The scanning core. Works on a Latin-1 string view of raw bytes (one char per byte): offsets are byte offsets, any
 * byte sequence (UTF-8 or not) round-trips exactly, and all patterns are ASCII so UTF-8 text matches as expected.
 */
import { type Candidate, resolveOverlaps } from '../../../src/redact/resolve.js';
import { BUILTIN_RULES, hostnameAnchor, type Rule, type ScanContext } from './rules.js';

export interface CompiledRules {
  rules: Rule[];
  ctx: ScanContext;
  /** Allow-listed values as Latin-1 views of their UTF-8 bytes. */
  allowlist: ReadonlySet<string>;
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
      .map((r) => ({ ...r, regex: new RegExp(r.regex.source, r.regex.flags) })),
  );
  return {
    rules,
    ctx: { internalSuffixes },
    allowlist: new Set(opts.allowlist.map((v) => Buffer.from(v, 'utf8').toString('latin1'))),
  };
}

/** Finds the resolved, non-allow-listed spans in `s`, sorted by start. Offsets are relative to `s`. */
export function findSpans(s: string, compiled: CompiledRules): Candidate[] {
  const { rules, ctx, allowlist } = compiled;
  const found: Candidate[] = [];
  for (const rule of rules) {
    const re = rule.regex;
    re.lastIndex = 0;
    let m: RegExpExecArray | null = re.exec(s);
    while (m !== null) {
      const loc = rule.locate(s, m, ctx);
      if (loc === null || loc.end <= loc.start) {
        re.lastIndex = m.index + 1; // a later, valid match may start inside the rejected one
      } else {
        found.push({
          start: loc.start,
          end: loc.end,
          type: loc.type ?? rule.type,
          specificity: loc.specificity ?? rule.specificity,
          keep: allowlist.size > 0 && allowlist.has(s.slice(loc.start, loc.end)),
        });
        if (loc.end > re.lastIndex) re.lastIndex = loc.end;
      }
      m = re.exec(s);
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
