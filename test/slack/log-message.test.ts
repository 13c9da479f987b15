import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackHarness, startHarness } from '../support/slack-harness.js';
import { createIssueIn, LOG, plantedIn } from './log-support.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** As Slack delivers message text: mrkdwn entities escaped, a pasted log usually inside a code block. */
const slackEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

describe('message shortcut on a pasted log', () => {
  it('a pasted log becomes a log of the issue (message-<ts>.txt), redacted like an upload, with its summary', async () => {
    const channel = 'C0PASTE1';
    const { issue, ts } = await createIssueIn(h, channel);
    const pasted = `${LOG}2026-03-01T10:00:10Z WARN  queue <payments> depth 5000 & rising\n`;
    const res = await h.driver.messageShortcut('tftsr.evidence.add', {
      channel,
      ts: '1700002000.000100',
      thread_ts: ts,
      text: `\`\`\`${slackEscape(pasted)}\`\`\``,
    });
    await h.idle();
    const [log] = h.store.logFiles.listByIssue(issue.id);
    expect(log).toMatchObject({
      file_name: 'message-1700002000.000100.txt',
      slack_file_id: `msg:${channel}:1700002000.000100`,
      uploaded_by: 'U0ALICE',
      line_count: 9,
    });
    expect(h.store.logBlobs.read(log!.id, 'original').toString()).toBe(pasted);
    const redacted = h.store.logBlobs.read(log!.id, 'redacted').toString();
    expect(redacted).toContain('queue <payments> depth 5000 & rising');
    expect(plantedIn(redacted)).toEqual([]);
    const thread = h.fake.messagesIn(channel, ts);
    expect(thread.some((m) => m.text?.includes('as evidence'))).toBe(true);
    expect(JSON.stringify(thread.at(-1)!.blocks)).toContain('*message-1700002000.000100.txt*');
    expect(JSON.stringify(h.fake.responsesTo(res.responseUrl))).toContain(
      'stored as log `message-1700002000.000100.txt`',
    );
    expect(plantedIn(h.fake.allOutgoingText())).toEqual([]);
    expect(plantedIn(h.logs.join('\n'))).toEqual([]);
  });

  it('a one-line remark stays evidence only', async () => {
    const channel = 'C0PASTE2';
    const { issue, ts } = await createIssueIn(h, channel);
    await h.driver.messageShortcut('tftsr.evidence.add', {
      channel,
      ts: '1700002001.000100',
      thread_ts: ts,
      text: 'seen again at 10:02',
    });
    await h.idle();
    expect(h.store.logFiles.listByIssue(issue.id)).toEqual([]);
    expect(h.store.audit.list({ entityId: issue.id, action: 'evidence_add' })).toHaveLength(1);
  });
});

describe('over Socket Mode', () => {
  it('a file shared into an issue thread becomes one log, as over HTTP', async () => {
    const s = await startHarness({ transport: 'socket' });
    try {
      const channel = 'C0SOCKLOG';
      const { issue, ts } = await createIssueIn(s, channel);
      const file = s.fake.addFile({ name: 'socket.log', content: LOG, channel, thread_ts: ts });
      await s.driver.fileShareMessage([file], { channel, thread_ts: ts });
      await s.driver.fileShared(file, { channel });
      await s.idle();
      expect(s.store.logFiles.listByIssue(issue.id).map((l) => l.file_name)).toEqual(['socket.log']);
      expect(JSON.stringify(s.fake.messagesIn(channel, ts)[0]?.blocks)).toContain('*socket.log*');
      expect(plantedIn(s.fake.allOutgoingText())).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
