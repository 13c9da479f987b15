import type { AckFn, RespondArguments } from '@slack/bolt';
import { IssueValidationError, validateNewIssue } from '../../../services/issues.js';
import { createIssueModal } from '../../blocks/create-modal.js';
import type { AppContext, Notify, WebClient } from '../../context.js';
import { createIssueInChannel, safeNotify } from '../../flows/create-issue.js';
import { explainSlackError, guarded, slackErrorCode } from '../../flows/errors.js';
import type { ParsedCommand } from '../../parse.js';
import type { CommandPayload } from '../payloads.js';

export function sourceOf(cmd: Pick<CommandPayload, 'channel_id' | 'channel_name'>): string {
  const name =
    cmd.channel_name && !['directmessage', 'privategroup'].includes(cmd.channel_name) ? ` #${cmd.channel_name}` : '';
  return `slack${name} (${cmd.channel_id})`;
}

/**
 * `/tftsr new <title> sev:x …` creates at once; `/tftsr new [title]` opens the modal. The modal is opened right after
 * the ack because trigger_id expires after 3 seconds.
 */
export async function handleNew(
  ctx: AppContext,
  args: {
    cmd: CommandPayload;
    parsed: Extract<ParsedCommand, { kind: 'new' }>;
    ack: AckFn<string | RespondArguments>;
    client: WebClient;
    notify: Notify;
  },
): Promise<void> {
  const { cmd, parsed, ack, client, notify } = args;
  if (!parsed.severity) {
    await ack();
    try {
      await client.views.open({
        trigger_id: cmd.trigger_id,
        view: createIssueModal({ c: cmd.channel_id }, { title: parsed.title }),
      });
    } catch (err) {
      const code = slackErrorCode(err);
      ctx.logger.warn({ slack_error: code, user_id: cmd.user_id }, 'views.open failed');
      await safeNotify(
        ctx,
        notify,
        code === 'expired_trigger_id'
          ? 'The form took too long to open; please run the command again.'
          : `I could not open the form. ${explainSlackError(code, cmd.channel_id)}`,
      );
    }
    return;
  }

  const input = {
    title: parsed.title,
    severity: parsed.severity,
    category: parsed.category ?? null,
    tags: parsed.tags,
    assigned_to: parsed.assignee ?? null,
    source: sourceOf(cmd),
  };
  try {
    validateNewIssue(input);
  } catch (err) {
    if (!(err instanceof IssueValidationError)) throw err;
    const problems = Object.entries(err.fields).map(([field, message]) => `• ${field}: ${message}`);
    await ack({ response_type: 'ephemeral', text: `Issue not created:\n${problems.join('\n')}` });
    return;
  }
  await ack();
  await guarded(ctx.logger, notify, 'command', () =>
    ctx.work.run(() =>
      createIssueInChannel(ctx, client, {
        teamId: cmd.team_id,
        channelId: cmd.channel_id,
        userId: cmd.user_id,
        input,
        // trigger_id is unique per invocation and repeated on a redelivery: the same command creates one issue.
        deliveryKey: `command:${cmd.team_id}:${cmd.user_id}:${cmd.trigger_id}`,
        notify,
      }),
    ),
  );
}
