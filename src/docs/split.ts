import { HEADINGS } from './sections.js';

/** Slack's `markdown` block takes up to 12,000 characters of standard Markdown. */
export const SLACK_MARKDOWN_BUDGET = 12_000;

const ELLIPSIS = '…';

/** A `## ` section of a rendered document, from its heading up to the next `## ` heading. */
function section(lines: string[], heading: string): string | undefined {
  const start = lines.indexOf(heading);
  if (start === -1) return undefined;
  let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  if (end === -1) end = lines.length;
  // A trailing `---` belongs to the footer, not to the section.
  const body = lines
    .slice(start, end)
    .join('\n')
    .replace(/\n+---[\s\S]*$/, '');
  return body.trim();
}

/**
 * Shortens Markdown to at most `max` characters, preferring a paragraph or line end, and never leaving half an
 * escape (`\` at the end would escape the ellipsis) or half a surrogate pair.
 */
export function truncateMarkdown(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= ELLIPSIS.length) return '';
  const room = max - ELLIPSIS.length - 1;
  let cut = text.slice(0, room);
  const lineEnd = cut.lastIndexOf('\n');
  // Cut at a line end if that keeps most of the text: table rows and paragraphs stay whole.
  if (lineEnd > room * 0.5) cut = cut.slice(0, lineEnd);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const trailingBackslashes = /\\+$/.exec(cut)?.[0].length ?? 0;
  if (trailingBackslashes % 2 === 1) cut = cut.slice(0, -1);
  cut = cut.trimEnd();
  return `${cut}\n${ELLIPSIS}`;
}

/**
 * What goes into the Slack message: the whole document when it fits the budget, otherwise a summary — title,
 * summary table, root cause — and a pointer to the attached file, always within the budget.
 */
export function splitForSlack(
  markdown: string,
  budget: number = SLACK_MARKDOWN_BUDGET,
): { inline: string; truncated: boolean } {
  if (markdown.length <= budget) return { inline: markdown, truncated: false };

  const lines = markdown.split('\n');
  const title = lines.find((l) => l.startsWith('# ')) ?? '';
  const summary = section(lines, HEADINGS.summary) ?? section(lines, HEADINGS.metadata) ?? '';
  const rootCause = section(lines, HEADINGS.rootCause) ?? '';
  const pointer =
    `_The full document (${markdown.length.toLocaleString('en-US')} characters) is too long for one message: ` +
    'it is in the attached Markdown file._';

  const join = (parts: string[]) => parts.filter((p) => p !== '').join('\n\n');
  const fits = (text: string) => text.length <= budget;

  const full = join([title, summary, rootCause, pointer]);
  if (fits(full)) return { inline: full, truncated: true };

  // Shorten the root cause first: the summary table is bounded and is what readers scan.
  const fixed = join([title, summary, pointer]);
  const roomForCause = budget - fixed.length - 4;
  if (roomForCause > 200 || (roomForCause > 0 && rootCause === '')) {
    return { inline: join([title, summary, truncateMarkdown(rootCause, roomForCause), pointer]), truncated: true };
  }
  const minimal = join([title, pointer]);
  const room = budget - minimal.length - 4;
  if (room > 0) return { inline: join([title, truncateMarkdown(rootCause, room), pointer]), truncated: true };
  return { inline: truncateMarkdown(minimal, budget), truncated: true };
}
