import { documentFileName, type OptionalDocFieldsInput, splitForSlack } from '../../docs/index.js';
import { generateDocument } from '../../services/documents.js';
import { type DocType, type DocumentRow, type Issue, sha256Hex, shortId } from '../../store/index.js';
import { DOC_LABEL, docModal } from '../blocks/doc-modal.js';
import { docMessage } from '../blocks/doc-post.js';
import type { AppContext, Notify, WebClient } from '../context.js';
import { safeNotify } from './create-issue.js';
import { explainSlackError, slackErrorCode } from './errors.js';

/** An issue a document may be generated for from Slack: it exists and its thread is in the asking team. */
export type DocTarget =
  | { status: 'ok'; issue: Issue; channelId: string; threadTs: string }
  | { status: 'not_found' }
  | { status: 'no_thread'; issue: Issue };

/**
 * Checks an issue id that came from Slack (a button value, private_metadata, a command): the issue must exist and be
 * bound to a thread in the same team as the person, because the document is posted into that thread.
 */
export function docTarget(ctx: AppContext, issueId: string, teamId: string): DocTarget {
  const issue = ctx.issues.get(issueId);
  if (!issue) return { status: 'not_found' };
  const thread = ctx.issues.threadOf(issueId);
  // An issue of another team is treated as unknown: its existence is not confirmed across workspaces.
  if (thread && thread.team_id !== teamId) return { status: 'not_found' };
  if (!thread?.thread_ts) return { status: 'no_thread', issue };
  return { status: 'ok', issue, channelId: thread.channel_id, threadTs: thread.thread_ts };
}

export function docTargetProblem(target: Exclude<DocTarget, { status: 'ok' }>): string {
  return target.status === 'not_found'
    ? 'That issue does not exist (any more), or is not in this workspace.'
    : `Issue \`${shortId(target.issue.id)}\` has no Slack thread to post a document in.`;
}

/**
 * Opens the document modal (trigger_id lives 3 seconds: call right after the ack). `push` stacks it on a modal the
 * button was in. Failures are told to the person.
 */
export async function openDocModal(
  ctx: AppContext,
  client: WebClient,
  args: { triggerId: string; issueId: string; docType: DocType; push?: boolean; notify: Notify; userId: string },
): Promise<boolean> {
  const view = docModal({ i: args.issueId, t: args.docType });
  try {
    if (args.push) await client.views.push({ trigger_id: args.triggerId, view });
    else await client.views.open({ trigger_id: args.triggerId, view });
    return true;
  } catch (err) {
    const code = slackErrorCode(err);
    ctx.logger.warn({ slack_error: code, user_id: args.userId, doc_type: args.docType }, 'document modal not opened');
    await safeNotify(
      ctx,
      args.notify,
      code === 'expired_trigger_id'
        ? 'The form took too long to open; please try again.'
        : `I could not open the ${DOC_LABEL[args.docType]} form. ${explainSlackError(code)}`,
    );
    return false;
  }
}

export interface PostDocumentRequest {
  issueId: string;
  docType: DocType;
  userId: string;
  /** Validated modal fields (OptionalDocFieldsSchema input). */
  fields: OptionalDocFieldsInput;
  channelId: string;
  threadTs: string;
  notify: Notify;
  now?: Date;
}

export type PostDocumentOutcome =
  | { status: 'posted'; document: DocumentRow; messageTs: string; fileId: string | undefined; truncated: boolean }
  | { status: 'not_posted'; document: DocumentRow; reason: string };

/**
 * Generates (stores) the document, then posts it into the issue's thread: a `markdown` block with the whole document
 * when it fits Slack's budget, else its summary, and the full `.md` uploaded into the same thread. The stored
 * document is the truth: it is kept when posting fails, and the person is told it was generated but not posted.
 * The post counts (`doc_post` audit) only when both the message and the file made it; when the upload fails the
 * message is withdrawn again, so a summary never points at a file that is not there.
 */
