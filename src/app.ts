import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel, type webApi } from '@slack/bolt';
import type { AppConfig } from './config.js';
import type { Logger } from './logger.js';
import { type AssistantSetup, assistantSetup } from './services/ai.js';
import { Deliveries } from './services/deliveries.js';
import { IssueService } from './services/issues.js';
import { createTextRedaction, type TextRedaction } from './services/redaction.js';
import type { AppContext } from './slack/context.js';
import { slackErrorCode } from './slack/flows/errors.js';
import { registerListeners } from './slack/listeners/index.js';
import { WorkLimiter } from './slack/work-limiter.js';
import type { Store } from './store/index.js';

export interface CreateAppOptions {
  config: AppConfig;
  store: Store;
  logger: Logger;
  /** Defaults to the workspace redactor (src/redact with the store's redaction settings). */
  redaction?: TextRedaction;
  /** Web API retry policy (node-retry options). Tests shorten it; 429s always wait for Retry-After. */
  retryConfig?: webApi.RetryOptions;
  /** Per-request Web API timeout in ms (default 10 s). */
  webApiTimeoutMs?: number;
  /** How many acknowledged requests do their slow part at once (default 8). */
  workConcurrency?: number;
  /** How long Bolt's HTTP receiver waits for an ack before answering 404 (default: Bolt's 3001 ms). */
  unhandledRequestTimeoutMillis?: number;
  /** The AI assistant; defaults to the one configured by TFTSR_AI_* (config.ai), or off. */
  ai?: AssistantSetup | null;
}

export interface TftsrApp {
  app: App;
  ctx: AppContext;
  /** Verifies the bot token (auth.test), then listens (HTTP: the port and server) or connects (Socket Mode). */
  start(): Promise<{ port?: number; server?: Server }>;
  /** Stops taking work, waits for in-flight handlers, leaves the store open (its owner closes it). */
  stop(): Promise<void>;
  /** Resolves when no listener is running: tests await it after a request, shutdown before closing the DB. */
  idle(): Promise<void>;
}

/** Production retries: up to 3 more attempts with backoff; 429s additionally wait as long as Retry-After says. */
export const DEFAULT_RETRY: webApi.RetryOptions = {
  retries: 3,
  factor: 2,
  minTimeout: 500,
  maxTimeout: 5_000,
  randomize: true,
};

/**
 * Web API methods that create something: after a 5xx Slack may still have acted, so retrying could post twice.
 * For these, a 5xx becomes an `{ok:false, error:'http_5xx'}` answer (not retried, reported to the person);
 * everything else (updates, reads, views.publish) is safe to retry and goes through the client's retry policy.
 */
const NOT_RETRY_SAFE = new Set([
  'chat.postMessage',
  'chat.postEphemeral',
  'views.open',
  'views.push',
  // Shares the uploaded file into the thread: a retry after a 5xx could attach it twice.
  'files.completeUploadExternal',
]);

export function retrySafeFetch(base: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init);
    if (response.status >= 500) {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const method = new URL(url).pathname.split('/').pop() ?? '';
      if (NOT_RETRY_SAFE.has(method)) {
        await response.body?.cancel();
        return Response.json({ ok: false, error: `http_${response.status}` }, { status: 200 });
      }
    }
    return response;
  };
}

/**
 * Bolt and the Web API client log through this. Their debug output includes request bodies (message text), so it is
 * dropped; info goes to debug; warnings and errors pass (they carry error descriptions, not payloads).
 */
