import type { DocumentRow } from '../../store/index.js';
import { shortId } from '../../store/index.js';
import { escapeMrkdwn, truncate } from '../text.js';
import type { KnownBlock } from './common.js';
import { DOC_LABEL } from './doc-modal.js';

/**
 * The thread message of a generated document: the Markdown (whole, or splitForSlack's summary) in a `markdown`
 * block, and a context line. `inline` comes from the renderer, which redacted every user text in it; the title is the
 * stored (redacted) one. The notification text stays short: it is what shows in notifications and old clients.
 */
export function docMessage(args: {
  document: Pick<DocumentRow, 'id' | 'doc_type' | 'title'>;
  inline: string;
  truncated: boolean;
  created: boolean;
  userId: string;
}): { text: string; blocks: KnownBlock[] } {
  const { document } = args;
  const label = DOC_LABEL[document.doc_type];
  const verb = args.created ? 'generated' : 'regenerated';
  const notes = [
    `<@${args.userId}> ${verb} this ${label}`,
    `document \`${shortId(document.id)}\``,
    args.truncated ? 'summary only: the full document is in the attached file' : 'also attached as a Markdown file',
  ];
  if (!args.created) notes.push('it replaces the earlier version');
  return {
    // The stored title already says which document it is ("Root Cause Analysis: …").
    text: truncate(escapeMrkdwn(document.title), 300),
    blocks: [
      { type: 'markdown', text: args.inline },
      { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(notes.join(' · '), 3000) }] },
    ],
  };
}
