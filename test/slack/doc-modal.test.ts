import { describe, expect, it } from 'vitest';
import { docModal, parseActionItems } from '../../src/slack/blocks/doc-modal.js';
import { docMessage } from '../../src/slack/blocks/doc-post.js';
import { parseDocCommand } from '../../src/slack/listeners/commands/doc.js';
import { readForm } from '../../src/slack/listeners/views/doc-details.js';

const ISSUE = '01890000-0000-7000-8000-00000000abcd';

describe('document modal', () => {
  it('asks only for the fields its document type renders, within Slack limits', () => {
    for (const t of ['rca', 'postmortem'] as const) {
      const view = docModal({ i: ISSUE, t });
      expect(Array.from(view.title.text).length).toBeLessThanOrEqual(24);
      expect(view.private_metadata!.length).toBeLessThan(100);
      expect(JSON.parse(view.private_metadata!)).toEqual({ i: ISSUE, t });
      for (const block of view.blocks.filter((b) => b.type === 'input')) {
        expect(block).toMatchObject({ optional: true, element: { multiline: true, max_length: 3000 } });
      }
    }
    expect(JSON.stringify(docModal({ i: ISSUE, t: 'rca' }))).not.toContain('action_items');
  });
});

describe('parseActionItems', () => {
  it('reads priority | action | owner | due | status leniently', () => {
    const { items, problems } = parseActionItems(
      [
        '',
        '- high | Separate pool for batch jobs | Payments team | 2026-03-16 | in progress',
        '* Update the runbook',
        '2. p3 | Tidy dashboards | - | n/a | Done',
        '| H | Alert on saturation | SRE |  |',
        '   ',
        'm | Review timeouts',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(items).toEqual([
      {
        priority: 'high',
        action: 'Separate pool for batch jobs',
        owner: 'Payments team',
        due: '2026-03-16',
        status: 'in_progress',
      },
      { priority: 'medium', action: 'Update the runbook', status: 'open' },
      { priority: 'low', action: 'Tidy dashboards', status: 'done' },
      { priority: 'high', action: 'Alert on saturation', owner: 'SRE', status: 'open' },
      { priority: 'medium', action: 'Review timeouts', status: 'open' },
    ]);
  });

  it('reports problems by line without echoing the text', () => {
    const { problems } = parseActionItems(
      [
        'urgent | secret-ish text',
        'high |  | owner',
        'low | Fix | me | 2026-02-30',
        'low | Fix | me | 2026-03-01 | someday',
        'a | b | c | d | e | f',
      ].join('\n'),
    );
    expect(problems).toEqual([
      'line 1: the priority is not high, medium or low',
      'line 2: the action is missing',
      'line 3: the due date is not a date like 2026-03-16',
      'line 4: the status is not open, in progress or done',
      'line 5: too many “|” cells (priority | action | owner | due | status)',
    ]);
    expect(problems.join(' ')).not.toContain('secret-ish');
  });

  it('caps the number of items', () => {
    const text = Array.from({ length: 21 }, (_, i) => `Item ${i}`).join('\n');
    expect(parseActionItems(text).problems).toEqual(['at most 20 action items (21 given)']);
  });
});

describe('readForm', () => {
  const v = (fields: Record<string, string | null>) =>
    Object.fromEntries(Object.entries(fields).map(([k, value]) => [k, { value: { type: 'plain_text_input', value } }]));

  it('maps blank inputs to nothing and ignores inputs of the other document type', () => {
    const form = readForm({ i: ISSUE, t: 'rca' }, v({ lessons_learned: ' Keep pools apart ', impact: 'ignored' }));
    expect(form).toEqual({
      ok: true,
      fields: {
        corrective_actions_immediate: undefined,
        corrective_actions_long_term: undefined,
        lessons_learned: 'Keep pools apart',
        action_items: [],
      },
    });
  });

  it('puts errors under the input they belong to', () => {
    const form = readForm({ i: ISSUE, t: 'postmortem' }, v({ impact: 'x'.repeat(3001), action_items: 'bad | x' }));
    expect(form.ok).toBe(false);
    const errors = (form as { errors: Record<string, string> }).errors;
    expect(Object.keys(errors).sort()).toEqual(['action_items', 'impact']);
    expect(errors.action_items).toBe('line 1: the priority is not high, medium or low');
  });
});

describe('parseDocCommand', () => {
  it('recognises rca / postmortem with an optional id, and nothing else', () => {
    expect(parseDocCommand('rca')).toEqual({ kind: 'doc', docType: 'rca' });
    expect(parseDocCommand('PostMortem 1a2b3c4d')).toEqual({
      kind: 'doc',
      docType: 'postmortem',
      fragment: '1a2b3c4d',
    });
    expect(parseDocCommand('pm id:1a2b')).toEqual({ kind: 'doc', docType: 'postmortem', fragment: '1a2b' });
    expect(parseDocCommand('rca not-an-id')).toMatchObject({ kind: 'error' });
    expect(parseDocCommand('status resolved')).toBeUndefined();
    expect(parseDocCommand('')).toBeUndefined();
  });
});

describe('docMessage', () => {
  it('puts the Markdown in a markdown block and escapes the title in the notification text', () => {
    const msg = docMessage({
      document: { id: ISSUE, doc_type: 'rca', title: 'Root Cause Analysis: <!channel> & co' },
      inline: '# Root Cause Analysis',
      truncated: false,
      created: true,
      userId: 'U0ALICE',
    });
    expect(msg.blocks[0]).toEqual({ type: 'markdown', text: '# Root Cause Analysis' });
    expect(msg.text).toBe('Root Cause Analysis: &lt;!channel&gt; &amp; co');
  });
});
