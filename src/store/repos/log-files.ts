import { newId } from '../ids.js';
import { type LogFile, type NewLogFile, NewLogFileSchema } from '../schemas.js';
import type { Db } from '../sqlite.js';
import { prepared } from '../statements.js';
import { toSqliteTimestamp } from '../time.js';

export class LogFilesRepo {
  constructor(private readonly db: Db) {}

  create(input: NewLogFile, now: Date = new Date()): LogFile {
    const data = NewLogFileSchema.parse(input);
    const row: LogFile = {
      id: newId(),
      issue_id: data.issue_id,
      file_name: data.file_name,
      file_path: data.file_path,
      file_size: data.file_size ?? null,
      mime_type: data.mime_type ?? null,
      content_hash: data.content_hash ?? null,
      uploaded_at: toSqliteTimestamp(now),
      redacted: data.redacted ? 1 : 0,
      slack_file_id: data.slack_file_id ?? null,
      uploaded_by: data.uploaded_by ?? null,
      line_count: data.line_count ?? null,
      content_encoding: data.content_encoding,
      ingest_state: data.ingest_state,
    };
    prepared(
      this.db,
      `INSERT INTO log_files (id, issue_id, file_name, file_path, file_size, mime_type, content_hash, uploaded_at,
           redacted, slack_file_id, uploaded_by, line_count, content_encoding, ingest_state)
         VALUES (@id, @issue_id, @file_name, @file_path, @file_size, @mime_type, @content_hash, @uploaded_at,
           @redacted, @slack_file_id, @uploaded_by, @line_count, @content_encoding, @ingest_state)`,
    ).run(row);
    return row;
  }

  get(id: string): LogFile | undefined {
    return prepared(this.db, 'SELECT * FROM log_files WHERE id = ?').get(id) as LogFile | undefined;
  }

  findBySlackFile(issueId: string, slackFileId: string): LogFile | undefined {
    return prepared(this.db, 'SELECT * FROM log_files WHERE issue_id = ? AND slack_file_id = ?').get(
      issueId,
      slackFileId,
    ) as LogFile | undefined;
  }

  /** The issue's logs that are completely stored (a log still being written is not listed). */
  listByIssue(issueId: string): LogFile[] {
    return prepared(
      this.db,
      "SELECT * FROM log_files WHERE issue_id = ? AND ingest_state = 'ready' ORDER BY uploaded_at, id",
    ).all(issueId) as LogFile[];
  }

  /** Marks a log written in several transactions as complete, with what is known only once it is all read. */
  markReady(id: string, done: { lineCount: number; fileSize: number; contentHash: string }): void {
    prepared(
      this.db,
      "UPDATE log_files SET ingest_state = 'ready', line_count = ?, file_size = ?, content_hash = ? WHERE id = ?",
    ).run(done.lineCount, done.fileSize, done.contentHash, id);
  }

  /** Removes a log and everything under it (blobs, spans cascade). */
  delete(id: string): boolean {
    return prepared(this.db, 'DELETE FROM log_files WHERE id = ?').run(id).changes > 0;
  }

  /** Removes logs a crash left half-written ('storing'): call at app start, before any ingest runs. */
  removeUnfinished(): number {
    return prepared(this.db, "DELETE FROM log_files WHERE ingest_state = 'storing'").run().changes;
  }

  setRedacted(id: string, redacted: boolean): void {
    prepared(this.db, 'UPDATE log_files SET redacted = ? WHERE id = ?').run(redacted ? 1 : 0, id);
  }
}
