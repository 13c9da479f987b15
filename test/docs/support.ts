import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { OptionalDocFieldsInput } from '../../src/docs/index.js';
import { type Store, sha256Hex } from '../../src/store/index.js';

const GOLDEN_DIR = path.resolve('test/fixtures/docs');

/**
 * Compares with the golden file byte for byte. UPDATE_GOLDEN=1 rewrites it: review the diff by eye before
 * committing, the golden file is the reviewed document.
 */
export function expectGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    fs.mkdirSync(GOLDEN_DIR, { recursive: true });
    fs.writeFileSync(file, actual);
    return;
  }
  if (!fs.existsSync(file)) throw new Error(`golden file ${name} is missing: run with UPDATE_GOLDEN=1 and review it`);
  expect(actual).toBe(fs.readFileSync(file, 'utf8'));
}

/** A fixed instant: `at('09:15')` is that time on the incident's day, UTC. */
export function at(hhmm: string, day = '2026-03-02'): Date {
  return new Date(`${day}T${hhmm}:00Z`);
}

export const GENERATED_AT = at('14:00');

/**
 * A resolved incident with two log files, four whys, status and severity changes and a named root cause, written
 * through the repositories the way the services write them (data row + audit entry), at fixed times.
 */
export function buildRichIssue(store: Store, text: Partial<RichText> = {}): string {
  const t = { ...RICH_TEXT, ...text };
  return store.transaction(() => {
    const issue = store.issues.create(
      {
        title: t.title,
        description: t.description,
        severity: 'high',
        category: t.category,
        source: 'slack',
        assigned_to: t.assignee,
        tags: t.tags,
      },
      at('09:15'),
    );
    const id = issue.id;
    const audit = (action: Parameters<Store['audit']['append']>[0]['action'], when: Date, details = {}) =>
      store.audit.append({ action, entity_type: 'issue', entity_id: id, user_id: 'U0RESPONDER', details }, when);
    audit('issue_create', at('09:15'), { severity: 'high' });

    const gateway = store.logFiles.create(
      {
        issue_id: id,
        file_name: t.logName,
        file_path: 'logs/gateway.log',
        file_size: 48_213,
        mime_type: 'text/plain',
        content_hash: sha256Hex('gateway log'),
        redacted: true,
      },
      at('09:20'),
    );
    store.piiSpans.insertMany(gateway.id, [
      { pii_type: 'Email', start_offset: 10, end_offset: 30, original_value: 'a@example.com', replacement: '[Email]' },
      { pii_type: 'Email', start_offset: 40, end_offset: 60, original_value: 'b@example.com', replacement: '[Email]' },
      { pii_type: 'IPv4', start_offset: 70, end_offset: 80, original_value: '10.0.0.1', replacement: '[IPv4]' },
    ]);
    store.audit.append({ action: 'log_attach', entity_type: 'log_file', entity_id: gateway.id }, at('09:20'));
    store.issues.updateStatus(id, 'investigating', at('09:22'));
    audit('status_change', at('09:22'), { from: 'open', to: 'investigating' });
    store.audit.append({ action: 'redaction_review', entity_type: 'log_file', entity_id: gateway.id }, at('09:25'));

    const db = store.logFiles.create(
      {
        issue_id: id,
        file_name: 'db-primary.log.gz',
        file_path: 'logs/db.log.gz',
        file_size: 3_250_000,
        content_hash: sha256Hex('db log'),
      },
      at('09:31'),
    );
    store.audit.append({ action: 'log_attach', entity_type: 'log_file', entity_id: db.id }, at('09:31'));
    store.issues.update(id, { severity: 'critical' }, at('09:40'));
    audit('severity_change', at('09:40'), { from: 'high', to: 'critical' });

    t.whys.forEach((why, i) => {
      const when = at(WHY_TIMES[i]!);
      store.steps.save({ issue_id: id, step_order: i + 1, ...why }, when);
      audit('why_step_saved', when, { step_order: i + 1 });
    });
    audit('root_cause_identified', at('10:45'), { step_order: t.whys.length });
    // Not part of the story: must not show in the timeline.
    audit('ai_send', at('10:50'), { provider: 'test' });
    store.issues.updateStatus(id, 'resolved', at('11:30'));
    audit('status_change', at('11:30'), { from: 'investigating', to: 'resolved' });
    return id;
  });
}

