import type { types } from '@slack/bolt';
import type { Issue } from '../../store/index.js';
import { shortId } from '../../store/index.js';
import { ACTION } from '../ids.js';
import { escapeMrkdwn, mention, SEVERITY_EMOJI, STATUS_EMOJI, truncate } from '../text.js';
import type { KnownBlock, RenderContext } from './common.js';

function button(text: string, actionId: string, issueId: string, style?: 'primary' | 'danger'): types.Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text },
    action_id: actionId,
    value: issueId,
    ...(style ? { style } : {}),
  };
}

/**
 * The issue card: the message whose thread is the issue. Its title is redacted like every other free text the app
 * shows, so the card reads the same when it is first posted and after every update.
 */
export function issueCard(issue: Issue, ctx: RenderContext): { text: string; blocks: KnownBlock[] } {
  const title = truncate(ctx.redact(issue.title), 150);
  const id = shortId(issue.id);
  const statusButtons: types.Button[] =
    issue.status === 'resolved' || issue.status === 'closed'
      ? [button('Reopen', ACTION.reopen, issue.id)]
      : [
          ...(issue.status === 'open' ? [button('Investigating', ACTION.investigate, issue.id)] : []),
          button('Resolve', ACTION.resolve, issue.id, 'primary'),
        ];
  if (issue.status !== 'closed') statusButtons.push(button('Close', ACTION.close, issue.id));
  const details = [
    `${SEVERITY_EMOJI[issue.severity]} *Severity:* ${issue.severity}`,
    `${STATUS_EMOJI[issue.status]} *Status:* ${issue.status}`,
    `*Assignee:* ${mention(issue.assigned_to)}`,
    `*ID:* \`${id}\``,
  ];
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: title || 'Untitled issue' } },
    { type: 'section', fields: details.map((text) => ({ type: 'mrkdwn', text })) },
  ];
  const meta: string[] = [];
  if (issue.category) meta.push(`*Category:* ${escapeMrkdwn(truncate(ctx.redact(issue.category), 100))}`);
  if (issue.tags.length > 0)
    meta.push(`*Tags:* ${issue.tags.map((t) => `\`${escapeMrkdwn(ctx.redact(t))}\``).join(' ')}`);
  if (issue.resolved_at) meta.push(`*Resolved:* ${issue.resolved_at} UTC`);
  if (meta.length > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: meta.join('  ·  ') }] });
  blocks.push({
    type: 'actions',
    block_id: 'tftsr.issue.actions',
    elements: [
      ...statusButtons,
      button('Start 5 Whys', ACTION.startWhys, issue.id),
      button('Generate RCA', ACTION.generateRca, issue.id),
      ...(issue.status === 'resolved' || issue.status === 'closed'
        ? [button('Postmortem', ACTION.generatePostmortem, issue.id)]
        : []),
    ],
  });
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `Reply in this thread to work on the issue · \`/tftsr show ${id}\`` }],
  });
  return {
    text: `${SEVERITY_EMOJI[issue.severity]} [${issue.severity}] ${escapeMrkdwn(title)} (${id}, ${issue.status})`,
    blocks,
  };
}
