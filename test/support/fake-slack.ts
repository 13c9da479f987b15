import { createHash, randomBytes } from 'node:crypto';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A loopback stand-in for Slack's Web API (and for response_url endpoints): a real HTTP server that answers like
 * Slack (`{ok:true, ts, channel, message}`, `{ok:false, error}`, 429 with Retry-After), keeps enough state to
 * answer consistently (messages by channel and ts, views by id), records every call, and injects faults per method.
 * Point the app at it with SLACK_API_URL = `fake.apiUrl`.
 */

export interface RecordedCall {
  method: string;
  headers: IncomingHttpHeaders;
  /** Parsed body: form fields, with JSON-looking values (blocks, view …) parsed. */
  body: Record<string, unknown>;
  /** What the fake answered: HTTP status and JSON body. */
  status: number;
  response: Record<string, unknown> | null;
  at: number;
}

export interface RecordedResponse {
  /** The id in the response_url (`/response/<id>`). */
  id: string;
  body: Record<string, unknown>;
  at: number;
}

export type Fault =
  | { error: string; times?: number }
  | { status: 429; retryAfter?: number; times?: number }
  | { status: 500 | 502 | 503; times?: number };

export interface StoredMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: unknown[];
  user: string;
}

export interface FakeChannel {
  id: string;
  name: string;
  is_member: boolean;
  is_private?: boolean;
  is_archived?: boolean;
}

/** A file in the fake workspace: one a person shared (served for download), or one the app uploaded. */
export interface FakeFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  content: Buffer;
  user: string;
  created: number;
  /** Where it is shared (completeUploadExternal, or addFile). */
  channel?: string;
  thread_ts?: string;
  initial_comment?: string;
  /** How the download answers: the bytes, Slack's HTML sign-in page (as for a missing scope), or a cut-off body. */
  serveAs: 'file' | 'html' | 'truncated';
  /** For uploads: the bytes arrived at upload_url, and completeUploadExternal finished it. */
  uploaded: boolean;
  completed: boolean;
}

/** The HTML page Slack serves (status 200) instead of a private file when the token or scope is wrong. */
export const SLACK_SIGNIN_PAGE =
  '<!DOCTYPE html><html lang="en-US"><head><title>Slack</title></head><body>Sign in to Slack</body></html>\n';

type Handler = (body: Record<string, unknown>, headers: IncomingHttpHeaders) => Record<string, unknown>;

