import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { slackErrorCode } from '../../flows/errors.js';
import { ingestSharedFile, issueOfThread, SlackFileSchema } from '../../flows/log-ingest.js';

type Args = SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs;

const EnvelopeSchema = z.object({ event_id: z.string().min(1), team_id: z.string().min(1) });
const FileShareSchema = z.object({
  subtype: z.literal('file_share'),
  channel: z.string().min(1),
  user: z.string().min(1),
  ts: z.string().min(1),
  thread_ts: z.string().min(1),
  files: z.array(SlackFileSchema).min(1).max(20),
});

/**
 * `message` events (message.channels / message.groups): only a file shared as a reply in an issue's thread is
 * acted on; every other message — the busy-channel case — is dropped after a parse, with no store or Web API call.
 * Files shared anywhere else are ignored silently (see README "Logs": no noise in channels that are not issues).
 */
export function registerMessageFileShare(app: App, ctx: AppContext): void {
  app.event('message', async ({ event, body, client }: Args) => {
    const ev = FileShareSchema.safeParse(event);
    if (!ev.success) return;
    const envelope = EnvelopeSchema.safeParse(body);
    if (!envelope.success) return;
    const { channel, user, thread_ts: threadTs, files } = ev.data;
    if (user === ctx.workspace.botUserId) return; // our own "Download redacted" uploads
    const teamId = envelope.data.team_id;
    const issueId = issueOfThread(ctx, teamId, channel, threadTs);
    if (!issueId) return;
    try {
      await ctx.deliveries.once(`event:${envelope.data.event_id}`, 'file_share', () =>
        Promise.all(
          files.map((file) =>
            ingestSharedFile(ctx, client, { teamId, channelId: channel, threadTs, issueId, userId: user, file }),
          ),
        ),
      );
    } catch (err) {
      ctx.logger.warn({ slack_error: slackErrorCode(err), issue_id: issueId }, 'file_share handling failed');
    }
  });
}
