/** Reading the redactor configuration from the workspace `settings` keys (JSON values, checked with zod). */
import { z } from 'zod';
import type { RedactConfig } from './types.js';

export const SETTINGS_KEYS = {
  disabledTypes: 'redact.types.disabled',
  allowlist: 'redact.allowlist',
  customRules: 'redact.custom_rules',
  internalDomains: 'redact.internal_domains',
} as const;

const stringArray = z.array(z.string());
const customRuleArray = z.array(
  z.object({ name: z.string(), pattern: z.string(), flags: z.string().optional() }).strict(),
);

function parseSetting<T>(get: (key: string) => string | undefined, key: string, schema: z.ZodType<T>, what: string) {
  const raw = get(key);
  if (raw === undefined || raw.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(`setting ${key} is not valid JSON (expected ${what})`);
  }
  const result = schema.safeParse(parsed);
  if (!result.success) throw new Error(`setting ${key} must be ${what}`);
  return result.data;
}

/** Reads the `redact.*` workspace settings. Missing keys mean defaults; malformed ones throw, naming the key. */
export function redactConfigFromSettings(get: (key: string) => string | undefined): RedactConfig {
  const config: RedactConfig = {};
  const disabledTypes = parseSetting(get, SETTINGS_KEYS.disabledTypes, stringArray, 'a JSON array of type names');
  const allowlist = parseSetting(get, SETTINGS_KEYS.allowlist, stringArray, 'a JSON array of strings');
  const customRules = parseSetting(
    get,
    SETTINGS_KEYS.customRules,
    customRuleArray,
    'a JSON array of {name, pattern, flags?}',
  );
  const internalDomains = parseSetting(get, SETTINGS_KEYS.internalDomains, stringArray, 'a JSON array of domains');
  if (disabledTypes) config.disabledTypes = disabledTypes;
  if (allowlist) config.allowlist = allowlist;
  if (customRules) config.customRules = customRules;
  if (internalDomains) config.internalDomains = internalDomains;
  return config;
}
