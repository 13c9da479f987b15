import type { types } from '@slack/bolt';
import type { FreeTextRedactor } from '../../services/redaction.js';
import type { Issue } from '../../store/index.js';
import { shortId } from '../../store/index.js';
import { escapeMrkdwn, threadPermalink, truncate } from '../text.js';

export type KnownBlock = types.KnownBlock;
export type ModalView = types.ModalView;
export type HomeView = types.HomeView;

/** What every renderer needs besides the data: how to make free text safe, and how to link to threads. */
export interface RenderContext {
  redact: FreeTextRedactor;
  /** The workspace URL from auth.test (https://acme.slack.com/), for thread permalinks. */
  teamUrl?: string | undefined;
}

export interface ThreadRef {
  channel_id: string;
  thread_ts: string | null;
}

/** An issue title as shown in Slack: redacted, escaped for mrkdwn, bounded. */
export function safeTitle(issue: Pick<Issue, 'title'>, ctx: RenderContext, max = 150): string {
  return escapeMrkdwn(truncate(ctx.redact(issue.title), max));
}

/** `1a2b3c4d` linked to the issue's thread when there is one, else the channel, else plain. */
export function issueRef(issue: Pick<Issue, 'id'>, thread: ThreadRef | undefined, ctx: RenderContext): string {
  const id = `\`${shortId(issue.id)}\``;
  if (!thread) return id;
  const url = thread.thread_ts ? threadPermalink(ctx.teamUrl, thread.channel_id, thread.thread_ts) : undefined;
  return url ? `<${url}|${shortId(issue.id)}>` : `${id} in <#${thread.channel_id}>`;
}

export function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, 3000) } };
}

export function context(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, 3000) }] };
}
