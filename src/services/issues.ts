import { z } from 'zod';
import {
  buildNewIssue,
  type Issue,
  type IssueSearchHit,
  NewIssueSchema,
  newId,
  type Severity,
  SeveritySchema,
  type Status,
  StatusSchema,
  type Store,
  shortId,
} from '../store/index.js';

/** Who did it: the Slack user id (or `local` for the CLI). Goes into every audit entry. */
export interface Actor {
  userId: string;
}

/** Where an issue lives in Slack, when it does. Kept as plain ids so this service stays Slack-free. */
export interface ThreadBinding {
  team_id: string;
  channel_id: string;
  thread_ts?: string | null;
}

export const CreateIssueInputSchema = NewIssueSchema;
export type CreateIssueInput = z.input<typeof CreateIssueInputSchema>;

/** A user-facing validation failure: field → message, ready for a modal's `errors` or an ephemeral answer. */
export class IssueValidationError extends Error {
  override readonly name = 'IssueValidationError';
  constructor(readonly fields: Record<string, string>) {
    super(
      Object.entries(fields)
        .map(([f, m]) => `${f}: ${m}`)
        .join('; '),
    );
  }
}

/** Validates raw input (a form, a parsed command) into a new issue, or throws IssueValidationError. */
export function validateNewIssue(input: unknown): z.output<typeof NewIssueSchema> {
  const parsed = CreateIssueInputSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? 'input');
    fields[field] ??= issue.message;
  }
  throw new IssueValidationError(fields);
}

/** Another delivery of the same request already created its issue (possibly in another process). */
export class DuplicateDeliveryError extends Error {
  override readonly name = 'DuplicateDeliveryError';
  constructor(
    readonly deliveryKey: string,
    readonly existingId: string | null,
  ) {
    super('this delivery was already processed');
  }
}

/** A Slack message attached as evidence: where it is and the SHA-256 of the redacted text shown, never the text. */
export interface EvidenceRef {
  channelId: string;
  messageTs: string;
  sha256: string;
  redactedSpans: number | null;
}

export type IssueTarget =
  | { kind: 'found'; issue: Issue }
  | { kind: 'not_found'; fragment: string }
  | { kind: 'ambiguous'; issues: Issue[] }
  | { kind: 'none_active' };

export interface Change<T = Issue> {
  before: T;
  after: T;
  changed: boolean;
}

const ACTIVE: Status[] = ['open', 'investigating'];

/**
 * The issue use-cases the Slack listeners (and the CLI) share. Each state change is one transaction that also writes
 * its audit entry, so a change and its record land together or not at all.
 */
export class IssueService {
  constructor(readonly store: Store) {}

  /**
   * Creates an issue (status open) with its audit entry, optionally bound to a Slack thread, in one transaction.
   * `deliveryKey` records the issue as what that delivery produced, in the same transaction, so a retry finds it;
   * if the key is already recorded, nothing is written and DuplicateDeliveryError is thrown. `id` comes from draft().
   */
  create(
    input: CreateIssueInput,
    actor: Actor,
    options: { id?: string; binding?: ThreadBinding; deliveryKey?: string; evidence?: EvidenceRef } = {},
  ): Issue {
    const data = validateNewIssue(input);
    return this.store.transaction(() => {
      if (options.deliveryKey && !this.store.slackEvents.claim(options.deliveryKey, 'create')) {
        const existing = this.store.slackEvents.get(options.deliveryKey)?.entity_id ?? null;
        throw new DuplicateDeliveryError(options.deliveryKey, existing);
      }
      const issue = options.id ? this.store.issues.createWithId(options.id, data) : this.store.issues.create(data);
      if (options.binding) {
        this.store.slackThreads.bind({
          issue_id: issue.id,
          team_id: options.binding.team_id,
          channel_id: options.binding.channel_id,
          thread_ts: options.binding.thread_ts ?? null,
          created_by: actor.userId,
        });
      }
      this.store.audit.append({
        action: 'issue_create',
        entity_type: 'issue',
        entity_id: issue.id,
        user_id: actor.userId,
        details: {
          severity: issue.severity,
          tags: issue.tags.length,
          assigned: issue.assigned_to !== null,
          channel_id: options.binding?.channel_id ?? null,
        },
      });
      if (options.evidence) this.recordEvidence(issue.id, options.evidence, actor);
      if (options.deliveryKey) this.store.slackEvents.setEntity(options.deliveryKey, issue.id);
      return issue;
    });
  }

  /** The issue as create() will store it, with a fresh id: to render its card before the row exists. */
  draft(input: CreateIssueInput, now: Date = new Date()): Issue {
    return buildNewIssue(newId(), validateNewIssue(input), now);
  }

  get(id: string): Issue | undefined {
    return this.store.issues.get(id);
  }

  /**
   * Which issue a thread-less command means: the explicit id fragment, else the channel's single active issue.
   */
  resolveTarget(query: {
    fragment?: string | undefined;
    teamId: string;
    channelId: string;
    threadTs?: string;
  }): IssueTarget {
    if (query.fragment) {
      const matches = this.store.issues.findByIdFragment(query.fragment, 6);
      if (matches.length === 0) return { kind: 'not_found', fragment: query.fragment };
      if (matches.length > 1) return { kind: 'ambiguous', issues: matches };
      return { kind: 'found', issue: matches[0]! };
    }
    if (query.threadTs) {
      const bound = this.store.slackThreads.findByThread(query.teamId, query.channelId, query.threadTs);
      const issue = bound ? this.store.issues.get(bound.issue_id) : undefined;
      if (issue) return { kind: 'found', issue };
    }
    const active = this.store.slackThreads.findActiveInChannel(query.teamId, query.channelId);
    if (active.length === 0) return { kind: 'none_active' };
    const issues = active.slice(0, 10).flatMap((id) => this.store.issues.get(id) ?? []);
    if (issues.length === 1) return { kind: 'found', issue: issues[0]! };
    return { kind: 'ambiguous', issues };
  }

