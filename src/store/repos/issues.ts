import { NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import {
  type Issue,
  type IssuePatch,
  IssuePatchSchema,
  type NewIssue,
  NewIssueSchema,
  type Severity,
  type Status,
  StatusSchema,
} from '../schemas.js';
import type { Db } from '../sqlite.js';
import { prepared } from '../statements.js';
import { toSqliteTimestamp } from '../time.js';

type IssueRow = Omit<Issue, 'tags'> & { tags: string | null };

function toIssue(row: IssueRow): Issue {
  let tags: string[] = [];
  if (row.tags) {
    const parsed: unknown = JSON.parse(row.tags);
    if (Array.isArray(parsed)) tags = parsed.filter((t): t is string => typeof t === 'string');
  }
  return { ...row, tags };
}

export interface IssueListFilter {
  statuses?: Status[];
  severities?: Severity[];
  assignedTo?: string;
  limit?: number;
  offset?: number;
}

export interface IssueSearchHit {
  issue: Issue;
  /** bm25: lower is better. */
  rank: number;
  snippet: string;
}

/** How many of the newest matches a search ranks (see IssuesRepo.search). */
export const SEARCH_CANDIDATES = 2000;

const SEVERITY_ORDER = "CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END";

/**
 * Turns what a person typed into a safe FTS5 query: every word becomes a quoted string (so `-`, `:`, `"` and
 * operators are literal) and all must match. No prefix matching: a prefix term makes FTS5 merge the doclists of
 * every word it starts, which measured 10x slower per query on 100k issues.
 */
export function toFtsQuery(words: string): string | null {
  const tokens = words.match(/[\p{L}\p{N}_]+/gu) ?? [];
  if (tokens.length === 0) return null;
  return tokens
    .slice(0, 20)
    .map((t) => `"${t}"`)
    .join(' ');
}

/** A new issue as it will be stored (status open, seed timestamps), validated; nothing is written. */
export function buildNewIssue(id: string, input: NewIssue, now: Date = new Date()): Issue {
  const data = NewIssueSchema.parse(input);
  const ts = toSqliteTimestamp(now);
  return {
    id,
    title: data.title,
    description: data.description ?? null,
    severity: data.severity,
    status: 'open',
    category: data.category ?? null,
    source: data.source ?? null,
    created_at: ts,
    updated_at: ts,
    resolved_at: null,
    assigned_to: data.assigned_to ?? null,
    tags: data.tags,
  };
}

export class IssuesRepo {
  constructor(private readonly db: Db) {}

  create(input: NewIssue, now: Date = new Date()): Issue {
    return this.createWithId(newId(), input, now);
  }

  /**
   * Like create, with an id chosen by the caller (a UUID v7 from newId()): the Slack app posts the issue card, which
   * carries the id, before the row exists, so that a card that cannot be posted leaves nothing behind.
   */
  createWithId(id: string, input: NewIssue, now: Date = new Date()): Issue {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)) {
      throw new Error('issue id must be a lowercase UUID v7 (use newId())');
    }
    const issue = buildNewIssue(id, input, now);
    prepared(
      this.db,
      `INSERT INTO issues (id, title, description, severity, status, category, source, created_at, updated_at,
           resolved_at, assigned_to, tags)
         VALUES (@id, @title, @description, @severity, @status, @category, @source, @created_at, @updated_at,
           @resolved_at, @assigned_to, @tags)`,
    ).run({ ...issue, tags: JSON.stringify(issue.tags) });
    return issue;
  }

  get(id: string): Issue | undefined {
    const row = prepared(this.db, 'SELECT * FROM issues WHERE id = ?').get(id) as IssueRow | undefined;
    return row ? toIssue(row) : undefined;
  }

  require(id: string): Issue {
    const issue = this.get(id);
    if (!issue) throw new NotFoundError('issue', id);
    return issue;
  }

  /** Issues whose id (hex digits, dashes ignored) starts or ends with the fragment people typed. */
  findByIdFragment(fragment: string, limit = 5): Issue[] {
    const hex = fragment.toLowerCase().replace(/[^0-9a-f]/g, '');
    if (hex.length < 4) return [];
    const rows = prepared(
      this.db,
      `SELECT * FROM issues WHERE replace(id, '-', '') LIKE @prefix OR replace(id, '-', '') LIKE @suffix
         ORDER BY created_at DESC LIMIT @limit`,
    ).all({ prefix: `${hex}%`, suffix: `%${hex}`, limit }) as IssueRow[];
    return rows.map(toIssue);
  }

  list(filter: IssueListFilter = {}): Issue[] {
    const where: string[] = [];
    const params: Record<string, unknown> = {
      limit: Math.min(filter.limit ?? 50, 500),
      offset: filter.offset ?? 0,
    };
    if (filter.statuses?.length) {
      where.push(`status IN (${filter.statuses.map((_, i) => `@status${i}`).join(', ')})`);
      filter.statuses.forEach((s, i) => {
        params[`status${i}`] = StatusSchema.parse(s);
      });
    }
    if (filter.severities?.length) {
      where.push(`severity IN (${filter.severities.map((_, i) => `@sev${i}`).join(', ')})`);
      filter.severities.forEach((s, i) => {
        params[`sev${i}`] = s;
      });
    }
    if (filter.assignedTo) {
      where.push('assigned_to = @assignedTo');
      params.assignedTo = filter.assignedTo;
    }
    const rows = prepared(
      this.db,
      `SELECT * FROM issues ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY ${SEVERITY_ORDER}, created_at DESC, id DESC LIMIT @limit OFFSET @offset`,
    ).all(params) as IssueRow[];
    return rows.map(toIssue);
  }

  count(): number {
    return (prepared(this.db, 'SELECT count(*) AS n FROM issues').get() as { n: number }).n;
  }

  /** Sets the status; `resolved` stamps resolved_at, reopening clears it, `closed` keeps it. */
  updateStatus(id: string, status: Status, now: Date = new Date()): { before: Issue; after: Issue } {
    const before = this.require(id);
    const next = StatusSchema.parse(status);
    const ts = toSqliteTimestamp(now);
    let resolvedAt = before.resolved_at;
    if (next === 'resolved') resolvedAt = ts;
    else if (next === 'open' || next === 'investigating') resolvedAt = null;
    else if (next === 'closed' && !resolvedAt) resolvedAt = ts;
    prepared(this.db, 'UPDATE issues SET status = ?, resolved_at = ?, updated_at = ? WHERE id = ?').run(
      next,
      resolvedAt,
      ts,
      id,
    );
    return { before, after: this.require(id) };
  }

  update(id: string, patch: IssuePatch, now: Date = new Date()): { before: Issue; after: Issue } {
    const before = this.require(id);
    const data = IssuePatchSchema.parse(patch);
    const sets: string[] = [];
    const params: Record<string, unknown> = { id, updated_at: toSqliteTimestamp(now) };
    for (const [column, value] of Object.entries(data)) {
      if (value === undefined) continue;
      sets.push(`${column} = @${column}`);
      params[column] = column === 'tags' ? JSON.stringify(value) : value;
    }
    if (sets.length > 0) {
      prepared(this.db, `UPDATE issues SET ${sets.join(', ')}, updated_at = @updated_at WHERE id = @id`).run(params);
    }
    return { before, after: this.require(id) };
  }

  delete(id: string): boolean {
    return prepared(this.db, 'DELETE FROM issues WHERE id = ?').run(id).changes > 0;
  }

  /**
   * Full-text search over title and description, best first, with a snippet around the match.
   *
   * Ranking (bm25) has to score every matching row, which for a word found in tens of thousands of issues costs
   * tens of milliseconds. So ranking runs over the newest SEARCH_CANDIDATES matches only (rowid order is insertion
   * order, and FTS5 walks it cheaply from the end): a very common word finds the best of the recent issues; a more
   * specific query still reaches every issue. Snippets are built for the returned rows only.
   */
  search(words: string, options: { limit?: number; mark?: [string, string] } = {}): IssueSearchHit[] {
    const query = toFtsQuery(words);
    if (!query) return [];
    const [open, close] = options.mark ?? ['[', ']'];
    const limit = Math.min(options.limit ?? 10, 100);
    const cutoff = prepared(
      this.db,
      'SELECT rowid FROM issues_fts WHERE issues_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?',
    )
      .pluck()
      .get(query, SEARCH_CANDIDATES - 1) as number | undefined;
    const ranked = prepared(
      this.db,
      `SELECT rowid, bm25(issues_fts) AS rank FROM issues_fts
         WHERE issues_fts MATCH @query AND rowid >= @cutoff ORDER BY rank LIMIT @limit`,
    ).all({ query, cutoff: cutoff ?? 0, limit }) as { rowid: number; rank: number }[];
    const detail = prepared(
      this.db,
      `SELECT i.*, snippet(issues_fts, -1, @open, @close, '…', 12) AS snippet
       FROM issues_fts JOIN issues i ON i.rowid = issues_fts.rowid
       WHERE issues_fts MATCH @query AND issues_fts.rowid = @rowid`,
    );
    return ranked.flatMap(({ rowid, rank }) => {
      const row = detail.get({ query, open, close, rowid }) as (IssueRow & { snippet: string }) | undefined;
      if (!row) return [];
      const { snippet, ...issue } = row;
      return [{ issue: toIssue(issue), rank, snippet }];
    });
  }
}
