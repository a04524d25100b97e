/**
 * A worksheet's rows, one at a time, as the readers take them: each cell's text as the
 * secretary sees it (shared or inline strings, cached formula results, numbers as shown,
 * dates as `YYYY-MM-DD`), at its column; a cell covered by a merge over several rows
 * shows the merge's value, as Excel shows it. Hidden rows are rows like the others: Excel's
 * own Save as CSV and its SUM (the 合计 she sees) include them, so a workbook counts what
 * its CSV would.
 */
import { numberText, parseReference, serialToDate } from './cells.ts';
import { unescapeOoxml, type SheetInfo, type Workbook } from './workbook.ts';
import { readXml } from './xml.ts';

type CellKind = 'text' | 'number' | 'date' | 'boolean' | 'error' | 'formula';

export interface SheetCell {
  /** Column index from 0 (A = 0). */
  readonly column: number;
  readonly text: string;
  readonly kind: CellKind;
}

export interface SheetRow {
  /** The sheet's row number (from 1). */
  readonly row: number;
  readonly cells: readonly SheetCell[];
}

/** Excel's last column (XFD): a reference past it is not a cell. */
const MAX_COLUMNS = 16_384;

/** Excel's last row. */
const MAX_ROWS = 1_048_576;

/**
 * A row's number: its `r` when that is a row after the last one (Excel writes them in
 * order), else the next row, so that a broken `r` cannot name a row twice or none.
 */
function rowAfter(last: number, r: string | undefined): number {
  const stated = r === undefined ? Number.NaN : Number(r);
  return Number.isInteger(stated) && stated > last && stated <= MAX_ROWS ? stated : last + 1;
}

/** Calls `onRow` for every row with a cell, in order; `onRow` may return 'stop'. */
export function readSheetRows(workbook: Workbook, sheet: SheetInfo, onRow: (row: SheetRow) => 'stop' | undefined): void {
  const xml = workbook.xmlOf(sheet);
  const merges = verticalMerges(xml);
  const stop = new Error('stop');
  let rowNumber = 0;
  let cells: SheetCell[] = [];
  let nextColumn = 0;
  // The cell being read.
  let column = 0;
  let type = '';
  let style = 0;
  let value = '';
  // Whether the cell holds a <v>: a formula's cached result, an empty text one included.
  let cached = false;
  let formula: string | undefined;
  let inline = '';
  let into: 'v' | 'f' | 't' | undefined;
  let inPhonetic = false;

  const finishRow = () => {
    if (cells.length === 0) return;
    const row = { row: rowNumber, cells: merges.starting.size > 0 ? withMerges(cells, rowNumber, merges) : cells };
    if (onRow(row) === 'stop') throw stop;
  };
  try {
    readXml(xml, {
      open: (name, a) => {
        if (name === 'row') {
          rowNumber = rowAfter(rowNumber, a.r);
          cells = [];
          nextColumn = 0;
        } else if (name === 'c') {
          const ref = a.r !== undefined ? parseReference(a.r) : undefined;
          column = ref ? ref.column : nextColumn;
          type = a.t ?? 'n';
          style = Number(a.s ?? 0);
          value = '';
          cached = false;
          formula = undefined;
          inline = '';
        } else if (name === 'v') {
          into = 'v';
          cached = true;
        } else if (name === 'f') {
          into = 'f';
          formula ??= '';
        } else if (name === 't') into = 't';
        else if (name === 'rPh') inPhonetic = true;
      },
      close: (name) => {
        if (name === 'v' || name === 'f' || name === 't') into = undefined;
        else if (name === 'rPh') inPhonetic = false;
        else if (name === 'c') {
          nextColumn = column + 1;
          // An empty <v> is a result only for a text formula (""); openpyxl writes one for any formula.
          const result = cached && (type === 'str' || value !== '');
          const cell = cellOf(workbook, column, type, style, value, result ? undefined : formula, inline);
          if (cell && column < MAX_COLUMNS) cells.push(cell);
        } else if (name === 'row') finishRow();
      },
      text: (t) => {
        if (into === 'v') value += t;
        else if (into === 'f') formula += t;
        else if (into === 't' && !inPhonetic) inline += t;
      },
    });
  } catch (e) {
    if (e !== stop) throw e;
  }
}

