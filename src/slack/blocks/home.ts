import { type Issue, SEVERITIES } from '../../store/index.js';
import { escapeMrkdwn, SEVERITY_EMOJI, truncate } from '../text.js';
import { context, type HomeView, type KnownBlock, type RenderContext, section } from './common.js';
import type { ThreadLookup } from './issue-lists.js';
import { issueListMessage } from './issue-lists.js';

export interface HomeData {
  userId: string;
  open: Issue[];
  mine: Issue[];
  recentRcas: { id: string; issue_id: string; title: string; updated_at: number }[];
}

/** App Home: open issues by severity, issues assigned to the viewer, recent RCAs. Max 100 blocks per view. */
export function homeView(data: HomeData, threads: ThreadLookup, ctx: RenderContext): HomeView {
  const blocks: KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: 'TFTSR — open issues' } }];
  if (data.open.length === 0) blocks.push(section('No open issues. :tada:'));
  for (const severity of SEVERITIES) {
    const issues = data.open.filter((i) => i.severity === severity);
    if (issues.length === 0) continue;
    const heading = `${SEVERITY_EMOJI[severity]} ${severity[0]!.toUpperCase()}${severity.slice(1)}`;
    blocks.push(...issueListMessage(issues, heading, threads, ctx).blocks.slice(0, 6));
  }
  blocks.push({ type: 'divider' });
  blocks.push({ type: 'header', text: { type: 'plain_text', text: 'Assigned to me' } });
  blocks.push(...issueListMessage(data.mine, 'Open issues assigned to you', threads, ctx).blocks.slice(0, 6));
  blocks.push({ type: 'divider' });
  blocks.push({ type: 'header', text: { type: 'plain_text', text: 'Recent RCAs' } });
  if (data.recentRcas.length === 0) {
    blocks.push(section('No RCA documents yet. Use *Generate RCA* on an issue card.'));
  } else {
    const lines = data.recentRcas.map(
      (d) =>
        `• *${escapeMrkdwn(truncate(ctx.redact(d.title), 120))}* — ${new Date(d.updated_at).toISOString().slice(0, 10)}`,
    );
    blocks.push(section(lines.join('\n')));
  }
  blocks.push(context('Create an issue with `/tftsr new` in any channel I am in.'));
  return { type: 'home', blocks: blocks.slice(0, 100) };
}
