import { describe, expect, it } from 'vitest';
import { type SlackHarness, useSlackHarness } from '../support/slack-harness.js';
import { firstSpanId } from '../support/spans.js';
import { createIssueIn, LOG, PLANTED, plantedIn, shareInto } from './log-support.js';

/** Looks like an address to the detector, is a schema version to the reader: the reviewer releases it. */
const FALSE_POSITIVE = '1.2.3.4';
const REVIEW_LOG = `${LOG}2026-03-01T10:00:09Z INFO  migration code ${FALSE_POSITIVE} applied\n`;

let h: SlackHarness;
let channel: string;
useSlackHarness('C0REV', (state) => {
  ({ h, channel } = state);
});

async function sharedLog(name = 'checkout.log', content = REVIEW_LOG) {
  const { issue, ts } = await createIssueIn(h, channel);
  const { file } = await shareInto(h, channel, ts, { name, content });
  const [log] = h.store.logFiles.listByIssue(issue.id);
  const summary = () => {
    const m = h.fake.messagesIn(channel, ts).find((x) => JSON.stringify(x.blocks ?? []).includes('tftsr.log.review'));
    return { channel, ts: m!.ts, blocks: m!.blocks! };
  };
  return { issue, ts, file, log: log!, summary };
}

/** Opens the review from the summary's button; the view as the fake holds it after views.update. */
async function openReview(summary: { channel: string; ts: string; blocks: unknown[] }) {
  const opened = h.fake.callsTo('views.open').length;
  const updated = h.fake.callsTo('views.update').length;
  await h.driver.clickButton(summary, 'tftsr.log.review');
  await h.idle();
  expect(h.fake.callsTo('views.open')).toHaveLength(opened + 1);
  expect(h.fake.callsTo('views.update')).toHaveLength(updated + 1);
  const call = h.fake.callsTo('views.update').at(-1)!;
  expect(call.response?.ok).toBe(true);
  return call.response!.view as Record<string, unknown> & { blocks: Record<string, unknown>[] };
}

type Input = { type: string; block_id: string; label: { text: string }; element: { options: { value: string }[] } };
function inputFor(view: { blocks: Record<string, unknown>[] }, type: string): Input {
  const block = view.blocks.find((b) => b.type === 'input' && (b as unknown as Input).label.text.endsWith(`: ${type}`));
  if (!block) throw new Error(`no review input for ${type}`);
  return block as unknown as Input;
}

function ticks(selection: Record<string, string[]>) {
  return Object.fromEntries(
    Object.entries(selection).map(([blockId, values]) => [
      blockId,
      { reject: { type: 'checkboxes', selected_options: values.map((value) => ({ value })) } },
    ]),
  );
}

describe('Review redactions', () => {
  it('opens at once (Loading…) and shows spans by type in redacted context, never an original value', async () => {
    const { log, summary } = await sharedLog();
    const view = await openReview(summary());
    const loading = h.fake.callsTo('views.open').at(-1)!.body.view as { blocks: unknown[] };
    expect(JSON.stringify(loading)).toContain('Loading');
    const json = JSON.stringify(view);
    expect(json).toContain('Original values are never shown in Slack');
    expect(json).toContain('*Email* — 2 found, 2 distinct values');
    expect(json).toContain('*IPv4* — 4 found, 3 distinct values');
    expect(json).toContain('⟦[Email]⟧'); // the value marked in its redacted line
    expect(plantedIn(json)).toEqual([]);
    expect(json).not.toContain(FALSE_POSITIVE);
    const ipv4 = inputFor(view, 'IPv4');
    expect(ipv4.element.options.map((o) => o.value)).toEqual([
      't:IPv4',
      `v:${firstSpanId(h.store, log.id, 'IPv4', PLANTED.ip)}`,
      `v:${firstSpanId(h.store, log.id, 'IPv4', PLANTED.ip2)}`,
      `v:${firstSpanId(h.store, log.id, 'IPv4', FALSE_POSITIVE)}`,
    ]);
    expect(plantedIn(h.fake.allOutgoingText())).toEqual([]);
  });

  it('rejecting one value releases it in the redacted text; the rest stays redacted; summary and thread say so', async () => {
    const { log, ts, summary } = await sharedLog();
    expect(h.store.logBlobs.read(log.id, 'redacted').toString()).not.toContain(FALSE_POSITIVE);
    const view = await openReview(summary());
    const ipv4 = inputFor(view, 'IPv4');
    await h.driver.submitView(
      view,
      ticks({ [ipv4.block_id]: [`v:${firstSpanId(h.store, log.id, 'IPv4', FALSE_POSITIVE)}`] }),
    );
    await h.idle();

    const redacted = h.store.logBlobs.read(log.id, 'redacted').toString();
    expect(redacted).toContain(`migration code ${FALSE_POSITIVE} applied`);
    expect(redacted).toContain('request from [IPv4]');
    expect(plantedIn(redacted)).toEqual([]);
    expect(h.store.logFiles.get(log.id)!.redacted).toBe(1);
    const audit = h.store.audit.list({ entityId: log.id, action: 'redaction_review' });
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.details!)).toMatchObject({ rejected: 1, rejected_values: 1 });
    expect(audit[0]!.details).not.toContain(FALSE_POSITIVE);

    const thread = h.fake.messagesIn(channel, ts).map((m) => m.text ?? '');
    expect(thread.at(-1)).toContain('<@U0ALICE> reviewed the redactions of *checkout.log*: 1 occurrence released');
    const redrawn = JSON.stringify(summary().blocks);
    expect(redrawn).toContain('Redactions reviewed');
    expect(redrawn).toContain('3 IPv4');
    expect(plantedIn(h.fake.allOutgoingText())).toEqual([]);

    // Reopened, the released value is ticked; submitting with nothing ticked redacts it again.
    const again = await openReview(summary());
    const ticked = (
      again.blocks.find((b) => b.block_id === inputFor(again, 'IPv4').block_id) as {
        element: { initial_options?: { value: string }[] };
      }
    ).element.initial_options;
    expect(ticked?.map((o) => o.value)).toEqual([`v:${firstSpanId(h.store, log.id, 'IPv4', FALSE_POSITIVE)}`]);
    await h.driver.submitView(again, {});
    await h.idle();
    expect(h.store.logBlobs.read(log.id, 'redacted').toString()).not.toContain(FALSE_POSITIVE);
  });

  it('rejecting a whole type releases every value of it; a double submit is applied once', async () => {
    const content = `code ${FALSE_POSITIVE} ok\npeer=5.6.7.8 ok\nmail ${PLANTED.email}\n`;
    const { log, summary } = await sharedLog('codes.txt', content);
    const view = await openReview(summary());
    const values = ticks({ [inputFor(view, 'IPv4').block_id]: ['t:IPv4'] });
    await Promise.all([h.driver.submitView(view, values), h.driver.submitView(view, values)]);
    await h.idle();
    expect(h.store.logBlobs.read(log.id, 'redacted').toString()).toBe(
      `code ${FALSE_POSITIVE} ok\npeer=5.6.7.8 ok\nmail [Email]\n`,
    );
    expect(h.store.audit.list({ entityId: log.id, action: 'redaction_review' })).toHaveLength(1);
    expect(h.store.piiSpans.countsByType(log.id)).toEqual({ Email: 1 });
  });

  it('a log with nothing redacted says so (no submit button)', async () => {
    const { summary } = await sharedLog('plain.log', 'all quiet\nnothing here\n');
    expect(JSON.stringify(summary().blocks)).toContain('Nothing needed redacting.');
    const view = await openReview(summary());
    expect(view.submit).toBeUndefined();
    expect(JSON.stringify(view)).toContain('nothing to review');
  });
});

