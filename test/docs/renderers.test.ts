import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type DocumentInput,
  type OptionalDocFieldsInput,
  type Redact,
  renderPostmortem,
  renderRca,
} from '../../src/docs/index.js';
import { createRedactor } from '../../src/redact/index.js';
import { loadDocumentInput } from '../../src/services/documents.js';
import { openStore, type Store } from '../../src/store/index.js';
import { makeTempDir, TEST_DB_KEY } from '../support/tmp.js';
import {
  at,
  buildBareIssue,
  buildRichIssue,
  expectGolden,
  GENERATED_AT,
  RICH_FIELDS,
  unescapedCount,
} from './support.js';

// Golden files need stable ids: the repositories' UUID v7 generator is replaced by a counter, reset per test.
const ids = vi.hoisted(() => ({ n: 0 }));
vi.mock('../../src/store/ids.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/store/ids.js')>();
  return { ...actual, newId: () => `01960000-0000-7000-8000-${(++ids.n).toString(16).padStart(12, '0')}` };
});

const identity: Redact = (text) => text;
const redactor = createRedactor();
const realRedact: Redact = (text) => redactor.redactText(text).text;

describe('document renderers', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: Store;
  beforeEach(() => {
    ids.n = 0;
    tmp = makeTempDir();
    store = openStore({ dataDir: tmp.dir, key: TEST_DB_KEY });
  });
  afterEach(() => {
    store.close();
    tmp.cleanup();
  });

  const input = (issueId: string, fields: OptionalDocFieldsInput = {}, redact: Redact = realRedact): DocumentInput =>
    loadDocumentInput(store, issueId, { fields, redact, generatedAt: GENERATED_AT });

  describe('golden files', () => {
    it('RCA of a rich issue', () => {
      expectGolden('rca-rich.md', renderRca(input(buildRichIssue(store), RICH_FIELDS)));
    });
    it('RCA of a bare issue', () => {
      expectGolden('rca-bare.md', renderRca(input(buildBareIssue(store))));
    });
    it('postmortem of a rich issue', () => {
      expectGolden('postmortem-rich.md', renderPostmortem(input(buildRichIssue(store), RICH_FIELDS)));
    });
    it('postmortem of a bare issue', () => {
      expectGolden('postmortem-bare.md', renderPostmortem(input(buildBareIssue(store))));
    });
  });

  it('renders the same bytes twice and does not read the clock', () => {
    const id = buildRichIssue(store);
    const first = renderRca(input(id, RICH_FIELDS));
    vi.useFakeTimers({ now: new Date('2031-01-01T00:00:00Z') });
    try {
      expect(renderRca(input(id, RICH_FIELDS))).toBe(first);
    } finally {
      vi.useRealTimers();
    }
  });

  it('builds the timeline in time order from rows and audit entries, leaving out what is not incident history', () => {
    const md = renderRca(input(buildRichIssue(store), RICH_FIELDS));
    const timeline = md.split('## Incident Timeline')[1]!.split('## Metrics')[0]!;
    const events = timeline
      .split('\n')
      .filter((l) => l.startsWith('| 2026'))
      .map((l) => l.split(' | ').map((c) => c.replace(/^\| | \|$/g, '')));
    expect(events.map(([time, text]) => `${time!.slice(11, 16)} ${text}`)).toEqual([
      '09:15 Issue opened (severity high)',
      '09:20 Log file attached: api-gateway.log',
      '09:22 Status changed from open to investigating',
      '09:25 Redactions reviewed: api-gateway.log',
      '09:31 Log file attached: db-primary.log.gz',
      '09:40 Severity changed from high to critical',
      '09:45 Why 1 recorded',
      '10:02 Why 2 recorded',
      '10:20 Why 3 recorded',
      '10:41 Why 4 recorded',
      '10:45 Root cause identified (why 4)',
      '11:30 Status changed from investigating to resolved',
    ]);
    expect(md).toContain('| Duration | 2 hours 15 minutes |');
    expect(md).toContain('| Time to root cause | 1 hour 30 minutes |');
  });

  it('shows assignment, tag and evidence events without echoing their audit details', () => {
    const id = buildBareIssue(store);
    const append = (action: 'assign' | 'tag' | 'evidence_add', hhmm: string, details: Record<string, string>) =>
      store.audit.append({ action, entity_type: 'issue', entity_id: id, details }, at(hhmm));
    append('assign', '08:05', { from: 'U0OLD', to: 'U0NEWOWNER' });
    append('tag', '08:06', { added: 'x' });
    append('evidence_add', '08:07', { channel_id: 'C0SECRETCHAN', message_ts: '1700000000.123456' });
    const timeline = renderRca(input(id)).split('## Incident Timeline')[1]!.split('## Metrics')[0]!;
    expect(timeline).toContain('| 2026-03-02 08:05 UTC | Assignee changed |');
    expect(timeline).toContain('| 2026-03-02 08:06 UTC | Tags changed |');
    expect(timeline).toContain('| 2026-03-02 08:07 UTC | Evidence added |');
    for (const value of ['U0NEWOWNER', 'C0SECRETCHAN', '1700000000']) expect(timeline).not.toContain(value);
  });

  it('a store without status_change entries still shows when the issue was resolved', () => {
    const id = buildBareIssue(store);
    store.issues.updateStatus(id, 'closed', at('09:30'));
    const md = renderPostmortem(input(id));
    expect(md).toContain('| 2026-03-02 09:30 UTC | Issue closed |');
    expect(md).toContain('It was closed on 2026-03-02 09:30 UTC, after 1 hour 30 minutes.');
  });

  it('an open issue measures its duration up to the injected generation time', () => {
    const id = buildBareIssue(store);
    const md = renderRca(loadDocumentInput(store, id, { redact: identity, generatedAt: at('10:30', '2026-03-03') }));
    expect(md).toContain('| Duration | 1 day 2 hours 30 minutes so far (open at 2026-03-03 10:30 UTC) |');
    expect(md).toContain('| Time to root cause | not yet identified |');
  });

  it('takes the root cause from the why that root_cause_identified names, not just the deepest', () => {
    const id = buildRichIssue(store);
    store.audit.append(
      { action: 'root_cause_identified', entity_type: 'issue', entity_id: id, details: { step_order: 3 } },
      at('12:00'),
    );
    const md = renderRca(input(id));
    const root = md.split('## Root Cause\n')[1]!.split('## Log Files')[0]!;
    expect(root).toContain('A nightly report job held 45 of the 50 pooled connections');
    expect(root).toContain('_From why 3._');
  });

  it('without a root_cause_identified entry the deepest answered why is the root cause', () => {
    const id = buildBareIssue(store);
    store.steps.save({ issue_id: id, step_order: 1, why_question: 'Why?', answer: 'Expired certificate' }, at('09:00'));
    store.steps.save({ issue_id: id, step_order: 2, why_question: 'Why expired?', answer: null }, at('09:10'));
    const md = renderPostmortem(input(id));
    expect(md.split('## Root Cause\n')[1]!.split('## The 5 Whys')[0]).toContain('Expired certificate');
    expect(md).toContain('**Answer:** _not answered yet._');
  });

  describe('escaping', () => {
    const NASTY_TITLE =
      'DB | down # now `rm -rf` <script>alert(1)</script> [click](http://evil.test)\n# injected heading';
    const NASTY_BLOCK =
      '# not a heading\n| a | b |\n|---|---|\n- not a list\n1. not ordered\n```\ncode fence\n```\n> quote';

    function render(redact: Redact = identity) {
      const id = buildRichIssue(store, {
        title: NASTY_TITLE,
        description: NASTY_BLOCK,
        category: 'db|infra\n## sub',
        assignee: '<@U123|admin>',
        tags: ['a|b', '#x', '`c`'],
        logName: 'evil|name.log\n',
        whys: [{ why_question: 'Why | # <b>?\nnext', answer: NASTY_BLOCK, evidence: '</td><img src=x>' }],
      });
      const fields: OptionalDocFieldsInput = {
        impact: NASTY_BLOCK,
        lessons_learned: '- | pipe\n# hash',
        action_items: [{ action: 'fix | it\n# now', owner: '[me](http://x)', priority: 'high' }],
      };
      const i = input(id, fields, redact);
      return { rca: renderRca(i), postmortem: renderPostmortem(i) };
    }

    it('user text cannot add headings, break tables, or open code, HTML or links', () => {
      for (const md of Object.values(render())) {
        const lines = md.split('\n');
        // Only our own headings: none starts with user text's `#`.
        for (const h of lines.filter((l) => /^#{1,6} /.test(l))) {
          expect(h).toMatch(
            /^(# (Root Cause Analysis|Postmortem): |## [A-Z][A-Za-z0-9 ]+$|### (Immediate|Long-term)$|### Why \d: )/,
          );
        }
        expect(lines.filter((l) => l.startsWith('# '))).toHaveLength(1);
        // Every table row has as many unescaped pipes as its header.
        let columns = 0;
        for (const line of lines) {
          if (!line.startsWith('|')) {
            columns = 0;
            continue;
          }
          const pipes = unescapedCount(line, '|');
          if (columns === 0) columns = pipes;
          expect(pipes, line).toBe(columns);
        }
        for (const line of lines) {
          expect(unescapedCount(line, '<'), line).toBe(0);
          expect(unescapedCount(line, '['), line).toBe(0);
          // Backticks only in our code spans (ids and hashes), which come in pairs around hex.
          expect(line.replace(/`[0-9a-f-]+`/g, ''), line).not.toMatch(/(^|[^\\])`/);
          // No line opens a list, quote, fence or thematic break from user text.
          expect(line, line).not.toMatch(/^(> |```|---\S|1\. |- - )/);
        }
      }
    });

    it('keeps the text readable: escaped characters are all still there', () => {
      const { rca } = render();
      expect(rca).toContain(
        '# Root Cause Analysis: DB \\| down \\# now \\`rm -rf\\` \\<script\\>alert(1)\\</script\\> ' +
          '\\[click\\](http://evil.test) \\# injected heading\n',
      );
      expect(rca).toContain('| Category | db\\|infra \\#\\# sub |');
      expect(rca).toContain('| Tags | a\\|b, \\#x, \\`c\\` |');
      expect(rca).toContain('### Why 1: Why \\| \\# \\<b\\>? next\n');
      expect(rca).toContain(
        '\\# not a heading  \n\\| a \\| b \\|  \n\\|---\\|---\\|  \n\\- not a list  \n1\\. not ordered',
      );
      expect(rca).toContain('\n- \\| pipe\n- \\# hash\n');
      const { postmortem } = render();
      expect(postmortem).toContain('| high | fix \\| it \\# now | \\[me\\](http://x) | — | open |');
    });

    it('drops control and bidi-override characters', () => {
      const id = buildBareIssue(store, 'ok\u202Egnp.exe\u0007\u200B done');
      expect(renderRca(input(id))).toContain('# Root Cause Analysis: okgnp.exe done\n');
    });
  });

  describe('redaction', () => {
    // Each is detected by the real redaction engine; the underscore also checks that redaction runs before
    // escaping (escaped, the address would read jane\_doe@… and slip past the email pattern).
    const PII = {
      email: 'jane_doe@example.com',
      email2: 'ops-lead@acme-corp.com',
      phone: '+44 20 7946 0958',
      ssn: '078-05-1120',
      ipv4: '192.168.14.27',
      card: '5555 5555 5555 4444',
      aws: 'AKIAIOSFODNN7EXAMPLE',
      iban: 'GB82 WEST 1234 5698 7654 32',
    };

    it('PII planted in every user field never reaches either document', () => {
      const id = buildRichIssue(store, {
        title: `Login fails for ${PII.email}`,
        description: `Reported by ${PII.email2} from ${PII.ipv4}; call ${PII.phone}.`,
        category: `billing ${PII.ssn}`,
        assignee: PII.email2,
        tags: [PII.email, 'ok'],
        logName: `${PII.email}-export.log`,
        whys: [
          {
            why_question: `Why was ${PII.card} charged twice?`,
            answer: `Key ${PII.aws} was reused`,
            evidence: PII.iban,
          },
          { why_question: 'Why?', answer: `Retry from ${PII.ipv4}`, evidence: `ssn ${PII.ssn}` },
        ],
      });
      const fields: OptionalDocFieldsInput = {
        corrective_actions_immediate: `Refund ${PII.card}`,
        corrective_actions_long_term: `Rotate ${PII.aws}`,
        lessons_learned: `Ask ${PII.email}`,
        impact: `Customer ${PII.phone} double charged`,
        contributing_factors: `IBAN ${PII.iban} reused`,
        what_went_well: `Paged ${PII.email2}`,
        what_could_be_improved: `Host ${PII.ipv4}`,
        action_items: [{ action: `Email ${PII.email}`, owner: PII.email2, priority: 'high' }],
      };
      const i = input(id, fields, realRedact);
      for (const md of [renderRca(i), renderPostmortem(i)]) {
        for (const [kind, value] of Object.entries(PII)) {
          expect(md, kind).not.toContain(value);
          // Nor in an escaped form, nor split by a line break.
          expect(md, kind).not.toContain(value.replace(/_/g, '\\_'));
          expect(md.replace(/\s+/g, ''), kind).not.toContain(value.replace(/\s+/g, ''));
        }
        expect(md).toContain('\\[Email\\]');
        expect(md).toContain('\\[CreditCard\\]');
      }
    });
  });
});
