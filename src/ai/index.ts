/**
 * The optional AI assistant, Slack-free: configuration (TFTSR_AI_*), one client per provider API, and prompts built
 * from redacted material only. The use cases are in src/services/ai.ts.
 */
export {
  AI_DEFAULTS,
  AI_DISABLED_HELP,
  AI_PROVIDERS,
  type AiConfig,
  AiConfigError,
  AiEnvSchema,
  type AiProviderKind,
  aiConfigFromEnv,
  DEFAULT_BASE_URLS,
  describeAiConfig,
} from './config.js';
export {
  AiDisabledError,
  AiInputError,
  AiProviderError,
  type AiProviderErrorKind,
  AiRedactionError,
  aiErrorMessage,
} from './errors.js';
export {
  type BuiltPrompt,
  buildAskPrompt,
  buildSuggestWhyPrompt,
  type ExcerptSource,
  gateOnReview,
  isReviewRequired,
  type PromptContext,
  type PromptRedactor,
  parseSuggestedWhy,
  promptSha256,
  QUESTION_MAX,
} from './prompt.js';
export {
  AnthropicProvider,
  type ChatMessage,
  type ChatProvider,
  type ChatRequest,
  type ChatResponse,
  type ChatUsage,
  createProvider,
  type HttpOptions,
  OllamaProvider,
  OpenAiCompatibleProvider,
  type TransportOverrides,
} from './providers/index.js';
export { Secret } from './secret.js';
