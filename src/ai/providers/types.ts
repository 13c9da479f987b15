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
