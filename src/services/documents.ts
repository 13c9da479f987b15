import {
  type DocumentInput,
  documentTitle,
  type OptionalDocFieldsInput,
  OptionalDocFieldsSchema,
  type Redact,
  renderDocument,
} from '../docs/index.js';
import {
  type AuditEntry,
  type DocType,
  DocTypeSchema,
  type DocumentRow,
  NotFoundError,
  type Store,
  sha256Hex,
} from '../store/index.js';

// The audit repo pages at 100 by default; an issue's whole history is wanted here, within reason.
const AUDIT_LIMIT = 10_000;

/**
 * Reads everything a document is rendered from: the issue with its logs and whys, the audit entries of the issue
 * and of its log files, and the redacted-span counts per log file. Throws NotFoundError for an unknown issue.
 */
export function loadDocumentInput(
  store: Store,
  issueId: string,
  options: { fields?: OptionalDocFieldsInput | undefined; redact: Redact; generatedAt: Date },
): DocumentInput {
  const fields = OptionalDocFieldsSchema.parse(options.fields ?? {});
  const detail = store.getIssueDetail(issueId);
  if (!detail) throw new NotFoundError('issue', issueId);
  const audit: AuditEntry[] = store.audit.list({ entityType: 'issue', entityId: issueId, limit: AUDIT_LIMIT });
  const spanCounts: DocumentInput['spanCounts'] = {};
  for (const log of detail.log_files) {
    audit.push(...store.audit.list({ entityType: 'log_file', entityId: log.id, limit: AUDIT_LIMIT }));
    spanCounts[log.id] = store.piiSpans.countsByType(log.id);
  }
  return { detail, audit, spanCounts, fields, generatedAt: options.generatedAt, redact: options.redact };
}

export interface GenerateDocumentOptions {
  issueId: string;
  docType: DocType;
  /** Slack user id, or `local` for the CLI: goes into the audit entry. */
  userId: string;
  /** What the modal collected; validated here (OptionalDocFieldsSchema), so a ZodError means bad input. */
  fields?: OptionalDocFieldsInput | undefined;
  /** The workspace's redactor for free text; see services/redaction.ts `fromRedactor`. */
  redact: Redact;
  now?: Date;
}

export interface GeneratedDocument {
  document: DocumentRow;
  /** false when an earlier document of this type for this issue was updated in place. */
  created: boolean;
  markdown: string;
}

/**
 * Renders the RCA or postmortem for an issue and stores it (one row per issue and type: generating again updates
 * it), with a `doc_generate` audit entry holding the hash and length, never the text. Reading, storing and auditing
 * are one transaction, so the stored document matches the data it was rendered from.
 */
export function generateDocument(store: Store, options: GenerateDocumentOptions): GeneratedDocument {
  const docType = DocTypeSchema.parse(options.docType);
  const now = options.now ?? new Date();
  return store.transaction(() => {
    const input = loadDocumentInput(store, options.issueId, {
      fields: options.fields,
      redact: options.redact,
      generatedAt: now,
    });
    const markdown = renderDocument(docType, input);
    const { document, created } = store.documents.upsert(
      {
        issue_id: input.detail.issue.id,
        doc_type: docType,
        title: documentTitle(docType, input),
        content_md: markdown,
      },
      now.getTime(),
    );
    store.audit.append(
      {
        action: 'doc_generate',
        entity_type: 'document',
        entity_id: document.id,
        user_id: options.userId,
        details: {
          doc_type: docType,
          document_id: document.id,
          issue_id: document.issue_id,
          created,
          sha256: sha256Hex(markdown),
          length: markdown.length,
        },
      },
      now,
    );
    return { document, created, markdown };
  });
}
