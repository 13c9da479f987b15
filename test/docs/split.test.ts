import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  renderPostmortem,
  renderRca,
  SLACK_MARKDOWN_BUDGET,
  splitForSlack,
  truncateMarkdown,
} from '../../src/docs/index.js';
import { loadDocumentInput } from '../../src/services/documents.js';
import { openStore, type Store } from '../../src/store/index.js';
import { makeTempDir, TEST_DB_KEY } from '../support/tmp.js';
import { buildRichIssue, GENERATED_AT, RICH_FIELDS, RICH_TEXT } from './support.js';

const para = (seed: string, n: number) => Array.from({ length: n }, (_, i) => `${seed} sentence ${i}.`).join(' ');

describe('splitForSlack', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let shortRca: string;
  let longRca: string;
  let longPostmortem: string;

  beforeAll(() => {
    tmp = makeTempDir();
    store = openStore({ dataDir: tmp.dir, key: TEST_DB_KEY });
    const redact = (t: string) => t;
    const render = (id: string, fields = RICH_FIELDS) =>
      loadDocumentInput(store, id, { fields, redact, generatedAt: GENERATED_AT });
    shortRca = renderRca(render(buildRichIssue(store)));
    // Near the limits of every field: a description of 9,000 characters and whys of ~2,900 each.
    const longId = buildRichIssue(store, {
      description: para('Description', 450).slice(0, 9000),
      whys: RICH_TEXT.whys.map((w, i) => ({
        ...w,
        answer: `${i === 3 ? 'ROOT-CAUSE-START ' : ''}${para(`Answer ${i}`, 140)}`.slice(0, 2900),
        evidence: para(`Evidence ${i}`, 140).slice(0, 2900),
      })),
    });
    const longFields = { ...RICH_FIELDS, lessons_learned: para('Lesson', 150).slice(0, 3000) };
    longRca = renderRca(render(longId, longFields));
    longPostmortem = renderPostmortem(render(longId, longFields));
  });
  afterAll(() => {
    store.close();
    tmp.cleanup();
  });

  it('passes a document that fits through unchanged', () => {
    expect(shortRca.length).toBeLessThan(SLACK_MARKDOWN_BUDGET);
    expect(splitForSlack(shortRca)).toEqual({ inline: shortRca, truncated: false });
  });

  it('summarises a long RCA: title, whole summary table, root cause, pointer — within 12,000 characters', () => {
    expect(longRca.length).toBeGreaterThan(SLACK_MARKDOWN_BUDGET);
    const { inline, truncated } = splitForSlack(longRca);
    expect(truncated).toBe(true);
    expect(inline.length).toBeLessThanOrEqual(SLACK_MARKDOWN_BUDGET);
    expect(inline.startsWith(`${longRca.split('\n')[0]}\n\n## Summary\n\n| Field | Value |`)).toBe(true);
    const table = longRca.split('## Summary\n\n')[1]!.split('\n\n')[0]!;
    expect(inline).toContain(table);
    expect(inline).toContain('## Root Cause\n\nROOT-CAUSE-START Answer 3 sentence 0.');
    expect(inline).toContain('_From why 4._');
    expect(inline).toMatch(
      /_The full document \([\d,]+ characters\) is too long for one message: it is in the attached/,
    );
    // The rest is left to the file.
    expect(inline).not.toContain('## The 5 Whys');
    expect(inline).not.toContain('Description sentence');
  });

  it('summarises a long postmortem from its metadata table', () => {
    const { inline, truncated } = splitForSlack(longPostmortem);
    expect(truncated).toBe(true);
    expect(inline.length).toBeLessThanOrEqual(SLACK_MARKDOWN_BUDGET);
    expect(inline).toContain('## Metadata\n\n| Field | Value |');
    expect(inline).toContain('ROOT-CAUSE-START');
    expect(inline).not.toContain('## Action Items');
  });

  it('shortens the root cause, not the table, when the budget is tight, and always stays within it', () => {
    const { inline } = splitForSlack(longRca, 1500);
    expect(inline.length).toBeLessThanOrEqual(1500);
    expect(inline).toContain('| Resolved |');
    expect(inline).toContain('ROOT-CAUSE-START');
    expect(inline).toContain('…');
    expect(inline).toContain('_The full document');
    for (const budget of [900, 400, 120, 40, 5]) {
      expect(splitForSlack(longRca, budget).inline.length, String(budget)).toBeLessThanOrEqual(budget);
    }
  });
});

describe('truncateMarkdown', () => {
  it('never leaves a dangling escape or half a surrogate pair', () => {
    expect(truncateMarkdown('abc\\|def', 6)).toBe('abc\n…');
    const cut = truncateMarkdown(`ab${'😀'.repeat(10)}`, 8);
    expect(cut.length).toBeLessThanOrEqual(8);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('prefers a line end when it keeps most of the text', () => {
    expect(truncateMarkdown('line one\nline two is longer', 16)).toBe('line one\n…');
    expect(truncateMarkdown('short', 10)).toBe('short');
  });
});
