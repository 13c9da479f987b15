import fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRedactor } from '../../src/redact/index.js';
import {
  applyRedactionReview,
  buildRedactionReview,
  REVIEW_CHUNK_SPANS,
  takeRedactedDownload,
} from '../../src/services/log-review.js';
import { attachLog, type IncomingLog, LogRejectedError, redactedExcerpt } from '../../src/services/logs.js';
import { type Issue, openStore, type Store } from '../../src/store/index.js';
import { firstSpanId } from '../support/spans.js';
import { filesUnder, makeTempDir, TEST_DB_KEY, useTempStore } from '../support/tmp.js';

/** Values planted in the log: each must end up in the encrypted store only. */
const PLANTED = {
  email: 'jane.doe@example.com',
  ip: '203.0.113.77',
  awsKey: 'AKIAIOSFODNN7EXAMPLE',
  slackToken: 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
  password: 'hunter2-Sup3rSecret',
};

const LOG = [
  `2026-03-01T10:00:01Z INFO  checkout-api request from ${PLANTED.ip} user=${PLANTED.email} status=502`,
  '2026-03-01T10:00:02Z WARN  pool exhausted after 30s, version 4.2.1',
  `2026-03-01T10:00:03Z DEBUG env AWS_ACCESS_KEY_ID=${PLANTED.awsKey}`,
  `2026-03-01T10:00:04Z ERROR slack notify failed token=${PLANTED.slackToken}`,
  `2026-03-01T10:00:05Z ERROR db login failed password=${PLANTED.password}`,
  `2026-03-01T10:00:06Z INFO  retry from ${PLANTED.ip}`,
  '',
].join('\n');

function incoming(issue: Issue, content: Buffer | Buffer[], extra: Partial<IncomingLog> = {}): IncomingLog {
  const chunks = Array.isArray(content) ? content : [content];
  return {
    issueId: issue.id,
    fileName: 'checkout.log',
    mimeType: 'text/plain',
    chunks,
    userId: 'U_UPLOADER',
    filePath: 'slack://T1/F1',
    ...extra,
  };
}

function plantedIn(buf: Buffer | string): string[] {
  const text = buf.toString();
  return Object.values(PLANTED).filter((v) => text.includes(v));
}

