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
    };
    prepared(
      this.db,
      `INSERT INTO log_files (id, issue_id, file_name, file_path, file_size, mime_type, content_hash, uploaded_at,
           redacted, slack_file_id, uploaded_by, line_count, content_encoding)
         VALUES (@id, @issue_id, @file_name, @file_path, @file_size, @mime_type, @content_hash, @uploaded_at,
           @redacted, @slack_file_id, @uploaded_by, @line_count, @content_encoding)`,
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

  listByIssue(issueId: string): LogFile[] {
    return prepared(this.db, 'SELECT * FROM log_files WHERE issue_id = ? ORDER BY uploaded_at, id').all(
      issueId,
    ) as LogFile[];
  }

  setRedacted(id: string, redacted: boolean): void {
    prepared(this.db, 'UPDATE log_files SET redacted = ? WHERE id = ?').run(redacted ? 1 : 0, id);
  }
}
