import type { Severity, Status } from '../store/index.js';

/** Slack mrkdwn control characters: escaping them keeps user text from pinging (`<!channel>`) or forging links. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts to at most `max` characters (code points), ending with … when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

export const SEVERITY_EMOJI: Record<Severity, string> = {
  critical: ':red_circle:',
  high: ':large_orange_circle:',
  medium: ':large_yellow_circle:',
  low: ':white_circle:',
};

export const STATUS_EMOJI: Record<Status, string> = {
  open: ':new:',
  investigating: ':mag:',
  resolved: ':white_check_mark:',
  closed: ':lock:',
};

/** Slack's permalink form, built locally (no chat.getPermalink round trip): `<team url>archives/<C>/p<ts digits>`. */
export function threadPermalink(teamUrl: string | undefined, channelId: string, ts: string): string | undefined {
  if (!teamUrl) return undefined;
  const base = teamUrl.endsWith('/') ? teamUrl : `${teamUrl}/`;
  return `${base}archives/${channelId}/p${ts.replace('.', '')}`;
}

/** `<@U123>` mention for a user id, or a fallback. */
export function mention(userId: string | null | undefined, fallback = '_unassigned_'): string {
  return userId ? `<@${userId}>` : fallback;
}
