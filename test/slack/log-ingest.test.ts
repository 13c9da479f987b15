import fs from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { openIssueIn, type SlackHarness, useSlackHarness } from '../support/slack-harness.js';
import { filesUnder } from '../support/tmp.js';
import { LOG, PLANTED, plantedIn } from './log-support.js';

let h: SlackHarness;
let channel: string;
useSlackHarness('C0LOG', (state) => {
  ({ h, channel } = state);
});
beforeEach(() => {
  h.store.settings.delete('ingest.max_bytes');
});

const createIssue = (title = 'Checkout 502s sev:high') => openIssueIn(h, channel, title);

type FileSpec = Parameters<SlackHarness['fake']['addFile']>[0];

/** A person uploads a file as a reply in the thread: the fake holds it; Slack sends the file_share message. */
async function share(ts: string, spec: Omit<FileSpec, 'channel' | 'thread_ts'>) {
  const file = h.fake.addFile({ ...spec, channel, thread_ts: ts });
  const sent = await h.driver.fileShareMessage([file], { channel, thread_ts: ts, user: 'U0PERSON1' });
  await h.idle();
  return { file, sent };
}

const threadMessages = (ts: string) => h.fake.messagesIn(channel, ts);
const threadText = (ts: string) => threadMessages(ts).map((m) => `${m.text ?? ''}\n${JSON.stringify(m.blocks ?? [])}`);

/** Everything that left the app: Web API bodies, response_url bodies, uploaded file bytes, its own log lines. */
function everythingOutgoing(): string {
  return [h.fake.allOutgoingText(), ...h.fake.uploadedFiles().map((f) => f.content.toString('latin1')), ...h.logs].join(
    '\n',
  );
}

