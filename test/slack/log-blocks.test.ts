import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/redact/index.js';
import type { RedactionReview } from '../../src/services/log-review.js';
import { readReviewForm, reviewView } from '../../src/slack/blocks/log-review.js';
import { errorMessage, progressMessage, safeFileName, summaryMessage } from '../../src/slack/blocks/log-summary.js';
import { yieldingRedactor } from '../../src/slack/flows/log-ingest.js';
import { looksLikePastedLog, messageLogText } from '../../src/slack/flows/log-message.js';
import { redactedFileName } from '../../src/slack/flows/log-review.js';
import type { LogFile } from '../../src/store/index.js';

const same = (text: string) => text;

const LOG_FILE: LogFile = {
  id: '00000000-0000-4000-8000-000000000001',
  issue_id: '00000000-0000-4000-8000-000000000002',
  file_name: 'a<b>&c```.log',
  file_path: 'slack://T/F',
  file_size: 123_456_789,
  mime_type: 'text/plain',
  content_hash: 'ab'.repeat(32),
  uploaded_at: '2026-03-01 10:00:00',
  redacted: 0,
  slack_file_id: 'F1',
  uploaded_by: 'U1',
  line_count: 3,
  content_encoding: 'identity',
  ingest_state: 'ready',
};

/** Every string in a Block Kit payload by key, for limit checks. */
function strings(node: unknown, key: string, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) strings(n, key, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === key && typeof v === 'string') out.push(v);
      strings(v, key, out);
    }
  }
  return out;
}

describe('log blocks stay inside Slack limits', () => {
  it('the review modal with many types and long names: ≤ 100 blocks, ≤ 10 options, option text ≤ 75, value ≤ 150', () => {
    const review: RedactionReview = {
      logFile: LOG_FILE,
      totalSpans: 40 * 50,
      groups: Array.from({ length: 40 }, (_, t) => ({
        type: `CustomRule${t}${'x'.repeat(t * 5)}`,
        occurrences: 50,
        distinctValues: 20,
        values: Array.from({ length: 8 }, (_, v) => ({
          key: `${t}`.padStart(8, '0') + `${v}`.padStart(8, '0'),
          occurrences: 3,
          length: 17,
          context: `${'ctx '.repeat(100)}⟦[Email]⟧ \`tick\` <!channel>`,
          decision: v === 0 ? ('rejected' as const) : ('pending' as const),
        })),
      })),
    };
    const view = reviewView(
      review,
      { l: LOG_FILE.id, c: 'C1', m: '1.2' },
      { rejectedTypes: new Set(['CustomRule1xxxxx']), redact: same },
    );
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect((view.private_metadata ?? '').length).toBeLessThanOrEqual(3000);
    for (const block of view.blocks as { type: string; element?: { options: unknown[] } }[]) {
      if (block.type === 'input') expect(block.element!.options.length).toBeLessThanOrEqual(10);
    }
    const optionTexts = (
      view.blocks as { element?: { options?: { text: { text: string }; value: string }[] } }[]
    ).flatMap((b) => b.element?.options ?? []);
    expect(optionTexts.every((o) => o.text.text.length <= 75 && o.value.length <= 150)).toBe(true);
    expect(strings(view, 'text').every((t) => t.length <= 3000)).toBe(true);
    const json = JSON.stringify(view);
    expect(json).not.toContain('<!channel>');
    expect(json).toContain('more types are not listed');
  });

  it('the summary: escaped file name, counts, ≤ 3000 chars a section, code block cannot be broken out of', () => {
    const counts = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`Type${i}`, i + 1]));
    const msg = summaryMessage({
      logFile: LOG_FILE,
      countsByType: counts,
      lines: 3,
      excerpt: '```\n<@U123> [Email] <!here>\n'.repeat(100),
      issueId: LOG_FILE.issue_id,
      redact: same,
    });
    const json = JSON.stringify(msg);
    expect(json).toContain('a&lt;b&gt;&amp;c');
    expect(json).toContain('117.7 MB');
    expect(json).toContain('…and 10 more types');
    expect(json).not.toContain('<!here>');
    expect(json).not.toContain('<@U123>');
    expect(strings(msg.blocks, 'text').every((t) => t.length <= 3000)).toBe(true);
    expect(
      JSON.stringify(
        summaryMessage({
          logFile: LOG_FILE,
          countsByType: {},
          lines: 1,
          excerpt: '',
          issueId: LOG_FILE.issue_id,
          redact: same,
        }),
      ),
    ).toContain('Nothing needed redacting.');
    expect(progressMessage(safeFileName('x.log', same), 2048, 'redacting').text).toBe(
      ':hourglass_flowing_sand: Processing x.log (2.0 KB)… redacting',
    );
    expect(errorMessage('<!channel> x').text).toBe(':warning: &lt;!channel&gt; x');
  });

  it('reads ticked boxes; ignores anything that is not a value key or type', () => {
    expect(
      readReviewForm({
        'tftsr.log.review.g0': {
          reject: {
            selected_options: [
              { value: 't:Email' },
              { value: 'v:019a0000-0000-7000-8000-00000000abcd' },
              { value: 'v:0123456789abcdef' },
            ],
          },
        },
        'tftsr.log.review.g1': { reject: { selected_options: [{ value: 'v:not-a-key' }, { value: 'x:y' }] } },
        other: { reject: { selected_options: [{ value: 't:IPv4' }] } },
      }),
    ).toEqual({ rejectTypes: ['Email'], rejectValueKeys: ['019a0000-0000-7000-8000-00000000abcd'] });
  });

  it('names and pasted logs', () => {
    expect(redactedFileName('checkout.log')).toBe('checkout.redacted.log');
    expect(redactedFileName('app.log.gz')).toBe('app.redacted.log');
    expect(redactedFileName('trace')).toBe('trace.redacted.txt');
    expect(redactedFileName('.env')).toBe('.env.redacted.txt');
    expect(looksLikePastedLog('one line')).toBe(false);
    expect(looksLikePastedLog('a\nb\nc')).toBe(true);
    expect(looksLikePastedLog('```x```')).toBe(true);
    expect(messageLogText('```a &lt;b&gt; &amp;amp;\nc```')).toBe('a <b> &amp;\nc\n');
  });
});

describe('ingest redactor', () => {
  it('lets the event loop turn while it redacts (timers fire between ~1 MB slices)', async () => {
    const line = '2026-03-01T10:00:01Z INFO request from 203.0.113.77 user=jane.doe@example.com ok\n';
    const text = Buffer.from(line.repeat(Math.ceil((8 << 20) / line.length)));
    const chunks = Array.from({ length: Math.ceil(text.length / 65536) }, (_, i) =>
      text.subarray(i * 65536, (i + 1) * 65536),
    );
    const run = async (redactor: ReturnType<typeof createRedactor>) => {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 0);
      let spans = 0;
      const source = (async function* () {
        yield* chunks;
      })();
      for await (const _ of redactor.redactStream(source, { onSpan: () => spans++ }));
      clearInterval(timer);
      return { ticks, spans };
    };
    const plain = await run(createRedactor());
    const yielding = await run(yieldingRedactor(createRedactor()));
    expect(yielding.spans).toBe(plain.spans);
    expect(plain.ticks).toBeLessThanOrEqual(1);
    expect(yielding.ticks).toBeGreaterThanOrEqual(6);
  });
});
