import type { AiConfig } from '../config.js';
import { AnthropicProvider } from './anthropic.js';
import type { HttpOptions } from './http.js';
import { OllamaProvider } from './ollama.js';
import { OpenAiCompatibleProvider } from './openai.js';
import type { ChatProvider } from './types.js';

export { AnthropicProvider } from './anthropic.js';
export { backoffDelay, type HttpOptions, parseRetryAfterMs } from './http.js';
export { OllamaProvider } from './ollama.js';
export { OpenAiCompatibleProvider } from './openai.js';
export type { ChatMessage, ChatProvider, ChatRequest, ChatResponse, ChatUsage } from './types.js';

/** Transport knobs that are not configuration: tests make retries instant with these. */
export type TransportOverrides = Omit<Partial<HttpOptions>, 'timeoutMs' | 'maxRetries'> &
  Partial<Pick<HttpOptions, 'timeoutMs' | 'maxRetries'>>;

/** The client for the configured API. */
export function createProvider(config: AiConfig, overrides: TransportOverrides = {}): ChatProvider {
  const http: HttpOptions = { timeoutMs: config.timeoutMs, maxRetries: config.maxRetries, ...overrides };
  const common = { ...http, baseUrl: config.baseUrl, model: config.model, apiKey: config.apiKey };
  switch (config.provider) {
    case 'openai':
      return new OpenAiCompatibleProvider({ ...common, azure: config.azure, apiVersion: config.apiVersion });
    case 'anthropic':
      return new AnthropicProvider(common);
    case 'ollama':
      return new OllamaProvider(common);
  }
}