describe('attaching a log to an issue', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let issue: Issue;
  const redactor = createRedactor();
  beforeAll(() => {
    tmp = makeTempDir();
    store = openStore({ dataDir: tmp.dir, key: TEST_DB_KEY });
    issue = store.issues.create({ title: 'Checkout 502s', severity: 'high' });
  });
  afterAll(() => {
    store.close();
    tmp.cleanup();
  });

  it('stores the original, the spans and the redacted text; only the store holds the planted values', async () => {
    const result = await attachLog(store, redactor, incoming(issue, Buffer.from(LOG), { slackFileId: 'F_MAIN' }));
    expect(result.created).toBe(true);
    expect(result.lines).toBe(6);
    expect(result.logFile).toMatchObject({
      file_name: 'checkout.log',
      file_size: Buffer.byteLength(LOG),
      line_count: 6,
      uploaded_by: 'U_UPLOADER',
      redacted: 0,
      content_encoding: 'identity',
    });
    expect(result.logFile.content_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(result.countsByType).toMatchObject({ Email: 1, IPv4: 2 });

    const original = store.logBlobs.read(result.logFile.id, 'original');
    expect(original.toString()).toBe(LOG);
    const redacted = store.logBlobs.read(result.logFile.id, 'redacted').toString();
    expect(plantedIn(redacted)).toEqual([]);
    expect(redacted).toContain('[Email]');
    expect(redacted).toContain('version 4.2.1');

    const spans = store.piiSpans.listByLogFile(result.logFile.id);
    for (const s of spans) expect(original.subarray(s.start_offset, s.end_offset).toString()).toBe(s.original_value);
    expect(spans.map((s) => s.original_value)).toEqual(expect.arrayContaining(Object.values(PLANTED)));

    const [audit] = store.audit.list({ action: 'log_attach', entityId: result.logFile.id });
    expect(audit).toBeDefined();
    expect(plantedIn(JSON.stringify(audit))).toEqual([]);
    expect(JSON.parse(audit!.details!)).toMatchObject({ sha256: result.logFile.content_hash, lines: 6 });

    const excerpt = redactedExcerpt(store, result.logFile.id);
    expect(excerpt).toContain('[IPv4]');
    expect(plantedIn(excerpt)).toEqual([]);

    store.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const file of filesUnder(tmp.dir)) expect(plantedIn(fs.readFileSync(file)), file).toEqual([]);
  });

  it('attaches a Slack file once however often it is delivered, and concurrent uploads each once', async () => {
    const first = await attachLog(store, redactor, incoming(issue, Buffer.from(LOG), { slackFileId: 'F_DUP' }));
    const again = await attachLog(store, redactor, incoming(issue, Buffer.from(LOG), { slackFileId: 'F_DUP' }));
    expect(again.created).toBe(false);
    expect(again.logFile.id).toBe(first.logFile.id);
    expect(again.countsByType).toEqual(first.countsByType);

    const racing = await Promise.all(
      ['F_R1', 'F_R2', 'F_R3', 'F_R4', 'F_R5', 'F_R1'].map((id) =>
        attachLog(store, redactor, incoming(issue, Buffer.from(LOG), { slackFileId: id, fileName: `${id}.log` })),
      ),
    );
    expect(new Set(racing.map((r) => r.logFile.id)).size).toBe(5);
    const ids = store.logFiles.listByIssue(issue.id).map((l) => l.slack_file_id);
    expect(ids.filter((id) => id === 'F_DUP')).toHaveLength(1);
    expect(ids.filter((id) => id?.startsWith('F_R'))).toHaveLength(5);
  });

  it('redacts a gzip log on its decompressed text and keeps the .gz bytes as received', async () => {
    const gz = gzipSync(Buffer.from(LOG));
    const result = await attachLog(store, redactor, incoming(issue, gz, { fileName: 'checkout.log.gz' }));
    expect(result.logFile.content_encoding).toBe('gzip');
    expect(result.textBytes).toBe(Buffer.byteLength(LOG));
    expect(store.logBlobs.read(result.logFile.id, 'original').equals(gz)).toBe(true);
    expect(plantedIn(store.logBlobs.read(result.logFile.id, 'redacted'))).toEqual([]);
    const review = await buildRedactionReview(store, result.logFile.id);
    expect(review.groups.find((g) => g.type === 'IPv4')?.values[0]?.context).toContain('⟦[IPv4]⟧');
  });

  it.each([
    [
      'binary',
      'image.png',
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]),
    ],
    ['binary', 'core.dump', Buffer.concat([Buffer.from('hello'), Buffer.alloc(10), Buffer.from('world')])],
    ['html', 'app.log', Buffer.from('<!DOCTYPE html>\n<html><head><title>Sign in | Slack</title></head></html>')],
    ['empty', 'empty.log', Buffer.alloc(0)],
  ])('refuses %s input (%s) with a clear message and stores nothing', async (reason, fileName, bytes) => {
    const before = store.logFiles.listByIssue(issue.id).length;
    const error = await attachLog(store, redactor, incoming(issue, bytes, { fileName })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LogRejectedError);
    expect((error as LogRejectedError).reason).toBe(reason);
    expect((error as Error).message).toContain(fileName);
    expect(store.logFiles.listByIssue(issue.id)).toHaveLength(before);
  });

  it('refuses a download whose size differs from the announced size', async () => {
    const error = await attachLog(store, redactor, incoming(issue, Buffer.from(LOG), { announcedSize: 999_999 })).catch(
      (e: unknown) => e,
    );
    expect((error as LogRejectedError).reason).toBe('size_mismatch');
  });

  it('stores a span-dense log in several short transactions, listing it only once it is complete', async () => {
    const lines = Array.from(
      { length: 30_000 },
      (_, i) => `2026-03-01T10:00:00Z user=user${i}@example.com from 203.0.113.${i % 250}`,
    );
    const big = Buffer.from(`${lines.join('\n')}\n`);
    // Before every transaction of the ingest, look at what readers see: the half-written log must not be listed.
    const original = store.transaction.bind(store);
    const listedBeforeEachTx: number[] = [];
    const tx = vi.spyOn(store, 'transaction').mockImplementation((fn) => {
      listedBeforeEachTx.push(store.logFiles.listByIssue(issue.id).filter((l) => l.file_name === 'dense.log').length);
      return original(fn);
    });
    const spansBefore = store.db.prepare('SELECT count(*) FROM pii_spans').pluck().get() as number;
    const result = await attachLog(
      store,
      redactor,
      incoming(issue, [big.subarray(0, 1_000_000), big.subarray(1_000_000)], { fileName: 'dense.log' }),
    ).finally(() => tx.mockRestore());
    expect(result.spanCount).toBe(60_000);
    expect(result.lines).toBe(30_000);
    // create, three batches of 20,000 spans (with their redacted text and original), then ready: never listed before
    expect(listedBeforeEachTx.length).toBeGreaterThanOrEqual(5);
    expect(listedBeforeEachTx.every((n) => n === 0)).toBe(true);
    expect(store.logFiles.listByIssue(issue.id).filter((l) => l.file_name === 'dense.log')).toHaveLength(1);
    expect(store.db.prepare('SELECT count(*) FROM pii_spans').pluck().get()).toBe(spansBefore + 60_000);
    expect(store.logBlobs.read(result.logFile.id, 'original').equals(big)).toBe(true);
    const redacted = store.logBlobs.read(result.logFile.id, 'redacted').toString();
    expect(redacted.split('\n')[7]).toBe('2026-03-01T10:00:00Z user=[Email] from [IPv4]');
    expect(result.logFile.ingest_state).toBe('ready');
  });

  it('takes a download as a stream: hashes and sizes it as it goes, and refuses a short one after the fact', async () => {
    async function* streamOf(buf: Buffer, size = 7) {
      for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
    }
    const bytes = Buffer.from(LOG);
    const viaArray = await attachLog(store, redactor, incoming(issue, bytes, { fileName: 'array.log' }));
    const viaStream = await attachLog(store, redactor, {
      ...incoming(issue, bytes, { fileName: 'stream.log', announcedSize: bytes.length }),
      chunks: streamOf(bytes),
    });
    expect(viaStream.logFile).toMatchObject({
      file_size: bytes.length,
      content_hash: viaArray.logFile.content_hash,
      line_count: 6,
    });
    expect(store.logBlobs.read(viaStream.logFile.id, 'redacted')).toEqual(
      store.logBlobs.read(viaArray.logFile.id, 'redacted'),
    );

    const before = store.db.prepare('SELECT count(*) FROM log_files').pluck().get();
    const short = await attachLog(store, redactor, {
      ...incoming(issue, bytes, { fileName: 'short.log', announcedSize: bytes.length + 100 }),
      chunks: streamOf(bytes),
    }).catch((e: unknown) => e);
    expect((short as LogRejectedError).reason).toBe('size_mismatch');
    expect(store.db.prepare('SELECT count(*) FROM log_files').pluck().get()).toBe(before);

    const page = Buffer.from('<!DOCTYPE html><html><title>Sign in</title></html>');
    const html = await attachLog(store, redactor, { ...incoming(issue, page), chunks: streamOf(page, 5) }).catch(
      (e: unknown) => e,
    );
    expect((html as LogRejectedError).reason).toBe('html');
  });

  it('never lists a log a crash left half-stored, and removes it at start', () => {
    const half = store.logFiles.create({
      issue_id: issue.id,
      file_name: 'crashed.log',
      file_path: 'slack://T1/F_CRASHED',
      ingest_state: 'storing',
    });
    store.logBlobs.write(half.id, 'original', [Buffer.from('partial')]);
    expect(store.logFiles.listByIssue(issue.id).map((l) => l.id)).not.toContain(half.id);
    expect(store.logFiles.removeUnfinished()).toBe(1);
    expect(store.logFiles.get(half.id)).toBeUndefined();
    expect(store.db.prepare('SELECT count(*) FROM log_blobs WHERE log_file_id = ?').pluck().get(half.id)).toBe(0);
  });

  it('leaves no half log when the transaction fails midway', async () => {
    const before = {
      logs: store.logFiles.listByIssue(issue.id).length,
      blobs: store.db.prepare('SELECT count(*) FROM log_blobs').pluck().get(),
      spans: store.db.prepare('SELECT count(*) FROM pii_spans').pluck().get(),
    };
    const spy = vi.spyOn(store.audit, 'append').mockImplementationOnce(() => {
      throw new Error('disk full');
    });
    await expect(
      attachLog(store, redactor, incoming(issue, Buffer.from(LOG), { slackFileId: 'F_CRASH' })),
    ).rejects.toThrow('disk full');
    spy.mockRestore();
    expect(store.logFiles.listByIssue(issue.id)).toHaveLength(before.logs);
    expect(store.db.prepare('SELECT count(*) FROM log_blobs').pluck().get()).toBe(before.blobs);
    expect(store.db.prepare('SELECT count(*) FROM pii_spans').pluck().get()).toBe(before.spans);
  });
});

