/**
 * The AI assistant's use cases, Slack-free: `/tftsr ask` (askAssistant) and the 5-Whys Suggest button
 * (suggestNextWhy). Only redacted text leaves (see src/ai/prompt.ts). After the provider answers, the conversation,
 * its messages (the redacted prompt as sent and the redacted answer, with token counts) and the `ai_send` audit entry
 * are written in one transaction.
 *
 * A failed call (timeout, 429 after retries, 5xx, unreadable answer) writes no conversation or message rows, but it
 * does write an `ai_send` audit entry with `outcome: 'failed'`: the redacted prompt may have reached the provider, and
 * the audit trail records every time data was sent out, answered or not. Calls refused before anything is sent (AI
 * off, bad question, unknown issue, redaction failure) write nothing.
 */
import { AI_DEFAULTS, AI_DISABLED_HELP, type AiConfig } from '../ai/config.js';
import { AiDisabledError, AiInputError, AiProviderError, AiRedactionError } from '../ai/errors.js';
import {
  type BuiltPrompt,
  buildAskPrompt,
  buildSuggestWhyPrompt,
  type ExcerptSource,
  type PromptContext,
  type PromptRedactor,
  parseSuggestedWhy,
  QUESTION_MAX,
  WHY_STEPS,
} from '../ai/prompt.js';
import { createProvider, type TransportOverrides } from '../ai/providers/index.js';
import type { ChatProvider, ChatResponse, ChatUsage } from '../ai/providers/types.js';
import { type Logger, silentLogger } from '../logger.js';
import { createRedactor, redactConfigFromSettings } from '../redact/index.js';
import { type AuditDetails, NotFoundError, type Store } from '../store/index.js';

/** What every assistant call needs besides its own input. `provider: null` means the assistant is off. */
export interface AiCallOptions {
  issueId: string;
  /** Slack user id, or `local`: goes into the audit entry. */
  userId: string;
  provider: ChatProvider | null;
  /** The workspace's redactor (built-ins plus `redact.*` settings). */
  redactor: PromptRedactor;
  /** Redacted log text, or null when a log may not be sent (review pending) — see gateOnReview. */
  getRedactedExcerpt?: ExcerptSource | undefined;
  excerptBudgetChars?: number | undefined;
  maxTokens?: number | undefined;
  signal?: AbortSignal | undefined;
  now?: (() => Date) | undefined;
  logger?: Logger | undefined;
}

export interface AskOptions extends AiCallOptions {
  question: string;
}

export interface AskResult {
  /** Redacted, ready for the thread. */
  answer: string;
  conversationId: string;
  promptSha256: string;
  sentLogIds: string[];
  /** Logs left out: review pending, not available, or no room in the excerpt budget. */
  skippedLogIds: string[];
  usage: ChatUsage;
}

export interface SuggestOptions extends AiCallOptions {
  /** The step the why is for (1–5); default the one after the last recorded why. */
  stepOrder?: number | undefined;
}

export interface SuggestResult {
  /** Redacted, one line, at most QUESTION_MAX characters: prefill for the modal's why field. */
  question: string;
  stepOrder: number;
  conversationId: string;
  promptSha256: string;
  sentLogIds: string[];
  skippedLogIds: string[];
  usage: ChatUsage;
}

type CallKind = 'ask' | 'suggest_why';

/** What the app builds once at startup from `aiConfigFromEnv`, and spreads into every call. */
export interface AssistantSetup {
  /** null: the assistant is off; calls throw AiDisabledError with AI_DISABLED_HELP. */
  provider: ChatProvider | null;
  excerptBudgetChars: number;
  maxTokens: number;
}

export function assistantSetup(config: AiConfig | null, transport: TransportOverrides = {}): AssistantSetup {
  if (!config) {
    return { provider: null, excerptBudgetChars: AI_DEFAULTS.excerptBudgetChars, maxTokens: AI_DEFAULTS.maxTokens };
  }
  return {
    provider: createProvider(config, transport),
    excerptBudgetChars: config.excerptBudgetChars,
    maxTokens: config.maxTokens,
  };
}

/**
 * The workspace's redactor for prompts: built-ins plus the `redact.*` settings, read now (settings can change at
 * runtime, so build it per call). A malformed setting throws, naming the key: nothing is sent then.
 */
export function promptRedactorFor(store: Pick<Store, 'settings'>): PromptRedactor {
  return createRedactor(redactConfigFromSettings((key) => store.settings.get(key)));
}

