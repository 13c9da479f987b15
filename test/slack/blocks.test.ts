import { describe, expect, it } from 'vitest';
import { issueCard } from '../../src/slack/blocks/issue-card.js';
import { issueListMessage } from '../../src/slack/blocks/issue-lists.js';
import type { Issue } from '../../src/store/index.js';

const issue = (i: number, patch: Partial<Issue> = {}): Issue => ({
  id: `01a2b3c4-0000-7000-8000-${String(i).padStart(12, '0')}`,
  title: `${'Very long incident title '.repeat(5)}${i}`,
  description: null,
  severity: 'high',
  status: 'open',
  category: null,
  source: null,
  created_at: '2026-01-01 00:00:00',
  updated_at: '2026-01-01 00:00:00',
  resolved_at: null,
  assigned_to: null,
  tags: [],
  ...patch,
});
const ctx = { redact: (t: string) => t.replace(/\S+@\S+/g, '[Email]') };
const actions = (blocks: unknown[]) =>
  (blocks as { type: string; elements?: { action_id: string }[] }[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements?.map((e) => e.action_id) ?? []);

describe('issue card', () => {
  it('offers the status moves that make sense for each status', () => {
    const ids = (status: Issue['status']) => actions(issueCard(issue(1, { status }), ctx).blocks);
    expect(ids('open')).toEqual([
      'tftsr.issue.investigate',
      'tftsr.issue.resolve',
      'tftsr.issue.close',
      'tftsr.whys.start',
      'tftsr.doc.rca',
    ]);
    expect(ids('investigating')).toEqual([
      'tftsr.issue.resolve',
      'tftsr.issue.close',
      'tftsr.whys.start',
      'tftsr.doc.rca',
    ]);
    expect(ids('resolved')).toEqual([
      'tftsr.issue.reopen',
      'tftsr.issue.close',
      'tftsr.whys.start',
      'tftsr.doc.rca',
      'tftsr.doc.postmortem',
    ]);
    expect(ids('closed')).toEqual(['tftsr.issue.reopen', 'tftsr.whys.start', 'tftsr.doc.rca', 'tftsr.doc.postmortem']);
  });

  it('keeps the header within Slack’s 150 characters and redacts the title everywhere', () => {
    const card = issueCard(issue(2, { title: `${'x'.repeat(300)} mail ops@example.com` }), ctx);
    const header = card.blocks[0] as { text: { text: string } };
    expect(Array.from(header.text.text).length).toBeLessThanOrEqual(150);
    const long = issueCard(issue(3, { title: 'Contact ops@example.com <!here>' }), ctx);
    expect(JSON.stringify(long)).not.toContain('ops@example.com');
    expect(long.text).toContain('&lt;!here&gt;');
  });
});

describe('list rendering limits', () => {
  it('keeps a long list under Slack’s message text budget and says how many were left out', async () => {
    const rendered = issueListMessage(
      Array.from({ length: 200 }, (_, i) => issue(i)),
      'Open issues',
      () => undefined,
      { redact: (t) => t },
    );
    const text = JSON.stringify(rendered.blocks);
    expect(text.length).toBeLessThan(12_000);
    expect(text).toMatch(/…and \d+ more/);
    expect(rendered.blocks.length).toBeLessThanOrEqual(50);
  });
});