describe('Download redacted', () => {
  it('uploads the redacted text into the issue thread with files.uploadV2 (three calls), audited', async () => {
    const { log, ts, summary } = await sharedLog();
    const before = (m: string) => h.fake.callsTo(m).length;
    const counts = ['files.getUploadURLExternal', 'upload', 'files.completeUploadExternal'].map(before);
    await h.driver.clickButton(summary(), 'tftsr.log.download', { id: 'U0BOB' });
    await h.idle();
    const after = ['files.getUploadURLExternal', 'upload', 'files.completeUploadExternal'].map(before);
    expect(after.map((n, i) => n - counts[i]!)).toEqual([1, 1, 1]);
    const complete = h.fake.callsTo('files.completeUploadExternal').at(-1)!;
    expect(complete.body).toMatchObject({ channel_id: channel, thread_ts: ts });
    const uploaded = h.fake.uploadedFiles().at(-1)!;
    expect(uploaded).toMatchObject({ name: 'checkout.redacted.log', channel, thread_ts: ts });
    expect(uploaded.content.equals(h.store.logBlobs.read(log.id, 'redacted'))).toBe(true);
    expect(uploaded.content.toString()).toContain('[Email]');
    expect(plantedIn(uploaded.content.toString('latin1'))).toEqual([]);
    expect(uploaded.initial_comment).toContain('<@U0BOB> downloaded the redacted *checkout.log*');
    const audit = h.store.audit.list({ entityId: log.id, action: 'redacted_download' });
    expect(audit.map((a) => a.user_id)).toEqual(['U0BOB']);
    expect(plantedIn(h.fake.allOutgoingText())).toEqual([]);

    // Slack then announces the app's own upload in the thread: it is not taken as a new log.
    const own = h.fake.fileObject(uploaded);
    await h.driver.fileShareMessage([own], { channel, thread_ts: ts, user: h.fake.botUserId });
    await h.driver.fileShared(own, { channel, user: h.fake.botUserId });
    await h.idle();
    expect(h.store.logFiles.listByIssue(log.issue_id)).toHaveLength(1);
  });

  it('a gzip log downloads as its decompressed, redacted text', async () => {
    const { gzipSync } = await import('node:zlib');
    const { issue, ts } = await createIssueIn(h, channel);
    await shareInto(h, channel, ts, { name: 'app.log.gz', content: gzipSync(LOG), mimetype: 'application/gzip' });
    const m = h.fake.messagesIn(channel, ts)[0]!;
    await h.driver.clickButton({ channel, ts: m.ts, blocks: m.blocks! }, 'tftsr.log.download');
    await h.idle();
    const uploaded = h.fake.uploadedFiles().at(-1)!;
    expect(uploaded.name).toBe('app.redacted.log');
    expect(uploaded.content.toString()).toContain('checkout-api request from [IPv4]');
    expect(h.store.logFiles.listByIssue(issue.id)).toHaveLength(1);
  });
});
