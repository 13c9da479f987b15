import { newId } from '../ids.js';
import { type DocType, DocTypeSchema, type DocumentRow } from '../schemas.js';
import type { Db } from '../sqlite.js';
import { prepared } from '../statements.js';

export class DocumentsRepo {
  constructor(private readonly db: Db) {}

  /** One document per issue and type: generating again updates it (same id, created_at kept). */
  upsert(
    input: { issue_id: string; doc_type: DocType; title: string; content_md: string },
    nowMs: number = Date.now(),
  ): { document: DocumentRow; created: boolean } {
    const docType = DocTypeSchema.parse(input.doc_type);
    const existing = this.findByIssue(input.issue_id, docType);
    const document: DocumentRow = {
      id: existing?.id ?? newId(),
      issue_id: input.issue_id,
      doc_type: docType,
      title: input.title,
      content_md: input.content_md,
      created_at: existing?.created_at ?? nowMs,
      updated_at: nowMs,
    };
    if (existing) {
      prepared(
        this.db,
        'UPDATE documents SET title = @title, content_md = @content_md, updated_at = @updated_at WHERE id = @id',
      ).run(document);
    } else {
      prepared(
        this.db,
        `INSERT INTO documents (id, issue_id, doc_type, title, content_md, created_at, updated_at)
           VALUES (@id, @issue_id, @doc_type, @title, @content_md, @created_at, @updated_at)`,
      ).run(document);
    }
    return { document, created: !existing };
  }

  get(id: string): DocumentRow | undefined {
    return prepared(this.db, 'SELECT * FROM documents WHERE id = ?').get(id) as DocumentRow | undefined;
  }

  findByIssue(issueId: string, docType: DocType): DocumentRow | undefined {
    return prepared(
      this.db,
      'SELECT * FROM documents WHERE issue_id = ? AND doc_type = ? ORDER BY updated_at DESC LIMIT 1',
    ).get(issueId, docType) as DocumentRow | undefined;
  }

  listByIssue(issueId: string): DocumentRow[] {
    return prepared(this.db, 'SELECT * FROM documents WHERE issue_id = ? ORDER BY updated_at DESC').all(
      issueId,
    ) as DocumentRow[];
  }

  listRecent(limit = 10, docType?: DocType): DocumentRow[] {
    if (docType) {
      return prepared(this.db, 'SELECT * FROM documents WHERE doc_type = ? ORDER BY updated_at DESC LIMIT ?').all(
        docType,
        limit,
      ) as DocumentRow[];
    }
    return prepared(this.db, 'SELECT * FROM documents ORDER BY updated_at DESC LIMIT ?').all(limit) as DocumentRow[];
  }
}