function cellOf(
  workbook: Workbook,
  column: number,
  type: string,
  style: number,
  value: string,
  /** The formula of a cell without a cached result. */
  formula: string | undefined,
  inline: string,
): SheetCell | undefined {
  switch (type) {
    case 's': {
      const text = workbook.sharedStrings[Number(value)];
      return text === undefined || text === '' ? undefined : { column, text, kind: 'text' };
    }
    case 'inlineStr':
      return inline === '' ? undefined : { column, text: unescapeOoxml(inline), kind: 'text' };
    case 'str':
      if (value === '' && formula !== undefined) return { column, text: `=${formula}`, kind: 'formula' };
      return value === '' ? undefined : { column, text: unescapeOoxml(value), kind: 'text' };
    case 'b':
      return value === '' ? undefined : { column, text: value === '1' || value === 'true' ? 'TRUE' : 'FALSE', kind: 'boolean' };
    case 'e':
      return { column, text: value || '#N/A', kind: 'error' };
    case 'd':
      return value === '' ? undefined : { column, text: value.slice(0, 10), kind: 'date' };
    default: {
      // A formula whose result the file does not hold (some writers leave it to Excel).
      if (value.trim() === '') return formula ? { column, text: `=${formula}`, kind: 'formula' } : undefined;
      if (workbook.dateStyles[style]) {
        const date = serialToDate(Number(value), workbook.date1904);
        if (date) return { column, text: date, kind: 'date' };
      }
      return { column, text: numberText(value), kind: 'number' };
    }
  }
}

interface Merge {
  readonly fromRow: number;
  readonly column: number;
  value?: SheetCell;
}

/** Merges over more than one row: those starting at a row, and those covering it below their first. */
interface Merges {
  readonly starting: Map<number, Merge[]>;
  readonly covering: Map<number, Merge[]>;
}

/** Rows a hostile file's merges may mark in all; a real sheet has a few dozen. */
const MAX_MERGED_ROWS = 100_000;

/** `<mergeCells>` follows `<sheetData>` in the part, so it is found first with a plain search. */
function verticalMerges(xml: string): Merges {
  const merges: Merges = { starting: new Map(), covering: new Map() };
  const at = xml.lastIndexOf('<mergeCells');
  if (at < 0) return merges;
  const end = xml.indexOf('</mergeCells>', at);
  let budget = MAX_MERGED_ROWS;
  const add = (map: Map<number, Merge[]>, row: number, merge: Merge) => {
    const list = map.get(row);
    if (list) list.push(merge);
    else map.set(row, [merge]);
  };
  readXml(xml.slice(at, end < 0 ? undefined : end + 13), {
    open: (name, a) => {
      if (name !== 'mergeCell' || !a.ref) return;
      const [from, to] = a.ref.split(':').map(parseReference);
      if (!from || !to || to.row <= from.row) return;
      const merge: Merge = { fromRow: from.row, column: from.column };
      add(merges.starting, from.row, merge);
      for (let r = from.row + 1; r <= to.row && budget > 0; r++, budget--) add(merges.covering, r, merge);
    },
    close: () => {},
    text: () => {},
  });
  return merges;
}

/** Remembers a merge's value at its first row; shows it in the rows it covers. */
function withMerges(cells: SheetCell[], row: number, merges: Merges): SheetCell[] {
  for (const m of merges.starting.get(row) ?? []) m.value = cells.find((c) => c.column === m.column);
  const covering = merges.covering.get(row);
  if (!covering) return cells;
  const out = [...cells];
  for (const m of covering) {
    if (m.value && !out.some((c) => c.column === m.column)) out.push({ ...m.value, column: m.column });
  }
  return out.sort((a, b) => a.column - b.column);
}
