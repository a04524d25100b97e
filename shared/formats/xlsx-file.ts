/**
 * Excel workbooks (.xlsx): the long or wide layout on the sheet named like the template's
 * (月报表), else on the first visible sheet whose header is recognised. The rows are read
 * by the same table readers as CSV; findings name the sheet's cells (月报表!E9). Loaded
 * only when a workbook arrives (shared/formats/workbook.ts).
 */
import type { Collector } from '../collector.ts';
import { CsvRecord } from '../csv.ts';
import { bytesText, WORKBOOK_LIMITS } from '../limits.ts';
import { serialToDate } from '../xlsx/read/cells.ts';
import { readSheetRows, type SheetCell } from '../xlsx/read/sheet.ts';
import {
  asWorkbookError,
  openWorkbook,
  type SheetInfo,
  type Workbook,
  type WorkbookLimits,
  type WorkbookProblem,
} from '../xlsx/read/workbook.ts';
import { HEADER_SEARCH_ROWS, looksLikeHeader, readTable, TEMPLATE_SHEET, type RowSource } from './table.ts';
import type { WorkbookRead } from './workbook.ts';

export function readWorkbookFile(bytes: Uint8Array, collector: Collector, limits: WorkbookLimits = WORKBOOK_LIMITS): WorkbookRead {
  let sheet: SheetInfo | undefined;
  try {
    const workbook = openWorkbook(bytes, limits);
    sheet = chooseSheet(workbook);
    if (!sheet) {
      unreadable(collector, { kind: 'corrupt', detail: '工作簿里没有工作表' });
      return {};
    }
    collector.sheet = sheet.name;
    const table = readTable(rowsOf(workbook, sheet), collector, {
      aligned: false,
      // A month typed as a date serial shown as a number (45717): in this workbook's date system.
      periodText: (raw) => (/^\d{5}(\.\d+)?$/.test(raw.trim()) ? (serialToDate(Number(raw), workbook.date1904) ?? raw) : raw),
    });
    table.finish();
    return { ...(table.format ? { format: table.format } : {}), sheet: sheet.name };
  } catch (e) {
    unreadable(collector, asWorkbookError(e).problem);
    return sheet ? { sheet: sheet.name } : {};
  }
}

/** The template's sheet; else the first visible sheet with a header in its first rows; else the first visible one. */
function chooseSheet(workbook: Workbook): SheetInfo | undefined {
  const visible = workbook.sheets.filter((s) => !s.hidden);
  const candidates = visible.length > 0 ? visible : workbook.sheets;
  const named = candidates.find((s) => s.name.trim() === TEMPLATE_SHEET);
  if (named) return named;
  for (const sheet of candidates) if (hasHeader(workbook, sheet)) return sheet;
  return candidates[0];
}

function hasHeader(workbook: Workbook, sheet: SheetInfo): boolean {
  let found = false;
  let looked = 0;
  const record = new CsvRecord();
  readSheetRows(workbook, sheet, (row) => {
    fill(record, row.cells);
    found = looksLikeHeader(record.cells());
    return found || ++looked >= HEADER_SEARCH_ROWS ? 'stop' : undefined;
  });
  return found;
}

function rowsOf(workbook: Workbook, sheet: SheetInfo): RowSource {
  return (onRow) => {
    const record = new CsvRecord();
    readSheetRows(workbook, sheet, (row) => {
      fill(record, row.cells);
      return onRow(record, row.row);
    });
  };
}

/** A sheet row as a record of the table readers: each cell at its column, blanks between. */
function fill(record: CsvRecord, cells: readonly SheetCell[]): void {
  let text = '';
  record.count = 0;
  let column = 0;
  for (const cell of cells) {
    for (; column < cell.column; column++) record.push(text.length, text.length, false, -1);
    const start = text.length;
    text += cell.text;
    record.push(start, text.length, false, cell.kind === 'number' ? wholeNumber(cell.text) : -1);
    column = cell.column + 1;
  }
  record.text = text;
}

/** The fast path of the readers: a cell of nothing but ASCII digits (≤ 15) as its number. */
function wholeNumber(text: string): number {
  if (text.length === 0 || text.length > 15) return -1;
  let v = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

const FILE = { row: null, column: null, kind: 'file' } as const;

function unreadable(collector: Collector, problem: WorkbookProblem): void {
  collector.report('UNREADABLE_WORKBOOK', FILE, null, say(problem));
}

function say(p: WorkbookProblem): { detail: string; expected?: string } {
  switch (p.kind) {
    case 'encrypted':
      return {
        detail: '文件设置了打开密码（已加密）',
        expected: '请在 Excel/WPS 中取消密码（Excel：文件→信息→保护工作簿→用密码进行加密，清空密码；WPS：文件→文档加密）后重新上传。',
      };
    case 'legacy-xls':
      return { detail: '这是旧版 Excel 97-2003 工作簿（.xls），系统只读取 .xlsx 工作簿' };
    case 'not-xlsx':
      return { detail: '这不是 Excel 工作簿（可能是 .ods/.et 表格或其他压缩包）' };
    case 'corrupt':
      return { detail: `文件已损坏（${p.detail}）` };
    case 'too-large':
      return {
        detail: `解压后超过 ${bytesText(p.limit)} 的上限（含有大量图片、格式，或是恶意构造的压缩文件）`,
        expected: '请只保留月报表工作表、删除图片后“另存为”.xlsx 再上传。',
      };
    case 'too-many-sheets':
      return { detail: `有 ${p.count} 个工作表，超过 ${p.limit} 个的上限`, expected: '请删除月报表以外的工作表后重新上传。' };
  }
}
