import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadPrivateFile } from '../../src/services/download.js';
import { LogRejectedError } from '../../src/services/logs.js';

const TOKEN = 'xoxb-000000000000-0000000000000-TestTokenTestTokenTest';

describe('downloading a private file', () => {
  let server: http.Server;
  let base: string;
  const seenAuth: (string | undefined)[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seenAuth.push(req.headers.authorization);
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.writeHead(302, { location: '/signin' }).end();
        return;
      }
      if (req.url === '/ok.log') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('line 1\nline 2\n');
      } else if (req.url === '/big-declared.log') {
        res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
        res.end();
      } else if (req.url === '/big-chunked.log') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        let sent = 0;
        const push = () => {
          while (sent < 64) {
            sent++;
            if (!res.write(Buffer.alloc(16 * 1024, 0x61))) return void res.once('drain', push);
          }
          res.end();
        };
        push();
      } else {
        res.writeHead(404).end('not found');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends the bot token as a bearer header and returns the body', async () => {
    const d = await downloadPrivateFile(`${base}/ok.log`, { token: TOKEN, maxBytes: 1024, fileName: 'ok.log' });
    expect(Buffer.concat(d.chunks).toString()).toBe('line 1\nline 2\n');
    expect(d.bytes).toBe(14);
    expect(seenAuth.at(-1)).toBe(`Bearer ${TOKEN}`);
  });

  it('refuses a declared size over the cap before reading, and cuts off a body that grows past it', async () => {
    const declared = await downloadPrivateFile(`${base}/big-declared.log`, {
      token: TOKEN,
      maxBytes: 1024 * 1024,
      fileName: 'big.log',
    }).catch((e: unknown) => e);
    expect((declared as LogRejectedError).reason).toBe('too_large');
    expect((declared as Error).message).toMatch(/big\.log \(50\.0 MB\) is larger than the 1\.0 MB limit/);

    const chunked = await downloadPrivateFile(`${base}/big-chunked.log`, {
      token: TOKEN,
      maxBytes: 100 * 1024,
      fileName: 'stream.log',
    }).catch((e: unknown) => e);
    expect(chunked).toBeInstanceOf(LogRejectedError);
    expect((chunked as LogRejectedError).reason).toBe('too_large');
  });

  it('turns HTTP errors into a message naming the file and status, never the token or the URL', async () => {
    const error = await downloadPrivateFile(`${base}/missing.log`, {
      token: TOKEN,
      maxBytes: 1024,
      fileName: 'x.log',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LogRejectedError);
    expect((error as Error).message).toBe('x.log: Slack answered 404 to the download; nothing was stored.');
    expect((error as Error).message).not.toContain(TOKEN);
  });
});
