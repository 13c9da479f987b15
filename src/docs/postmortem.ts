import type { ActionItem } from './fields.js';
import { computeMetrics, type DocumentInput, findRootCause, formatUtc, parseTimestamp } from './input.js';
import { table } from './markdown.js';
import {
  footer,
  HEADINGS,
  idCell,
  optionalBlock,
  optionalList,
  rootCauseText,
  safe,
  tagsCell,
  timelineTable,
  timestampCell,
  whysSection,
} from './sections.js';

export const POSTMORTEM_TITLE_PREFIX = 'Postmortem: ';

const PRIORITY_ORDER: Record<ActionItem['priority'], number> = { high: 0, medium: 1, low: 2 };
const STATUS_LABEL: Record<ActionItem['status'], string> = { open: 'open', in_progress: 'in progress', done: 'done' };

function executiveSummary(input: DocumentInput): string {
  const s = safe(input);
  const { issue, log_files } = input.detail;
  const metrics = computeMetrics(input);
  const category = issue.category ? ` (category ${s.inline(issue.category)})` : '';
  const sentences = [
    `A ${issue.severity}-severity incident${category} was opened on ${formatUtc(parseTimestamp(issue.created_at))}.`,
    metrics.resolved
      ? `It was ${issue.status === 'closed' ? 'closed' : 'resolved'} on ${formatUtc(parseTimestamp(issue.resolved_at ?? ''))}, after ${metrics.elapsed}.`
      : `It is still ${issue.status}, ${metrics.elapsed} later (as of ${formatUtc(input.generatedAt)}).`,
    findRootCause(input)
      ? `The root cause was identified ${metrics.timeToRootCause} after the incident was opened.`
      : 'The root cause has not been identified yet.',
    log_files.length === 0
      ? 'No log files were analysed.'
      : `${log_files.length} log file${log_files.length === 1 ? ' was' : 's were'} analysed.`,
  ];
  const description = issue.description?.trim() ? `\n\n${s.block(issue.description)}` : '';
  return sentences.join(' ') + description;
}

function actionItemsTable(input: DocumentInput): string {
  const s = safe(input);
  const items = [...input.fields.action_items]
    .map((item, i) => ({ item, i }))
    // Highest priority first; the order people typed them breaks ties.
    .sort((a, b) => PRIORITY_ORDER[a.item.priority] - PRIORITY_ORDER[b.item.priority] || a.i - b.i)
    .map(({ item }) => item);
  if (items.length === 0) return '_No action items recorded._';
  return table(
    ['Priority', 'Action', 'Owner', 'Due', 'Status'],
    items.map((item) => [
      item.priority,
      s.cell(item.action),
      s.cell(item.owner),
      item.due ?? '—',
      STATUS_LABEL[item.status],
    ]),
  );
}

/**
 * The blameless postmortem as Markdown. Blameless: it names no one for what happened — the assignee and the people
 * behind audit entries are left out; only action items carry owners, for what comes next. Pure.
 */
export function renderPostmortem(input: DocumentInput): string {
  const s = safe(input);
  const { issue } = input.detail;
  const fields = input.fields;
  const metrics = computeMetrics(input);

  const metadata = table(
    ['Field', 'Value'],
    [
      ['ID', idCell(issue.id)],
      ['Severity', issue.severity],
      ['Status', issue.status],
      ['Category', s.cell(issue.category)],
      ['Source', s.cell(issue.source)],
      ['Tags', tagsCell(input)],
      ['Started', timestampCell(issue.created_at)],
      ['Resolved', timestampCell(issue.resolved_at)],
      ['Duration', metrics.duration],
      ['Time to root cause', metrics.timeToRootCause],
    ],
  );

  return [
    `# ${POSTMORTEM_TITLE_PREFIX}${s.inline(issue.title)}`,
    '_A blameless postmortem: it looks at systems and processes, not at individuals._',
    HEADINGS.metadata,
    metadata,
    '## Executive Summary',
    executiveSummary(input),
    '## Impact',
    optionalBlock(input, fields.impact),
    '## Timeline',
    timelineTable(input),
    HEADINGS.rootCause,
    rootCauseText(input),
    '## The 5 Whys',
    whysSection(input),
    '## Contributing Factors',
    optionalList(input, fields.contributing_factors),
    '## What Went Well',
    optionalList(input, fields.what_went_well),
    '## What Could Be Improved',
    optionalList(input, fields.what_could_be_improved),
    '## Action Items',
    actionItemsTable(input),
    footer(input),
  ]
    .join('\n\n')
    .concat('\n');
}
