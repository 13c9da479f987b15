import type { IssueDetail, IssueSearchHit } from '../../store/index.js';
import { type Issue, shortId } from '../../store/index.js';
import { escapeMrkdwn, mention, SEVERITY_EMOJI, STATUS_EMOJI, truncate } from '../text.js';
import {
  context,
  issueRef,
  type KnownBlock,
  type RenderContext,
  safeTitle,
  section,
  type ThreadRef,
} from './common.js';

export type ThreadLookup = (issueId: string) => ThreadRef | undefined;

export interface Rendered {
  text: string;
  blocks: KnownBlock[];
}

function issueLine(issue: Issue, threads: ThreadLookup, ctx: RenderContext): string {
  return [
    `${SEVERITY_EMOJI[issue.severity]} ${issueRef(issue, threads(issue.id), ctx)}`,
    `*${safeTitle(issue, ctx, 120)}*`,
    `${STATUS_EMOJI[issue.status]} ${issue.status}`,
    mention(issue.assigned_to, ''),
  ]
    .filter(Boolean)
    .join('  ');
}

/** Slack renders about 12,000 characters of text per message: lists stop short of that and say how many are left. */
const MESSAGE_TEXT_BUDGET = 10_000;

function linesToBlocks(lines: string[]): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let chunk: string[] = [];
  let size = 0;
  let total = 0;
  for (const [index, line] of lines.entries()) {
    if (total + line.length > MESSAGE_TEXT_BUDGET) {
      chunk.push(`…and ${lines.length - index} more`);
      break;
    }
    if (size + line.length > 2800 && chunk.length > 0) {
      blocks.push(section(chunk.join('\n')));
      chunk = [];
      size = 0;
    }
    chunk.push(line);
    size += line.length + 1;
    total += line.length + 1;
  }
  if (chunk.length > 0) blocks.push(section(chunk.join('\n')));
  return blocks;
}

export function issueListMessage(
  issues: Issue[],
  heading: string,
  threads: ThreadLookup,
  ctx: RenderContext,
): Rendered {
  if (issues.length === 0) {
    return { text: `${heading}: none.`, blocks: [section(`*${heading}:* none.`)] };
  }
  return {
    text: `${heading}: ${issues.length}`,
    blocks: [
      section(`*${heading}* (${issues.length})`),
      ...linesToBlocks(issues.map((i) => issueLine(i, threads, ctx))),
    ],
  };
}

/** Bolds the searched words in an already redacted and escaped snippet. */
function highlight(escaped: string, words: string): string {
  const tokens = (words.match(/[\p{L}\p{N}_]+/gu) ?? []).filter((t) => t.length > 1).slice(0, 10);
  if (tokens.length === 0) return escaped;
  const pattern = new RegExp(`(${tokens.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`, 'giu');
  return escaped.replace(pattern, '*$1*');
}

export function searchResultsMessage(
  words: string,
  hits: IssueSearchHit[],
  threads: ThreadLookup,
  ctx: RenderContext,
): Rendered {
  const shownQuery = escapeMrkdwn(truncate(words, 80));
  if (hits.length === 0) {
    return { text: `No issues match “${shownQuery}”.`, blocks: [section(`No issues match “${shownQuery}”.`)] };
  }
  // Snippets are redacted first, then escaped, then highlighted: markers never split a value the redactor must see.
  const lines = hits.map(({ issue, snippet }) => {
    const safeSnippet = highlight(escapeMrkdwn(truncate(ctx.redact(snippet), 300)), words);
    return `${issueLine(issue, threads, ctx)}\n>${safeSnippet.replace(/\n/g, ' ')}`;
  });
  return {
    text: `${hits.length} issue(s) match “${shownQuery}”`,
    blocks: [section(`*Search:* “${shownQuery}” — ${hits.length} result(s)`), ...linesToBlocks(lines)],
  };
}

export function issueDetailMessage(detail: IssueDetail, thread: ThreadRef | undefined, ctx: RenderContext): Rendered {
  const { issue } = detail;
  const blocks: KnownBlock[] = [
    section(`${SEVERITY_EMOJI[issue.severity]} *${safeTitle(issue, ctx)}*  ${issueRef(issue, thread, ctx)}`),
    {
      type: 'section',
      fields: [
        `*Severity:* ${issue.severity}`,
        `*Status:* ${STATUS_EMOJI[issue.status]} ${issue.status}`,
        `*Assignee:* ${mention(issue.assigned_to)}`,
        `*Category:* ${issue.category ? escapeMrkdwn(truncate(ctx.redact(issue.category), 100)) : '—'}`,
        `*Created:* ${issue.created_at} UTC`,
        `*Resolved:* ${issue.resolved_at ? `${issue.resolved_at} UTC` : '—'}`,
      ].map((text) => ({ type: 'mrkdwn' as const, text })),
    },
  ];
  if (issue.description) {
    blocks.push(section(`*Description*\n${escapeMrkdwn(truncate(ctx.redact(issue.description), 2500))}`));
  }
  const facts = [
    issue.tags.length ? `Tags: ${issue.tags.map((t) => `\`${escapeMrkdwn(ctx.redact(t))}\``).join(' ')}` : '',
    `Logs: ${detail.log_files.length}`,
    `5 Whys steps: ${detail.resolution_steps.length}`,
    `ID: \`${issue.id}\``,
  ].filter(Boolean);
  blocks.push(context(facts.join('  ·  ')));
  return { text: `Issue ${shortId(issue.id)}: ${safeTitle(issue, ctx)}`, blocks };
}

/** Several issues could be meant: ask for the id. */
export function ambiguousMessage(issues: Issue[], threads: ThreadLookup, ctx: RenderContext, hint: string): Rendered {
  const lines = issues.map((i) => issueLine(i, threads, ctx));
  return {
    text: `Several issues match; add the id. ${hint}`,
    blocks: [section(`Several issues match — add the id, e.g. \`${hint}\`:`), ...linesToBlocks(lines)],
  };
}
