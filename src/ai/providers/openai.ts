import { AiProviderError } from '../errors.js';
import type { Secret } from '../secret.js';
import { type HttpOptions, joinUrl, postJson } from './http.js';
import { type ChatProvider, type ChatRequest, type ChatResponse, reportedOrEstimatedUsage } from './types.js';

export interface OpenAiCompatibleOptions extends HttpOptions {
  /** e.g. https://api.openai.com/v1, http://localhost:8000/v1 (vLLM), http://localhost:1234/v1 (LM Studio). */
  baseUrl: string;
  model: string;
  apiKey?: Secret | undefined;
  /** Azure OpenAI: key in the `api-key` header; `apiVersion` adds `?api-version=`. */
  azure?: boolean;
  apiVersion?: string | undefined;
}

interface CompletionBody {
  choices?: { message?: { content?: unknown } }[];
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown };
}

/** OpenAI-compatible chat completions: OpenAI, Azure OpenAI, vLLM, LM Studio, LiteLLM. */
export class OpenAiCompatibleProvider implements ChatProvider {
  readonly name: string;
  readonly model: string;

  constructor(private readonly opts: OpenAiCompatibleOptions) {
    this.name = opts.azure ? 'azure-openai' : 'openai';
    this.model = opts.model;
  }

  /**
   * OpenAI itself deprecated `max_tokens` (its reasoning models reject it) for `max_completion_tokens`; the
   * compatible servers (vLLM, LM Studio, LiteLLM, older Azure API versions) all know `max_tokens`.
   */
  private maxTokensField(): 'max_tokens' | 'max_completion_tokens' {
    return new URL(this.opts.baseUrl).hostname === 'api.openai.com' ? 'max_completion_tokens' : 'max_tokens';
  }

  async chat(request: ChatRequest, options: { signal?: AbortSignal } = {}): Promise<ChatResponse> {
    const url = new URL(joinUrl(this.opts.baseUrl, '/chat/completions'));
    if (this.opts.azure && this.opts.apiVersion) url.searchParams.set('api-version', this.opts.apiVersion);
    const headers: Record<string, string> = {};
    const key = this.opts.apiKey?.reveal();
    if (key) {
      if (this.opts.azure) headers['api-key'] = key;
      else headers.authorization = `Bearer ${key}`;
    }
    const messages = [{ role: 'system', content: request.system }, ...request.messages];
    const { json, attempts } = await postJson(this.opts, {
      provider: this.name,
      url: url.toString(),
      headers,
      body: { model: this.model, messages, [this.maxTokensField()]: request.maxTokens, stream: false },
      signal: options.signal,
    });
    const body = json as CompletionBody;
    const text = body?.choices?.[0]?.message?.content;
    if (typeof text !== 'string') throw new AiProviderError({ kind: 'bad_response', provider: this.name, attempts });
    return {
      text,
      usage: reportedOrEstimatedUsage(messages, text, body.usage?.prompt_tokens, body.usage?.completion_tokens),
      attempts,
    };
  }
}
