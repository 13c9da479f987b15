export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  system: string;
  messages: ChatMessage[];
  maxTokens: number;
}

export interface ChatUsage {
  promptTokens: number;
  completionTokens: number;
  /** true when the provider reported no usage and the counts are estimates (about 4 characters a token). */
  estimated?: boolean;
}

export interface ChatResponse {
  text: string;
  usage: ChatUsage;
  /** HTTP requests it took (1 without retries). */
  attempts: number;
}

/** One chat API. Implementations throw AiProviderError, never anything carrying the key or the prompt. */
export interface ChatProvider {
  /** Stored in ai_conversations.provider and the audit: `openai`, `azure-openai`, `anthropic`, `ollama`. */
  readonly name: string;
  readonly model: string;
  chat(request: ChatRequest, options?: { signal?: AbortSignal }): Promise<ChatResponse>;
}

/** Roughly 4 characters a token: only for providers that report no usage. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** The token counts a provider reported, or (when it reported none) an estimate from the prompt and the answer. */
export function reportedOrEstimatedUsage(
  messages: readonly { content: string }[],
  text: string,
  promptTokens: unknown,
  completionTokens: unknown,
): ChatResponse['usage'] {
  if (typeof promptTokens === 'number' && typeof completionTokens === 'number')
    return { promptTokens, completionTokens };
  const promptChars = messages.reduce((n, m) => n + m.content.length, 0);
  return { promptTokens: Math.ceil(promptChars / 4), completionTokens: estimateTokens(text), estimated: true };
}
