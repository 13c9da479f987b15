import { computeMetrics, type DocumentInput } from './input.js';
import { table } from './markdown.js';
import {
  footer,
  HEADINGS,
  idCell,
  logFilesTable,
  optionalBlock,
  optionalList,
  rootCauseText,
  safe,
  tagsCell,
  timelineTable,
  timestampCell,
  whysSection,
} from './sections.js';

export const RCA_TITLE_PREFIX = 'Root Cause Analysis: ';

/** The Root Cause Analysis document as Markdown. Pure: same input, same bytes. */
export function renderRca(input: DocumentInput): string {
  const s = safe(input);
  const { issue } = input.detail;
  const fields = input.fields;
  const metrics = computeMetrics(input);

  const summary = table(
    ['Field', 'Value'],
    [
      ['ID', idCell(issue.id)],
      ['Category', s.cell(issue.category)],
      ['Status', issue.status],
      ['Severity', issue.severity],
      ['Source', s.cell(issue.source)],
      ['Assignee', s.cell(issue.assigned_to)],
      ['Tags', tagsCell(input)],
      ['Created', timestampCell(issue.created_at)],
      ['Updated', timestampCell(issue.updated_at)],
      ['Resolved', timestampCell(issue.resolved_at)],
    ],
  );

  const metricsTable = table(
    ['Metric', 'Value'],
    [
      ['Duration', metrics.duration],
      ['Time to root cause', metrics.timeToRootCause],
      ['Whys answered', metrics.whysAnswered],
      ['Log files analysed', String(metrics.logFiles)],
      ['Spans redacted', String(metrics.spansRedacted)],
    ],
  );

  return [
    `# ${RCA_TITLE_PREFIX}${s.inline(issue.title)}`,
    HEADINGS.summary,
    summary,
    '## Description',
    optionalBlock(input, issue.description),
    '## Incident Timeline',
    timelineTable(input),
    '## Metrics',
    metricsTable,
    '## The 5 Whys',
    whysSection(input),
    HEADINGS.rootCause,
    rootCauseText(input),
    '## Log Files Analysed',
    logFilesTable(input),
    '## Corrective Actions',
    '### Immediate',
    optionalList(input, fields.corrective_actions_immediate),
    '### Long-term',
    optionalList(input, fields.corrective_actions_long_term),
    '## Lessons Learned',
    optionalList(input, fields.lessons_learned),
    footer(input),
  ]
    .join('\n\n')
    .concat('\n');
}
