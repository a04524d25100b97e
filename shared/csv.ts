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
 * One record, reused from row to row: cells are kept as offsets into the text so that the
 * hot path (a wide file's numbers) reads digits without allocating a string per cell.
 */
export class CsvRecord {
  text = '';
  count = 0;
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  /** 1 when a quoted cell holds "" (an escaped quote). */
  escaped = new Uint8Array(64);
  /** The cell as a whole number when it is only ASCII digits (at most 15), else -1; read while scanning. */
  numbers = new Float64Array(64);

  push(start: number, end: number, escaped: boolean, number: number): void {
    if (this.count === this.starts.length) this.grow();
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.escaped[this.count] = escaped ? 1 : 0;
    this.numbers[this.count] = number;
    this.count++;
  }

  /** Twice the room; kept out of `push`, so that push stays small enough to be inlined. */
  private grow(): void {
    const twice = <T extends Int32Array | Uint8Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(a.length * 2);
      b.set(a);
      return b;
    };
    this.starts = twice(this.starts);
    this.ends = twice(this.ends);
    this.escaped = twice(this.escaped);
    this.numbers = twice(this.numbers);
  }

  /** The cell's text, unquoted, not trimmed; '' past the last cell. */
  cell(i: number): string {
    if (i >= this.count) return '';
    const s = this.text.slice(this.starts[i], this.ends[i]);
    return this.escaped[i] ? s.replace(/""/g, '"') : s;
  }

  /**
   * Whether the cell's text is `s`, read in place: a cell repeated from row to row (a
   * unit, a month) is then not copied out of the text on every row.
   */
  cellIs(i: number, s: string): boolean {
    if (i >= this.count) return s === '';
    const start = this.starts[i]!;
    if (this.escaped[i] || this.ends[i]! - start !== s.length) return this.cell(i) === s;
    for (let k = 0; k < s.length; k++) if (this.text.charCodeAt(start + k) !== s.charCodeAt(k)) return false;
    return true;
  }

  cells(): string[] {
    return Array.from({ length: this.count }, (_, i) => this.cell(i));
  }

  /** The cell as a whole number when it is nothing but ASCII digits (≤ 15 of them), else -1. */
  digits(i: number): number {
    return i < this.count ? this.numbers[i]! : -1;
  }

  /** The cell's first character that is not white space, as a char code; -1 if none. */
  firstChar(i: number): number {
    if (i >= this.count) return -1;
    for (let k = this.starts[i]!; k < this.ends[i]!; k++) {
      const c = this.text.charCodeAt(k);
      if (c !== SPACE && c !== TAB && c !== 0x3000 && c !== 0xa0) return c;
    }
    return -1;
  }

  /** Whether the cell is empty or only white space. */
  isBlankAt(i: number): boolean {
    return this.firstChar(i) < 0;
  }

  isBlank(): boolean {
    for (let i = 0; i < this.count; i++) if (!this.isBlankAt(i)) return false;
    return true;
  }
}

const UNCLOSED = -1;
const TEXT_AFTER_QUOTE = -2;

/**
 * A field at `i` that starts with spaces or a quote. A quoted one is pushed to the record
 * and the index after its closing quote (and any spaces) returned, or UNCLOSED or
 * TEXT_AFTER_QUOTE; 0 when it is not quoted after all (spaces, then text: read as usual).
 */
function readQuoted(text: string, i: number, sep: number, record: CsvRecord): number {
  const n = text.length;
  let start = i;
  while (start < n && text.charCodeAt(start) === SPACE) start++;
  if (start >= n || text.charCodeAt(start) !== QUOTE) return 0;
  let from = start + 1;
  let escaped = false;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q < 0) return UNCLOSED;
    if (text.charCodeAt(q + 1) === QUOTE) {
      escaped = true;
      from = q + 2;
      continue;
    }
    record.push(start + 1, q, escaped, -1);
    let k = q + 1;
    while (k < n && (text.charCodeAt(k) === SPACE || text.charCodeAt(k) === TAB) && text.charCodeAt(k) !== sep) k++;
    const c = k < n ? text.charCodeAt(k) : LF;
    return c !== sep && c !== CR && c !== LF ? TEXT_AFTER_QUOTE : k;
  }
}

/** Text given piece by piece (shared/decode.ts DecodedText): each piece but the last ends after a line feed. */
export interface TextPieces {
  next(): string | undefined;
  /** Everything not given yet, as one string. */
  rest(): string;
}

