import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Deliveries } from '../../src/services/deliveries.js';
import { DuplicateDeliveryError, IssueService, IssueValidationError } from '../../src/services/issues.js';
import { createTextRedaction, fromRedactor, WITHHELD } from '../../src/services/redaction.js';
import { openStore, type Store } from '../../src/store/index.js';

let dir: string;
let store: Store;
let issues: IssueService;
let deliveries: Deliveries;
const alice = { userId: 'U0ALICE' };

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tftsr-svc-'));
  store = openStore({ dataDir: dir, key: 'service-test-key-0123456789' });
  issues = new IssueService(store);
  deliveries = new Deliveries(store);
});
afterAll(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const binding = (channel: string, ts: string | null = null) => ({ team_id: 'T1', channel_id: channel, thread_ts: ts });

describe('IssueService.create', () => {
  it('writes the issue, its thread binding, the audit entry and the delivery result together', () => {
    expect(deliveries.begin('command:T1:U0ALICE:trig-1')).toEqual({ status: 'claimed' });
    // In progress in this process: a second delivery is turned away before anything is posted.
    expect(deliveries.begin('command:T1:U0ALICE:trig-1')).toEqual({ status: 'seen' });
    const issue = issues.create({ title: 'DNS flapping', severity: 'high' }, alice, {
      binding: binding('C1', '1.000001'),
      deliveryKey: 'command:T1:U0ALICE:trig-1',
    });
    expect(store.slackThreads.findByThread('T1', 'C1', '1.000001')?.issue_id).toBe(issue.id);
    expect(store.audit.list({ entityId: issue.id }).map((a) => a.action)).toEqual(['issue_create']);
    deliveries.end('command:T1:U0ALICE:trig-1');
    expect(deliveries.begin('command:T1:U0ALICE:trig-1')).toEqual({ status: 'done', entityId: issue.id });
    // Recording the same delivery again (another process) writes nothing.
    const count = store.issues.count();
    expect(() =>
      issues.create({ title: 'Again', severity: 'high' }, alice, { deliveryKey: 'command:T1:U0ALICE:trig-1' }),
    ).toThrow(DuplicateDeliveryError);
    expect(store.issues.count()).toBe(count);
  });

  it('rolls everything back when one part fails (a thread ts already bound)', () => {
    const before = store.issues.count();
    const auditBefore = store.audit.list({ limit: 1000 }).length;
    expect(() =>
      issues.create({ title: 'Clash', severity: 'low' }, alice, {
        binding: binding('C1', '1.000001'),
        deliveryKey: 'view:V1:h1',
      }),
    ).toThrow();
    expect(store.issues.count()).toBe(before);
    expect(store.audit.list({ limit: 1000 })).toHaveLength(auditBefore);
    expect(store.slackEvents.get('view:V1:h1')).toBeUndefined();
  });

  it('rejects invalid input with field messages', () => {
    try {
      issues.create({ title: ' ', severity: 'urgent' as never, tags: ['has space'] }, alice);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(IssueValidationError);
      expect(Object.keys((err as IssueValidationError).fields).sort()).toEqual(['severity', 'tags', 'title']);
    }
  });
});

describe('changes', () => {
  it('status, severity, assign and tags each write one audit entry; no-ops write none', () => {
    const issue = issues.create({ title: 'Changes', severity: 'low' }, alice);
    expect(issues.changeStatus(issue.id, 'resolved', alice).after.resolved_at).not.toBeNull();
    expect(issues.changeStatus(issue.id, 'resolved', alice).changed).toBe(false);
    expect(issues.setSeverity(issue.id, 'high', alice).changed).toBe(true);
    expect(issues.assign(issue.id, 'U0BOB', alice).after.assigned_to).toBe('U0BOB');
    expect(issues.changeTags(issue.id, { add: ['a', 'A', 'b'] }, alice).after.tags).toEqual(['a', 'b']);
    expect(issues.changeTags(issue.id, { remove: ['B'] }, alice).after.tags).toEqual(['a']);
    expect(() => issues.changeTags(issue.id, { add: ['x'.repeat(51)] }, alice)).toThrow(IssueValidationError);
    expect(store.audit.list({ entityId: issue.id }).map((a) => a.action)).toEqual([
      'issue_create',
      'status_change',
      'severity_change',
      'assign',
      'tag',
      'tag',
    ]);
  });

  it('resolveTarget: by fragment, by thread, single active in channel, ambiguous, none', () => {
    const a = issues.create({ title: 'A', severity: 'low' }, alice, { binding: binding('C9', '9.1') });
    expect(issues.resolveTarget({ teamId: 'T1', channelId: 'C9' })).toEqual({ kind: 'found', issue: a });
    const b = issues.create({ title: 'B', severity: 'low' }, alice, { binding: binding('C9', '9.2') });
    expect(issues.resolveTarget({ teamId: 'T1', channelId: 'C9' }).kind).toBe('ambiguous');
    expect(issues.resolveTarget({ teamId: 'T1', channelId: 'C9', threadTs: '9.2' })).toEqual({
      kind: 'found',
      issue: b,
    });
    expect(issues.resolveTarget({ teamId: 'T1', channelId: 'C9', fragment: a.id.slice(-8) })).toEqual({
      kind: 'found',
      issue: a,
    });
    expect(issues.resolveTarget({ teamId: 'T1', channelId: 'C9', fragment: 'ffffffff' }).kind).toBe('not_found');
    expect(issues.resolveTarget({ teamId: 'T1', channelId: 'C0NONE' }).kind).toBe('none_active');
  });
});

describe('Deliveries', () => {
  it('once() runs a key once and releases it when the work fails', async () => {
    let runs = 0;
    await expect(
      deliveries.once('event:Ev1', 'event', () => {
        runs++;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await deliveries.once('event:Ev1', 'event', () => ++runs)).toEqual({ ran: true, value: 2 });
    expect(await deliveries.once('event:Ev1', 'event', () => ++runs)).toEqual({ ran: false });
    expect(runs).toBe(2);
  });
});

describe('redaction', () => {
  it('redacts PII with the workspace redactor, honouring the allowlist setting', () => {
    store.settings.set('redact.allowlist', JSON.stringify(['ops@example.com']));
    const r = createTextRedaction(store.settings);
    expect(r.redact('mail jane@example.com or ops@example.com')).toBe('mail [Email] or ops@example.com');
    expect(r.redactDetailed('jane@example.com').spans).toBe(1);
  });

  it('fails closed when the engine throws', () => {
    const r = fromRedactor({
      redactText: () => {
        throw new Error('engine bug');
      },
    });
    expect(r.redact('secret text')).toBe(WITHHELD);
  });
});