describe('a log shared into an issue thread', () => {
  it('is downloaded with the bot token, redacted and stored; the progress message becomes the summary', async () => {
    const { issue, ts } = await createIssue();
    const { file } = await share(ts, { name: 'checkout.log', content: LOG });

    const [log] = h.store.logFiles.listByIssue(issue.id);
    expect(log).toMatchObject({
      file_name: 'checkout.log',
      file_size: Buffer.byteLength(LOG),
      slack_file_id: file.id,
      uploaded_by: 'U0PERSON1',
      line_count: 8,
      content_encoding: 'identity',
      redacted: 0,
    });
    expect(log!.content_hash).toMatch(/^[0-9a-f]{64}$/);
    const redacted = h.store.logBlobs.read(log!.id, 'redacted').toString();
    expect(plantedIn(redacted)).toEqual([]);
    expect(redacted).toContain('[Email]');
    expect(h.store.logBlobs.read(log!.id, 'original').toString()).toBe(LOG);
    const counts = h.store.piiSpans.countsByType(log!.id);
    expect(counts.Email).toBe(2);
    expect(counts.IPv4).toBe(3);
    expect(Object.keys(counts)).toEqual(expect.arrayContaining(['AWSAccessKey', 'SlackToken', 'GitHubToken']));
    expect(h.store.audit.list({ entityId: log!.id }).map((a) => a.action)).toEqual(['log_attach']);

    // Downloaded once, with the bot token.
    const downloads = h.fake.callsTo('files-pri.download');
    expect(downloads).toHaveLength(1);
    expect(downloads[0]!.headers.authorization).toMatch(/^Bearer xoxb-/);

    // One thread message: posted as progress at once, then edited into the summary.
    const posted = h.fake.callsTo('chat.postMessage').filter((c) => c.body.thread_ts === ts);
    expect(posted).toHaveLength(1);
    expect(String(posted[0]!.body.text)).toMatch(
      /^:hourglass_flowing_sand: Processing checkout\.log \(\d+(\.\d)? (B|KB)\)…/,
    );
    const messages = threadMessages(ts);
    expect(messages).toHaveLength(1);
    const summary = JSON.stringify(messages[0]!.blocks);
    expect(summary).toContain('*checkout.log*');
    expect(summary).toContain('8 lines');
    expect(summary).toContain('2 Email');
    expect(summary).toContain('3 IPv4');
    expect(summary).toContain('[Email]'); // the excerpt: redacted lines
    expect(summary).toContain('tftsr.log.review');
    expect(summary).toContain('tftsr.log.download');
    expect(summary).toContain(`"action_id":"tftsr.whys.start","value":"${issue.id}"`);

    expect(plantedIn(everythingOutgoing())).toEqual([]);
    for (const path of filesUnder(h.dataDir)) {
      const bytes = fs.readFileSync(path).toString('latin1');
      expect(plantedIn(bytes), path).toEqual([]);
    }
  });

  it('a gzip log is accepted, decompressed for redaction, stored compressed', async () => {
    const { issue, ts } = await createIssue('Gzip sev:low');
    await share(ts, { name: 'app.log.gz', content: gzipSync(LOG), mimetype: 'application/gzip', filetype: 'gzip' });
    const [log] = h.store.logFiles.listByIssue(issue.id);
    expect(log).toMatchObject({ file_name: 'app.log.gz', content_encoding: 'gzip', line_count: 8 });
    const redacted = h.store.logBlobs.read(log!.id, 'redacted').toString();
    expect(redacted).toContain('[Email]');
    expect(redacted.split('\n')).toHaveLength(9);
    expect(threadText(ts).join('\n')).toContain('gzip');
    expect(plantedIn(everythingOutgoing())).toEqual([]);
  });

  it('a file name holding an address is shown redacted (summary, errors, download)', async () => {
    const { issue, ts } = await createIssue('Named sev:low');
    const name = `export (${PLANTED.email}).txt`;
    await share(ts, { name, content: LOG });
    const [log] = h.store.logFiles.listByIssue(issue.id);
    expect(log?.file_name).toBe(name); // stored as uploaded, in the encrypted store
    const m = threadMessages(ts)[0]!;
    expect(JSON.stringify(m.blocks)).toContain('*export ([Email]).txt*');
    await h.driver.clickButton({ channel, ts: m.ts, blocks: m.blocks! }, 'tftsr.log.download');
    await share(ts, { name: `shot (${PLANTED.email}).png`, content: 'x', mimetype: 'image/png', filetype: 'png' });
    await h.idle();
    expect(h.fake.uploadedFiles().at(-1)?.name).toBe('export ([Email]).redacted.txt');
    expect(threadText(ts).join('\n')).toContain('shot ([Email]).png is not a text log');
    expect(plantedIn(everythingOutgoing())).toEqual([]);
  });

  it('any text extension is a log', async () => {
    const { issue, ts } = await createIssue('Odd names sev:low');
    await share(ts, { name: 'trace.out', content: LOG, mimetype: 'application/octet-stream', filetype: 'binary' });
    expect(h.store.logFiles.listByIssue(issue.id)).toHaveLength(1);
  });

  it('over the size cap: one thread reply saying so, no download, nothing stored', async () => {
    const { issue, ts } = await createIssue('Too big sev:low');
    h.store.settings.set('ingest.max_bytes', '200');
    const { file } = await share(ts, { name: 'huge.log', content: LOG });
    expect(h.store.logFiles.listByIssue(issue.id)).toEqual([]);
    expect(h.fake.callsTo('files-pri.download').filter((c) => c.body.file === file.id)).toEqual([]);
    const lines = threadText(ts);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('huge.log');
    expect(lines[0]).toContain('larger than the 200 B limit');
    expect(lines[0]).toContain('nothing was stored');
  });

  it('a body that grows past the cap while downloading is cut off (size not announced)', async () => {
    const { issue, ts } = await createIssue('Growing sev:low');
    h.store.settings.set('ingest.max_bytes', '300');
    const file = h.fake.addFile({ name: 'stub.log', content: LOG, channel, thread_ts: ts });
    // A message event with a stub file object (no size): the app asks files.info, which announces the real size.
    await h.driver.fileShareMessage([{ id: file.id }], { channel, thread_ts: ts });
    await h.idle();
    expect(h.store.logFiles.listByIssue(issue.id)).toEqual([]);
    expect(threadText(ts).join('\n')).toContain('larger than the 300 B limit');
    expect(h.fake.callsTo('files.info').some((c) => c.body.file === file.id)).toBe(true);
  });

  it('Slack’s HTML sign-in page instead of the file is recognised, not stored', async () => {
    const { issue, ts } = await createIssue('Scope missing sev:low');
    await share(ts, { name: 'auth.log', content: LOG, serveAs: 'html' });
    expect(h.store.logFiles.listByIssue(issue.id)).toEqual([]);
    const lines = threadText(ts);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Slack sent a web page instead of the file');
  });

  it('a truncated download is refused (received size differs from the announced one)', async () => {
    const { issue, ts } = await createIssue('Truncated sev:low');
    await share(ts, { name: 'cut.log', content: LOG, serveAs: 'truncated' });
    expect(h.store.logFiles.listByIssue(issue.id)).toEqual([]);
    expect(threadText(ts)[0]).toContain('incomplete');
  });

  it('images and binaries are refused with a clear reply', async () => {
    const { issue, ts } = await createIssue('Binaries sev:low');
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
    await share(ts, { name: 'screenshot.png', content: png, mimetype: 'image/png', filetype: 'png' });
    const elf = Buffer.concat([Buffer.from('\x7fELF'), Buffer.alloc(64, 0)]);
    await share(ts, { name: 'core.dump', content: elf, mimetype: 'application/octet-stream', filetype: 'binary' });
    expect(h.store.logFiles.listByIssue(issue.id)).toEqual([]);
    const lines = threadText(ts);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('screenshot.png is not a text log (a png file)');
    expect(lines[1]).toContain('core.dump is not a text log');
    expect(lines[1]).toContain('upload logs as text or .gz');
  });

  it('files shared outside issue threads are ignored without a Web API call', async () => {
    await createIssue('Unrelated sev:low');
    const before = h.fake.calls.length;
    const top = h.fake.addFile({ name: 'top.log', content: LOG, channel });
    await h.driver.fileShareMessage([top], { channel });
    const other = h.fake.addFile({ name: 'other.log', content: LOG, channel, thread_ts: '1700000000.999999' });
    await h.driver.fileShareMessage([other], { channel, thread_ts: '1700000000.999999' });
    await h.driver.event({ type: 'message', channel, user: 'U0BOB', ts: '1700000001.000001', text: 'chatter' });
    await h.idle();
    const after = h.fake.calls.slice(before).filter((c) => c.method !== 'chat.postEphemeral');
    expect(after.map((c) => c.method)).toEqual([]);
  });
});

