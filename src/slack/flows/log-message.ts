import { attachLog } from '../../services/logs.js';
import type { AppContext, WebClient } from '../context.js';
import { slackErrorCode } from './errors.js';
import { attachedLogSummary, logRedactorOf } from './log-ingest.js';

/**
 * A pasted log (a code block, or three lines or more) added with the message shortcut "Add to TFTSR issue" also
 * becomes a log of the issue, `message-<ts>.txt`, redacted and stored like an uploaded file — so review, download
 * and the AI prompt treat it the same. One-line remarks stay evidence only (a log row for "seen again at 10:02" is
 * noise in the issue's log list).
 */
export function looksLikePastedLog(text: string): boolean {
  return text.includes('```') || text.split('\n').filter((l) => l.trim()).length >= 3;
}

/** Slack message text as the person pasted it: entities unescaped, code fences removed. */
export function messageLogText(text: string): string {
  const plain = text
    .replace(/^```\n?/gm, '')
    .replace(/\n?```$/gm, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  return plain.endsWith('\n') ? plain : `${plain}\n`;
}

export interface MessageLogRequest {
  teamId: string;
  channelId: string;
  /** The issue's thread, where the summary goes. */
  threadTs: string;
  messageTs: string;
  issueId: string;
  userId: string;
  text: string;
}

/**
 * Attaches the message as a log (once: the synthetic Slack file id `msg:<channel>:<ts>` dedupes) and posts its
 * summary in the thread. Returns the log's file name, or undefined when it was attached before.
 */
export async function attachMessageAsLog(
  ctx: AppContext,
  client: WebClient,
  req: MessageLogRequest,
): Promise<string | undefined> {
  const fileName = `message-${req.messageTs}.txt`;
  const result = await attachLog(ctx.store, logRedactorOf(ctx), {
    issueId: req.issueId,
    fileName,
    mimeType: 'text/plain',
    chunks: [Buffer.from(messageLogText(req.text), 'utf8')],
    userId: req.userId,
    filePath: `slack://${req.teamId}/${req.channelId}/${req.messageTs}`,
    slackFileId: `msg:${req.channelId}:${req.messageTs}`,
  });
  if (!result.created) return undefined;
  await client.chat
    .postMessage({
      channel: req.channelId,
      thread_ts: req.threadTs,
      ...attachedLogSummary(ctx, result, req.issueId),
    })
    .catch((err: unknown) =>
      ctx.logger.warn({ slack_error: slackErrorCode(err), log_file_id: result.logFile.id }, 'log summary not shown'),
    );
  return fileName;
}
