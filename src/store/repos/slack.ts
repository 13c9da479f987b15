import type { Issue } from '../schemas.js';
import type { Db } from '../sqlite.js';
import { prepared } from '../statements.js';
import { toSqliteTimestamp } from '../time.js';

export interface SlackIssueThread {
  issue_id: string;
  team_id: string;
  channel_id: string;
  thread_ts: string | null;
  created_by: string;
  created_at: string;
}

/** Issue ↔ Slack thread: the issue card's message ts is the thread that is the issue. */
export class SlackThreadsRepo {
  constructor(private readonly db: Db) {}

  bind(input: Omit<SlackIssueThread, 'created_at' | 'thread_ts'> & { thread_ts?: string | null }): SlackIssueThread {
    const row: SlackIssueThread = { ...input, thread_ts: input.thread_ts ?? null, created_at: toSqliteTimestamp() };
    prepared(
      this.db,
      `INSERT INTO slack_issue_threads (issue_id, team_id, channel_id, thread_ts, created_by, created_at)
         VALUES (@issue_id, @team_id, @channel_id, @thread_ts, @created_by, @created_at)`,
    ).run(row);
    return row;
  }

  setThreadTs(issueId: string, threadTs: string): void {
    prepared(this.db, 'UPDATE slack_issue_threads SET thread_ts = ? WHERE issue_id = ?').run(threadTs, issueId);
  }

  findByIssue(issueId: string): SlackIssueThread | undefined {
    return prepared(this.db, 'SELECT * FROM slack_issue_threads WHERE issue_id = ?').get(issueId) as
      | SlackIssueThread
      | undefined;
  }

  findByThread(teamId: string, channelId: string, threadTs: string): SlackIssueThread | undefined {
    return prepared(
      this.db,
      'SELECT * FROM slack_issue_threads WHERE team_id = ? AND channel_id = ? AND thread_ts = ?',
    ).get(teamId, channelId, threadTs) as SlackIssueThread | undefined;
  }

  /** Open or investigating issues bound to a channel, newest first: how a thread-less slash command finds its issue. */
  findActiveInChannel(teamId: string, channelId: string): Issue['id'][] {
    const rows = prepared(
      this.db,
      `SELECT t.issue_id FROM slack_issue_threads t JOIN issues i ON i.id = t.issue_id
         WHERE t.team_id = ? AND t.channel_id = ? AND i.status IN ('open', 'investigating')
         ORDER BY i.created_at DESC, i.id DESC`,
    ).all(teamId, channelId) as { issue_id: string }[];
    return rows.map((r) => r.issue_id);
  }
}

/** Deliveries already handled (event retries, double-clicked submits): each key is processed once. */
export class SlackEventsRepo {
  constructor(private readonly db: Db) {}

  /** True when this call claimed the key; false when it was seen before. */
  claim(eventKey: string, kind: string, now: Date = new Date()): boolean {
    return (
      prepared(
        this.db,
        'INSERT OR IGNORE INTO slack_processed_events (event_key, kind, received_at) VALUES (?, ?, ?)',
      ).run(eventKey, kind, toSqliteTimestamp(now)).changes === 1
    );
  }

  /** Records what a claimed delivery produced, so a retry can answer with the same result. */
  setEntity(eventKey: string, entityId: string): void {
    prepared(this.db, 'UPDATE slack_processed_events SET entity_id = ? WHERE event_key = ?').run(entityId, eventKey);
  }

  get(
    eventKey: string,
  ): { event_key: string; kind: string; entity_id: string | null; received_at: string } | undefined {
    return prepared(this.db, 'SELECT * FROM slack_processed_events WHERE event_key = ?').get(eventKey) as
      | { event_key: string; kind: string; entity_id: string | null; received_at: string }
      | undefined;
  }

  /** Releases a claim whose processing failed, so Slack's retry can try again. */
  release(eventKey: string): void {
    prepared(this.db, 'DELETE FROM slack_processed_events WHERE event_key = ?').run(eventKey);
  }

  pruneOlderThan(cutoff: Date): number {
    return prepared(this.db, 'DELETE FROM slack_processed_events WHERE received_at < ?').run(toSqliteTimestamp(cutoff))
      .changes;
  }
}
