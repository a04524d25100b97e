/**
 * A small RFC 4180 reader tuned for what Excel and WPS write (quotes only where needed,
 * CRLF or LF, "" inside quotes), and the escaping used when we write CSV.
 */

export interface CsvDefect {
  readonly row: number;
  readonly reason: 'unclosed-quote' | 'text-after-quote';
}

const QUOTE = 34;
const CR = 13;
const LF = 10;
const SPACE = 32;
const TAB = 9;

/** Comma, unless the header line only has tabs (Excel's "Unicode 文本" / text export). */
export function sniffDelimiter(text: string): ',' | '\t' {
  const end = text.indexOf('\n');
  const header = end < 0 ? text : text.slice(0, end);
  return !header.includes(',') && header.includes('\t') ? '\t' : ',';
}

/**
 * Calls `onRecord(cells, row)` for every record; `row` counts records from 1 as a
 * spreadsheet numbers its rows (a quoted cell over several lines is still one row).
 * Returns the first defect, or null. Cells are not trimmed. `onRecord` may return 'stop'.
 */
export function readCsv(
  text: string,
  delimiter: ',' | '\t',
  onRecord: (cells: string[], row: number) => void | 'stop',
): CsvDefect | null {
  const sep = delimiter.charCodeAt(0);
  const n = text.length;
  let i = 0;
  let row = 0;
  while (i < n) {
    row++;
    const cells: string[] = [];
    for (;;) {
      // One field, starting at i.
      let start = i;
      while (start < n && text.charCodeAt(start) === SPACE) start++;
      if (start < n && text.charCodeAt(start) === QUOTE) {
        let value = '';
        let from = start + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q < 0) return { row, reason: 'unclosed-quote' };
          value += text.slice(from, q);
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += '"';
            from = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        while (i < n && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB) && text.charCodeAt(i) !== sep) i++;
        const c = i < n ? text.charCodeAt(i) : LF;
        if (c !== sep && c !== CR && c !== LF) return { row, reason: 'text-after-quote' };
        cells.push(value);
      } else {
        let j = i;
        for (; j < n; j++) {
          const c = text.charCodeAt(j);
          if (c === sep || c === LF || c === CR) break;
        }
        cells.push(text.slice(i, j));
        i = j;
      }
      // i is at a delimiter, a line end, or the end of the text.
      if (i < n && text.charCodeAt(i) === sep) {
        i++;
        if (i === n) cells.push('');
        continue;
      }
      if (i < n && text.charCodeAt(i) === CR) i++;
      if (i < n && text.charCodeAt(i) === LF) i++;
      break;
    }
    if (onRecord(cells, row) === 'stop') return null;
  }
  return null;
}

/** Quotes a cell when it holds a delimiter, a quote or a line break. */
export function csvCell(value: string): string {
  return /[",\r\n\t]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(cells: readonly string[]): string {
  return cells.map(csvCell).join(',');
}

/** Excel opens a CSV as UTF-8 only when it starts with a BOM. */
export const UTF8_BOM = '\ufeff';

/** Excel's column letters: 1 → A, 27 → AA. */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
