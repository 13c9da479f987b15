import { z } from 'zod';
import { createRedactor, type Redactor, redactConfigFromSettings } from '../../redact/index.js';
import { openPrivateDownload } from '../../services/download.js';
import {
  type AttachLogResult,
  attachLog,
  formatBytes,
  LogRejectedError,
  maxLogBytes,
  redactedExcerpt,
} from '../../services/logs.js';
import { errorMessage, type LogMessage, progressMessage, safeFileName, summaryMessage } from '../blocks/log-summary.js';
import type { AppContext, WebClient } from '../context.js';
import { WorkLimiter } from '../work-limiter.js';
import { slackErrorCode } from './errors.js';

/**
 * Logs shared as files into an issue's thread (issue 5): claim the file once, show progress at once, download it
 * with the bot token under the size cap, attach it (attachLog: redaction, encrypted store, audit — one transaction),
 * and turn the progress message into the summary, or into a clear error. Only redacted text and counts are shown.
 */

/** The parts of a Slack file object used here (file_share events carry it; files.info answers it). */
export const SlackFileSchema = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  title: z.string().optional(),
  mimetype: z.string().optional(),
  filetype: z.string().optional(),
  size: z.number().int().nonnegative().optional(),
  user: z.string().optional(),
  mode: z.string().optional(),
  is_external: z.boolean().optional(),
  url_private_download: z.string().optional(),
  shares: z
    .object({
      public: z
        .record(z.string(), z.array(z.object({ ts: z.string().optional(), thread_ts: z.string().optional() })))
        .optional(),
      private: z
        .record(z.string(), z.array(z.object({ ts: z.string().optional(), thread_ts: z.string().optional() })))
        .optional(),
    })
    .optional(),
});
export type SlackFile = z.infer<typeof SlackFileSchema>;

interface LogState {
  redactor: Redactor;
  /** Bounds how many logs are downloaded and redacted at once: each holds its whole file in memory. */
  limiter: WorkLimiter;
  /** Files this process has started on (team:file id), so the second event of an upload costs no files.info. */
  recent: Map<string, number>;
}

const states = new WeakMap<AppContext, LogState>();

/** Per-app state: the log redactor (built-ins plus the workspace's redaction settings), the ingest limiter. */
function stateOf(ctx: AppContext): LogState {
  let state = states.get(ctx);
  if (!state) {
    const base = createRedactor(redactConfigFromSettings((key) => ctx.store.settings.get(key)));
    state = { redactor: yieldingRedactor(base), limiter: new WorkLimiter(2), recent: new Map() };
    states.set(ctx, state);
  }
  return state;
}

/**
 * Redaction is synchronous work between chunks; on a 100 MB log that would hold the event loop for seconds and
 * delay other requests' acks past Slack's 3 s. Feeding the input through a macrotask every ~1 MB lets them in.
 */
export function yieldingRedactor(redactor: Redactor): Redactor {
  return {
    activeTypes: redactor.activeTypes,
    redactText: (text) => redactor.redactText(text),
    redactBuffer: (buf) => redactor.redactBuffer(buf),
    redactStream: (input, opts) => redactor.redactStream(yieldEvery(input as AsyncIterable<Buffer>, 1 << 20), opts),
  };
}

