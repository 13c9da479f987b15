import { z } from 'zod';
import { Secret } from './secret.js';

/** The APIs we speak. `openai` covers every OpenAI-compatible chat-completions server. */
export const AI_PROVIDERS = ['openai', 'anthropic', 'ollama'] as const;
export type AiProviderKind = (typeof AI_PROVIDERS)[number];

export const AI_DEFAULTS = {
  timeoutMs: 60_000,
  maxRetries: 3,
  maxTokens: 1024,
  excerptBudgetChars: 6000,
} as const;

export const DEFAULT_BASE_URLS: Record<AiProviderKind, string> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
  ollama: 'http://localhost:11434',
};

/** A validated assistant configuration. `apiKey` prints as `[redacted]` (see Secret). */
export interface AiConfig {
  provider: AiProviderKind;
  /** Without a trailing slash. */
  baseUrl: string;
  model: string;
  apiKey: Secret | undefined;
  /** Azure OpenAI: the `api-key` header instead of `Authorization: Bearer`, and `?api-version=` when set. */
  azure: boolean;
  apiVersion: string | undefined;
  /** Per attempt, including reading the answer. */
  timeoutMs: number;
  /** Retries after the first attempt (429, 5xx, network errors). */
  maxRetries: number;
  maxTokens: number;
  /** Characters of redacted log excerpts per prompt, across all logs. */
  excerptBudgetChars: number;
}

/** What `/tftsr ask` and the Suggest button answer when no provider is configured. */
export const AI_DISABLED_HELP = [
  'The AI assistant is not enabled in this workspace.',
  'To enable it, an administrator sets these environment variables and restarts TFTSR:',
  '• `TFTSR_AI_PROVIDER`: `openai` (OpenAI, Azure OpenAI, vLLM, LM Studio, LiteLLM), `anthropic` or `ollama`',
  '• `TFTSR_AI_MODEL`: the model (for Azure OpenAI, the deployment name)',
  '• `TFTSR_AI_API_KEY`: required for OpenAI, Azure OpenAI and Anthropic; optional for local servers',
  '• `TFTSR_AI_BASE_URL`: optional; e.g. `http://localhost:11434` for Ollama, `http://localhost:8000/v1` for vLLM,',
  '  `https://<resource>.openai.azure.com/openai/deployments/<deployment>` with `TFTSR_AI_API_VERSION` for Azure',
  'Only redacted text (the issue, the whys and redacted log excerpts) is ever sent, and every send is audited.',
].join('\n');