describe('reviewing redactions', () => {
  let store: Store;
  useTempStore((s) => {
    store = s;
  });

  it('groups spans by type with counts and redacted context, never the values', async () => {
    const issue = store.issues.create({ title: 'review', severity: 'low' });
    const { logFile } = await attachLog(store, createRedactor(), incoming(issue, Buffer.from(LOG)));
    const review = await buildRedactionReview(store, logFile.id);
    const ipv4 = review.groups.find((g) => g.type === 'IPv4')!;
    expect(ipv4).toMatchObject({ occurrences: 2, distinctValues: 1 });
    expect(ipv4.values[0]).toMatchObject({ occurrences: 2, length: PLANTED.ip.length, decision: 'pending' });
    expect(ipv4.values[0]!.context).toMatch(/request from ⟦\[IPv4\]⟧ user=\[Email\] status=502/);
    expect(plantedIn(JSON.stringify(review.groups))).toEqual([]);
  });

  it('rejecting a type or a value regenerates the redacted text, marks the log reviewed and audits counts only', async () => {
    const issue = store.issues.create({ title: 'review-apply', severity: 'low' });
    const { logFile } = await attachLog(store, createRedactor(), incoming(issue, Buffer.from(LOG)));
    const outcome = await applyRedactionReview(store, {
      logFileId: logFile.id,
      userId: 'U_REVIEWER',
      rejectTypes: ['IPv4'],
      rejectValueKeys: [firstSpanId(store, logFile.id, 'Email', PLANTED.email)],
    });
    expect(outcome.rejected).toBe(3);
    expect(outcome.logFile.redacted).toBe(1);
    // The verdict is two rows (a type and a value), not a rewrite of the log's spans.
    expect(
      store.db.prepare('SELECT count(*) AS n FROM pii_review_rejections WHERE log_file_id = ?').get(logFile.id),
    ).toEqual({ n: 2 });
    expect(
      store.db
        .prepare("SELECT count(*) AS n FROM pii_spans WHERE log_file_id = ? AND decision <> 'pending'")
        .get(logFile.id),
    ).toEqual({ n: 0 });
    expect(outcome.countsByType.IPv4).toBeUndefined();
    const redacted = store.logBlobs.read(logFile.id, 'redacted').toString();
    expect(redacted).toContain(`request from ${PLANTED.ip} user=${PLANTED.email}`);
    expect(redacted).not.toContain(PLANTED.awsKey);
    expect(redacted).not.toContain(PLANTED.password);

    const [audit] = store.audit.list({ action: 'redaction_review', entityId: logFile.id });
    expect(audit?.user_id).toBe('U_REVIEWER');
    expect(plantedIn(JSON.stringify(audit))).toEqual([]);
    expect(JSON.parse(audit!.details!)).toMatchObject({ rejected: 3, rejected_types: ['IPv4'], rejected_values: 1 });

    // A second review can take a rejection back: everything is redacted again.
    await applyRedactionReview(store, {
      logFileId: logFile.id,
      userId: 'U_REVIEWER',
      rejectTypes: [],
      rejectValueKeys: [],
    });
    expect(plantedIn(store.logBlobs.read(logFile.id, 'redacted'))).toEqual([]);
  });

  it("a value's review key says nothing about the value, and another log's key changes nothing here", async () => {
    // Keys travel through Slack. A hash of a short value (an IP, an SSN) is reversed by trying every candidate: the
    // key is the id of the value's first span instead.
    const issue = store.issues.create({ title: 'review-keys', severity: 'low' });
    const first = (await attachLog(store, createRedactor(), incoming(issue, Buffer.from(LOG)))).logFile;
    const second = (
      await attachLog(store, createRedactor(), incoming(issue, Buffer.from(LOG), { fileName: 'second.log' }))
    ).logFile;
    const keyIn = async (logFileId: string) =>
      (await buildRedactionReview(store, logFileId)).groups.find((g) => g.type === 'IPv4')!.values[0]!.key;
    const firstKey = await keyIn(first.id);
    expect(firstKey).toBe(firstSpanId(store, first.id, 'IPv4', PLANTED.ip));
    expect(await keyIn(second.id)).not.toBe(firstKey); // same value, different log: unrelated keys
    expect(firstKey).not.toContain(PLANTED.ip);

    const outcome = await applyRedactionReview(store, {
      logFileId: second.id,
      userId: 'U_REVIEWER',
      rejectTypes: [],
      rejectValueKeys: [firstKey],
    });
    expect(outcome.rejected).toBe(0);
    expect(plantedIn(store.logBlobs.read(second.id, 'redacted'))).toEqual([]);
  });

  it('a log larger than one walk step: values across steps, the rebuilt text exact, and the app keeps running meanwhile', async () => {
    const lines = REVIEW_CHUNK_SPANS * 2 + 5_000; // three steps of the walk over the spans
    const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const text = Array.from(
      { length: lines },
      (_, i) => `line ${i} from ${i % 7 === 0 ? '10.9.9.9' : ip(i)} ok\n`,
    ).join('');
    const issue = store.issues.create({ title: 'review-large', severity: 'low' });
    const { logFile, spanCount } = await attachLog(store, createRedactor(), incoming(issue, Buffer.from(text)));
    expect(spanCount).toBe(lines);

    let ticks = 0;
    let running = true;
    const tick = () => {
      ticks++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const review = await buildRedactionReview(store, logFile.id);
    const ipv4 = review.groups.find((g) => g.type === 'IPv4')!;
    // 10.9.9.9 on every 7th line (first at line 0), every other line its own address.
    expect(ipv4).toMatchObject({ occurrences: lines, distinctValues: lines - Math.ceil(lines / 7) + 1 });
    const ticksDuringBuild = ticks;
    const repeated = ipv4.values[0]!;
    expect(repeated.occurrences).toBe(Math.ceil(lines / 7));

    const outcome = await applyRedactionReview(store, {
      logFileId: logFile.id,
      userId: 'U_REVIEWER',
      rejectTypes: [],
      rejectValueKeys: [repeated.key],
    });
    running = false;
    // Each walk yields to the event loop between steps: other work ran while both were under way.
    expect(ticksDuringBuild).toBeGreaterThanOrEqual(2);
    expect(ticks - ticksDuringBuild).toBeGreaterThanOrEqual(2);
    expect(outcome).toMatchObject({ rejected: Math.ceil(lines / 7), approved: lines - Math.ceil(lines / 7) });
    const expected = Array.from(
      { length: lines },
      (_, i) => `line ${i} from ${i % 7 === 0 ? '10.9.9.9' : '[IPv4]'} ok\n`,
    ).join('');
    expect(store.logBlobs.read(logFile.id, 'redacted').toString()).toBe(expected);
  });

  it('the redacted download is the current redacted text and is audited', async () => {
    const issue = store.issues.create({ title: 'download', severity: 'low' });
    const { logFile } = await attachLog(store, createRedactor(), incoming(issue, Buffer.from(LOG)));
    const { text } = takeRedactedDownload(store, logFile.id, 'U_DL');
    expect(plantedIn(text)).toEqual([]);
    expect(store.audit.list({ action: 'redacted_download', entityId: logFile.id })).toHaveLength(1);
  });
});
