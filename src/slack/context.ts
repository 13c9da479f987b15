import type { webApi } from '@slack/bolt';
import type { Logger } from '../logger.js';
import type { AssistantSetup } from '../services/ai.js';
import type { Deliveries } from '../services/deliveries.js';
import type { IssueService } from '../services/issues.js';
import type { FreeTextRedactor } from '../services/redaction.js';
import type { Store } from '../store/index.js';
import type { RenderContext } from './blocks/common.js';
import type { WorkLimiter } from './work-limiter.js';

export type WebClient = webApi.WebClient;

/** What every listener gets besides Bolt's arguments: services, the store, logging and rendering. */
export interface AppContext {
  store: Store;
  issues: IssueService;
  deliveries: Deliveries;
  logger: Logger;
  redact: FreeTextRedactor;
  /** Like redact, also counting the redacted spans (for audit details). */
  redactDetailed: (text: string) => { text: string; spans: number };
  /** Filled in at start from auth.test. */
  workspace: { teamUrl?: string; botUserId?: string };
  render(): RenderContext;
  /** Runs the slow part of a request after its ack, with bounded concurrency. */
  work: WorkLimiter;
  /** The AI assistant, built once at startup; null/absent or `provider: null` means off. */
  ai?: AssistantSetup | null;
}

/** An ephemeral answer to the person who acted. */
export type Notify = (message: { text: string; blocks?: unknown[] }) => Promise<void>;