export interface FakeSlackOptions {
  /** Accepted bot token; other tokens get invalid_auth. Default: any `xoxb-` token. */
  botToken?: string;
  teamId?: string;
  teamDomain?: string;
  botUserId?: string;
}

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly responses: RecordedResponse[] = [];
  readonly messages = new Map<string, StoredMessage>();
  readonly ephemerals: { channel: string; user: string; text?: string; blocks?: unknown[] }[] = [];
  readonly views = new Map<string, Record<string, unknown>>();
  readonly published = new Map<string, Record<string, unknown>>();
  readonly channels = new Map<string, FakeChannel>();
  readonly files = new Map<string, FakeFile>();
  readonly teamId: string;
  readonly teamDomain: string;
  readonly botUserId: string;
  private readonly faults = new Map<string, Fault[]>();
  private readonly overrides = new Map<string, Handler>();
  private readonly delays = new Map<string, number>();
  private readonly usedTriggers = new Set<string>();
  private seq = 0;
  private responseSeq = 0;
  private readonly listeners = new Set<() => void>();

  private constructor(
    private readonly server: http.Server,
    private readonly options: FakeSlackOptions,
  ) {
    this.teamId = options.teamId ?? 'T0TFTSR01';
    this.teamDomain = options.teamDomain ?? 'tftsr-test';
    this.botUserId = options.botUserId ?? 'U0TFTSRBOT';
  }

  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    let fake: FakeSlack | undefined;
    const server = http.createServer((req, res) => {
      fake?.handle(req, res).catch((err: unknown) => {
        res.writeHead(500);
        res.end(String(err));
      });
    });
    fake = new FakeSlack(server, options);
    server.on('upgrade', (req, socket) => fake?.acceptSocketMode(req, socket as Socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** The Web API base URL, as SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  get teamUrl(): string {
    return `https://${this.teamDomain}.slack.com/`;
  }

  /** A fresh response_url for one slash command or interaction. */
  newResponseUrl(): string {
    this.responseSeq += 1;
    return `${this.url}/response/${this.responseSeq}-${randomBytes(4).toString('hex')}`;
  }

  /** Calls to one Web API method, oldest first. */
  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  responsesTo(responseUrl: string): RecordedResponse[] {
    const id = responseUrl.split('/response/')[1];
    return this.responses.filter((r) => r.id === id);
  }

  /** The next `times` (default 1) calls to `method` fail as described. */
  fail(method: string, fault: Fault): this {
    const list = this.faults.get(method) ?? [];
    list.push(fault);
    this.faults.set(method, list);
    return this;
  }

  /** Answers of `method` take `ms` longer (0 removes the delay): for in-flight and timeout tests. */
  delay(method: string, ms: number): this {
    if (ms > 0) this.delays.set(method, ms);
    else this.delays.delete(method);
    return this;
  }

  /** Replaces the answer of one method (for shapes a test needs that the fake does not model); undefined restores it. */
  override(method: string, handler: Handler | undefined): this {
    if (handler) this.overrides.set(method, handler);
    else this.overrides.delete(method);
    return this;
  }

  addChannel(channel: Partial<FakeChannel> & { id: string }): FakeChannel {
    const full: FakeChannel = { name: channel.id.toLowerCase(), is_member: true, ...channel };
    this.channels.set(channel.id, full);
    return full;
  }

  /**
   * A file a person shared: its private download URL is served by this fake (bot token required, as Slack does).
   * Returns the Slack file object (as files.info and file_share events carry it).
   */
  addFile(file: {
    name: string;
    content: Buffer | string;
    mimetype?: string;
    filetype?: string;
    user?: string;
    channel?: string;
    thread_ts?: string;
    serveAs?: FakeFile['serveAs'];
    id?: string;
  }): Record<string, unknown> {
    const stored: FakeFile = {
      id: file.id ?? `F${randomBytes(5).toString('hex').toUpperCase()}`,
      name: file.name,
      title: file.name,
      mimetype: file.mimetype ?? 'text/plain',
      filetype: file.filetype ?? 'text',
      content: Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
      user: file.user ?? 'U0PERSON1',
      created: Math.floor(Date.now() / 1000),
      ...(file.channel ? { channel: file.channel } : {}),
      ...(file.thread_ts ? { thread_ts: file.thread_ts } : {}),
      serveAs: file.serveAs ?? 'file',
      uploaded: true,
      completed: true,
    };
    this.files.set(stored.id, stored);
    return this.fileObject(stored);
  }

  /** Files the app uploaded and completed (files.uploadV2), oldest first. */
  uploadedFiles(): FakeFile[] {
    return [...this.files.values()].filter((f) => f.completed && this.uploadIds.has(f.id));
  }

  /** The Slack file object for a stored file, as files.info answers it. */
  fileObject(file: FakeFile): Record<string, unknown> {
    const downloadPath = `${this.url}/files-pri/${this.teamId}-${file.id}/download/${encodeURIComponent(file.name)}`;
    return {
      id: file.id,
      created: file.created,
      timestamp: file.created,
      name: file.name,
      title: file.title,
      mimetype: file.mimetype,
      filetype: file.filetype,
      pretty_type: file.filetype,
      user: file.user,
      size: file.content.length,
      mode: 'hosted',
      is_external: false,
      url_private: `${this.url}/files-pri/${this.teamId}-${file.id}/${encodeURIComponent(file.name)}`,
      url_private_download: downloadPath,
      ...(file.channel
        ? {
            channels: [file.channel],
            shares: {
              public: {
                [file.channel]: [
                  { ts: file.thread_ts ?? this.nextTs(), ...(file.thread_ts ? { thread_ts: file.thread_ts } : {}) },
                ],
              },
            },
          }
        : {}),
    };
  }

  private readonly uploadIds = new Set<string>();

  /** Messages in a channel (top level and replies), oldest first. */
  messagesIn(channel: string, threadTs?: string): StoredMessage[] {
    return [...this.messages.values()]
      .filter((m) => m.channel === channel && (threadTs === undefined || m.thread_ts === threadTs))
      .sort((a, b) => a.ts.localeCompare(b.ts));
  }

  message(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.get(`${channel}:${ts}`);
  }

  /** Every byte the app sent to this fake (Web API bodies and response_url bodies), for leak checks. */
  allOutgoingText(): string {
    return [
      ...this.calls.map((c) => JSON.stringify(c.body)),
      ...this.responses.map((r) => JSON.stringify(r.body)),
    ].join('\n');
  }

  /** Resolves once `predicate` holds (checked after every recorded call), or rejects after `timeoutMs`. */
  async waitFor<T>(predicate: () => T | undefined | false, timeoutMs = 5_000): Promise<T> {
    const first = predicate();
    if (first) return first;
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = predicate();
        if (value) {
          cleanup();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`FakeSlack.waitFor timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
    });
  }

  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.ephemerals.length = 0;
    this.messages.clear();
    this.views.clear();
    this.published.clear();
    this.faults.clear();
    this.overrides.clear();
    this.delays.clear();
    this.channels.clear();
    this.files.clear();
    this.uploadIds.clear();
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ── Socket Mode ────────────────────────────────────────────────────────────────────────────────────────────────
  // apps.connections.open (with an xapp- token) answers a ws:// URL on this server; the app's Socket Mode client
  // connects, gets `hello`, and receives envelopes sent with socketSend(), acking each by envelope_id.

  private readonly sockets = new Set<Socket>();
  private readonly acks = new Map<string, (payload: Record<string, unknown> | undefined) => void>();

  /** Resolves when a Socket Mode client is connected (after `hello`). */
  async socketConnected(timeoutMs = 10_000): Promise<void> {
    await this.waitFor(() => this.sockets.size > 0, timeoutMs);
  }

  /**
   * Sends one Socket Mode envelope (`slash_commands`, `interactive`, `events_api`) and resolves with the app's ack
   * payload (undefined for an empty ack), or rejects when the app does not ack within `timeoutMs` (Slack: 3 s).
   */
  socketSend(
    type: 'slash_commands' | 'interactive' | 'events_api',
    payload: Record<string, unknown>,
    timeoutMs = 3_000,
  ) {
    const [socket] = this.sockets;
    if (!socket) return Promise.reject(new Error('no Socket Mode client connected'));
    const envelopeId = randomBytes(8).toString('hex');
    return new Promise<Record<string, unknown> | undefined>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.acks.delete(envelopeId);
        reject(new Error(`no ack for envelope ${envelopeId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.acks.set(envelopeId, (ackPayload) => {
        clearTimeout(timer);
        resolve(ackPayload);
      });
      const envelope = {
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== 'events_api',
        retry_attempt: 0,
        retry_reason: '',
      };
      socket.write(wsFrame(0x1, Buffer.from(JSON.stringify(envelope))));
    });
  }

  /** @internal HTTP upgrade on /socket-mode: the WebSocket handshake (RFC 6455) and frame reading. */
  acceptSocketMode(req: IncomingMessage, socket: Socket): void {
    const key = req.headers['sec-websocket-key'];
    if (!req.url?.startsWith('/socket-mode') || typeof key !== 'string') {
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => this.sockets.delete(socket));
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (let frame = readWsFrame(buffer); frame; frame = readWsFrame(buffer)) {
        buffer = buffer.subarray(frame.length);
        if (frame.opcode === 0x8) {
          socket.end(wsFrame(0x8, Buffer.alloc(0)));
        } else if (frame.opcode === 0x9) {
          socket.write(wsFrame(0xa, frame.payload));
        } else if (frame.opcode === 0x1) {
          const message = JSON.parse(frame.payload.toString('utf8')) as {
            envelope_id?: string;
            payload?: Record<string, unknown>;
          };
          const ack = message.envelope_id ? this.acks.get(message.envelope_id) : undefined;
          if (ack && message.envelope_id) {
            this.acks.delete(message.envelope_id);
            ack(message.payload && Object.keys(message.payload).length > 0 ? message.payload : undefined);
          }
        }
      }
    });
    socket.write(
      wsFrame(
        0x1,
        Buffer.from(
          JSON.stringify({
            type: 'hello',
            num_connections: 1,
            debug_info: { host: 'fake-slack' },
            connection_info: { app_id: 'A0TFTSR' },
          }),
        ),
      ),
    );
    this.notify();
  }

  private nextTs(): string {
    this.seq += 1;
    return `${1_700_000_000 + Math.floor(this.seq / 1000)}.${String(this.seq % 1_000_000).padStart(6, '0')}`;
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBytes = Buffer.concat(chunks);
    const raw = rawBytes.toString('utf8');
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path.startsWith('/files-pri/')) return this.serveFile(path, req, res);
    if (path.startsWith('/upload/')) return this.receiveUpload(path, rawBytes, req, res);
    const body = parseBody(raw, req.headers['content-type']);

    if (path.startsWith('/response/')) {
      this.responses.push({ id: path.slice('/response/'.length), body, at: Date.now() });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
      this.notify();
      return;
    }
    if (!path.startsWith('/api/')) {
      res.writeHead(404);
      res.end();
      return;
    }
    const method = path.slice('/api/'.length);
    const wait = this.delays.get(method);
    if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
    const { status, response, headers } = this.answer(method, body, req.headers);
    this.calls.push({ method, headers: req.headers, body, status, response, at: Date.now() });
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(response ? JSON.stringify(response) : 'upstream error');
    this.notify();
  }

  /** GET of a private file URL: the bytes with a valid bot token, else Slack's sign-in page (status 200). */
  private serveFile(path: string, req: IncomingMessage, res: ServerResponse): void {
    const match = /^\/files-pri\/[A-Z0-9]+-(F[A-Z0-9]+)\//.exec(path);
    const file = match ? this.files.get(match[1]!) : undefined;
    const token = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
    const tokenOk = this.options.botToken ? token === this.options.botToken : token.startsWith('xoxb-');
    this.calls.push({
      method: 'files-pri.download',
      headers: req.headers,
      body: { file: match?.[1] ?? null },
      status: file ? 200 : 404,
      response: null,
      at: Date.now(),
    });
    this.notify();
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('file_not_found');
      return;
    }
    if (!tokenOk || file.serveAs === 'html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(SLACK_SIGNIN_PAGE);
      return;
    }
    const body =
      file.serveAs === 'truncated' ? file.content.subarray(0, Math.floor(file.content.length / 2)) : file.content;
    res.writeHead(200, { 'content-type': file.mimetype, 'content-length': String(body.length) }).end(body);
  }

  /** POST to an upload_url from files.getUploadURLExternal: multipart (as @slack/web-api sends it) or raw bytes. */
  private async receiveUpload(path: string, raw: Buffer, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const id = path.slice('/upload/'.length);
    const file = this.files.get(id);
    let content = raw;
    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('multipart/form-data')) {
      const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
      const part = [...form.values()].find((v) => typeof v !== 'string') as Blob | undefined;
      content = part ? Buffer.from(await part.arrayBuffer()) : Buffer.alloc(0);
    }
    this.calls.push({
      method: 'upload',
      headers: req.headers,
      body: { file_id: id, bytes: content.length, content: content.toString('utf8') },
      status: file ? 200 : 404,
      response: null,
      at: Date.now(),
    });
    if (!file) {
      res.writeHead(404).end('not found');
    } else {
      file.content = content;
      file.uploaded = true;
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${content.length}`);
    }
    this.notify();
  }

  private answer(
    method: string,
    body: Record<string, unknown>,
    headers: IncomingHttpHeaders,
  ): { status: number; response: Record<string, unknown> | null; headers?: Record<string, string> } {
    const fault = this.takeFault(method);
    if (fault) {
      if ('error' in fault) return { status: 200, response: { ok: false, error: fault.error } };
      if (fault.status === 429) {
        return {
          status: 429,
          response: { ok: false, error: 'ratelimited' },
          headers: { 'retry-after': String(fault.retryAfter ?? 1) },
        };
      }
      return { status: fault.status, response: null };
    }
    const token = (headers.authorization ?? '').replace(/^Bearer\s+/i, '') || String(body.token ?? '');
    if (method === 'apps.connections.open') {
      if (!token.startsWith('xapp-')) return { status: 200, response: { ok: false, error: 'not_allowed_token_type' } };
      const url = `${this.url.replace('http', 'ws')}/socket-mode?ticket=${randomBytes(6).toString('hex')}`;
      return { status: 200, response: { ok: true, url } };
    }
    const tokenOk = this.options.botToken ? token === this.options.botToken : token.startsWith('xoxb-');
    if (!tokenOk) return { status: 200, response: { ok: false, error: token ? 'invalid_auth' : 'not_authed' } };
    const override = this.overrides.get(method);
    if (override) return { status: 200, response: override(body, headers) };
    const handler = this.methods[method];
    if (!handler) return { status: 200, response: { ok: false, error: 'unknown_method' } };
    return { status: 200, response: handler(body) };
  }

  private takeFault(method: string): Fault | undefined {
    const list = this.faults.get(method);
    const fault = list?.[0];
    if (!list || !fault) return undefined;
    const remaining = (fault.times ?? 1) - 1;
    if (remaining <= 0) list.shift();
    else list[0] = { ...fault, times: remaining };
    return fault;
  }

  /** A channel the app may post to; unknown ids are treated as public channels the bot is in. */
  private channelCheck(id: unknown): { ok: false; error: string } | FakeChannel {
    if (typeof id !== 'string' || id === '') return { ok: false, error: 'channel_not_found' };
    if (/^[UW]/.test(id)) return { id, name: 'dm', is_member: true };
    const channel = this.channels.get(id) ?? { id, name: id.toLowerCase(), is_member: true };
    if (channel.is_archived) return { ok: false, error: 'is_archived' };
    if (!channel.is_member) return { ok: false, error: channel.is_private ? 'channel_not_found' : 'not_in_channel' };
    return channel;
  }

  /**
   * trigger_ids are single-use and die 3 s after the interaction (the driver encodes its issue time in the id, as
   * `<ms>.<random>`); an id with no readable time is only checked for reuse.
   */
  private checkTrigger(body: Record<string, unknown>): { ok: false; error: string } | undefined {
    const trigger = body.trigger_id;
    if (typeof trigger !== 'string' || trigger === '') return { ok: false, error: 'invalid_arguments' };
    if (this.usedTriggers.has(trigger)) return { ok: false, error: 'expired_trigger_id' };
    const issuedAt = Number(trigger.split('.')[0]);
    if (Number.isFinite(issuedAt) && issuedAt > 1e12 && Date.now() - issuedAt > TRIGGER_TTL_MS) {
      return { ok: false, error: 'expired_trigger_id' };
    }
    this.usedTriggers.add(trigger);
    return undefined;
  }

  /** A modal stack holds 3 views: views.open starts one, views.push adds to it. */
  private viewStackDepth = 0;

  private storeView(body: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
    const view = typeof body.view === 'object' && body.view ? (body.view as Record<string, unknown>) : undefined;
    if (!view) return { ok: false, error: 'invalid_arguments' };
    const id =
      typeof body.view_id === 'string' && this.views.has(body.view_id)
        ? body.view_id
        : `V${randomBytes(5).toString('hex').toUpperCase()}`;
    const stored = {
      ...view,
      ...extra,
      id,
      team_id: this.teamId,
      hash: `${Date.now()}.${randomBytes(4).toString('hex')}`,
    };
    this.views.set(id, stored);
    return { ok: true, view: stored };
  }

  private readonly methods: Record<string, (body: Record<string, unknown>) => Record<string, unknown>> = {
    'auth.test': () => ({
      ok: true,
      url: this.teamUrl,
      team: this.teamDomain,
      user: 'tftsr',
      team_id: this.teamId,
      user_id: this.botUserId,
      bot_id: 'B0TFTSRBOT',
      is_enterprise_install: false,
    }),
    'chat.postMessage': (body) => {
      const channel = this.channelCheck(body.channel);
      if ('ok' in channel) return channel;
      if (!body.text && !body.blocks) return { ok: false, error: 'no_text' };
      const blocksRefused = checkMessageBlocks(body.blocks);
      if (blocksRefused) return blocksRefused;
      const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
      if (threadTs && !this.messages.has(`${channel.id}:${threadTs}`)) return { ok: false, error: 'thread_not_found' };
      const message: StoredMessage = {
        channel: channel.id,
        ts: this.nextTs(),
        user: this.botUserId,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        ...(typeof body.text === 'string' ? { text: body.text } : {}),
        ...(Array.isArray(body.blocks) ? { blocks: body.blocks } : {}),
      };
      this.messages.set(`${channel.id}:${message.ts}`, message);
      return {
        ok: true,
        channel: channel.id,
        ts: message.ts,
        message: { type: 'message', bot_id: 'B0TFTSRBOT', ...message },
      };
    },
    'chat.update': (body) => {
      const key = `${String(body.channel)}:${String(body.ts)}`;
      const existing = this.messages.get(key);
      if (!existing) return { ok: false, error: 'message_not_found' };
      const blocksRefused = checkMessageBlocks(body.blocks);
      if (blocksRefused) return blocksRefused;
      const updated: StoredMessage = {
        ...existing,
        ...(typeof body.text === 'string' ? { text: body.text } : {}),
        ...(Array.isArray(body.blocks) ? { blocks: body.blocks } : {}),
      };
      this.messages.set(key, updated);
      return { ok: true, channel: existing.channel, ts: existing.ts, text: updated.text, message: updated };
    },
    'chat.delete': (body) => {
      const key = `${String(body.channel)}:${String(body.ts)}`;
      if (!this.messages.delete(key)) return { ok: false, error: 'message_not_found' };
      return { ok: true, channel: body.channel, ts: body.ts };
    },
    'chat.postEphemeral': (body) => {
      const channel = this.channelCheck(body.channel);
      if ('ok' in channel) return channel;
      if (typeof body.user !== 'string') return { ok: false, error: 'user_not_in_channel' };
      this.ephemerals.push({
        channel: channel.id,
        user: body.user,
        ...(typeof body.text === 'string' ? { text: body.text } : {}),
        ...(Array.isArray(body.blocks) ? { blocks: body.blocks } : {}),
      });
      return { ok: true, message_ts: this.nextTs() };
    },
    'chat.getPermalink': (body) => ({
      ok: true,
      channel: body.channel,
      permalink: `${this.teamUrl}archives/${String(body.channel)}/p${String(body.message_ts).replace('.', '')}`,
    }),
    'views.open': (body) => {
      const refused = this.checkTrigger(body) ?? checkView(body.view);
      if (refused) return refused;
      this.viewStackDepth = 1;
      return this.storeView(body);
    },
    'views.push': (body) => {
      const refused = this.checkTrigger(body) ?? checkView(body.view);
      if (refused) return refused;
      if (this.viewStackDepth >= MAX_VIEW_STACK) return { ok: false, error: 'push_limit_reached' };
      this.viewStackDepth += 1;
      return this.storeView(body);
    },
    'views.update': (body) => {
      if (typeof body.view_id !== 'string' || !this.views.has(body.view_id)) return { ok: false, error: 'not_found' };
      return checkView(body.view) ?? this.storeView(body);
    },
    'views.publish': (body) => {
      if (typeof body.user_id !== 'string') return { ok: false, error: 'invalid_arguments' };
      const result = this.storeView(body);
      if (result.ok) this.published.set(body.user_id, result.view as Record<string, unknown>);
      return result;
    },
    'conversations.info': (body) => {
      const id = String(body.channel ?? '');
      const channel = this.channels.get(id) ?? { id, name: id.toLowerCase(), is_member: true };
      if (channel.is_private && !channel.is_member) return { ok: false, error: 'channel_not_found' };
      return { ok: true, channel: { ...channel, is_channel: true } };
    },
    'files.info': (body) => {
      const file = this.files.get(String(body.file ?? ''));
      if (!file?.completed) return { ok: false, error: 'file_not_found' };
      return { ok: true, file: this.fileObject(file) };
    },
    'files.getUploadURLExternal': (body) => {
      const length = Number(body.length);
      if (typeof body.filename !== 'string' || !body.filename || !Number.isInteger(length) || length < 0) {
        return { ok: false, error: 'invalid_arguments' };
      }
      const id = `F${randomBytes(5).toString('hex').toUpperCase()}`;
      this.files.set(id, {
        id,
        name: body.filename,
        title: body.filename,
        mimetype: 'text/plain',
        filetype: body.filename.endsWith('.md') ? 'markdown' : 'text',
        content: Buffer.alloc(0),
        user: this.botUserId,
        created: Math.floor(Date.now() / 1000),
        serveAs: 'file',
        uploaded: false,
        completed: false,
      });
      this.uploadIds.add(id);
      return { ok: true, upload_url: `${this.url}/upload/${id}`, file_id: id };
    },
    'files.completeUploadExternal': (body) => {
      const list = Array.isArray(body.files) ? (body.files as { id?: string; title?: string }[]) : undefined;
      if (!list?.length) return { ok: false, error: 'invalid_arguments' };
      const files = list.map((f) => this.files.get(String(f.id ?? '')));
      if (files.some((f) => !f?.uploaded)) return { ok: false, error: 'file_not_found' };
      const channelId = typeof body.channel_id === 'string' ? body.channel_id : undefined;
      const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
      if (channelId) {
        const channel = this.channelCheck(channelId);
        if ('ok' in channel) return channel;
        if (threadTs && !this.messages.has(`${channelId}:${threadTs}`)) return { ok: false, error: 'thread_not_found' };
      }
      for (const [i, f] of files.entries()) {
        f!.completed = true;
        if (list[i]?.title) f!.title = list[i].title;
        if (channelId) f!.channel = channelId;
        if (threadTs) f!.thread_ts = threadTs;
        if (typeof body.initial_comment === 'string') f!.initial_comment = body.initial_comment;
      }
      if (channelId) {
        const ts = this.nextTs();
        this.messages.set(`${channelId}:${ts}`, {
          channel: channelId,
          ts,
          user: this.botUserId,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          text: typeof body.initial_comment === 'string' ? body.initial_comment : '',
        });
      }
      return { ok: true, files: files.map((f) => ({ id: f!.id, title: f!.title })) };
    },
    'users.info': (body) => ({
      ok: true,
      user: { id: body.user, team_id: this.teamId, name: String(body.user).toLowerCase(), is_bot: false, tz: 'UTC' },
    }),
  };
}

export const TRIGGER_TTL_MS = 3_000;
export const MAX_VIEW_STACK = 3;

/** Every text string inside a block tree (what Slack counts toward a message's limits). */
function textsIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) textsIn(n, out);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'text' && typeof value === 'string') out.push(value);
      else textsIn(value, out);
    }
  }
  return out;
}

/**
 * Slack's message limits as it enforces them: at most 50 blocks, a section's text ≤ 3000 characters, a header's
 * ≤ 150, a markdown block's ≤ 12,000 (invalid_blocks), and about 12,000 characters of text in all
 * (msg_blocks_too_long).
 */
function checkMessageBlocks(blocks: unknown): { ok: false; error: string } | undefined {
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks)) return { ok: false, error: 'invalid_blocks_format' };
  if (blocks.length > 50) return { ok: false, error: 'invalid_blocks' };
  for (const block of blocks as Record<string, unknown>[]) {
    const text = block.text as { text?: unknown } | string | undefined;
    const value = typeof text === 'string' ? text : typeof text?.text === 'string' ? text.text : '';
    if (block.type === 'section' && value.length > 3000) return { ok: false, error: 'invalid_blocks' };
    if (block.type === 'header' && value.length > 150) return { ok: false, error: 'invalid_blocks' };
    if (block.type === 'markdown' && value.length > 12_000) return { ok: false, error: 'invalid_blocks' };
  }
  const total = textsIn(blocks).reduce((n, t) => n + t.length, 0);
  if (total > 12_000) return { ok: false, error: 'msg_blocks_too_long' };
  return undefined;
}

/** Modal limits: title ≤ 24 characters, ≤ 100 blocks, private_metadata ≤ 3000, plain-text inputs ≤ 3000. */
function checkView(view: unknown): { ok: false; error: string } | undefined {
  if (!view || typeof view !== 'object') return { ok: false, error: 'invalid_arguments' };
  const v = view as { title?: { text?: string }; blocks?: unknown[]; private_metadata?: string; type?: string };
  if (v.type === 'modal' && (v.title?.text ?? '').length > 24) return { ok: false, error: 'invalid_arguments' };
  if ((v.blocks?.length ?? 0) > 100) return { ok: false, error: 'invalid_arguments' };
  if ((v.private_metadata?.length ?? 0) > 3000) return { ok: false, error: 'invalid_arguments' };
  const inputs = JSON.stringify(v.blocks ?? []).match(/"max_length":(\d+)/g) ?? [];
  if (inputs.some((m) => Number(m.split(':')[1]) > 3000)) return { ok: false, error: 'invalid_arguments' };
  return undefined;
}

/** One unfragmented server frame (servers never mask). */
function wsFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([0x80 | opcode, length])
      : length < 65536
        ? Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff])
        : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigLength(length)]);
  return Buffer.concat([header, payload]);
}

function bigLength(length: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(length));
  return b;
}

/** Reads one complete client frame (masked, per RFC 6455) from the start of the buffer. */
function readWsFrame(buf: Buffer): { opcode: number; payload: Buffer; length: number } | undefined {
  if (buf.length < 2) return undefined;
  const opcode = buf[0]! & 0x0f;
  const masked = (buf[1]! & 0x80) !== 0;
  let length = buf[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buf.length < 4) return undefined;
    length = buf.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buf.length < 10) return undefined;
    length = Number(buf.readBigUInt64BE(2));
    offset = 10;
  }
  const maskOffset = offset;
  if (masked) offset += 4;
  if (buf.length < offset + length) return undefined;
  const payload = Buffer.from(buf.subarray(offset, offset + length));
  if (masked) for (let i = 0; i < payload.length; i++) payload[i]! ^= buf[maskOffset + (i % 4)]!;
  return { opcode, payload, length: offset + length };
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return { _raw: raw };
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    out[key] = /^[[{]/.test(value) ? tryJson(value) : value;
  }
  return out;
}

function tryJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
