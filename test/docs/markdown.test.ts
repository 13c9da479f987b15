import { describe, expect, it } from 'vitest';
import {
  block,
  bulletList,
  cell,
  DOC_FIELD_MAX,
  documentFileName,
  formatElapsed,
  inline,
  OptionalDocFieldsSchema,
} from '../../src/docs/index.js';
import { formatUtc, parseTimestamp } from '../../src/docs/input.js';

describe('markdown escaping', () => {
  it('inline text keeps to one line and escapes what Markdown would interpret', () => {
    expect(inline('a | b\n# c')).toBe('a \\| b \\# c');
    expect(inline('<img src=x onerror=alert(1)>')).toBe('\\<img src=x onerror=alert(1)\\>');
    expect(inline('[x](javascript:alert(1)) ![i](http://t/p.png)')).toBe(
      '\\[x\\](javascript:alert(1)) !\\[i\\](http://t/p.png)',
    );
    expect(inline('`code` *bold* _em_ ~~del~~ back\\slash')).toBe(
      '\\`code\\` \\*bold\\* \\_em\\_ \\~\\~del\\~\\~ back\\\\slash',
    );
  });

  it('escapes what would open a block at the start of a line or list item', () => {
    expect(inline('- item')).toBe('\\- item');
    expect(inline('+ item')).toBe('\\+ item');
    expect(inline('42. item')).toBe('42\\. item');
    expect(inline('7) item')).toBe('7\\) item');
    expect(inline('===')).toBe('\\===');
    expect(inline('> quote')).toBe('\\> quote');
    // Not at the start: left alone, text stays readable.
    expect(inline('a - b. 1. c')).toBe('a - b. 1. c');
  });

  it('cells are never empty', () => {
    expect(cell(null)).toBe('—');
    expect(cell('  \n ')).toBe('—');
    expect(cell('x\r\ny')).toBe('x y');
  });

  it('blocks keep paragraphs and line breaks, and strip indentation that would make a code block', () => {
    expect(block('first line\n    indented\r\n\n\n# second')).toBe('first line  \nindented\n\n\\# second');
    expect(block('\u2028')).toBe('');
  });

  it('bullet lists take one item per line, without doubling typed bullets', () => {
    expect(bulletList('- one\n* two\n• three\n4. four\n\n  five  ')).toBe('- one\n- two\n- three\n- four\n- five');
    expect(bulletList('- - nested?')).toBe('- \\- nested?');
  });
});

describe('formatElapsed (date-fns)', () => {
  const t0 = new Date('2026-03-29T00:30:00Z');
  it('formats days, hours and minutes, independent of DST in the local zone', () => {
    expect(formatElapsed(t0, new Date('2026-03-30T03:45:59Z'))).toBe('1 day 3 hours 15 minutes');
    expect(formatElapsed(t0, new Date('2026-03-29T01:30:00Z'))).toBe('1 hour');
    expect(formatElapsed(t0, new Date('2026-03-29T00:30:59Z'))).toBe('under a minute');
    expect(formatElapsed(t0, new Date('2026-03-28T00:00:00Z'))).toBe('under a minute');
  });
});

describe('OptionalDocFieldsSchema', () => {
  it('treats blank fields as absent and fills action item defaults', () => {
    const parsed = OptionalDocFieldsSchema.parse({
      impact: '   ',
      lessons_learned: null,
      action_items: [{ action: ' Fix it ', due: null }],
    });
    expect(parsed.impact).toBeUndefined();
    expect(parsed.lessons_learned).toBeUndefined();
    expect(parsed.action_items).toEqual([
      { action: 'Fix it', priority: 'medium', status: 'open', owner: undefined, due: undefined },
    ]);
    expect(OptionalDocFieldsSchema.parse({}).action_items).toEqual([]);
  });

  it('rejects free text over 3000 characters, bad dates and enums, and empty actions', () => {
    expect(OptionalDocFieldsSchema.safeParse({ impact: 'x'.repeat(DOC_FIELD_MAX) }).success).toBe(true);
    expect(OptionalDocFieldsSchema.safeParse({ impact: 'x'.repeat(DOC_FIELD_MAX + 1) }).success).toBe(false);
    expect(OptionalDocFieldsSchema.safeParse({ action_items: [{ action: 'a', due: 'next week' }] }).success).toBe(
      false,
    );
    expect(OptionalDocFieldsSchema.safeParse({ action_items: [{ action: 'a', priority: 'urgent' }] }).success).toBe(
      false,
    );
    expect(OptionalDocFieldsSchema.safeParse({ action_items: [{ action: '  ' }] }).success).toBe(false);
    expect(
      OptionalDocFieldsSchema.safeParse({ action_items: Array.from({ length: 21 }, () => ({ action: 'a' })) }).success,
    ).toBe(false);
  });
});

describe('documentFileName', () => {
  it('names the file by type and short id, never by title', () => {
    expect(documentFileName('postmortem', '01960000-0000-7000-8000-0000abcdef12')).toBe('tftsr-postmortem-abcdef12.md');
  });
});

describe('timestamps', () => {
  it('reads seed and ISO timestamps as UTC, and prints an unreadable one as unknown instead of throwing', () => {
    expect(formatUtc(parseTimestamp('2026-03-02 09:15:00'))).toBe('2026-03-02 09:15 UTC');
    expect(formatUtc(parseTimestamp('2026-03-02T10:15:00+01:00'))).toBe('2026-03-02 09:15 UTC');
    expect(formatUtc(parseTimestamp('yesterday'))).toBe('unknown time');
    expect(formatElapsed(parseTimestamp('garbage'), new Date())).toBe('unknown');
  });
});
