import type { Change } from '../../../services/issues.js';
import { type Issue, shortId } from '../../../store/index.js';
import type { AppContext, Notify, WebClient } from '../../context.js';
import { changeIssue } from '../../flows/update-issue.js';
import type { ParsedCommand } from '../../parse.js';
import { escapeMrkdwn } from '../../text.js';
import type { CommandPayload } from '../payloads.js';
import { answerTargetProblem } from './target.js';

type ChangeCommand = Extract<ParsedCommand, { kind: 'status' | 'assign' | 'severity' | 'tag' }>;

const USAGE: Record<ChangeCommand['kind'], string> = {
  status: '/tftsr status resolved <id>',
  assign: '/tftsr assign @user <id>',
  severity: '/tftsr severity high <id>',
  tag: '/tftsr tag <tag> id:<id>',
};

/** `status`, `assign`, `severity`, `tag` on the issue named by id, else the channel's single active issue. */
export async function handleChange(
  ctx: AppContext,
  args: { cmd: CommandPayload; parsed: ChangeCommand; client: WebClient; notify: Notify },
): Promise<void> {
  const { cmd, parsed, client, notify } = args;
  const target = ctx.issues.resolveTarget({
    fragment: parsed.fragment,
    teamId: cmd.team_id,
    channelId: cmd.channel_id,
  });
  if (target.kind !== 'found') {
    await answerTargetProblem(ctx, notify, target, USAGE[parsed.kind]);
    return;
  }
  await changeIssue(ctx, client, {
    ...describeChange(ctx, parsed, target.issue.id, cmd.user_id),
    issueId: target.issue.id,
    userId: cmd.user_id,
    notify,
  });
}

export function describeChange(
  ctx: AppContext,
  parsed: ChangeCommand,
  issueId: string,
  userId: string,
): { apply: () => Change; describe: (c: Change) => string; unchanged: (i: Issue) => string } {
  const actor = { userId };
  const id = (i: Issue) => `\`${shortId(i.id)}\``;
  switch (parsed.kind) {
    case 'status':
      return {
        apply: () => ctx.issues.changeStatus(issueId, parsed.status, actor),
        describe: (c) => `set status to *${c.after.status}* (was ${c.before.status})`,
        unchanged: (i) => `Issue ${id(i)} is already *${i.status}*.`,
      };
    case 'severity':
      return {
        apply: () => ctx.issues.setSeverity(issueId, parsed.severity, actor),
        describe: (c) => `changed severity to *${c.after.severity}* (was ${c.before.severity})`,
        unchanged: (i) => `Issue ${id(i)} is already *${i.severity}*.`,
      };
    case 'assign':
      return {
        apply: () => ctx.issues.assign(issueId, parsed.assignee, actor),
        describe: (c) =>
          c.after.assigned_to ? `assigned the issue to <@${c.after.assigned_to}>` : 'unassigned the issue',
        unchanged: (i) =>
          i.assigned_to
            ? `Issue ${id(i)} is already assigned to <@${i.assigned_to}>.`
            : `Issue ${id(i)} is unassigned.`,
      };
    case 'tag':
      return {
        apply: () => ctx.issues.changeTags(issueId, { add: parsed.add, remove: parsed.remove }, actor),
        describe: (c) =>
          `set tags to ${c.after.tags.map((t) => `\`${escapeMrkdwn(ctx.redact(t))}\``).join(' ') || '_none_'}`,
        unchanged: (i) => `Issue ${id(i)} already has those tags.`,
      };
  }
}
