import { type Duration, formatDuration } from 'date-fns';
import type { AuditEntry, IssueDetail, LogFile, ResolutionStep } from '../store/schemas.js';
import { SEVERITIES, STATUSES } from '../store/schemas.js';
import type { OptionalDocFields } from './fields.js';

/** Replaces personal data in a text with placeholders. Renderers never see the redaction engine itself. */
export type Redact = (text: string) => string;

/** Everything a document is rendered from. Renderers are pure functions of this. */
export interface DocumentInput {
  detail: IssueDetail;
  /** The issue's audit entries and those of its log files, in any order. */
  audit: AuditEntry[];
  /** Redacted spans per type, keyed by log file id. */
  spanCounts: Record<string, Record<string, number>>;
  fields: OptionalDocFields;
  /** Injected, so the same data renders the same bytes. */
  generatedAt: Date;
  /** Required: there is no renderer path that skips redaction. */
  redact: Redact;
}

/**
 * Seed TEXT timestamps ('YYYY-MM-DD HH:MM:SS', UTC) and audit timestamps share this format; an ISO string with a
 * zone (a row written by another tool) is taken as it is. Unparseable values give an invalid Date, which the
 * formatters below print as unknown rather than throw: one odd legacy row must not block a document.
 */
export function parseTimestamp(value: string): Date {
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(value);
  return new Date(hasZone ? value : `${value.replace(' ', 'T')}Z`);
}

/** UTC regardless of the machine's zone: documents are read across time zones. */
export function formatUtc(date: Date): string {
  if (Number.isNaN(date.getTime())) return 'unknown time';
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * A human duration. Built from the elapsed milliseconds rather than date-fns' calendar intervals, which count in
 * the local zone and would shift by an hour across a DST change.
 */
export function formatElapsed(from: Date, to: Date): string {
  const elapsedMs = to.getTime() - from.getTime();
  if (Number.isNaN(elapsedMs)) return 'unknown';
  const totalSeconds = Math.max(0, Math.floor(elapsedMs / 1000));
  if (totalSeconds < 60) return 'under a minute';
  const duration: Duration = {
    days: Math.floor(totalSeconds / 86_400),
    hours: Math.floor((totalSeconds % 86_400) / 3600),
    minutes: Math.floor((totalSeconds % 3600) / 60),
  };
  return formatDuration(duration, { format: ['days', 'hours', 'minutes'] });
}

export function formatBytes(bytes: number | null): string {
  if (bytes == null) return 'unknown';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function parseDetails(entry: AuditEntry): Record<string, unknown> {
  if (!entry.details) return {};
  try {
    const parsed: unknown = JSON.parse(entry.details);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function oneOf<T extends string>(values: readonly T[], value: unknown): T | undefined {
  return typeof value === 'string' && (values as readonly string[]).includes(value) ? (value as T) : undefined;
}

/**
 * One timeline event. `text` is Markdown we wrote, except `subject`, which is user text (a file name) that the
 * renderer redacts and escapes.
 */
export interface TimelineEvent {
  at: Date;
  text: string;
  subject?: string;
}

// Audit actions that are not part of the incident's story: documents about the incident, AI calls, downloads, and
// actions already told from the rows themselves (creation, log upload, whys).
const AUDIT_NOT_IN_TIMELINE = new Set([
  'issue_create',
  'issue_update',
  'log_attach',
  'why_step_saved',
  'doc_generate',
  'doc_post',
  'ai_send',
  'redacted_download',
  'db_rekey',
  'db_migrate',
]);

/**
 * The incident timeline: creation, log files, whys from the rows; status and severity changes, root cause,
 * reviews and edits from the audit log. Audit details are read only for enum values, never echoed as text.
 */
export function buildTimeline(input: DocumentInput): TimelineEvent[] {
  const { issue, log_files, resolution_steps } = input.detail;
  const events: TimelineEvent[] = [];
  events.push({ at: parseTimestamp(issue.created_at), text: `Issue opened (severity ${initialSeverity(input)})` });
  for (const log of log_files) {
    events.push({ at: parseTimestamp(log.uploaded_at), text: 'Log file attached:', subject: log.file_name });
  }
  for (const step of resolution_steps) {
    events.push({ at: parseTimestamp(step.created_at), text: `Why ${step.step_order} recorded` });
  }

  const logsById = new Map(log_files.map((l) => [l.id, l]));
  const audit = [...input.audit].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0) || a.timestamp.localeCompare(b.timestamp));
  let sawStatusChange = false;
  for (const entry of audit) {
    if (AUDIT_NOT_IN_TIMELINE.has(entry.action)) continue;
    const at = parseTimestamp(entry.timestamp);
    const d = parseDetails(entry);
    switch (entry.action) {
      case 'status_change': {
        sawStatusChange = true;
        const from = oneOf(STATUSES, d.from);
        const to = oneOf(STATUSES, d.to);
        events.push({ at, text: to ? `Status changed${from ? ` from ${from}` : ''} to ${to}` : 'Status changed' });
        break;
      }
      case 'severity_change': {
        const from = oneOf(SEVERITIES, d.from);
        const to = oneOf(SEVERITIES, d.to);
        events.push({ at, text: to ? `Severity changed${from ? ` from ${from}` : ''} to ${to}` : 'Severity changed' });
        break;
      }
      case 'root_cause_identified': {
        const step = typeof d.step_order === 'number' ? ` (why ${d.step_order})` : '';
        events.push({ at, text: `Root cause identified${step}` });
        break;
      }
      case 'redaction_review': {
        const log = logsById.get(entry.entity_id);
        events.push(
          log ? { at, text: 'Redactions reviewed:', subject: log.file_name } : { at, text: 'Redactions reviewed' },
        );
        break;
      }
      case 'evidence_add':
        events.push({ at, text: 'Evidence added' });
        break;
      case 'assign':
        events.push({ at, text: 'Assignee changed' });
        break;
      case 'tag':
        events.push({ at, text: 'Tags changed' });
        break;
      default:
        // An action added later: show that something happened rather than drop it, by its enum name only.
        events.push({ at, text: `Recorded: ${entry.action.replace(/[^a-z0-9_]/gi, '')}` });
    }
  }
  // Databases from before the audit chain (or changed outside it) still show when the issue was resolved.
  if (!sawStatusChange && issue.resolved_at) {
    events.push({
      at: parseTimestamp(issue.resolved_at),
      text: `Issue ${issue.status === 'closed' ? 'closed' : 'resolved'}`,
    });
  }
  // Stable: events at the same second keep the order above (opened, logs, whys, then audit order); unknown times
  // go last.
  const time = (d: Date) => (Number.isNaN(d.getTime()) ? Number.MAX_SAFE_INTEGER : d.getTime());
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => time(a.e.at) - time(b.e.at) || a.i - b.i)
    .map((x) => x.e);
}

/** The severity at opening: the issue row holds only the current one, the audit log remembers the first. */
function initialSeverity(input: DocumentInput): string {
  const bySeq = [...input.audit].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  const created = bySeq.find((e) => e.action === 'issue_create');
  const fromCreate = created && oneOf(SEVERITIES, parseDetails(created).severity);
  if (fromCreate) return fromCreate;
  const firstChange = bySeq.find((e) => e.action === 'severity_change');
  return (firstChange && oneOf(SEVERITIES, parseDetails(firstChange).from)) ?? input.detail.issue.severity;
}

/**
 * The root cause: the why named by the latest `root_cause_identified` entry, else the deepest answered why (the
 * 5 Whys method ends at the answer that has no further why).
 */
export function findRootCause(input: DocumentInput): { step: ResolutionStep; identifiedAt: Date } | undefined {
  const steps = input.detail.resolution_steps.filter((s) => s.answer && s.answer.trim() !== '');
  const identified = input.audit
    .filter((e) => e.action === 'root_cause_identified')
    .sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0) || a.timestamp.localeCompare(b.timestamp))
    .at(-1);
  if (identified) {
    const d = parseDetails(identified);
    const named = steps.find((s) => s.step_order === d.step_order);
    const step = named ?? steps.at(-1);
    if (step) return { step, identifiedAt: parseTimestamp(identified.timestamp) };
  }
  const deepest = steps.at(-1);
  return deepest ? { step: deepest, identifiedAt: parseTimestamp(deepest.created_at) } : undefined;
}

