/** Redactor configuration: validation and custom rules (reading the workspace `settings` keys: settings.ts). */
import type { Rule } from './rules.js';
import { PII_TYPES } from './rules.js';
import type { CustomRule, RedactConfig } from './types.js';

const CUSTOM_RULE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,47}$/;
// A quantified group that itself ends in a quantifier, e.g. `(a+)+` or `(\w*)*`: the classic exponential shape.
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}]\)[+*{]/;
export const CUSTOM_RULE_SPECIFICITY = 97;

/**
 * Our engine scans a Latin-1 view of the bytes; a non-ASCII literal in a custom pattern is rewritten to its UTF-8
 * byte sequence so `café` still matches UTF-8 text (not inside character classes).
 */
function toByteLevelPattern(pattern: string): string {
  return pattern.replace(/[\u0080-\u{10FFFF}]/gu, (ch) => `(?:${Buffer.from(ch, 'utf8').toString('latin1')})`);
}

export function compileCustomRule(rule: CustomRule): Rule {
  const name = typeof rule?.name === 'string' ? rule.name : '';
  if (!CUSTOM_RULE_NAME.test(name)) {
    throw new Error(
      `redact: custom rule name ${JSON.stringify(name)} must match ${CUSTOM_RULE_NAME} (it becomes the [Name] token)`,
    );
  }
  if (PII_TYPES.includes(name)) throw new Error(`redact: custom rule "${name}" clashes with a built-in type`);
  if (typeof rule.pattern !== 'string' || rule.pattern.length === 0) {
    throw new Error(`redact: custom rule "${name}" has an empty pattern`);
  }
  const flags = rule.flags ?? '';
  if (!/^i?$/.test(flags))
    throw new Error(`redact: custom rule "${name}": only the "i" flag is supported, got "${flags}"`);
  if (NESTED_QUANTIFIER.test(rule.pattern)) {
    throw new Error(
      `redact: custom rule "${name}" nests quantifiers (like (a+)+), which can backtrack catastrophically`,
    );
  }
  let regex: RegExp;
  try {
    // `m` keeps ^ and $ line-scoped: streaming scans whole lines, so results don't depend on where units are cut.
    regex = new RegExp(toByteLevelPattern(rule.pattern), `dgm${flags}`);
  } catch (err) {
    throw new Error(`redact: custom rule "${name}" has an invalid pattern: ${(err as Error).message}`);
  }
  if (regex.test('')) throw new Error(`redact: custom rule "${name}" matches the empty string`);
  return {
    type: name,
    specificity: CUSTOM_RULE_SPECIFICITY,
    regex,
    locate: (s, m) => {
      const g = m.indices?.groups?.value;
      const [start, end] = g ?? [m.index, m.index + m[0].length];
      // Spans crossing lines would make streaming differ from a one-pass scan.
      return s.slice(start, end).includes('\n') ? null : { start, end };
    },
  };
}

export interface NormalizedConfig {
  disabledTypes: Set<string>;
  allowlist: string[];
  customRules: Rule[];
  internalDomains: string[];
}

export function normalizeConfig(config: RedactConfig = {}): NormalizedConfig {
  const customRules = (config.customRules ?? []).map(compileCustomRule);
  const names = customRules.map((r) => r.type);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new Error(`redact: custom rule "${dup}" is defined twice`);
  const known = new Set([...PII_TYPES, ...names]);
  const disabled = config.disabledTypes ?? [];
  const unknown = disabled.filter((t) => !known.has(t));
  if (unknown.length > 0) {
    throw new Error(`redact: unknown type(s) to disable: ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
  }
  const internalDomains = config.internalDomains ?? [];
  for (const d of internalDomains) {
    if (!/^\.?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*$/.test(d)) throw new Error(`redact: invalid internal domain "${d}"`);
  }
  return {
    disabledTypes: new Set(disabled),
    allowlist: (config.allowlist ?? []).filter((v) => v.length > 0),
    customRules,
    internalDomains,
  };
}
