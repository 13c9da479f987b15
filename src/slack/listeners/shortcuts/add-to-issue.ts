import type { AllMiddlewareArgs, App, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { sha256Hex, shortId } from '../../../store/index.js';
import { createIssueModal } from '../../blocks/create-modal.js';
import type { AppContext } from '../../context.js';
import { safeNotify } from '../../flows/create-issue.js';
import { explainSlackError, slackErrorCode } from '../../flows/errors.js';
import { attachMessageAsLog, looksLikePastedLog } from '../../flows/log-message.js';
import { CALLBACK } from '../../ids.js';
import { escapeMrkdwn, threadPermalink, truncate } from '../../text.js';
import { MessageShortcutSchema } from '../payloads.js';
import { ephemeralNotify } from '../respond.js';

type Args = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

/**
 * Message shortcut "Add to TFTSR issue". In an issue's thread: the message, redacted, is added to the thread as
 * evidence; a pasted log (a code block, or 3+ lines) also becomes a log of the issue, `message-<ts>.txt`.
 * Elsewhere: the create modal opens with the redacted message as the description.
 */
export function registerAddToIssue(app: App, ctx: AppContext): void {
  app.shortcut(
    { callback_id: CALLBACK.addEvidence, type: 'message_action' },
    async ({ ack, shortcut, client, respond }: Args) => {
      await ack();
      const parsed = MessageShortcutSchema.safeParse(shortcut);
      const notify = ephemeralNotify(respond);
      if (!parsed.success) {
        await safeNotify(ctx, notify, 'That message could not be read; please try again.');
        return;
      }
      const { message, channel, user, trigger_id } = parsed.data;
      const teamId = parsed.data.team?.id ?? '';
      const redacted = ctx.redactDetailed(message.text);
      const bound = ctx.store.slackThreads.findByThread(teamId, channel.id, message.thread_ts ?? message.ts);
      const issue = bound ? ctx.issues.get(bound.issue_id) : undefined;

      if (!issue || !bound?.thread_ts) {
        try {
          await client.views.open({
            trigger_id,
            view: createIssueModal(
              { c: channel.id, m: message.ts },
              { title: truncate(redacted.text.split('\n')[0] ?? '', 200), description: redacted.text },
            ),
          });
        } catch (err) {
          await safeNotify(
            ctx,
            notify,
            `I could not open the form. ${explainSlackError(slackErrorCode(err), channel.id)}`,
          );
        }
        return;
      }

      if (message.ts === bound.thread_ts) {
        await safeNotify(ctx, notify, `That is the card of issue \`${shortId(issue.id)}\` itself.`);
        return;
      }
      const key = `evidence:${teamId}:${channel.id}:${message.ts}:${issue.id}`;
      const claim = ctx.deliveries.claim(key, 'evidence');
      if (claim.status !== 'claimed') {
        await safeNotify(ctx, notify, `That message is already evidence for issue \`${shortId(issue.id)}\`.`);
        return;
      }
      const link = threadPermalink(ctx.workspace.teamUrl, channel.id, message.ts);
      const quoted = escapeMrkdwn(truncate(redacted.text, 2500))
        .split('\n')
        .map((l) => `>${l}`)
        .join('\n');
      try {
        await client.chat.postMessage({
          channel: channel.id,
          thread_ts: bound.thread_ts,
          text: `:paperclip: <@${user.id}> added ${link ? `<${link}|a message>` : 'a message'}${message.user ? ` from <@${message.user}>` : ''} as evidence:\n${quoted}`,
        });
      } catch (err) {
        ctx.deliveries.release(key);
        await safeNotify(ctx, notify, `Evidence not added. ${explainSlackError(slackErrorCode(err), channel.id)}`);
        return;
      }
      ctx.issues.recordEvidence(
        issue.id,
        {
          channelId: channel.id,
          messageTs: message.ts,
          sha256: sha256Hex(redacted.text),
          redactedSpans: redacted.spans,
        },
        { userId: user.id },
      );
      ctx.deliveries.complete(key, issue.id);
      // A pasted log also becomes a log of the issue (message-<ts>.txt), redacted like an uploaded file.
      let asLog = '';
      if (looksLikePastedLog(message.text)) {
        try {
          const name = await attachMessageAsLog(ctx, client, {
            teamId,
            channelId: channel.id,
            threadTs: bound.thread_ts,
            messageTs: message.ts,
            issueId: issue.id,
            userId: user.id,
            text: message.text,
          });
          if (name) asLog = `, and stored as log \`${name}\``;
        } catch (err) {
          ctx.logger.warn({ err_name: (err as Error)?.name, issue_id: issue.id }, 'message not stored as a log');
        }
      }
      await safeNotify(ctx, notify, `Added to issue \`${shortId(issue.id)}\` (redacted)${asLog}.`);
    },
  );
}
