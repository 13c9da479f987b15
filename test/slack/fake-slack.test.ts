import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack, SLACK_SIGNIN_PAGE } from '../support/fake-slack.js';

const TOKEN = 'xoxb-1-2-fakeslackfilestest';

/** The fake's file support, driven by the real Web API client, so tests built on it can be trusted. */
describe('fake Slack: files', () => {
  let fake: FakeSlack;
  let client: webApi.WebClient;
  beforeAll(async () => {
    fake = await FakeSlack.start();
    client = new webApi.WebClient(TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
  });
  afterAll(() => fake.stop());

  it('serves a shared file to the bot token and the sign-in page to anyone else', async () => {
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'card' });
    const shared = fake.addFile({ name: 'app.log', content: 'hello\n', channel: 'C1', thread_ts: posted.ts! });
    const info = await client.files.info({ file: String(shared.id) });
    expect(info.file).toMatchObject({ name: 'app.log', size: 6, mimetype: 'text/plain' });
    const url = String(info.file?.url_private_download);
    const withToken = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(await withToken.text()).toBe('hello\n');
    const without = await fetch(url);
    expect(without.status).toBe(200);
    expect(await without.text()).toBe(SLACK_SIGNIN_PAGE);
    expect(
      (await client.files.info({ file: 'FNOPE' }).catch((e: { data: unknown }) => e.data)) as object,
    ).toMatchObject({
      error: 'file_not_found',
    });
  });

  it('takes files.uploadV2 as its three calls and shares the file into the thread', async () => {
    const card = await client.chat.postMessage({ channel: 'C2', text: 'card' });
    await client.filesUploadV2({
      channel_id: 'C2',
      thread_ts: card.ts!,
      filename: 'rca.md',
      title: 'RCA',
      content: '# Root Cause Analysis\n',
      initial_comment: 'Full RCA attached',
    });
    expect(fake.callsTo('files.getUploadURLExternal')).toHaveLength(1);
    expect(fake.callsTo('upload')).toHaveLength(1);
    expect(fake.callsTo('files.completeUploadExternal')[0]?.body).toMatchObject({
      channel_id: 'C2',
      thread_ts: card.ts,
    });
    const [file] = fake.uploadedFiles();
    expect(file).toMatchObject({ name: 'rca.md', title: 'RCA', channel: 'C2', thread_ts: card.ts, completed: true });
    expect(file?.content.toString()).toBe('# Root Cause Analysis\n');
    expect(fake.messagesIn('C2', card.ts).map((m) => m.text)).toContain('Full RCA attached');
  });

  it('refuses to complete an upload into a thread that does not exist', async () => {
    const error = await client
      .filesUploadV2({ channel_id: 'C3', thread_ts: '1.000001', filename: 'x.md', content: 'x' })
      .catch((e: { data?: { error?: string } }) => e);
    expect(JSON.stringify(error)).toContain('thread_not_found');
  });
});

describe('fake Slack: limits enforced as Slack does', () => {
  let fake: FakeSlack;
  let client: webApi.WebClient;
  beforeAll(async () => {
    fake = await FakeSlack.start();
    client = new webApi.WebClient(TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
  });
  afterAll(() => fake.stop());

  const errorOf = (p: Promise<unknown>) =>
    p.then(() => 'ok').catch((e: { data?: { error?: string } }) => e.data?.error);
  const modal = (title = 'Why 1 of 5') => ({
    type: 'modal' as const,
    title: { type: 'plain_text' as const, text: title },
    blocks: [],
  });

  it('refuses a trigger_id used twice or older than 3 s', async () => {
    const fresh = `${Date.now()}.abc`;
    expect(await errorOf(client.views.open({ trigger_id: fresh, view: modal() }))).toBe('ok');
    expect(await errorOf(client.views.open({ trigger_id: fresh, view: modal() }))).toBe('expired_trigger_id');
    expect(await errorOf(client.views.open({ trigger_id: `${Date.now() - 3_500}.def`, view: modal() }))).toBe(
      'expired_trigger_id',
    );
  });

  it('holds at most 3 views in a modal stack, and titles of at most 24 characters', async () => {
    expect(await errorOf(client.views.open({ trigger_id: `${Date.now()}.s1`, view: modal() }))).toBe('ok');
    expect(await errorOf(client.views.push({ trigger_id: `${Date.now()}.s2`, view: modal() }))).toBe('ok');
    expect(await errorOf(client.views.push({ trigger_id: `${Date.now()}.s3`, view: modal() }))).toBe('ok');
    expect(await errorOf(client.views.push({ trigger_id: `${Date.now()}.s4`, view: modal() }))).toBe(
      'push_limit_reached',
    );
    expect(await errorOf(client.views.open({ trigger_id: `${Date.now()}.s5`, view: modal('x'.repeat(25)) }))).toBe(
      'invalid_arguments',
    );
  });

  it('refuses oversized message blocks with invalid_blocks or msg_blocks_too_long', async () => {
    const section = (n: number) => ({ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(n) } });
    expect(await errorOf(client.chat.postMessage({ channel: 'C9', text: 't', blocks: [section(3001)] }))).toBe(
      'invalid_blocks',
    );
    expect(
      await errorOf(
        client.chat.postMessage({ channel: 'C9', text: 't', blocks: Array.from({ length: 5 }, () => section(2900)) }),
      ),
    ).toBe('msg_blocks_too_long');
    expect(
      await errorOf(
        client.chat.postMessage({ channel: 'C9', text: 't', blocks: [{ type: 'markdown', text: 'y'.repeat(12_001) }] }),
      ),
    ).toBe('invalid_blocks');
    expect(
      await errorOf(
        client.chat.postMessage({ channel: 'C9', text: 't', blocks: [{ type: 'markdown', text: 'y'.repeat(11_000) }] }),
      ),
    ).toBe('ok');
  });
});