describe('progress and failures', () => {
  it('a large log: progress posted at once, edited a few times (not per chunk), then the summary', async () => {
    const { issue, ts } = await createIssue('Big one sev:low');
    const big = LOG.repeat(Math.ceil((9 * 1024 * 1024) / LOG.length));
    await share(ts, { name: 'big.log', content: big });
    const [log] = h.store.logFiles.listByIssue(issue.id);
    expect(log?.file_size).toBe(Buffer.byteLength(big));
    const progressTs = h.fake.callsTo('chat.postMessage').find((c) => c.body.thread_ts === ts)!.response!.ts;
    const edits = h.fake.callsTo('chat.update').filter((c) => c.body.ts === progressTs);
    expect(edits.length).toBeGreaterThanOrEqual(2);
    expect(edits.length).toBeLessThanOrEqual(8);
    expect(String(edits[0]!.body.text)).toContain('Processing big.log (9.0 MB)… redacting');
    for (const e of edits.slice(1, -1))
      expect(String(e.body.text)).toMatch(/Processing big\.log \(9\.0 MB\)… redacting \d+%/);
    expect(JSON.stringify(edits.at(-1)!.body.blocks)).toContain('tftsr.log.review');
    expect(plantedIn(everythingOutgoing())).toEqual([]);
  });

  it('the event loop keeps turning while a large log is redacted (other requests are acked meanwhile)', async () => {
    const { issue, ts } = await createIssue('Busy sev:low');
    // About one line in seventeen carries something to redact. The log is stored in short transactions as it is
    // redacted (see bench/RESULTS.md ## bench:ingest for a span on every line).
    const line = '2026-03-01T10:00:09Z INFO  GET /api/v2/cart/items 200 12ms cache=hit region=eu-west-1\n';
    const filler = line.repeat(128);
    const unit = LOG + filler;
    const big = unit.repeat(Math.ceil((16 * 1024 * 1024) / unit.length));
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const started = performance.now();
    await share(ts, { name: 'busy.log', content: big });
    const took = performance.now() - started;
    delay.disable();
    expect(h.store.logFiles.listByIssue(issue.id)).toHaveLength(1);
    const maxMs = delay.max / 1e6;
    console.log(`16 MB ingest: ${took.toFixed(0)} ms, longest event-loop stall ${maxMs.toFixed(0)} ms`);
    // Redaction yields every ~1 MB (unit-tested in log-blocks.test.ts) and storage every 20,000 spans or 4 MiB;
    // this guards against the whole ingest blocking in one piece.
    expect(maxMs).toBeLessThan(Math.max(2500, took * 0.8));
  });

  it('an unexpected failure turns the progress message into an error; nothing is stored; a retry works', async () => {
    const { issue, ts } = await createIssue('Disk trouble sev:low');
    const spy = vi.spyOn(h.store.logBlobs, 'append').mockImplementation(() => {
      throw new Error('disk I/O error');
    });
    let sent: Awaited<ReturnType<typeof share>>;
    try {
      sent = await share(ts, { name: 'fail.log', content: LOG });
    } finally {
      spy.mockRestore();
    }
    expect(h.store.logFiles.listByIssue(issue.id)).toEqual([]);
    expect(
      h.store.audit.list({ action: 'log_attach' }).filter((a) => a.details?.includes(sent.file.id as string)),
    ).toEqual([]);
    const lines = threadText(ts);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('fail.log could not be processed and nothing was stored');
    // The claim was released: Slack's retry of the event processes the file.
    await h.driver.fileShareMessage([sent.file], { channel, thread_ts: ts }, { eventId: `${sent.sent.eventId}R` });
    await h.idle();
    expect(h.store.logFiles.listByIssue(issue.id)).toHaveLength(1);
  });
});

