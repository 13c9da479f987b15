/**
 * Redaction engine: finds PII and secrets in free text and logs and replaces them with `[Type]` tokens.
 * Slack-free and store-free by design (see DESIGN.md): callers persist originals, we only compute spans.
 */
export { applySpans } from './apply.js';
export { createRedactor } from './redactor.js';
export { PII_TYPES } from './rules.js';
export { redactConfigFromSettings, SETTINGS_KEYS } from './settings.js';
export { BinaryInputError } from './sniff.js';
export type {
  CustomRule,
  RedactBufferResult,
  RedactConfig,
  RedactionSpan,
  Redactor,
  RedactStreamOptions,
} from './types.js';
