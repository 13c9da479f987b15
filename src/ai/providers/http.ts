import { AiProviderError, type AiProviderErrorKind } from '../errors.js';

/** Transport settings shared by every provider client. Tests inject `sleep`, `random` and a tiny backoff base. */
export interface HttpOptions {
  /** Per attempt, covering the response body too. */
  timeoutMs: number;
  /** Retries after the first attempt, on 429, 5xx and network errors. */
  maxRetries: number;
  /** First backoff step; doubles each retry (default 500 ms). */
  backoffBaseMs?: number;
  /** Longest backoff step (default 20 s). */
  backoffMaxMs?: number;
  /** A Retry-After longer than this is not waited for: the call fails as rate-limited at once (default 60 s). */
  maxRetryAfterMs?: number;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  fetch?: typeof fetch;
}

export interface PostJsonRequest {
  provider: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  signal?: AbortSignal | undefined;
}

const DEFAULT_BACKOFF_BASE_MS = 500;
const DEFAULT_BACKOFF_MAX_MS = 20_000;
const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;
/** Answers are a few KiB; a provider sending more than this is not one we understand. */
const MAX_RESPONSE_CHARS = 5_000_000;

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Exponential backoff with jitter: half the step fixed, half random, so retries never bunch up nor hit zero. */
export function backoffDelay(retry: number, opts: HttpOptions): number {
  const base = opts.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS;
  const max = opts.backoffMaxMs ?? DEFAULT_BACKOFF_MAX_MS;
  const step = Math.min(max, base * 2 ** (retry - 1));
  return Math.round(step / 2 + (opts.random ?? Math.random)() * (step / 2));
}

/** `retry-after-ms` (OpenAI), then `retry-after` in seconds or as an HTTP date. */
export function parseRetryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms));
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const CODE = /^[A-Za-z0-9_.-]{1,64}$/;

/** A short identifier from the error body (`rate_limit_error`, `model_not_found`), never free text. */
function errorCode(bodyText: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  const err = (body as { error?: unknown } | null)?.error;
  if (!err || typeof err !== 'object') return undefined;
  for (const candidate of [(err as { code?: unknown }).code, (err as { type?: unknown }).type]) {
    if (typeof candidate === 'string' && CODE.test(candidate)) return candidate;
  }
  return undefined;
}

function statusKind(status: number): AiProviderErrorKind {
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'unavailable';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  return 'bad_request';
}

/**
 * POSTs JSON and returns the parsed answer, retrying 429, 5xx and network errors with backoff (honouring
 * Retry-After). A timeout is not retried: a provider too slow once is likely slow again, and the user is waiting.
 * Every failure is an AiProviderError built from the status and a short code only.
 */
export async function postJson(opts: HttpOptions, req: PostJsonRequest): Promise<{ json: unknown; attempts: number }> {
  const doFetch = opts.fetch ?? fetch;
  const sleep = opts.sleep ?? defaultSleep;
  const fail = (
    kind: AiProviderErrorKind,
    attempts: number,
    extra: Partial<ConstructorParameters<typeof AiProviderError>[0]> = {},
  ) => new AiProviderError({ kind, provider: req.provider, attempts, ...extra });
  const body = JSON.stringify(req.body);

  for (let attempt = 1; ; attempt++) {
    if (req.signal?.aborted) throw fail('aborted', attempt - 1);
    const timeout = AbortSignal.timeout(opts.timeoutMs);
    const signal = req.signal ? AbortSignal.any([timeout, req.signal]) : timeout;
    let retryable: AiProviderError;
    let waitMs: number | undefined;
    try {
      const res = await doFetch(req.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...req.headers },
        body,
        signal,
      });
      const text = await res.text();
      if (res.ok) {
        if (text.length > MAX_RESPONSE_CHARS) throw fail('bad_response', attempt, { status: res.status });
        try {
          return { json: JSON.parse(text), attempts: attempt };
        } catch {
          throw fail('bad_response', attempt, { status: res.status });
        }
      }
      const kind = statusKind(res.status);
      // 503s may carry Retry-After too (maintenance, overload): honoured like a 429's.
      const retryAfterMs =
        kind === 'rate_limited' || kind === 'unavailable' ? parseRetryAfterMs(res.headers) : undefined;
      const error = fail(kind, attempt, {
        status: res.status,
        code: errorCode(text),
        retryAfterSeconds: retryAfterMs !== undefined ? retryAfterMs / 1000 : undefined,
      });
      if (kind !== 'rate_limited' && kind !== 'unavailable') throw error;
      if (retryAfterMs !== undefined && retryAfterMs > (opts.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS)) {
        throw error;
      }
      retryable = error;
      waitMs = retryAfterMs;
    } catch (err) {
      if (err instanceof AiProviderError) throw err;
      if (req.signal?.aborted) throw fail('aborted', attempt);
      if (timeout.aborted) throw fail('timeout', attempt);
      retryable = fail('network', attempt);
    }
    if (attempt > opts.maxRetries) throw retryable;
    try {
      await sleep(waitMs ?? backoffDelay(attempt, opts), req.signal);
    } catch {
      throw fail('aborted', attempt);
    }
  }
}

/** `base` + `path`, without doubling a version segment the operator already put in the base URL. */
export function joinUrl(base: string, path: string, overlap?: string): string {
  const trimmed = base.replace(/\/+$/, '');
  if (overlap && trimmed.endsWith(overlap) && path.startsWith(`${overlap}/`)) {
    return trimmed + path.slice(overlap.length);
  }
  return trimmed + path;
}
