import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/slack/parse.js';

describe('parseCommand', () => {
  it.each([
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['new', { kind: 'new', title: '', tags: [] }],
    ['new Disk full on db-1', { kind: 'new', title: 'Disk full on db-1', tags: [] }],
    [
      'new Disk full sev:HIGH cat:storage tag:db,prod tags:#infra <@U123|bob>',
      {
        kind: 'new',
        title: 'Disk full',
        severity: 'high',
        category: 'storage',
        tags: ['db', 'prod', 'infra'],
        assignee: 'U123',
      },
    ],
    ['list', { kind: 'list', scope: 'active' }],
    ['list all sev:critical', { kind: 'list', scope: 'all', severity: 'critical' }],
    ['list resolved', { kind: 'list', scope: 'resolved' }],
    ['search kafka lag', { kind: 'search', words: 'kafka lag' }],
    ['show 1a2b3c4d', { kind: 'show', fragment: '1a2b3c4d' }],
    ['status resolved', { kind: 'status', status: 'resolved' }],
    ['status resolve 1A2B3C4D', { kind: 'status', status: 'resolved', fragment: '1A2B3C4D' }],
    ['status 1a2b3c4d investigating', { kind: 'status', status: 'investigating', fragment: '1a2b3c4d' }],
    ['assign <@U0BOB>', { kind: 'assign', assignee: 'U0BOB' }],
    ['assign &lt;@U0BOB|bob&gt; id:beef', { kind: 'assign', assignee: 'U0BOB', fragment: 'beef' }],
    ['unassign', { kind: 'assign', assignee: null }],
    ['severity crit', { kind: 'severity', severity: 'critical' }],
    ['tag db -old', { kind: 'tag', add: ['db'], remove: ['old'] }],
    ['tag db 1a2b3c4d', { kind: 'tag', add: ['db'], remove: [], fragment: '1a2b3c4d' }],
  ])('%j', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each([
    ['new Disk sev:urgent', /Unknown severity/],
    ['new sev:high', /title is required/],
    ['status done', /Usage: `\/tftsr status/],
    ['status resolved not-an-id', /Usage/],
    ['show', /Usage: `\/tftsr show/],
    ['search', /Usage/],
    ['assign bob', /Usage/],
    ['list everything', /Usage/],
    ['frobnicate', /Unknown subcommand/],
  ])('%j is an error', (text, message) => {
    const parsed = parseCommand(text);
    expect(parsed.kind).toBe('error');
    expect(parsed.kind === 'error' && parsed.message).toMatch(message);
  });
});
