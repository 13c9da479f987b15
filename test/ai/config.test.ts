import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  AI_DEFAULTS,
  AI_DISABLED_HELP,
  AiConfigError,
  aiConfigFromEnv,
  describeAiConfig,
} from '../../src/ai/config.js';
import { API_KEY } from './helpers.js';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    aiConfigFromEnv(env);
  } catch (err) {
    expect(err).toBeInstanceOf(AiConfigError);
    return (err as AiConfigError).problems;
  }
  throw new Error('expected an AiConfigError');
}

describe('aiConfigFromEnv', () => {
  it('is off (null) without TFTSR_AI_PROVIDER, even with other variables set, and explains how to enable', () => {
    expect(aiConfigFromEnv({})).toBeNull();
    expect(aiConfigFromEnv({ TFTSR_AI_PROVIDER: '  ', TFTSR_AI_MODEL: 'x', TFTSR_AI_API_KEY: API_KEY })).toBeNull();
    for (const word of ['TFTSR_AI_PROVIDER', 'TFTSR_AI_MODEL', 'TFTSR_AI_API_KEY', 'TFTSR_AI_BASE_URL', 'ollama']) {
      expect(AI_DISABLED_HELP).toContain(word);
    }
    expect(describeAiConfig(null)).toMatch(/off/);
  });

  it('reads an Anthropic configuration with defaults', () => {
    const config = aiConfigFromEnv({
      TFTSR_AI_PROVIDER: 'Anthropic',
      TFTSR_AI_MODEL: 'claude-sonnet-4-5',
      TFTSR_AI_API_KEY: API_KEY,
    });
    expect(config).toMatchObject({
      provider: 'anthropic',
      baseUrl: 'https://api.anthropic.com',
      model: 'claude-sonnet-4-5',
      azure: false,
      timeoutMs: AI_DEFAULTS.timeoutMs,
      maxRetries: AI_DEFAULTS.maxRetries,
      maxTokens: AI_DEFAULTS.maxTokens,
      excerptBudgetChars: AI_DEFAULTS.excerptBudgetChars,
    });
    expect(config?.apiKey?.reveal()).toBe(API_KEY);
  });

  it('never shows the key: String, JSON, inspect, the summary line', () => {
    const config = aiConfigFromEnv({ TFTSR_AI_PROVIDER: 'anthropic', TFTSR_AI_MODEL: 'm', TFTSR_AI_API_KEY: API_KEY });
    for (const text of [String(config?.apiKey), JSON.stringify(config), inspect(config, { depth: 5 })]) {
      expect(text).not.toContain(API_KEY);
    }
    expect(describeAiConfig(config)).toBe('AI assistant: anthropic, model m, https://api.anthropic.com, key set');
  });

  it('lets local OpenAI-compatible servers and Ollama run without a key; trims the base URL', () => {
    expect(
      aiConfigFromEnv({
        TFTSR_AI_PROVIDER: 'openai',
        TFTSR_AI_MODEL: 'qwen2.5',
        TFTSR_AI_BASE_URL: 'http://localhost:8000/v1/',
        TFTSR_AI_TIMEOUT_MS: '5000',
        TFTSR_AI_MAX_RETRIES: '0',
      }),
    ).toMatchObject({ baseUrl: 'http://localhost:8000/v1', apiKey: undefined, timeoutMs: 5000, maxRetries: 0 });
    expect(aiConfigFromEnv({ TFTSR_AI_PROVIDER: 'ollama', TFTSR_AI_MODEL: 'llama3.1' })).toMatchObject({
      baseUrl: 'http://localhost:11434',
      apiKey: undefined,
    });
  });

  it('recognises Azure OpenAI by TFTSR_AI_API_VERSION or its host', () => {
    const base = 'https://acme.openai.azure.com/openai/deployments/gpt4o';
    expect(
      aiConfigFromEnv({
        TFTSR_AI_PROVIDER: 'openai',
        TFTSR_AI_MODEL: 'gpt4o',
        TFTSR_AI_BASE_URL: base,
        TFTSR_AI_API_KEY: API_KEY,
        TFTSR_AI_API_VERSION: '2024-10-21',
      }),
    ).toMatchObject({ azure: true, apiVersion: '2024-10-21', baseUrl: base });
    expect(problemsOf({ TFTSR_AI_PROVIDER: 'openai', TFTSR_AI_MODEL: 'gpt4o', TFTSR_AI_BASE_URL: base })).toEqual([
      expect.stringMatching(/TFTSR_AI_API_KEY is required for Azure OpenAI/),
    ]);
  });

  it('lists every problem at once, without echoing any value', () => {
    const problems = problemsOf({
      TFTSR_AI_PROVIDER: 'gemini',
      TFTSR_AI_BASE_URL: 'ftp://nope',
      TFTSR_AI_API_KEY: `${API_KEY} with spaces`,
      TFTSR_AI_TIMEOUT_MS: 'soon',
      TFTSR_AI_MAX_RETRIES: '99',
      TFTSR_AI_API_VERSION: '2024-10-21',
    });
    const text = problems.join('\n');
    expect(text).toMatch(/TFTSR_AI_PROVIDER must be one of openai, anthropic, ollama/);
    expect(text).toMatch(/TFTSR_AI_BASE_URL must be an http\(s\) URL/);
    expect(text).toMatch(/TFTSR_AI_API_KEY must be printable ASCII/);
    expect(text).toMatch(/TFTSR_AI_TIMEOUT_MS must be a number/);
    expect(text).toMatch(/TFTSR_AI_MAX_RETRIES must be 0-10/);
    expect(text).toMatch(/TFTSR_AI_MODEL is required/);
    expect(text).toMatch(/TFTSR_AI_API_VERSION applies to Azure OpenAI only/);
    expect(problems).toHaveLength(7);
    for (const value of [API_KEY, 'gemini', 'ftp://nope', 'soon']) expect(text).not.toContain(value);
  });

  it('requires a key for Anthropic and for api.openai.com', () => {
    expect(problemsOf({ TFTSR_AI_PROVIDER: 'anthropic', TFTSR_AI_MODEL: 'm' })).toEqual([
      'TFTSR_AI_API_KEY is required for anthropic',
    ]);
    expect(problemsOf({ TFTSR_AI_PROVIDER: 'openai', TFTSR_AI_MODEL: 'gpt-4o-mini' })).toEqual([
      expect.stringMatching(/required for api\.openai\.com/),
    ]);
  });

  it('is mergeable into the app schema: AiEnvSchema has exactly the TFTSR_AI_* keys', async () => {
    const { AiEnvSchema } = await import('../../src/ai/config.js');
    expect(Object.keys(AiEnvSchema.shape).every((k) => k.startsWith('TFTSR_AI_'))).toBe(true);
  });
});
