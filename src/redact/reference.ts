/**
 * The reference scanner: one full regex pass per rule over the whole unit. This is the engine as it was before the
 * prefilter; `engine.ts` must return exactly what this returns for every input (test/redact/equivalence.test.ts).
 * Kept small and obvious on purpose — do not optimise it.
 */
import type { CompiledRules } from './engine.js';
import { type Candidate, resolveOverlaps } from './resolve.js';

/** Finds the resolved, non-allow-listed spans in `s`, sorted by start. Offsets are relative to `s`. */
export function findSpansReference(s: string, compiled: CompiledRules): Candidate[] {
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