/**
 * Calls `onRecord(record, row)` for every record; `row` counts records from 1 as a
 * spreadsheet numbers its rows (a quoted cell over several lines is still one row).
 * The record object is reused: read what you need before returning. Returns the first
 * defect, or null. `onRecord` may return 'stop'.
 */
export function readCsv(
  text: string | TextPieces,
  delimiter: ',' | '\t',
  onRecord: (record: CsvRecord, row: number) => void | 'stop',
): CsvDefect | null {
  const sep = delimiter.charCodeAt(0);
  const record = new CsvRecord();
  if (typeof text === 'string') return readPiece(text, sep, record, 0, true, onRecord).defect;
  let row = 0;
  for (let piece = text.next(); piece !== undefined; piece = text.next()) {
    const end = readPiece(piece, sep, record, row, false, onRecord);
    if (end.defect || end.stopped) return end.defect;
    // A quoted cell goes on past its piece (a line break in a cell): that record and all
    // that follows are read as one text. Once: a quote left open cannot make it quadratic.
    if (end.carry >= 0) return readPiece(piece.slice(end.carry) + text.rest(), sep, record, end.row, true, onRecord).defect;
    row = end.row;
  }
  return null;
}

interface PieceEnd {
  /** Records read so far, in the whole text. */
  readonly row: number;
  /** Where a record that goes on in the next piece starts; -1 when none does. */
  readonly carry: number;
  readonly defect: CsvDefect | null;
  readonly stopped: boolean;
}

/** The records of one piece; `last`: its end is the text's (a quote still open there is a defect). */
function readPiece(
  text: string,
  sep: number,
  record: CsvRecord,
  rowBefore: number,
  last: boolean,
  onRecord: (record: CsvRecord, row: number) => void | 'stop',
): PieceEnd {
  const n = text.length;
  record.text = text;
  let i = 0;
  let row = rowBefore;
  while (i < n) {
    const recordStart = i;
    row++;
    record.count = 0;
    for (;;) {
      // One field, starting at i. Most fields start with neither a space nor a quote: they
      // are read in one pass, which leaves the character that ended them in `end`.
      const first = i < n ? text.charCodeAt(i) : LF;
      let end: number;
      if (first === SPACE || first === QUOTE) {
        const quoted = readQuoted(text, i, sep, record);
        if (quoted === UNCLOSED && !last) return { row: row - 1, carry: recordStart, defect: null, stopped: false };
        if (quoted < 0)
          return { row, carry: -1, defect: { row, reason: quoted === UNCLOSED ? 'unclosed-quote' : 'text-after-quote' }, stopped: false };
        if (quoted > 0) {
          i = quoted;
          end = i < n ? text.charCodeAt(i) : LF;
          if (end === sep) {
            i++;
            continue;
          }
          if (end === CR) i++;
          if (i < n && text.charCodeAt(i) === LF) i++;
          break;
        }
      }
      // Digits are added up on the way: most cells of a statistics file are counts.
      let j = i;
      let number = 0;
      let digitsOnly = true;
      end = LF;
      for (; j < n; j++) {
        const c = text.charCodeAt(j);
        // A digit in one unsigned test (below '0' wraps round to a large number).
        const digit = (c - 48) >>> 0;
        if (digit <= 9) {
          number = number * 10 + digit;
          continue;
        }
        if (c === sep || c === LF || c === CR) {
          end = c;
          break;
        }
        digitsOnly = false;
      }
      record.push(i, j, false, digitsOnly && j > i && j - i <= 15 ? number : -1);
      // j is at a delimiter, a line end, or the end of the text. After a delimiter comes a
      // field, an empty one at the end of the text too.
      if (end === sep) {
        i = j + 1;
        continue;
      }
      i = j;
      if (end === CR) i++;
      if (i < n && text.charCodeAt(i) === LF) i++;
      break;
    }
    if (onRecord(record, row) === 'stop') return { row, carry: -1, defect: null, stopped: true };
  }
  return { row, carry: -1, defect: null, stopped: false };
}

/** Quotes a cell when it holds a delimiter, a quote or a line break. */
function csvCell(value: string): string {
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

/**
 * A cell safe to open in Excel or WPS: text starting with = + - @ (or a tab or carriage
 * return, which Excel skips) would be read as a formula (`=HYPERLINK(…)`); a leading
 * apostrophe makes it text. For files people open, not for files the pipeline reads back.
 */
function safeCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** A CSV line of cells made safe with safeCell. */
export function safeCsvLine(cells: readonly string[]): string {
  return csvLine(cells.map(safeCell));
}
