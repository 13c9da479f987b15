import { issueDetailMessage, issueListMessage, searchResultsMessage } from '../../blocks/issue-lists.js';
import type { AppContext, Notify } from '../../context.js';
import type { ParsedCommand } from '../../parse.js';
import type { CommandPayload } from '../payloads.js';
import { answerTargetProblem } from './target.js';

type QueryCommand = Extract<ParsedCommand, { kind: 'list' | 'search' | 'show' }>;

/** `list`, `search`, `show`: read-only, answered ephemerally with links to the issue threads. */
export async function handleQuery(
  ctx: AppContext,
  args: { cmd: CommandPayload; parsed: QueryCommand; notify: Notify },
): Promise<void> {
  const { parsed, notify } = args;
  const render = ctx.render();
  const threads = (id: string) => ctx.issues.threadOf(id);
  if (parsed.kind === 'list') {
    const issues = ctx.issues.list({ scope: parsed.scope, ...(parsed.severity ? { severity: parsed.severity } : {}) });
    const scope =
      parsed.scope === 'active' ? 'Open issues' : parsed.scope === 'all' ? 'All issues' : `Issues ${parsed.scope}`;
    const heading = parsed.severity ? `${scope} (${parsed.severity})` : scope;
    await notify(issueListMessage(issues, heading, threads, render));
    return;
  }
  if (parsed.kind === 'search') {
    const hits = ctx.issues.search(parsed.words, 10);
    await notify(searchResultsMessage(parsed.words, hits, threads, render));
    return;
  }
  const target = ctx.issues.resolveTarget({
    fragment: parsed.fragment,
    teamId: args.cmd.team_id,
    channelId: args.cmd.channel_id,
  });
  if (target.kind !== 'found') {
    await answerTargetProblem(ctx, notify, target, `/tftsr show <id>`);
    return;
  }
  const detail = ctx.issues.detail(target.issue.id);
  if (!detail) return answerTargetProblem(ctx, notify, { kind: 'not_found', fragment: parsed.fragment }, '');
  await notify(issueDetailMessage(detail, ctx.issues.threadOf(target.issue.id), render));
}
