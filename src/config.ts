import { z } from 'zod';
import { type AiConfig, AiConfigError, aiConfigFromEnv } from './ai/config.js';

/** What the app needs from the environment, validated once at startup. */
export interface AppConfig {
  /** Socket Mode when SLACK_APP_TOKEN is set (the developer default: no public URL); otherwise HTTP. */
  mode: 'socket' | 'http';
  botToken: string;
  appToken: string | undefined;
  signingSecret: string | undefined;
  /** Web API base URL ending in `/`; undefined means Slack's own. */
  slackApiUrl: string | undefined;
  port: number;
  dataDir: string;
  dbKey: string | undefined;
  dbPlaintext: boolean;
  logLevel: string;
  /** The AI assistant (TFTSR_AI_*); null or absent: off. */
  ai?: AiConfig | null;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(blankToUndefined, z.string().trim().optional());

const EnvSchema = z.object({
  SLACK_BOT_TOKEN: z.preprocess(
    blankToUndefined,
    z
      .string({ error: 'is required (the Bot User OAuth Token, xoxb-…)' })
      .trim()
      .startsWith('xoxb-', 'must be a bot token starting with xoxb-'),
  ),
  SLACK_APP_TOKEN: z.preprocess(
    blankToUndefined,
    z.string().trim().startsWith('xapp-', 'must be an app-level token starting with xapp-').optional(),
  ),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_API_URL: z.preprocess(
    blankToUndefined,
    z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://slack.com/api/' }).optional(),
  ),
  PORT: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(0, 'must be 0-65535')
      .max(65535, 'must be 0-65535')
      .default(3000),
  ),
  TFTSR_DATA_DIR: z.preprocess(blankToUndefined, z.string().default('./data')),
  TFTSR_DB_KEY: z.preprocess(
    blankToUndefined,
    z.string().min(16, 'must be at least 16 characters (or unset it to use the generated key file)').optional(),
  ),
  TFTSR_DB_PLAINTEXT: z.preprocess(
    blankToUndefined,
    z.enum(['0', '1', 'true', 'false'], { error: 'must be 1 or 0' }).optional(),
  ),
  LOG_LEVEL: z.preprocess(
    (v) => (typeof v === 'string' ? blankToUndefined(v.toLowerCase()) : v),
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  ),
});

/** Every configuration problem at once, so the operator fixes them in one go. Never contains a variable's value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(
      [
        'TFTSR cannot start: the configuration is incomplete or invalid.',
        ...problems.map((p) => `  - ${p}`),
        'See README.md ("Creating the Slack app", "Configuration") for where each value comes from; manifest.yml creates the Slack app.',
      ].join('\n'),
    );
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`);
  // Cross-variable rules are checked on the raw values so they are reported together with the per-variable ones.
  const isSet = (name: string) => (env[name] ?? '').trim() !== '';
  if (!isSet('SLACK_APP_TOKEN') && !isSet('SLACK_SIGNING_SECRET')) {
    // HTTP mode is the only one that verifies request signatures; Socket Mode authenticates with the app token.
    problems.push('SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN to use Socket Mode)');
  }
  if (isSet('TFTSR_DB_KEY') && ['1', 'true'].includes((env.TFTSR_DB_PLAINTEXT ?? '').trim())) {
    problems.push('TFTSR_DB_PLAINTEXT cannot be combined with TFTSR_DB_KEY');
  }
  // TFTSR_AI_* (AiEnvSchema plus its cross-variable rules): reported with the other startup problems.
  let ai: AiConfig | null = null;
  try {
    ai = aiConfigFromEnv(env);
  } catch (err) {
    if (!(err instanceof AiConfigError)) throw err;
    problems.push(...err.problems);
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  let slackApiUrl = e.SLACK_API_URL;
  if (slackApiUrl && !slackApiUrl.endsWith('/')) slackApiUrl += '/';
  return {
    mode: e.SLACK_APP_TOKEN ? 'socket' : 'http',
    botToken: e.SLACK_BOT_TOKEN,
    appToken: e.SLACK_APP_TOKEN,
    signingSecret: e.SLACK_SIGNING_SECRET,
    slackApiUrl,
    port: e.PORT,
    dataDir: e.TFTSR_DATA_DIR,
    dbKey: e.TFTSR_DB_KEY,
    dbPlaintext: e.TFTSR_DB_PLAINTEXT === '1' || e.TFTSR_DB_PLAINTEXT === 'true',
    logLevel: e.LOG_LEVEL,
    ai,
  };
}