  changeStatus(issueId: string, status: Status, actor: Actor): Change {
    const next = StatusSchema.parse(status);
    return this.store.transaction(() => {
      const current = this.store.issues.require(issueId);
      if (current.status === next) return { before: current, after: current, changed: false };
      const { before, after } = this.store.issues.updateStatus(issueId, next);
      this.store.audit.append({
        action: 'status_change',
        entity_type: 'issue',
        entity_id: issueId,
        user_id: actor.userId,
        details: { from: before.status, to: after.status },
      });
      return { before, after, changed: true };
    });
  }

  setSeverity(issueId: string, severity: Severity, actor: Actor): Change {
    return this.changeField(issueId, 'severity', SeveritySchema.parse(severity), 'severity_change', actor);
  }

  /** Assigns to a user id, or unassigns with null. */
  assign(issueId: string, assignee: string | null, actor: Actor): Change {
    return this.changeField(issueId, 'assigned_to', assignee, 'assign', actor);
  }

  /** Sets one field and audits it as `{from, to}` in one transaction; setting the value it has changes nothing. */
  private changeField<F extends 'severity' | 'assigned_to'>(
    issueId: string,
    field: F,
    value: Issue[F],
    action: 'severity_change' | 'assign',
    actor: Actor,
  ): Change {
    return this.store.transaction(() => {
      const current = this.store.issues.require(issueId);
      if (current[field] === value) return { before: current, after: current, changed: false };
      const { before, after } = this.store.issues.update(issueId, { [field]: value });
      this.store.audit.append({
        action,
        entity_type: 'issue',
        entity_id: issueId,
        user_id: actor.userId,
        details: { from: before[field], to: after[field] },
      });
      return { before, after, changed: true };
    });
  }

  /** Adds and removes tags (case kept, duplicates ignored). Throws IssueValidationError for an invalid tag. */
  changeTags(issueId: string, change: { add?: string[]; remove?: string[] }, actor: Actor): Change {
    return this.store.transaction(() => {
      const current = this.store.issues.require(issueId);
      const remove = new Set((change.remove ?? []).map((t) => t.toLowerCase()));
      const tags = current.tags.filter((t) => !remove.has(t.toLowerCase()));
      for (const tag of change.add ?? []) {
        if (!tags.some((t) => t.toLowerCase() === tag.toLowerCase())) tags.push(tag);
      }
      const same = tags.length === current.tags.length && tags.every((t, i) => t === current.tags[i]);
      if (same) return { before: current, after: current, changed: false };
      const parsed = z.object({ tags: NewIssueSchema.shape.tags }).safeParse({ tags });
      if (!parsed.success) throw new IssueValidationError({ tags: parsed.error.issues[0]?.message ?? 'invalid tags' });
      const { before, after } = this.store.issues.update(issueId, { tags: parsed.data.tags });
      this.store.audit.append({
        action: 'tag',
        entity_type: 'issue',
        entity_id: issueId,
        user_id: actor.userId,
        details: {
          added: after.tags.filter((t) => !before.tags.includes(t)).length,
          removed: before.tags.filter((t) => !after.tags.includes(t)).length,
          total: after.tags.length,
        },
      });
      return { before, after, changed: true };
    });
  }

  /**
   * Records that a Slack message is evidence for an issue. The audit entry holds where it is (channel, ts) and the
   * SHA-256 of the redacted text that was shown; never the text.
   */
  recordEvidence(issueId: string, evidence: EvidenceRef, actor: Actor): void {
    this.store.transaction(() => {
      this.store.issues.require(issueId);
      this.store.audit.append({
        action: 'evidence_add',
        entity_type: 'issue',
        entity_id: issueId,
        user_id: actor.userId,
        details: {
          source: 'slack_message',
          channel_id: evidence.channelId,
          message_ts: evidence.messageTs,
          sha256: evidence.sha256,
          redacted_spans: evidence.redactedSpans,
        },
      });
    });
  }

  list(filter: {
    scope?: 'active' | 'all' | Status;
    severity?: Severity;
    assignedTo?: string;
    limit?: number;
  }): Issue[] {
    const scope = filter.scope ?? 'active';
    const statuses = scope === 'all' ? undefined : scope === 'active' ? ACTIVE : [scope];
    return this.store.issues.list({
      ...(statuses ? { statuses } : {}),
      ...(filter.severity ? { severities: [filter.severity] } : {}),
      ...(filter.assignedTo ? { assignedTo: filter.assignedTo } : {}),
      limit: filter.limit ?? 20,
    });
  }

  /** FTS over title and description. Snippets come unmarked: callers redact before they highlight anything. */
  search(words: string, limit = 10): IssueSearchHit[] {
    return this.store.issues.search(words, { limit, mark: ['', ''] });
  }

  threadOf(issueId: string) {
    return this.store.slackThreads.findByIssue(issueId);
  }

  setThreadTs(issueId: string, ts: string): void {
    this.store.slackThreads.setThreadTs(issueId, ts);
  }

  detail(issueId: string) {
    return this.store.getIssueDetail(issueId);
  }

  recentDocuments(limit = 5) {
    return this.store.documents.listRecent(limit, 'rca').map((d) => ({
      id: d.id,
      issue_id: d.issue_id,
      title: d.title,
      updated_at: d.updated_at,
    }));
  }
}

export { shortId };
