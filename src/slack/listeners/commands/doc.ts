import type { AckFn, RespondArguments, RespondFn } from '@slack/bolt';
import type { DocType } from '../../../store/index.js';
import type { AppContext, WebClient } from '../../context.js';
import { safeNotify } from '../../flows/create-issue.js';
import { docTarget, docTargetProblem, openDocModal } from '../../flows/doc-post.js';
import { guarded } from '../../flows/errors.js';
import type { CommandPayload } from '../payloads.js';
import { ephemeralNotify } from '../respond.js';
import { answerTargetProblem } from './target.js';

export type DocCommand = { kind: 'doc'; docType: DocType; fragment?: string } | { kind: 'error'; message: string };

const DOC_SUBCOMMANDS: Record<string, DocType> = {
  rca: 'rca',
  postmortem: 'postmortem',
  'post-mortem': 'postmortem',
  pm: 'postmortem',
};
const ID_FRAGMENT = /^(?:id:)?([0-9a-f]{4,8}|[0-9a-f]{8}-[0-9a-f-]{4,27})$/i;

/** `/tftsr rca [id]`, `/tftsr postmortem [id]`; undefined for every other subcommand. Pure. */
export function parseDocCommand(raw: string): DocCommand | undefined {
  const [head = '', ...rest] = raw.trim().split(/\s+/);
  const docType = DOC_SUBCOMMANDS[head.toLowerCase()];
  if (!docType) return undefined;
  if (rest.length === 0) return { kind: 'doc', docType };
  const fragment = rest.length === 1 ? ID_FRAGMENT.exec(rest[0]!)?.[1] : undefined;
  return fragment
    ? { kind: 'doc', docType, fragment }
    : { kind: 'error', message: `Usage: \`/tftsr ${docType} [id]\` — the 8-character id on the issue card.` };
}

/**
 * Opens the document modal for the issue named by id, else the channel's single active issue. Pure answers go in
 * the ack; the modal opens right after it (trigger_id lives 3 seconds).
 */
export async function handleDocCommand(
  ctx: AppContext,
  args: {
    cmd: CommandPayload;
    parsed: DocCommand;
    ack: AckFn<string | RespondArguments>;
    respond: RespondFn;
    client: WebClient;
  },
): Promise<void> {
  const { cmd, parsed, ack, respond, client } = args;
  if (parsed.kind === 'error') {
    await ack({ response_type: 'ephemeral', text: parsed.message });
    return;
  }
  await ack();
  const notify = ephemeralNotify(respond, { withBlocks: true });
  await guarded(ctx.logger, notify, 'command', async () => {
    const found = ctx.issues.resolveTarget({
      fragment: parsed.fragment,
      teamId: cmd.team_id,
      channelId: cmd.channel_id,
    });
    if (found.kind !== 'found') {
      await answerTargetProblem(ctx, notify, found, `/tftsr ${parsed.docType} <id>`);
      return;
    }
    const target = docTarget(ctx, found.issue.id, cmd.team_id);
    if (target.status !== 'ok') {
      await safeNotify(ctx, notify, docTargetProblem(target));
      return;
    }
    await openDocModal(ctx, client, {
      triggerId: cmd.trigger_id,
      issueId: target.issue.id,
      docType: parsed.docType,
      notify,
      userId: cmd.user_id,
    });
  });
}