describe('duplicates and concurrency', () => {
  it('the same event delivered twice (a Slack retry) gives one log and one summary', async () => {
    const { issue, ts } = await createIssue('Retry sev:low');
    const file = h.fake.addFile({ name: 'retry.log', content: LOG, channel, thread_ts: ts });
    const first = await h.driver.fileShareMessage([file], { channel, thread_ts: ts });
    await h.driver.fileShareMessage([file], { channel, thread_ts: ts }, { eventId: first.eventId, retryNum: 1 });
    await h.idle();
    expect(h.store.logFiles.listByIssue(issue.id)).toHaveLength(1);
    expect(threadMessages(ts)).toHaveLength(1);
  });

  it('message/file_share and file_shared for one upload, at once, give one log', async () => {
    const { issue, ts } = await createIssue('Pair sev:low');
    const file = h.fake.addFile({ name: 'pair.log', content: LOG, channel, thread_ts: ts });
    await Promise.all([
      h.driver.fileShared(file, { channel }),
      h.driver.fileShareMessage([file], { channel, thread_ts: ts }),
    ]);
    await h.idle();
    expect(h.store.logFiles.listByIssue(issue.id)).toHaveLength(1);
    expect(threadMessages(ts)).toHaveLength(1);
    // And a late file_shared after everything is done does nothing either.
    await h.driver.fileShared(file, { channel });
    await h.idle();
    expect(h.store.logFiles.listByIssue(issue.id)).toHaveLength(1);
    expect(h.fake.callsTo('files-pri.download').filter((c) => c.body.file === file.id)).toHaveLength(1);
  });

  it('file_shared alone (no message event) finds the thread through files.info', async () => {
    const { issue, ts } = await createIssue('Only file_shared sev:low');
    const file = h.fake.addFile({ name: 'alone.log', content: LOG, channel, thread_ts: ts });
    await h.driver.fileShared(file, { channel });
    await h.idle();
    const logs = h.store.logFiles.listByIssue(issue.id);
    expect(logs.map((l) => l.file_name)).toEqual(['alone.log']);
    expect(JSON.stringify(threadMessages(ts)[0]!.blocks)).toContain('*alone.log*');
  });

  it('five uploads into one thread at once give five logs and five summaries', async () => {
    const { issue, ts } = await createIssue('Five at once sev:low');
    const files = Array.from({ length: 5 }, (_, i) =>
      h.fake.addFile({ name: `node-${i}.log`, content: `${LOG}node ${i}\n`, channel, thread_ts: ts }),
    );
    await Promise.all(files.map((f) => h.driver.fileShareMessage([f], { channel, thread_ts: ts })));
    await h.idle();
    const logs = h.store.logFiles.listByIssue(issue.id);
    expect(logs.map((l) => l.file_name).sort()).toEqual(files.map((f) => f.name).sort());
    const summaries = threadText(ts).filter((t) => t.includes('tftsr.log.review'));
    expect(summaries).toHaveLength(5);
    expect(plantedIn(everythingOutgoing())).toEqual([]);
  });
});
