import { collectWithCap, formatBytes, LogRejectedError } from './logs.js';

export interface DownloadOptions {
  /** Sent as `Authorization: Bearer …` (Slack's private file URLs need the bot token). Never logged. */
  token: string;
  maxBytes: number;
  fileName: string;
  timeoutMs?: number;
  onBytes?: (total: number) => void;
}

export interface Download {
  chunks: Buffer[];
  contentType: string | null;
  bytes: number;
}

/**
 * Streams a private file into memory with a size cap: a Content-Length over the cap is refused before reading, and
 * a body that grows past it is cut off. Errors name the file and the HTTP status, never the URL's token or the body.
 */
export async function downloadPrivateFile(url: string, options: DownloadOptions): Promise<Download> {
  const signal = AbortSignal.timeout(options.timeoutMs ?? 120_000);
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
  const announced = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(announced) && announced > options.maxBytes) {
    await response.body?.cancel();
    throw new LogRejectedError(
      'too_large',
      `${options.fileName} (${formatBytes(announced)}) is larger than the ${formatBytes(options.maxBytes)} limit for ` +
        'logs; nothing was stored. Split it, or compress it with gzip and upload the .gz.',
    );
  }
  if (!response.body) throw new LogRejectedError('empty', `${options.fileName} is empty; nothing was stored.`);
  const chunks = await collectWithCap(
    response.body as unknown as AsyncIterable<Uint8Array>,
    options.maxBytes,
    options.fileName,
    options.onBytes,
  );
  return {
    chunks,
    contentType: response.headers.get('content-type'),
    bytes: chunks.reduce((n, c) => n + c.length, 0),
  };
}