async function* yieldEvery(source: AsyncIterable<Buffer>, bytes: number): AsyncIterable<Buffer> {
  let since = 0;
  for await (const chunk of source) {
    yield chunk;
    since += chunk.length;
    if (since >= bytes) {
      since = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}

/** The redactor for logs (built-ins plus the workspace's redaction settings), shared by every ingest path. */
/** The summary message of a stored log: counts per type, a redacted excerpt and the review / download buttons. */
export function attachedLogSummary(ctx: AppContext, result: AttachLogResult, issueId: string): LogMessage {
  return summaryMessage({
    logFile: result.logFile,
    countsByType: result.countsByType,
    lines: result.lines,
    excerpt: redactedExcerpt(ctx.store, result.logFile.id),
    issueId,
    redact: ctx.redact,
  });
}

export function logRedactorOf(ctx: AppContext): Redactor {
  return stateOf(ctx).redactor;
}

export function rememberFile(ctx: AppContext, teamId: string, fileId: string): void {
  const { recent } = stateOf(ctx);
  recent.set(`${teamId}:${fileId}`, Date.now());
  if (recent.size > 2000) {
    for (const key of [...recent.keys()].slice(0, 1000)) recent.delete(key);
  }
}

export function seenFile(ctx: AppContext, teamId: string, fileId: string): boolean {
  return stateOf(ctx).recent.has(`${teamId}:${fileId}`);
}

/** The issue whose thread this is, if any. */
export function issueOfThread(ctx: AppContext, teamId: string, channelId: string, threadTs: string) {
  const bound = ctx.store.slackThreads.findByThread(teamId, channelId, threadTs);
  return bound?.thread_ts ? bound.issue_id : undefined;
}

/** A file object complete enough to download: message events may carry a stub (or a hidden file); ask files.info. */
export async function completeFile(client: WebClient, file: SlackFile): Promise<SlackFile> {
  if (file.url_private_download && file.size !== undefined && file.name) return file;
  const info = await client.files.info({ file: file.id });
  return SlackFileSchema.parse(info.file);
}

const REFUSED_MIME = /^(?:image|video|audio|font)\//i;
const REFUSED_FILETYPES = new Set([
  'pdf',
  'zip',
  'docx',
  'doc',
  'xlsx',
  'xls',
  'pptx',
  'ppt',
  'key',
  'pages',
  'numbers',
  'exe',
  'dmg',
  'apk',
  'jar',
  '7z',
  'rar',
  'bz2',
  'xz',
  'zst',
  'sqlite',
]);

/** Refuses what is certainly not a text log before downloading it; anything else is sniffed by attachLog. */
function precheck(file: SlackFile, name: string, maxBytes: number): LogRejectedError | undefined {
  if (file.is_external || file.mode === 'external') {
    return new LogRejectedError('unreadable', `${name} is a link to an external file; upload the log itself.`);
  }
  if (file.mode === 'hidden_by_limit' || file.mode === 'tombstone') {
    return new LogRejectedError('unreadable', `${name} cannot be downloaded from Slack; nothing was stored.`);
  }
  const mime = file.mimetype ?? '';
  const type = (file.filetype ?? '').toLowerCase();
  if (REFUSED_MIME.test(mime) || REFUSED_FILETYPES.has(type)) {
    const what = type && type !== 'binary' ? `a ${type} file` : mime || 'a binary file';
    return new LogRejectedError(
      'binary',
      `${name} is not a text log (${what}); nothing was stored. Upload logs as text (any extension) or .gz.`,
    );
  }
  if (file.size !== undefined && file.size > maxBytes) {
    return new LogRejectedError(
      'too_large',
      `${name} (${formatBytes(file.size)}) is larger than the ${formatBytes(maxBytes)} limit for logs; nothing was ` +
        'stored. Split it, or compress it with gzip and upload the .gz.',
    );
  }
  if (file.size === 0) return new LogRejectedError('empty', `${name} is empty; nothing was stored.`);
  return undefined;
}

export interface IngestRequest {
  teamId: string;
  channelId: string;
  threadTs: string;
  issueId: string;
  /** Who shared it (the file's owner when known). */
  userId: string;
  file: SlackFile;
}

export type IngestOutcome =
  | { status: 'attached'; logFileId: string }
  | { status: 'duplicate' }
  | { status: 'rejected'; reason: string }
  | { status: 'failed' };

/** How often (at most) the progress message is edited while a large file downloads. */
const PROGRESS_INTERVAL_MS = 1500;

/**
 * Processes one shared file for one issue, at most once: the delivery key `log:<team>:<issue>:<file>` is claimed
 * durably, so Slack's retries and the second event of the same upload (message/file_share and file_shared) stop
 * here. A refusal keeps the claim (refusing again would only repeat the message); an unexpected failure releases it.
 */
export async function ingestSharedFile(ctx: AppContext, client: WebClient, req: IngestRequest): Promise<IngestOutcome> {
  const log = ctx.logger.child({ flow: 'log_ingest', issue_id: req.issueId, file_id: req.file.id });
  rememberFile(ctx, req.teamId, req.file.id);
  const key = `log:${req.teamId}:${req.issueId}:${req.file.id}`;
  if (ctx.deliveries.claim(key, 'log_file').status !== 'claimed') return { status: 'duplicate' };
  const existing = ctx.store.logFiles.findBySlackFile(req.issueId, req.file.id);
  if (existing) {
    ctx.deliveries.complete(key, existing.id);
    return { status: 'duplicate' };
  }

  let progressTs: string | undefined;
  // A progress edit still in flight; the last word (summary or error) waits for it so it is not overwritten.
  let editing: Promise<unknown> = Promise.resolve();
  const show = async (message: LogMessage) => {
    if (progressTs) {
      await client.chat.update({ channel: req.channelId, ts: progressTs, ...message });
    } else {
      const posted = await client.chat.postMessage({ channel: req.channelId, thread_ts: req.threadTs, ...message });
      progressTs = posted.ts;
    }
  };

  try {
    const file = await completeFile(client, req.file);
    const name = (file.name || file.title || file.id).slice(0, 200);
    const maxBytes = maxLogBytes(ctx.store);
    const refused = precheck(file, name, maxBytes);
    if (refused) throw refused;
    if (!file.url_private_download) {
      throw new LogRejectedError('unreadable', `${name} has no download link; nothing was stored.`);
    }
    const size = file.size ?? null;
    const shownName = safeFileName(name, ctx.redact);
    await show(progressMessage(shownName, size));

    // Edits of the progress message, at most one in flight and one per interval; the last edit waits for them.
    let lastEdit = Date.now();
    let busy = false;
    const stage = (text: string, force = false) => {
      const now = Date.now();
      if (busy || (!force && now - lastEdit < PROGRESS_INTERVAL_MS)) return;
      busy = true;
      lastEdit = now;
      editing = show(progressMessage(shownName, size, text))
        .catch((err: unknown) => log.warn({ slack_error: slackErrorCode(err) }, 'progress update failed'))
        .finally(() => {
          busy = false;
        });
    };

    const state = stateOf(ctx);
    const result = await state.limiter.run(async () => {
      const token = client.token;
      if (!token) throw new Error('no bot token on the Web API client');
      // Streamed: the file goes from the download through the redactor into the store, never held whole.
      const download = await openPrivateDownload(file.url_private_download!, {
        token,
        maxBytes,
        fileName: name,
        onBytes: (total) => {
          if (size) stage(`redacting ${Math.min(99, Math.floor((total / size) * 100))}%`);
        },
      });
      // Slack's sign-in page (a token or scope problem) comes as text/html with status 200, and not with the file's
      // size: say what it is rather than "size mismatch". A file that is HTML by its own type is taken at its word.
      if (
        /^text\/html/i.test(download.contentType ?? '') &&
        !/html/i.test(file.mimetype ?? '') &&
        !/\.x?html?$/i.test(name)
      ) {
        throw new LogRejectedError(
          'html',
          `${name}: Slack sent a web page instead of the file (the app may lack the files:read scope); nothing was stored.`,
        );
      }
      if (size && size > 8 * 1024 * 1024) stage('redacting', true);
      const redactor = state.redactor;
      return attachLog(ctx.store, redactor, {
        issueId: req.issueId,
        fileName: name,
        mimeType: file.mimetype ?? download.contentType,
        chunks: download.body,
        userId: file.user ?? req.userId,
        filePath: `slack://${req.teamId}/${file.id}`,
        slackFileId: file.id,
        announcedSize: size,
      });
    });
    await editing;
    ctx.deliveries.complete(key, result.logFile.id);
    log.info(
      {
        log_file_id: result.logFile.id,
        bytes: result.logFile.file_size,
        spans: result.spanCount,
        created: result.created,
      },
      'log attached',
    );
    await show(attachedLogSummary(ctx, result, req.issueId)).catch((err: unknown) =>
      log.warn({ slack_error: slackErrorCode(err) }, 'log stored; summary not shown'),
    );
    return { status: 'attached', logFileId: result.logFile.id };
  } catch (err) {
    await editing;
    if (err instanceof LogRejectedError) {
      log.info({ reason: err.reason }, 'log refused');
      await show(errorMessage(ctx.redact(err.message))).catch((e: unknown) =>
        log.warn({ slack_error: slackErrorCode(e) }, 'could not say why the log was refused'),
      );
      return { status: 'rejected', reason: err.reason };
    }
    ctx.deliveries.release(key);
    log.error({ err_name: (err as Error)?.name, slack_error: slackErrorCode(err) }, 'log ingest failed');
    await show(
      errorMessage(
        `${ctx.redact(req.file.name ?? 'The file')} could not be processed and nothing was stored. Please upload it again.`,
      ),
    ).catch(() => undefined);
    return { status: 'failed' };
  }
}
