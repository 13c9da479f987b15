import { describe, expect, it } from 'vitest';
import { createRedactor, PII_TYPES, redactConfigFromSettings } from '../../src/redact/index.js';

describe('createRedactor configuration', () => {
  it('turns types off', () => {
    const r = createRedactor({ disabledTypes: ['IPv4', 'Hostname'] });
    expect(r.redactText('from 10.0.0.1 to db01.example.com user a@example.com').text).toBe(
      'from 10.0.0.1 to db01.example.com user [Email]',
    );
    expect(r.activeTypes).not.toContain('IPv4');
  });

  it('rejects unknown types by name', () => {
    expect(() => createRedactor({ disabledTypes: ['IPv5'] })).toThrow(/unknown type\(s\) to disable: IPv5/);
  });

  it('never redacts allow-listed values, nor anything inside them', () => {
    const r = createRedactor({ allowlist: ['noreply@example.com', '10.0.0.1'] });
    expect(r.redactText('from noreply@example.com via 10.0.0.1 and 10.0.0.2').text).toBe(
      'from noreply@example.com via 10.0.0.1 and [IPv4]',
    );
  });

  it('applies named custom rules, with an optional `value` group and the i flag', () => {
    const r = createRedactor({
      customRules: [
        { name: 'EmployeeId', pattern: '\\bEMP-\\d{6}\\b' },
        { name: 'TicketSecret', pattern: 'ticket-secret: (?<value>\\w+)', flags: 'i' },
      ],
    });
    const { text, spans } = r.redactText('EMP-004211 opened; Ticket-Secret: abc123 noted');
    expect(text).toBe('[EmployeeId] opened; Ticket-Secret: [TicketSecret] noted');
    expect(spans.map((s) => s.type)).toEqual(['EmployeeId', 'TicketSecret']);
    expect(r.activeTypes).toContain('EmployeeId');
  });

  it('matches non-ASCII literals in custom rules against UTF-8 text with byte offsets', () => {
    const r = createRedactor({ customRules: [{ name: 'Codename', pattern: 'projet-café-\\d+' }] });
    const line = 'déploiement projet-café-42 ok';
    const { text, spans } = r.redactText(line);
    expect(text).toBe('déploiement [Codename] ok');
    expect(Buffer.from(line).toString('utf8', spans[0]!.start, spans[0]!.end)).toBe('projet-café-42');
  });

  it('treats configured internal domain suffixes as hosts', () => {
    const line = 'connect db01.corp.acme:5432 and cache.prod.acme';
    expect(createRedactor().redactText(line).text).toBe(line);
    expect(createRedactor({ internalDomains: ['corp.acme'] }).redactText(line).text).toBe(
      'connect [Hostname]:5432 and cache.prod.acme',
    );
  });

  it.each([
    [{ name: 'Bad', pattern: '(unclosed' }, /custom rule "Bad" has an invalid pattern/],
    [{ name: 'Empty', pattern: 'x*' }, /custom rule "Empty" matches the empty string/],
    [{ name: 'Evil', pattern: '(a+)+$' }, /custom rule "Evil" nests quantifiers/],
    [{ name: 'Flags', pattern: 'abc', flags: 'gs' }, /custom rule "Flags": only the "i" flag/],
    [{ name: 'bad name!', pattern: 'abc' }, /custom rule name "bad name!"/],
    [{ name: 'Email', pattern: 'abc' }, /custom rule "Email" clashes with a built-in type/],
  ])('rejects a bad custom rule with a clear error (%o)', (rule, message) => {
    expect(() => createRedactor({ customRules: [rule] })).toThrow(message);
  });

  it('rejects a duplicated custom rule name', () => {
    const rule = { name: 'Dup', pattern: 'dup-\\d+' };
    expect(() => createRedactor({ customRules: [rule, rule] })).toThrow(/"Dup" is defined twice/);
  });
});

describe('redactConfigFromSettings', () => {
  const settings = (values: Record<string, string>) => (key: string) => values[key];

  it('reads every redact.* key', () => {
    const config = redactConfigFromSettings(
      settings({
        'redact.types.disabled': '["Phone"]',
        'redact.allowlist': '["noreply@example.com"]',
        'redact.custom_rules': '[{"name":"EmployeeId","pattern":"EMP-\\\\d{6}"}]',
        'redact.internal_domains': '["corp.acme"]',
      }),
    );
    expect(config).toEqual({
      disabledTypes: ['Phone'],
      allowlist: ['noreply@example.com'],
      customRules: [{ name: 'EmployeeId', pattern: 'EMP-\\d{6}' }],
      internalDomains: ['corp.acme'],
    });
    expect(createRedactor(config).redactText('EMP-123456 at db.corp.acme').text).toBe('[EmployeeId] at [Hostname]');
  });

  it('defaults when keys are missing', () => {
    expect(redactConfigFromSettings(() => undefined)).toEqual({});
  });

  it('names the malformed key', () => {
    expect(() => redactConfigFromSettings(settings({ 'redact.allowlist': '{oops' }))).toThrow(
      /setting redact\.allowlist is not valid JSON/,
    );
    expect(() => redactConfigFromSettings(settings({ 'redact.custom_rules': '[{"name":1}]' }))).toThrow(
      /setting redact\.custom_rules must be/,
    );
  });
});

describe('PII_TYPES', () => {
  it('lists every built-in type once', () => {
    expect(new Set(PII_TYPES).size).toBe(PII_TYPES.length);
    expect(PII_TYPES).toEqual(
      expect.arrayContaining(['IPv4', 'IPv6', 'Email', 'AWSAccessKey', 'SlackToken', 'PrivateKey', 'DBCredentials']),
    );
    expect(PII_TYPES.length).toBeGreaterThanOrEqual(30);
  });
});