/** Every problem at once; never contains a variable's value (the key least of all). */
export class AiConfigError extends Error {
  override readonly name = 'AiConfigError';
  constructor(readonly problems: string[]) {
    super(['The AI assistant configuration is invalid:', ...problems.map((p) => `  - ${p}`)].join('\n'));
  }
}

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());
const intInRange = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be ${min}-${max}`)
    .max(max, `must be ${min}-${max}`);

/**
 * The `TFTSR_AI_*` variables, one by one. Error messages never echo the input (zod's defaults can, e.g. for enums).
 * Exported so the app's env schema can merge it (`EnvSchema.extend(AiEnvSchema.shape)`).
 */
export const AiEnvSchema = z.object({
  TFTSR_AI_PROVIDER: optional(
    z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(AI_PROVIDERS, { error: `must be one of ${AI_PROVIDERS.join(', ')}` })),
  ),
  TFTSR_AI_BASE_URL: optional(
    z
      .string()
      .trim()
      .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://localhost:11434' })),
  ),
  TFTSR_AI_MODEL: optional(z.string().trim().max(200, 'must be at most 200 characters')),
  TFTSR_AI_API_KEY: optional(
    z
      .string()
      .trim()
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
  ),
  TFTSR_AI_API_VERSION: optional(
    z
      .string()
      .trim()
      .regex(/^[0-9A-Za-z.-]{1,40}$/, 'must look like 2024-10-21'),
  ),
  TFTSR_AI_TIMEOUT_MS: optional(intInRange(1000, 600_000)),
  TFTSR_AI_MAX_RETRIES: optional(intInRange(0, 10)),
  TFTSR_AI_MAX_TOKENS: optional(intInRange(16, 32_000)),
  TFTSR_AI_EXCERPT_CHARS: optional(intInRange(0, 200_000)),
});

function isAzureHost(url: string): boolean {
  const host = new URL(url).hostname.toLowerCase();
  return host.endsWith('.openai.azure.com') || host.endsWith('.services.ai.azure.com');
}

/**
 * Reads the assistant's configuration. No `TFTSR_AI_PROVIDER` → `null`: the assistant is off (show
 * AI_DISABLED_HELP). Anything invalid → AiConfigError listing every problem.
 */
export function aiConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AiConfig | null {
  const parsed = AiEnvSchema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`);
  const raw = (name: string) => (env[name] ?? '').trim();
  const providerRaw = raw('TFTSR_AI_PROVIDER').toLowerCase();
  if (providerRaw === '') {
    // Off. Other TFTSR_AI_* variables alone do not switch it on (and are not validated: nothing uses them).
    return null;
  }
  const provider = (AI_PROVIDERS as readonly string[]).includes(providerRaw)
    ? (providerRaw as AiProviderKind)
    : undefined;

  if (raw('TFTSR_AI_MODEL') === '') {
    problems.push(
      provider === 'openai'
        ? 'TFTSR_AI_MODEL is required (e.g. gpt-4o-mini; for Azure OpenAI the deployment name)'
        : 'TFTSR_AI_MODEL is required (e.g. claude-sonnet-4-5, or llama3.1 for Ollama)',
    );
  }
  const baseUrl = (
    (parsed.success ? parsed.data.TFTSR_AI_BASE_URL : undefined) ?? (provider ? DEFAULT_BASE_URLS[provider] : '')
  ).replace(/\/+$/, '');
  const baseUrlValid = parsed.success || !parsed.error.issues.some((i) => i.path[0] === 'TFTSR_AI_BASE_URL');
  const azure =
    provider === 'openai' &&
    (raw('TFTSR_AI_API_VERSION') !== '' || (baseUrlValid && baseUrl !== '' && isAzureHost(baseUrl)));
  if (raw('TFTSR_AI_API_KEY') === '') {
    if (provider === 'anthropic') problems.push('TFTSR_AI_API_KEY is required for anthropic');
    else if (azure) problems.push('TFTSR_AI_API_KEY is required for Azure OpenAI (sent as the api-key header)');
    else if (provider === 'openai' && baseUrlValid && new URL(baseUrl).hostname === 'api.openai.com') {
      problems.push('TFTSR_AI_API_KEY is required for api.openai.com (or set TFTSR_AI_BASE_URL to a local server)');
    }
  }
  if (raw('TFTSR_AI_API_VERSION') !== '' && provider !== 'openai') {
    problems.push('TFTSR_AI_API_VERSION applies to Azure OpenAI only (TFTSR_AI_PROVIDER=openai)');
  }
  if (!parsed.success || problems.length > 0 || !provider) throw new AiConfigError(problems);

  const e = parsed.data;
  return {
    provider,
    baseUrl,
    model: e.TFTSR_AI_MODEL ?? '',
    apiKey: e.TFTSR_AI_API_KEY ? new Secret(e.TFTSR_AI_API_KEY) : undefined,
    azure,
    apiVersion: e.TFTSR_AI_API_VERSION,
    timeoutMs: e.TFTSR_AI_TIMEOUT_MS ?? AI_DEFAULTS.timeoutMs,
    maxRetries: e.TFTSR_AI_MAX_RETRIES ?? AI_DEFAULTS.maxRetries,
    maxTokens: e.TFTSR_AI_MAX_TOKENS ?? AI_DEFAULTS.maxTokens,
    excerptBudgetChars: e.TFTSR_AI_EXCERPT_CHARS ?? AI_DEFAULTS.excerptBudgetChars,
  };
}

/** A one-line summary safe for startup logs: no key, only whether one is set. */
export function describeAiConfig(config: AiConfig | null): string {
  if (!config) return 'AI assistant: off (TFTSR_AI_PROVIDER not set)';
  const kind = config.azure ? 'openai (Azure)' : config.provider;
  return `AI assistant: ${kind}, model ${config.model}, ${new URL(config.baseUrl).origin}, key ${config.apiKey ? 'set' : 'not set'}`;
}