export async function generateAndPostDocument(
  ctx: AppContext,
  client: WebClient,
  req: PostDocumentRequest,
): Promise<PostDocumentOutcome> {
  const log = ctx.logger.child({ flow: 'doc_post', issue_id: req.issueId, doc_type: req.docType, user_id: req.userId });
  const label = DOC_LABEL[req.docType];
  const { document, created, markdown } = generateDocument(ctx.store, {
    issueId: req.issueId,
    docType: req.docType,
    userId: req.userId,
    fields: req.fields,
    redact: ctx.redact,
    ...(req.now ? { now: req.now } : {}),
  });
  log.info({ document_id: document.id, created, length: markdown.length }, 'document generated');
  const split = splitForSlack(markdown);
  const saved = `The ${label} was generated and saved (document \`${shortId(document.id)}\`)`;
  const retry = `\`/tftsr ${req.docType} ${shortId(req.issueId)}\``;

  let messageTs: string;
  try {
    const posted = await client.chat.postMessage({
      channel: req.channelId,
      thread_ts: req.threadTs,
      ...docMessage({ document, inline: split.inline, truncated: split.truncated, created, userId: req.userId }),
    });
    if (!posted.ts) throw new Error('chat.postMessage returned no ts');
    messageTs = posted.ts;
  } catch (err) {
    const code = slackErrorCode(err);
    log.warn({ slack_error: code, document_id: document.id }, 'document stored but not posted');
    await safeNotify(
      ctx,
      req.notify,
      `${saved}, but not posted in the thread. ${explainSlackError(code, req.channelId)} Then run ${retry} to post it.`,
    );
    return { status: 'not_posted', document, reason: code };
  }

  let fileId: string | undefined;
  try {
    const uploaded = await client.filesUploadV2({
      channel_id: req.channelId,
      thread_ts: req.threadTs,
      filename: documentFileName(req.docType, req.issueId),
      title: document.title,
      content: markdown,
    });
    fileId = firstFileId(uploaded);
  } catch (err) {
    const code = slackErrorCode(err);
    log.warn({ slack_error: code, document_id: document.id }, 'document file upload failed; message withdrawn');
    const withdrawn = await client.chat
      .delete({ channel: req.channelId, ts: messageTs })
      .then(() => true)
      .catch(() => false);
    await safeNotify(
      ctx,
      req.notify,
      `${saved}, but attaching its Markdown file to the thread failed, so it was ${withdrawn ? 'not posted' : 'posted without the file'}. ` +
        `${uploadProblem(code, req.channelId)} Then run ${retry} to post it.`,
    );
    return { status: 'not_posted', document, reason: code };
  }

  // The post happened: a failing audit write is logged loudly, not reported as "nothing was changed".
  try {
    ctx.store.audit.append({
      action: 'doc_post',
      entity_type: 'document',
      entity_id: document.id,
      user_id: req.userId,
      details: {
        document_id: document.id,
        doc_type: req.docType,
        issue_id: req.issueId,
        channel_id: req.channelId,
        thread_ts: req.threadTs,
        message_ts: messageTs,
        file_id: fileId ?? null,
        // What the message showed, and the file: hashes and sizes only.
        sha256: sha256Hex(split.inline),
        file_sha256: sha256Hex(markdown),
        length: split.inline.length,
        truncated: split.truncated,
      },
    });
  } catch (err) {
    log.error({ err_name: (err as Error)?.name, document_id: document.id }, 'doc_post audit entry not written');
  }
  log.info({ document_id: document.id, truncated: split.truncated }, 'document posted');
  return { status: 'posted', document, messageTs, fileId, truncated: split.truncated };
}

function uploadProblem(code: string, channelId: string): string {
  if (code === 'missing_scope' || code === 'not_allowed_token_type') {
    return 'The app is missing the `files:write` permission: ask a Slack admin to reinstall it from the current manifest.';
  }
  return explainSlackError(code, channelId);
}

function firstFileId(result: unknown): string | undefined {
  // filesUploadV2 answers { files: [ completeUploadExternal answer { files: [{ id }] } ] }.
  const outer = (result as { files?: { files?: { id?: unknown }[] }[] }).files ?? [];
  const id = outer[0]?.files?.[0]?.id;
  return typeof id === 'string' ? id : undefined;
}
