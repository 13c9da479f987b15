import { AiProviderError } from '../errors.js';
import type { Secret } from '../secret.js';
import { type HttpOptions, joinUrl, postJson } from './http.js';
import { type ChatProvider, type ChatRequest, type ChatResponse, reportedOrEstimatedUsage } from './types.js';

export interface OllamaOptions extends HttpOptions {
  /** http://localhost:11434 (a trailing /api is tolerated). */
  baseUrl: string;
  model: string;
  /** Only for an Ollama behind an authenticating proxy: sent as Authorization: Bearer. */
  apiKey?: Secret | undefined;
}

interface OllamaBody {
  message?: { content?: unknown };
  prompt_eval_count?: unknown;
  eval_count?: unknown;
}

/** Ollama's /api/chat, without streaming. */
export class OllamaProvider implements ChatProvider {
  readonly name = 'ollama';
  readonly model: string;

  constructor(private readonly opts: OllamaOptions) {
    this.model = opts.model;
  }

  async chat(request: ChatRequest, options: { signal?: AbortSignal } = {}): Promise<ChatResponse> {
    const headers: Record<string, string> = {};
    const key = this.opts.apiKey?.reveal();
    if (key) headers.authorization = `Bearer ${key}`;
    const messages = [{ role: 'system', content: request.system }, ...request.messages];
    const { json, attempts } = await postJson(this.opts, {
      provider: this.name,
      url: joinUrl(this.opts.baseUrl, '/api/chat', '/api'),
      headers,
      body: { model: this.model, messages, stream: false, options: { num_predict: request.maxTokens } },
      signal: options.signal,
    });
    const body = json as OllamaBody;
    const text = body?.message?.content;
    if (typeof text !== 'string') throw new AiProviderError({ kind: 'bad_response', provider: this.name, attempts });
    return { text, usage: reportedOrEstimatedUsage(messages, text, body.prompt_eval_count, body.eval_count), attempts };
  }
}