/** Answers a question about an issue from its redacted context. */
export async function askAssistant(store: Store, options: AskOptions): Promise<AskResult> {
  const provider = requireProvider(options.provider);
  const question = options.question.trim();
  if (question === '') throw new AiInputError('Ask a question after the command, e.g. `/tftsr ask why did DNS fail?`');
  if (question.length > QUESTION_MAX) {
    throw new AiInputError(`The question is too long (${question.length} characters; at most ${QUESTION_MAX}).`);
  }
  const ctx = loadPromptContext(store, options.issueId);
  const prompt = await buildAskPrompt(ctx, question, promptOptions(options));
  const redactedQuestion = redactOrFail(options.redactor, question);
  const { response, answer } = await send(store, provider, prompt, options, 'ask', (text) => text.trim());
  const conversationId = persist(store, provider, prompt, response, answer, options, {
    kind: 'ask',
    title: `Ask: ${redactedQuestion.replace(/\s+/g, ' ')}`,
  });
  return {
    answer,
    conversationId,
    promptSha256: prompt.sha256,
    sentLogIds: prompt.sentLogIds,
    skippedLogIds: prompt.skippedLogs.map((s) => s.id),
    usage: response.usage,
  };
}

/** Proposes the next why from the chain so far and the redacted logs. */
export async function suggestNextWhy(store: Store, options: SuggestOptions): Promise<SuggestResult> {
  const provider = requireProvider(options.provider);
  const ctx = loadPromptContext(store, options.issueId);
  const last = ctx.whys.reduce((max, w) => Math.max(max, w.step_order), 0);
  const stepOrder = options.stepOrder ?? last + 1;
  if (!Number.isInteger(stepOrder) || stepOrder < 1 || stepOrder > WHY_STEPS) {
    throw new AiInputError(
      stepOrder > WHY_STEPS
        ? `All ${WHY_STEPS} whys are recorded: there is no next why to suggest.`
        : `The why step must be 1 to ${WHY_STEPS}.`,
    );
  }
  const prompt = await buildSuggestWhyPrompt(ctx, stepOrder, promptOptions(options));
  const { response, answer } = await send(store, provider, prompt, options, 'suggest_why', parseSuggestedWhy);
  const conversationId = persist(store, provider, prompt, response, answer, options, {
    kind: 'suggest_why',
    title: `Suggest why ${stepOrder}`,
  });
  return {
    question: answer,
    stepOrder,
    conversationId,
    promptSha256: prompt.sha256,
    sentLogIds: prompt.sentLogIds,
    skippedLogIds: prompt.skippedLogs.map((s) => s.id),
    usage: response.usage,
  };
}

function requireProvider(provider: ChatProvider | null): ChatProvider {
  if (!provider) throw new AiDisabledError(AI_DISABLED_HELP);
  return provider;
}

function loadPromptContext(store: Store, issueId: string): PromptContext {
  const detail = store.getIssueDetail(issueId);
  if (!detail) throw new NotFoundError('issue', issueId);
  return { issue: detail.issue, whys: detail.resolution_steps, logs: detail.log_files };
}

function promptOptions(options: AiCallOptions) {
  return {
    redactor: options.redactor,
    getRedactedExcerpt: options.getRedactedExcerpt,
    excerptBudgetChars: options.excerptBudgetChars ?? AI_DEFAULTS.excerptBudgetChars,
    maxTokens: options.maxTokens ?? AI_DEFAULTS.maxTokens,
  };
}

function redactOrFail(redactor: PromptRedactor, text: string): string {
  try {
    return redactor.redactText(text).text;
  } catch {
    throw new AiRedactionError();
  }
}

/**
 * Sends the prompt; redacts the answer (a model may echo or invent something that looks like PII) and shapes it.
 * A failure is audited (outcome failed, no content) and rethrown; an empty answer counts as a bad response.
 */
async function send(
  store: Store,
  provider: ChatProvider,
  prompt: BuiltPrompt,
  options: AiCallOptions,
  kind: CallKind,
  shape: (redactedAnswer: string) => string,
): Promise<{ response: ChatResponse; answer: string }> {
  try {
    const response = await provider.chat(prompt.request, { signal: options.signal });
    const answer = shape(redactOrFail(options.redactor, response.text));
    if (answer === '') {
      throw new AiProviderError({ kind: 'bad_response', provider: provider.name, attempts: response.attempts });
    }
    return { response, answer };
  } catch (err) {
    auditFailure(store, provider, prompt, options, kind, err);
    throw err;
  }
}

