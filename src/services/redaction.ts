import { createRedactor, type RedactConfig, type Redactor, redactConfigFromSettings } from '../redact/index.js';

/** Turns free text (titles, descriptions, snippets, messages) into what may be shown in Slack. */
export type FreeTextRedactor = (text: string) => string;

export interface TextRedaction {
  redact: FreeTextRedactor;
  /** The redacted text and how many spans were replaced. */
  redactDetailed: (text: string) => { text: string; spans: number };
}

/** What is shown instead of free text when the redactor fails on it: failing closed never leaks PII. */
export const WITHHELD = '[text withheld: redaction failed]';

export function fromRedactor(redactor: Pick<Redactor, 'redactText'>): TextRedaction {
  const redactDetailed = (text: string) => {
    if (!text) return { text, spans: 0 };
    try {
      const result = redactor.redactText(text);
      return { text: result.text, spans: result.spans.length };
    } catch {
      return { text: WITHHELD, spans: 0 };
    }
  };
  return { redact: (text) => redactDetailed(text).text, redactDetailed };
}

/**
 * The workspace's redactor for text shown in Slack: built-in detectors plus the workspace settings
 * (`redact.allowlist`, `redact.custom_rules`, …). An invalid setting is reported by throwing, at startup.
 */
export function createTextRedaction(settings?: { get(key: string): string | undefined }): TextRedaction {
  const config: RedactConfig = settings ? redactConfigFromSettings((key) => settings.get(key)) : {};
  return fromRedactor(createRedactor(config));
}
