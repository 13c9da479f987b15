/**
 * What went wrong talking to the provider, by kind. The message is written for a Slack thread: it names the provider
 * and HTTP status, never the key, the prompt, or the provider's own error text (which may echo the prompt).
 */
export type AiProviderErrorKind =
  | 'timeout'
  | 'rate_limited'
  | 'unavailable'
  | 'network'
  | 'auth'
  | 'not_found'
  | 'bad_request'
  | 'bad_response'
  | 'aborted';

/** What an AiProviderError is made of: never the provider's own message, the prompt or the key. */
interface AiProviderErrorInit {
  kind: AiProviderErrorKind;
  provider: string;
  status?: number | undefined;
  attempts: number;
  code?: string | undefined;
  retryAfterSeconds?: number | undefined;
}

export class AiProviderError extends Error {
  override readonly name = 'AiProviderError';
  readonly kind: AiProviderErrorKind;
  readonly provider: string;
  readonly status: number | undefined;
  /** Requests made, including the failed last one. */
  readonly attempts: number;
  /** A short machine code from the provider's error body (`[a-z0-9_.-]`), when it gave one. */
  readonly code: string | undefined;
  /** Seconds the provider asked us to wait (429), when it said. */
  readonly retryAfterSeconds: number | undefined;

  constructor(init: AiProviderErrorInit) {
    super(describe(init));
    this.kind = init.kind;
    this.provider = init.provider;
    this.status = init.status;
    this.attempts = init.attempts;
    this.code = init.code;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

function describe(e: AiProviderErrorInit): string {
  const who = `The AI provider (${e.provider})`;
  const http = e.status ? ` (HTTP ${e.status}${e.code ? `, ${e.code}` : ''})` : e.code ? ` (${e.code})` : '';
  const tries = e.attempts > 1 ? ` after ${e.attempts} attempts` : '';
  switch (e.kind) {
    case 'timeout':
      return `${who} did not answer in time${tries}. Try again, or ask an administrator to raise TFTSR_AI_TIMEOUT_MS.`;
    case 'rate_limited': {
      const wait = e.retryAfterSeconds !== undefined ? `in about ${Math.ceil(e.retryAfterSeconds)} s` : 'in a minute';
      return `${who} is rate-limiting requests${http}${tries}. Try again ${wait}.`;
    }
    case 'unavailable':
      return `${who} is unavailable${http}${tries}. Try again later.`;
    case 'network':
      return `${who} could not be reached${tries}. Check TFTSR_AI_BASE_URL and the network.`;
    case 'auth':
      return `${who} rejected the credentials${http}. Ask an administrator to check TFTSR_AI_API_KEY.`;
    case 'not_found':
      return `${who} does not know this endpoint or model${http}. Check TFTSR_AI_BASE_URL and TFTSR_AI_MODEL.`;
    case 'bad_request':
      return `${who} rejected the request${http}. The prompt may be too long for the model; try a shorter question.`;
    case 'bad_response':
      return `${who} sent an answer TFTSR could not read${http}.`;
    case 'aborted':
      return `The request to the AI provider (${e.provider}) was cancelled.`;
  }
}

/** The assistant is off: the message is AI_DISABLED_HELP, ready for the thread. */
export class AiDisabledError extends Error {
  override readonly name = 'AiDisabledError';
}

/** The user's input cannot be sent (empty or too long question, the 5 whys already complete …). */
export class AiInputError extends Error {
  override readonly name = 'AiInputError';
}

/** The redaction engine failed on some part of the prompt: fail closed, nothing was sent. */
export class AiRedactionError extends Error {
  override readonly name = 'AiRedactionError';
  constructor() {
    super('Redaction failed on the prompt, so nothing was sent to the AI provider. Check the redact.* settings.');
  }
}

/**
 * The thread/ephemeral text for an assistant error, or undefined for an unexpected one (which the caller reports
 * generically and logs by name). Every message here is ours: no key, no prompt, no provider text.
 */
export function aiErrorMessage(err: unknown): string | undefined {
  if (
    err instanceof AiProviderError ||
    err instanceof AiDisabledError ||
    err instanceof AiInputError ||
    err instanceof AiRedactionError
  ) {
    return err.message;
  }
  return undefined;
}
