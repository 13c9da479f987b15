export {
  ACTION_ITEMS_MAX,
  ACTION_PRIORITIES,
  ACTION_STATUSES,
  type ActionItem,
  ActionItemSchema,
  DOC_FIELD_MAX,
  EMPTY_DOC_FIELDS,
  type OptionalDocFields,
  type OptionalDocFieldsInput,
  OptionalDocFieldsSchema,
} from './fields.js';
export { type DocumentInput, formatElapsed, formatUtc, type Redact } from './input.js';
export { block, bulletList, cell, inline, normalise } from './markdown.js';
export { POSTMORTEM_TITLE_PREFIX, renderPostmortem } from './postmortem.js';
export { RCA_TITLE_PREFIX, renderRca } from './rca.js';
export { SLACK_MARKDOWN_BUDGET, splitForSlack, truncateMarkdown } from './split.js';

import { shortId } from '../store/ids.js';
import type { DocType } from '../store/schemas.js';
import type { DocumentInput } from './input.js';
import { normalise } from './markdown.js';
import { POSTMORTEM_TITLE_PREFIX, renderPostmortem } from './postmortem.js';
import { RCA_TITLE_PREFIX, renderRca } from './rca.js';

/** Renders either document type. */
export function renderDocument(docType: DocType, input: DocumentInput): string {
  return docType === 'rca' ? renderRca(input) : renderPostmortem(input);
}

/**
 * The plain-text title stored in `documents.title` and shown in Slack lists: redacted, on one line, not
 * Markdown-escaped (it is not Markdown); whoever puts it into Markdown or mrkdwn escapes it there.
 */
export function documentTitle(docType: DocType, input: DocumentInput): string {
  const title = normalise(input.redact(input.detail.issue.title)).replace(/\s+/g, ' ').trim();
  return `${docType === 'rca' ? RCA_TITLE_PREFIX : POSTMORTEM_TITLE_PREFIX}${title}`;
}

/**
 * The name of the uploaded `.md` file: type and short id only. The title stays out of it, because file names are
 * shown and indexed in places that redaction does not reach (downloads, search, the OS).
 */
export function documentFileName(docType: DocType, issueId: string): string {
  return `tftsr-${docType}-${shortId(issueId)}.md`;
}