const WHY_TIMES = ['09:45', '10:02', '10:20', '10:41', '10:44'];

export interface RichText {
  title: string;
  description: string;
  category: string;
  assignee: string;
  tags: string[];
  logName: string;
  whys: { why_question: string; answer?: string | null; evidence?: string | null }[];
}

export const RICH_TEXT: RichText = {
  title: 'Checkout API returns 502 for 30% of requests',
  description:
    'From 09:10 UTC the checkout API returned 502 Bad Gateway for about 30% of requests.\n' +
    'Card payments failed; PayPal was unaffected.\n\nThe on-call engineer was paged by the error-rate alert.',
  category: 'database',
  assignee: 'U024BE7LH',
  tags: ['checkout', 'db-pool'],
  logName: 'api-gateway.log',
  whys: [
    {
      why_question: 'Why did checkout return 502?',
      answer: 'The gateway timed out waiting for the payments service.',
      evidence: 'gateway: upstream timed out (110) while reading response header\nupstream: payments:8080',
    },
    {
      why_question: 'Why did the payments service not answer?',
      answer: 'All its threads were blocked waiting for a database connection.',
      evidence: 'Thread dump: 200 of 200 threads in HikariPool.getConnection',
    },
    {
      why_question: 'Why were no database connections available?',
      answer: 'A nightly report job held 45 of the 50 pooled connections for over an hour.',
      evidence: null,
    },
    {
      why_question: 'Why could the report job take most of the pool?',
      answer: 'The report job shares the transactional pool; there is no separate pool or limit for batch work.',
      evidence: 'config/payments.yml: report.datasource = primary',
    },
  ],
};

export const RICH_FIELDS: OptionalDocFieldsInput = {
  corrective_actions_immediate: '- Killed the report job\n- Restarted the payments pods',
  corrective_actions_long_term: 'Give batch jobs their own connection pool\nAlert on pool saturation above 80%',
  lessons_learned: 'Shared pools hide noisy neighbours.\nThread dumps found the cause within minutes.',
  impact: 'About 30% of checkout attempts failed for 2 hours 15 minutes.\n\nNo data was lost.',
  contributing_factors: 'The report job moved to business hours last week.\nNo alert on pool saturation.',
  what_went_well: 'The error-rate alert paged within 5 minutes.',
  what_could_be_improved: 'The runbook did not mention the database pool.',
  action_items: [
    { priority: 'medium', action: 'Add pool saturation alert', owner: 'SRE team', due: '2026-03-09', status: 'open' },
    {
      priority: 'high',
      action: 'Separate connection pool for batch jobs',
      owner: 'Payments team',
      due: '2026-03-16',
      status: 'in_progress',
    },
    { priority: 'low', action: 'Update the runbook', status: 'done' },
  ],
};

/** An issue with nothing but a title: every optional section must say so instead of breaking. */
export function buildBareIssue(store: Store, title = 'Intermittent login failures'): string {
  return store.transaction(() => {
    const issue = store.issues.create({ title, severity: 'low' }, at('08:00'));
    store.audit.append(
      { action: 'issue_create', entity_type: 'issue', entity_id: issue.id, details: { severity: 'low' } },
      at('08:00'),
    );
    return issue.id;
  });
}

/** Counts `ch` in a line where it is not backslash-escaped. */
export function unescapedCount(line: string, ch: string): number {
  let n = 0;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') {
      i++;
      continue;
    }
    if (line[i] === ch) n++;
  }
  return n;
}