function boltLogger(logger: Logger) {
  const child = logger.child({ component: 'bolt' });
  const join = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' ');
  let level = LogLevel.INFO;
  return {
    debug: () => undefined,
    info: (...msg: unknown[]) => child.debug(join(msg)),
    warn: (...msg: unknown[]) => child.warn(join(msg)),
    error: (...msg: unknown[]) => child.error(join(msg)),
    setLevel: (l: typeof level) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

export function createApp(options: CreateAppOptions): TftsrApp {
  const { config, store, logger } = options;
  const redaction = options.redaction ?? createTextRedaction(store.settings);
  const workspace: AppContext['workspace'] = {};
  const ctx: AppContext = {
    store,
    issues: new IssueService(store),
    deliveries: new Deliveries(store),
    logger,
    redact: redaction.redact,
    redactDetailed: redaction.redactDetailed,
    workspace,
    render: () => ({ redact: redaction.redact, teamUrl: workspace.teamUrl }),
    work: new WorkLimiter(options.workConcurrency ?? 8),
    ai: options.ai !== undefined ? options.ai : config.ai ? assistantSetup(config.ai) : null,
  };

  const bLogger = boltLogger(logger);
  const clientOptions: webApi.WebClientOptions = {
    retryConfig: options.retryConfig ?? DEFAULT_RETRY,
    timeout: options.webApiTimeoutMs ?? 10_000,
    fetch: retrySafeFetch(),
    ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
  };

  // processBeforeResponse: false — the HTTP answer goes out at ack(), and slow work (posting the card, storing)
  // continues after it. This is a long-running server, not a FaaS, so work after the response is not frozen, and
  // Slack's 3 s budget only covers the ack.
  const receiver =
    config.mode === 'http'
      ? new HTTPReceiver({
          signingSecret: config.signingSecret ?? '',
          endpoints: '/slack/events',
          port: config.port,
          processBeforeResponse: false,
          logger: bLogger,
          ...(options.unhandledRequestTimeoutMillis
            ? { unhandledRequestTimeoutMillis: options.unhandledRequestTimeoutMillis }
            : {}),
          customRoutes: [
            {
              path: '/healthz',
              method: ['GET'],
              handler: (_req, res) => {
                const ok = store.isHealthy();
                res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
                res.end(JSON.stringify({ ok }));
              },
            },
          ],
        })
      : undefined;

  const app = new App({
    token: config.botToken,
    ...(receiver ? { receiver } : { socketMode: true, appToken: config.appToken }),
    logger: bLogger,
    clientOptions,
    deferInitialization: true,
    // No listener uses Bolt's conversation state; skipping its store saves work on every request's ack path.
    convoStore: false,
  });

  // Tracks every listener run: stop() and tests wait for them.
  const inflight = new Set<Promise<unknown>>();
  app.use(async ({ next }) => {
    const run = next();
    inflight.add(run);
    try {
      await run;
    } finally {
      inflight.delete(run);
    }
  });
  app.error(async (err) => {
    const e = err as { code?: string; name?: string; original?: unknown };
    logger.error(
      { err_code: e.code, err_name: e.name, slack_error: slackErrorCode(e.original ?? err) },
      'listener failed',
    );
  });
  registerListeners(app, ctx);

  const idle = async () => {
    while (inflight.size > 0) await Promise.allSettled([...inflight]);
  };
  let started = false;
  let pruneTimer: NodeJS.Timeout | undefined;
  // Slack retries within minutes; a week of delivery keys is plenty and keeps the table small.
  const pruneDeliveries = () => {
    try {
      const removed = ctx.deliveries.prune(new Date(Date.now() - 7 * 24 * 3600_000));
      if (removed > 0) logger.debug({ removed }, 'pruned old delivery keys');
    } catch (err) {
      logger.warn({ err_name: (err as Error)?.name }, 'pruning delivery keys failed');
    }
  };

  return {
    app,
    ctx,
    idle,
    async start() {
      const auth = await app.client.auth.test().catch((err: unknown) => {
        const code = slackErrorCode(err);
        throw new Error(
          code === 'invalid_auth' || code === 'not_authed' || code === 'token_revoked'
            ? `SLACK_BOT_TOKEN was rejected by Slack (${code}); copy the Bot User OAuth Token from the app's "OAuth & Permissions" page`
            : `could not reach the Slack Web API (${code})`,
        );
      });
      workspace.teamUrl = typeof auth.url === 'string' ? auth.url : undefined;
      workspace.botUserId = typeof auth.user_id === 'string' ? auth.user_id : undefined;
      await app.init();
      const server = await app.start();
      started = true;
      pruneDeliveries();
      pruneTimer = setInterval(pruneDeliveries, 3600_000);
      pruneTimer.unref();
      const http = receiver ? (server as Server) : undefined;
      const address = http?.address();
      const port = address && typeof address === 'object' ? (address as AddressInfo).port : undefined;
      logger.info({ mode: config.mode, port, team_id: auth.team_id }, 'TFTSR is listening');
      return http && port !== undefined ? { port, server: http } : {};
    },
    async stop() {
      if (pruneTimer) clearInterval(pruneTimer);
      if (started) {
        started = false;
        await app.stop();
      }
      await idle();
    },
  };
}
