import { AiProviderError } from '../errors.js';
import type { Secret } from '../secret.js';
import { type HttpOptions, joinUrl, postJson } from './http.js';
import type { ChatProvider, ChatRequest, ChatResponse } from './types.js';

export const ANTHROPIC_VERSION = '2023-06-01';

export interface AnthropicOptions extends HttpOptions {
  /** https://api.anthropic.com (a trailing /v1 is tolerated). */
  baseUrl: string;
  model: string;
  apiKey: Secret | undefined;
}

interface MessagesBody {
  content?: { type?: unknown; text?: unknown }[];
  usage?: { input_tokens?: unknown; output_tokens?: unknown };
}

/** Anthropic Messages API. */
export class AnthropicProvider implements ChatProvider {
  readonly name = 'anthropic';
  readonly model: string;

  constructor(private readonly opts: AnthropicOptions) {
    this.model = opts.model;
  }

  async chat(request: ChatRequest, options: { signal?: AbortSignal } = {}): Promise<ChatResponse> {
    const headers: Record<string, string> = { 'anthropic-version': ANTHROPIC_VERSION };
    const key = this.opts.apiKey?.reveal();
    if (key) headers['x-api-key'] = key;
    const { json, attempts } = await postJson(this.opts, {
      provider: this.name,
      url: joinUrl(this.opts.baseUrl, '/v1/messages', '/v1'),
      headers,
      body: { model: this.model, system: request.system, messages: request.messages, max_tokens: request.maxTokens },
      signal: options.signal,
    });
    const body = json as MessagesBody;
    const blocks = Array.isArray(body?.content) ? body.content : undefined;
    const texts = blocks?.filter((b) => b?.type === 'text' && typeof b.text === 'string').map((b) => b.text as string);
    if (!texts || texts.length === 0) {
      throw new AiProviderError({ kind: 'bad_response', provider: this.name, attempts });
    }
    const input = body.usage?.input_tokens;
    const output = body.usage?.output_tokens;
    return {
      text: texts.join(''),
      usage: {
        promptTokens: typeof input === 'number' ? input : 0,
        completionTokens: typeof output === 'number' ? output : 0,
      },
      attempts,
    };
  }
}