export interface Metrics {
  /** For tables: the elapsed time, marked "so far" while the issue is not resolved. */
  duration: string;
  /** The elapsed time alone, for prose. */
  elapsed: string;
  resolved: boolean;
  timeToRootCause: string;
  whysAnswered: string;
  logFiles: number;
  spansRedacted: number;
}

export function computeMetrics(input: DocumentInput): Metrics {
  const { issue, resolution_steps, log_files } = input.detail;
  const created = parseTimestamp(issue.created_at);
  const elapsed = formatElapsed(created, issue.resolved_at ? parseTimestamp(issue.resolved_at) : input.generatedAt);
  const duration = issue.resolved_at
    ? elapsed
    : `${elapsed} so far (${issue.status} at ${formatUtc(input.generatedAt)})`;
  const root = findRootCause(input);
  const answered = resolution_steps.filter((s) => s.answer && s.answer.trim() !== '').length;
  return {
    duration,
    elapsed,
    resolved: issue.resolved_at !== null,
    timeToRootCause: root ? formatElapsed(created, root.identifiedAt) : 'not yet identified',
    whysAnswered: `${answered} of 5`,
    logFiles: log_files.length,
    spansRedacted: log_files.reduce((sum, l) => sum + totalSpans(input, l), 0),
  };
}

export function totalSpans(input: DocumentInput, log: LogFile): number {
  return Object.values(input.spanCounts[log.id] ?? {}).reduce((a, b) => a + b, 0);
}
