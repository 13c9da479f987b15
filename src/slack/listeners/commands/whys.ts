import type { AckFn, RespondArguments } from '@slack/bolt';
import type { AppContext, Notify, WebClient } from '../../context.js';
import { guarded } from '../../flows/errors.js';
import { openWhys } from '../../flows/whys.js';
import type { CommandPayload } from '../payloads.js';
import { answerTargetProblem } from './target.js';

const ID_FRAGMENT = /^(?:id:)?([0-9a-f]{4,8}|[0-9a-f]{8}-[0-9a-f-]{4,27})$/i;
export const WHYS_USAGE = '/tftsr whys [id]';

/** The first word of the command text, lowercased: the subcommand. */
export function subcommandOf(text: string): string {
  return (text.trim().split(/\s+/)[0] ?? '').toLowerCase();
}

/** Slack escapes `&`, `<`, `>` in command text. */
export function unescapeCommandText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** `/tftsr whys [id]`: opens the 5-Whys modal for the issue named by id, else the channel's single active issue. */
export async function handleWhysCommand(
  ctx: AppContext,
  args: { cmd: CommandPayload; ack: AckFn<string | RespondArguments>; client: WebClient; notify: Notify },
): Promise<void> {
  const { cmd, ack, client, notify } = args;
  const rest = unescapeCommandText(cmd.text).trim().split(/\s+/).slice(1);
  const fragment = rest.length === 1 ? ID_FRAGMENT.exec(rest[0]!)?.[1] : undefined;
  if (rest.length > 1 || (rest.length === 1 && !fragment)) {
    await ack({ response_type: 'ephemeral', text: `Usage: \`${WHYS_USAGE}\` — the 8-character id on the issue card.` });
    return;
  }
  await ack();
  // No work queue: trigger_id expires 3 s after the command.
  await guarded(ctx.logger, notify, 'command', async () => {
    const target = ctx.issues.resolveTarget({ fragment, teamId: cmd.team_id, channelId: cmd.channel_id });
    if (target.kind !== 'found') {
      await answerTargetProblem(ctx, notify, target, WHYS_USAGE);
      return;
    }
    await openWhys(ctx, client, {
      issueId: target.issue.id,
      teamId: cmd.team_id,
      userId: cmd.user_id,
      triggerId: cmd.trigger_id,
      notify,
    });
  });
}
