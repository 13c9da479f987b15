import type { AckFn, RespondArguments } from '@slack/bolt';
import { AI_DISABLED_HELP, QUESTION_MAX } from '../../../ai/index.js';
import type { AppContext, Notify, WebClient } from '../../context.js';
import { askInThread, assistantOf } from '../../flows/ask.js';
import { guarded } from '../../flows/errors.js';
import type { CommandPayload } from '../payloads.js';
import { answerTargetProblem } from './target.js';
import { unescapeCommandText } from './whys.js';

export const ASK_USAGE = '/tftsr ask [id:<id>] <question>';
const ID_TOKEN = /^id:([0-9a-f]{4,8}|[0-9a-f]{8}-[0-9a-f-]{4,27})$/i;

/** `ask [id:<id>] <question…>` → the question and the optional id fragment (first or last word, `id:` prefixed). */
export function parseAsk(text: string): { question: string; fragment?: string } {
  const words = unescapeCommandText(text).trim().split(/\s+/).slice(1);
  let fragment: string | undefined;
  for (const index of [0, words.length - 1]) {
    const m = words.length > 0 && !fragment ? ID_TOKEN.exec(words[index] ?? '') : null;
    if (m) {
      fragment = m[1];
      words.splice(index, 1);
    }
  }
  return { question: words.join(' ').trim(), ...(fragment ? { fragment } : {}) };
}

/**
 * `/tftsr ask <question>`: the assistant answers in the issue's thread from redacted context. Without a configured
 * provider, the person gets AI_DISABLED_HELP (ephemeral); pure answers go in the ack.
 */
export async function handleAskCommand(
  ctx: AppContext,
  args: { cmd: CommandPayload; ack: AckFn<string | RespondArguments>; client: WebClient; notify: Notify },
): Promise<void> {
  const { cmd, ack, client, notify } = args;
  if (!assistantOf(ctx)) {
    await ack({ response_type: 'ephemeral', text: AI_DISABLED_HELP });
    return;
  }
  const { question, fragment } = parseAsk(cmd.text);
  if (!question) {
    await ack({ response_type: 'ephemeral', text: `Usage: \`${ASK_USAGE}\`, e.g. \`/tftsr ask why did DNS fail?\`` });
    return;
  }
  if (question.length > QUESTION_MAX) {
    await ack({
      response_type: 'ephemeral',
      text: `The question is too long (${question.length} characters; at most ${QUESTION_MAX}).`,
    });
    return;
  }
  await ack();
  // Not on the work queue: the provider call mostly waits, and must not hold a slot others need.
  await guarded(ctx.logger, notify, 'question', async () => {
    {
      const target = ctx.issues.resolveTarget({ fragment, teamId: cmd.team_id, channelId: cmd.channel_id });
      if (target.kind !== 'found') {
        await answerTargetProblem(ctx, notify, target, ASK_USAGE);
        return;
      }
      const thread = ctx.issues.threadOf(target.issue.id);
      if (!thread || thread.team_id !== cmd.team_id) {
        await notify({ text: 'That issue has no thread in this workspace, so there is nowhere to post the answer.' });
        return;
      }
      await askInThread(ctx, client, { issue: target.issue, thread, userId: cmd.user_id, question, notify });
    }
  });
}
