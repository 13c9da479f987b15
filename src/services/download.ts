import { formatBytes, LogRejectedError } from './logs.js';

export interface DownloadOptions {
  /** Sent as `Authorization: Bearer …` (Slack's private file URLs need the bot token). Never logged. */
  token: string;
  maxBytes: number;
  fileName: string;
  timeoutMs?: number;
  onBytes?: (total: number) => void;
}

export interface OpenDownload {
  contentType: string | null;
  /** Content-Length, when the server sent one. */
  declaredBytes: number | null;
  /** The body, chunk by chunk; it throws LogRejectedError('too_large') as soon as it passes the cap. */
  body: AsyncIterable<Buffer>;
}

export interface Download {
  chunks: Buffer[];
  contentType: string | null;
  bytes: number;
}

/**
 * Opens a private file for streaming with a size cap: a Content-Length over the cap is refused before reading, and a
 * body that grows past it is cut off. Errors name the file and the HTTP status, never the URL's token or the body.
 */
export async function openPrivateDownload(url: string, options: DownloadOptions): Promise<OpenDownload> {
  const signal = AbortSignal.timeout(options.timeoutMs ?? 300_000);
  let response: Response;
  try {
    response = await fetch(url, { headers: { authorization: `Bearer ${options.token}` }, signal, redirect: 'follow' });
  } catch (err) {
    const reason = (err as Error).name === 'TimeoutError' ? 'the download timed out' : 'the download failed';
    throw new LogRejectedError('unreadable', `${options.fileName}: ${reason}; nothing was stored. Try again.`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new LogRejectedError(
      'unreadable',
      `${options.fileName}: Slack answered ${response.status} to the download; nothing was stored.`,
    );
  }
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body?.cancel();
    throw tooLarge(options.fileName, options.maxBytes, declared);
  }
  const stream = response.body;
  if (!stream) throw new LogRejectedError('empty', `${options.fileName} is empty; nothing was stored.`);
  const body = async function* () {
    let total = 0;
    try {
      for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
        total += chunk.byteLength;
        if (total > options.maxBytes) throw tooLarge(options.fileName, options.maxBytes);
        options.onBytes?.(total);
        yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      }
    } catch (err) {
      if (err instanceof LogRejectedError) throw err;
      const reason = (err as Error).name === 'TimeoutError' ? 'the download timed out' : 'the download broke off';
      throw new LogRejectedError('unreadable', `${options.fileName}: ${reason}; nothing was stored. Try again.`);
    } finally {
      await stream.cancel().catch(() => undefined);
    }
  };
  return {
    contentType: response.headers.get('content-type'),
    declaredBytes: Number.isFinite(declared) ? declared : null,
    body: body(),
  };
}

/** The whole file in memory (chunks kept separate, no copy): for callers that need it all before going on. */
export async function downloadPrivateFile(url: string, options: DownloadOptions): Promise<Download> {
  const opened = await openPrivateDownload(url, options);
  const chunks: Buffer[] = [];
  for await (const chunk of opened.body) chunks.push(chunk);
  return { chunks, contentType: opened.contentType, bytes: chunks.reduce((n, c) => n + c.length, 0) };
}

function tooLarge(fileName: string, maxBytes: number, declared?: number): LogRejectedError {
  return new LogRejectedError(
    'too_large',
    `${fileName}${declared === undefined ? '' : ` (${formatBytes(declared)})`} is larger than the ` +
      `${formatBytes(maxBytes)} limit for logs; nothing was stored. Split it, or compress it with gzip and upload the .gz.`,
  );
}