/** The `ai_send` entry of a call that got no usable answer: what was sent (hash, log ids), how it failed. */
function auditFailure(
  store: Store,
  provider: ChatProvider,
  prompt: BuiltPrompt,
  options: AiCallOptions,
  kind: CallKind,
  err: unknown,
): void {
  const logger = options.logger ?? silentLogger;
  const providerError = err instanceof AiProviderError ? err : undefined;
  const errorKind = providerError?.kind ?? (err instanceof AiRedactionError ? 'redaction' : 'error');
  logger.warn({ issueId: options.issueId, provider: provider.name, errorKind }, 'ai_send failed');
  // Cancelled before the first request: nothing left, nothing to record.
  if (providerError?.attempts === 0) return;
  try {
    store.audit.append(
      {
        action: 'ai_send',
        entity_type: 'issue',
        entity_id: options.issueId,
        user_id: options.userId,
        details: {
          ...sendDetails(provider, prompt, kind),
          outcome: 'failed',
          error_kind: errorKind,
          http_status: providerError?.status ?? null,
          attempts: providerError?.attempts ?? null,
        },
      },
      (options.now ?? (() => new Date()))(),
    );
  } catch (auditErr) {
    logger.error({ issueId: options.issueId, err: (auditErr as Error).name }, 'ai_send: could not audit a failed call');
  }
}

function sendDetails(provider: ChatProvider, prompt: BuiltPrompt, kind: CallKind): AuditDetails {
  return {
    kind,
    provider: provider.name.slice(0, 50),
    model: provider.model.slice(0, 200),
    prompt_sha256: prompt.sha256,
    prompt_chars: prompt.request.system.length + prompt.request.messages.reduce((n, m) => n + m.content.length, 0),
    log_ids: prompt.sentLogIds.slice(0, 100),
    skipped_log_ids: prompt.skippedLogs.map((s) => s.id).slice(0, 100),
    excerpt_chars: prompt.excerptChars,
  };
}

/** Conversation, its three messages and the audit entry: one transaction, all or nothing. */
function persist(
  store: Store,
  provider: ChatProvider,
  prompt: BuiltPrompt,
  response: ChatResponse,
  answer: string,
  options: AiCallOptions,
  meta: { kind: CallKind; title: string },
): string {
  const now = (options.now ?? (() => new Date()))();
  let id: string;
  try {
    id = write();
  } catch (err) {
    // The answer came but could not be stored (the issue was deleted meanwhile …): still record that data left.
    auditFailure(store, provider, prompt, options, meta.kind, err);
    throw err;
  }
  (options.logger ?? silentLogger).info(
    { issueId: options.issueId, conversationId: id, provider: provider.name, attempts: response.attempts },
    'ai_send answered',
  );
  return id;

  function write(): string {
    return store.transaction(() => {
      const conversation = store.ai.createConversation(
        {
          issue_id: options.issueId,
          provider: provider.name.slice(0, 50),
          model: provider.model.slice(0, 200),
          title: meta.title.length > 200 ? `${meta.title.slice(0, 199)}…` : meta.title,
        },
        now,
      );
      const conversation_id = conversation.id;
      // Prompt tokens cover system and user together; they are counted on the user message.
      store.ai.addMessage({ conversation_id, role: 'system', content: prompt.request.system, token_count: 0 }, now);
      for (const m of prompt.request.messages) {
        store.ai.addMessage(
          { conversation_id, role: m.role, content: m.content, token_count: response.usage.promptTokens },
          now,
        );
      }
      store.ai.addMessage(
        { conversation_id, role: 'assistant', content: answer, token_count: response.usage.completionTokens },
        now,
      );
      store.audit.append(
        {
          action: 'ai_send',
          entity_type: 'issue',
          entity_id: options.issueId,
          user_id: options.userId,
          details: {
            ...sendDetails(provider, prompt, meta.kind),
            outcome: 'answered',
            conversation_id,
            prompt_tokens: response.usage.promptTokens,
            completion_tokens: response.usage.completionTokens,
            tokens_estimated: response.usage.estimated === true,
            attempts: response.attempts,
          },
        },
        now,
      );
      return conversation_id;
    });
  }
}
