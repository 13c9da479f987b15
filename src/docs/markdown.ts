/**
 * Markdown escaping for user text. Everything a person typed goes through here (after redaction) so that it reads
 * as literal text: it cannot open a heading, a table row, a link, a code span, raw HTML or a list.
 */

// C0/C1 controls (except tab and newline), zero-width characters and bidi overrides: invisible, and the bidi ones
// can make a rendered line read differently from its bytes.
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

// Backslash-escapable ASCII punctuation that changes meaning anywhere in a line (CommonMark + GFM tables,
// strikethrough). `#` is escaped everywhere because a heading's trailing `#`s would otherwise be eaten.
const INLINE_SPECIAL = /[\\`*_[\]<>|~#]/g;

/** Normalises line ends and drops invisible characters. */
export function normalise(text: string): string {
  return text.replace(/\r\n?|[\u2028\u2029]/g, '\n').replace(INVISIBLE, '');
}

function escapeLine(line: string): string {
  return (
    line
      .trim()
      .replace(INLINE_SPECIAL, (c) => `\\${c}`)
      // Constructs that only open at the start of a line or list item: bullets, setext underlines and thematic
      // breaks (`-`, `+`, `=`), ordered lists (`1.`, `1)`). `#`, `>`, `*`, `_` and backticks are escaped above.
      .replace(/^([-+=])/, '\\$1')
      .replace(/^(\d{1,9})([.)])/, '$1\\$2')
  );
}

/**
 * One line of literal text: for table cells, headings and list items. Line breaks become spaces so the text cannot
 * leave the cell or heading it is in.
 */
export function inline(text: string): string {
  return escapeLine(normalise(text).replace(/\s+/g, ' '));
}

/** A table cell: one line, never empty (an empty cell is valid but reads as a layout error). */
export function cell(text: string | null | undefined): string {
  const value = text == null ? '' : inline(text);
  return value === '' ? '—' : value;
}

/**
 * Multi-line literal text as paragraphs: blank lines separate paragraphs, single line breaks are kept as hard
 * breaks (two trailing spaces), so evidence pasted line by line keeps its shape.
 */
export function block(text: string): string {
  const paragraphs = normalise(text)
    .split(/\n[ \t]*\n/)
    .map((p) =>
      p
        .split('\n')
        .map(escapeLine)
        .filter((l) => l !== '')
        .join('  \n'),
    )
    .filter((p) => p !== '');
  return paragraphs.join('\n\n');
}

/**
 * Free text typed one item per line (a textarea) as a bullet list. Bullets the person typed (`-`, `*`, `•`,
 * `1.`) are dropped so they are not doubled.
 */
export function bulletList(text: string): string {
  return normalise(text)
    .split('\n')
    .map((l) => l.trim().replace(/^(?:[-*+•]|\d{1,9}[.)])\s+/, ''))
    .filter((l) => l !== '')
    .map((l) => `- ${inline(l)}`)
    .join('\n');
}

/** A GFM table. Cells must already be escaped (use `cell`). */
export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** A code span for text we generated ourselves (ids, hashes): never for user text. */
export function code(text: string): string {
  return `\`${text.replace(/`/g, '')}\``;
}
