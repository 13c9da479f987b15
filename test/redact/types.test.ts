import { describe, expect, it } from 'vitest';
import { createRedactor, PII_TYPES } from '../../src/redact/index.js';
import { NEGATIVES, POSITIVES, parseMarked } from './samples.js';

const redactor = createRedactor();

describe('built-in types: positives in realistic log lines', () => {
  it.each(POSITIVES.map((p, i) => [i, p.type, p.marked] as const))('#%i %s', (_i, type, marked) => {
    const { line, value, start, end } = parseMarked(marked);
    const { text, spans } = redactor.redactText(line);
    const span = spans.find((s) => s.start === start && s.end === end);
    expect(span, `expected a ${type} span at [${start}, ${end})`).toBeDefined();
    expect(span).toEqual({ type, start, end, value, replacement: `[${type}]` });
    expect(text).not.toContain(value);
    expect(text).toContain(`[${type}]`);
  });

  it('covers every built-in type with at least one positive', () => {
    const covered = new Set(POSITIVES.map((p) => p.type));
    expect(PII_TYPES.filter((t) => !covered.has(t))).toEqual([]);
  });
});

describe('negative look-alikes survive untouched', () => {
  it.each(NEGATIVES)('%s', (line) => {
    const { text, spans } = redactor.redactText(line);
    expect(spans.map((s) => `${s.type}:${s.value}`)).toEqual([]);
    expect(text).toBe(line);
  });
});

describe('replacement shape', () => {
  it('keeps scheme and host of a URL with credentials and replaces only the userinfo', () => {
    const { text } = redactor.redactText('fetch https://deploy:Xk9-example-pass@git.example.com/org/repo.git');
    expect(text).toBe('fetch https://[URLCredentials]@[Hostname]/org/repo.git');
  });

  it('redacts a multi-line PEM block as one span', () => {
    const { line } = parseMarked(POSITIVES.find((p) => p.type === 'PrivateKey')!.marked);
    const { text, spans } = redactor.redactText(line);
    expect(spans.filter((s) => s.type === 'PrivateKey')).toHaveLength(1);
    expect(text).toBe('Dec  4 15:44:54 ci runner: dumping env\n[PrivateKey]\nDec  4 15:44:55 ci runner: done');
  });

  it('redacts a PEM header even when the END line was cut off', () => {
    const cut =
      '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCEXAMPLEexampleEXAMPLE\nEXAMPLEexample0123\nnext log line here';
    const { spans } = redactor.redactText(cut);
    expect(spans[0]?.type).toBe('PrivateKey');
    expect(spans[0]?.value).not.toContain('next log line here');
    expect(spans[0]?.value).toContain('EXAMPLEexample0123');
  });

  it('reports UTF-8 byte offsets for text with multi-byte characters', () => {
    const line = 'Ünïcødé ✓ user jane.doe@example.com 🚀 from 10.0.0.1';
    const { text, spans } = redactor.redactText(line);
    const bytes = Buffer.from(line, 'utf8');
    for (const s of spans) expect(bytes.toString('utf8', s.start, s.end)).toBe(s.value);
    expect(text).toBe('Ünïcødé ✓ user [Email] 🚀 from [IPv4]');
  });
});

describe('overlaps', () => {
  it('prefers the longest span: an email beats the hostname inside it', () => {
    const { spans } = redactor.redactText('mail jane@db01.example.com now');
    expect(spans.map((s) => s.type)).toEqual(['Email']);
  });

  it('prefers the more specific type on equal length: GitHub token over bearer token', () => {
    const { spans } = redactor.redactText('Authorization: Bearer ghp_EXAMPLEexampleEXAMPLEexample0123456789');
    expect(spans.map((s) => s.type)).toEqual(['GitHubToken']);
  });

  it('prefers the IPv6 address over the IPv4 tail it contains', () => {
    const { spans } = redactor.redactText('peer ::ffff:192.0.2.1 closed');
    expect(spans.map((s) => [s.type, s.value])).toEqual([['IPv6', '::ffff:192.0.2.1']]);
  });

  it('never emits overlapping spans and is deterministic', () => {
    const line = POSITIVES.map((p) => parseMarked(p.marked).line).join(' | ');
    const a = redactor.redactText(line).spans;
    const b = createRedactor().redactText(line).spans;
    expect(a).toEqual(b);
    for (let i = 1; i < a.length; i++) expect(a[i]!.start).toBeGreaterThanOrEqual(a[i - 1]!.end);
  });
});
