import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { slackErrorCode } from '../../flows/errors.js';
import {
  completeFile,
  ingestSharedFile,
  issueOfThread,
  type SlackFile,
  SlackFileSchema,
  seenFile,
} from '../../flows/log-ingest.js';

type Args = SlackEventMiddlewareArgs<'file_shared'> & AllMiddlewareArgs;

const EnvelopeSchema = z.object({ event_id: z.string().min(1), team_id: z.string().min(1) });
const FileSharedSchema = z.object({
  file_id: z.string().min(1),
  user_id: z.string().optional(),
  channel_id: z.string().min(1),
});

/** The threads of `channelId` a file is shared into, from its `shares` (files.info). */
export function threadsOf(file: SlackFile, channelId: string): string[] {
  const shares = [...(file.shares?.public?.[channelId] ?? []), ...(file.shares?.private?.[channelId] ?? [])];
  return [...new Set(shares.map((s) => s.thread_ts).filter((t): t is string => !!t))];
}

/**
 * `file_shared`: arrives for the same upload as the `message`/`file_share` event, without the thread. When that
 * event already started on the file in this process, nothing is done (no files.info); otherwise files.info tells
 * the threads it is shared into, and each issue thread gets the file once (the per-issue delivery key decides).
 */
export function registerFileShared(app: App, ctx: AppContext): void {
  app.event('file_shared', async ({ event, body, client }: Args) => {
    const ev = FileSharedSchema.safeParse(event);
    const envelope = EnvelopeSchema.safeParse(body);
    if (!ev.success || !envelope.success) return;
    const teamId = envelope.data.team_id;
    const { file_id: fileId, channel_id: channelId } = ev.data;
    if (ev.data.user_id && ev.data.user_id === ctx.workspace.botUserId) return;
    if (seenFile(ctx, teamId, fileId)) return;
    try {
      await ctx.deliveries.once(`event:${envelope.data.event_id}`, 'file_shared', async () => {
        const file = await completeFile(client, SlackFileSchema.parse({ id: fileId }));
        if (file.user && file.user === ctx.workspace.botUserId) return;
        const userId = file.user ?? ev.data.user_id ?? 'unknown';
        for (const threadTs of threadsOf(file, channelId)) {
          const issueId = issueOfThread(ctx, teamId, channelId, threadTs);
          if (!issueId) continue;
          await ingestSharedFile(ctx, client, { teamId, channelId, threadTs, issueId, userId, file });
        }
      });
    } catch (err) {
      ctx.logger.warn({ slack_error: slackErrorCode(err), file_id: fileId }, 'file_shared handling failed');
    }
  });
}
