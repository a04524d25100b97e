/**
 * Every error and warning of a file check: a stable machine code (docs/DOMAIN.md#check-codes), its
 * severity, and the Chinese sentence a village secretary reads. All wording lives here.
 */

export const ERROR_CODES = [
  'UNDECODABLE',
  'EMPTY_FILE',
  'TOO_LARGE',
  'MALFORMED',
  'MISSING_COLUMN',
  'UNKNOWN_UNIT',
  'UNIT_NOT_ALLOWED',
  'AMBIGUOUS_UNIT',
  'BAD_PERIOD',
  'FUTURE_PERIOD',
  'UNKNOWN_METRIC',
  'UNKNOWN_CATEGORY',
  'NOT_A_NUMBER',
  'NEGATIVE',
  'NOT_INTEGER',
  'TOO_MANY_DECIMALS',
  'DUPLICATE_METRIC',
  'RAGGED_ROW',
  'UNREADABLE_WORKBOOK',
] as const;
export const WARNING_CODES = ['CLOSED_EXCEEDS_RECEIVED', 'RECTIFIED_EXCEEDS_FOUND', 'CATEGORY_SUM_MISMATCH', 'OUTLIER', 'LATE'] as const;

/**
 * Errors of the upload itself, found by the ingest: no intent, a key other than the
 * intent's, a file whose months or units are not those the upload was asked for, a month
 * locked for its uploader, a second object under one upload.
 */
export const UPLOAD_ERROR_CODES = [
  'NO_UPLOAD_INTENT',
  'KEY_MISMATCH',
  'PERIOD_MISMATCH',
  'UNIT_MISMATCH',
  'PERIOD_LOCKED',
  'UPLOAD_REUSED',
] as const;

type ErrorCode = (typeof ERROR_CODES)[number] | (typeof UPLOAD_ERROR_CODES)[number];
export type WarningCode = (typeof WARNING_CODES)[number];
export type FindingCode = ErrorCode | WarningCode;

/** One error or warning, as the CLI prints it and the API returns it. */
export interface Finding {
  readonly code: FindingCode;
  /** Spreadsheet row (header = 1), or the record's number in a JSON array; null for the whole file. */
  readonly row: number | null;
  /** The column's header as written in the file (or a JSON path); null for the whole file. */
  readonly column: string | null;
  /** The offending value as written; null when there is none. */
  readonly value: string | null;
  readonly message: string;
  readonly unit?: string;
  readonly period?: string;
  /** In a workbook, the cell as Excel names it: `Sheet1!E9` (the row when no column applies: `Sheet1!9:9`). */
  readonly cell?: string;
}

const WARNINGS: ReadonlySet<string> = new Set(WARNING_CODES);
export function isWarning(code: FindingCode): code is WarningCode {
  return WARNINGS.has(code);
}

/** Where a cell is, said in Chinese: 第5行E列“数值” or 第2条记录“values.x”. */
export interface Place {
  readonly row: number | null;
  readonly column: string | null;
  /** Spreadsheet column letter (CSV and workbooks). */
  readonly letter?: string;
  /** The worksheet, for a workbook's cells. */
  readonly sheet?: string;
  readonly kind: 'csv' | 'json' | 'file';
}

function where(p: Place): string {
  if (p.row === null) return p.sheet !== undefined ? `工作表“${p.sheet}”：` : '';
  if (p.kind === 'json') return p.column ? `第${p.row}条记录“${p.column}”：` : `第${p.row}条记录：`;
  const col = p.column === null ? '' : p.column === '' ? `${p.letter ?? ''}列` : `${p.letter ?? ''}列“${p.column}”`;
  const sheet = p.sheet !== undefined ? `工作表“${p.sheet}”` : '';
  return `${sheet}第${p.row}行${col}：`;
}

/** A cell as Excel names it: `Sheet1!E9`, `'My sheet'!E9`; a whole row `Sheet1!9:9`. */
export function cellName(p: Place): string | undefined {
  if (p.sheet === undefined || p.row === null) return undefined;
  const sheet = /^[\p{L}_][\p{L}\p{N}_.]*$/u.test(p.sheet) ? p.sheet : `'${p.sheet.replace(/'/g, "''")}'`;
  return p.letter ? `${sheet}!${p.letter}${p.row}` : `${sheet}!${p.row}:${p.row}`;
}

/**
 * The longest value or column a finding repeats: a 5 MiB cell is shown by its start, so
 * that a report stays small enough for the upload's record (and for people to read).
 */
const MAX_SHOWN = 100;

export function shortened(value: string): string {
  if (value.length <= MAX_SHOWN) return value;
  // Not between the two halves of a surrogate pair.
  const cut = value.charCodeAt(MAX_SHOWN - 1) >> 10 === 0x36 ? MAX_SHOWN - 1 : MAX_SHOWN;
  return `${value.slice(0, cut)}…`;
}

/** NOT_A_NUMBER's detail for a workbook's formula saved without its result. */
export const FORMULA_WITHOUT_RESULT = '是公式，文件里没有保存它的计算结果。请在 Excel/WPS 中打开这个文件、保存后再上传';

/** A cell's text in a message, shortened so that a pasted essay stays readable. */
function quote(value: string): string {
  const v = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return `“${v}”`;
}

/** Parameters some messages need beyond the cell itself. */
export interface MessageFacts {
  readonly metricLabel?: string;
  readonly unitOfMeasure?: string;
  readonly expected?: string;
  readonly detail?: string;
}

type Say = (value: string | null, facts: MessageFacts) => string;

// One sentence per code: what is wrong, then what to do.
const SAY: Record<FindingCode, Say> = {
  UNDECODABLE: (_v, f) =>
    `文件无法读取${f.detail ? `（${f.detail}）` : ''}。请在 Excel/WPS 中“另存为”→“CSV UTF-8(逗号分隔)”或“CSV(逗号分隔)”后重新上传。`,
  EMPTY_FILE: () => '文件中没有任何数据：没有数据行，或数值全部为空。请填写数值后重新上传（没有发生的事项请填 0）。',
  TOO_LARGE: (v, f) => `文件大小 ${v} 超过上限 ${f.expected}。请只上传本单位的月报表，不要附带图片或其他工作表。`,
  MALFORMED: (_v, f) => `文件格式损坏：${f.detail}。请用 Excel/WPS 重新“另存为”CSV，或检查 JSON 的括号和引号。`,
  MISSING_COLUMN: (_v, f) => `缺少“${f.expected}”列。表头（第一行）需要：${f.detail}。建议下载模板填写。`,
  UNKNOWN_UNIT: (v, f) =>
    f.detail
      ? `单位${quote(v ?? '')}${f.detail}，不能报送这个月的数据。请检查月份或单位代码。`
      : (v ? `单位代码${quote(v)}不在单位名录中。` : '单位代码为空。') + `可用的单位代码为：${f.expected}。`,
  AMBIGUOUS_UNIT: (v, f) =>
    `单位${quote(v ?? '')}在多个镇都有（${f.expected}），无法确定是哪一个。请写完整代码（如 ${f.detail}），或上传时选定镇。`,
  UNIT_NOT_ALLOWED: (v, f) => `您的账号只能报送${f.expected}的数据，不能报送${quote(v ?? '')}的数据。请检查单位代码。`,
  BAD_PERIOD: (v, f) => `${quote(v ?? '')}不是有效的月份${f.detail ? `（${f.detail}）` : ''}。请填写“年-月”，例如 2025-03。`,
  FUTURE_PERIOD: (v, f) => `月份${quote(v ?? '')}（${f.detail}）还没有到（现在是${f.expected}），不能提前报送。请检查年份和月份。`,
  UNKNOWN_METRIC: (v, f) =>
    f.detail ? `${f.detail}。` : `${quote(v ?? '')}不是指标目录中的指标代码或指标名称。请使用模板中的指标，不要修改表头。`,
  UNKNOWN_CATEGORY: (v, f) =>
    f.expected
      ? `指标“${f.metricLabel}”没有分类${quote(v ?? '')}。可用的分类：${f.expected}。`
      : `指标“${f.metricLabel}”不分类，不能填写分类${quote(v ?? '')}。`,
  NOT_A_NUMBER: (v, f) =>
    f.detail
      ? `“${f.metricLabel}”的数值${quote(v ?? '')}${f.detail}。`
      : `“${f.metricLabel}”的数值${quote(v ?? '')}不是数字。请只填写阿拉伯数字，不要带单位或文字；没有发生请填 0，未统计请留空。`,
  NEGATIVE: (v, f) => `“${f.metricLabel}”的数值${quote(v ?? '')}小于 0。数值不能为负数。`,
  NOT_INTEGER: (v, f) => `“${f.metricLabel}”的数值${quote(v ?? '')}不是整数。此项以“${f.unitOfMeasure}”计，请填写整数。`,
  TOO_MANY_DECIMALS: (v, f) => `“${f.metricLabel}”的金额${quote(v ?? '')}超过 2 位小数。请精确到分，例如 1234.50。`,
  DUPLICATE_METRIC: (v, f) =>
    `“${f.metricLabel}”重复填写了${v ? quote(v) : ''}（${f.detail}）。同一单位同一月份每项只能填写一次，请删除重复的一项。`,
  RAGGED_ROW: (v, f) =>
    `这一行有 ${v} 个单元格，表头却有 ${f.expected} 列${f.detail}，数值会错位到别的指标。请检查这一行是否多了或少了逗号（数字中的千分位逗号请去掉，如 1,000 写成 1000）。`,
  UNREADABLE_WORKBOOK: (_v, f) =>
    `工作簿无法读取：${f.detail}。${f.expected ?? '请在 Excel/WPS 中打开，“另存为”→“Excel 工作簿(*.xlsx)”后重新上传。'}`,
  CLOSED_EXCEEDS_RECEIVED: (_v, f) => `本年累计办结群众来信来访 ${f.detail}。请核对受理和办结件数。`,
  RECTIFIED_EXCEEDS_FOUND: (_v, f) => `本年累计“${f.metricLabel}”${f.detail}。请核对排查和整改数。`,
  CATEGORY_SUM_MISMATCH: (v, f) => `“${f.metricLabel}”填写的合计为 ${v}，但各分类之和为 ${f.expected}。请核对合计或分类。`,
  OUTLIER: (v, f) => `“${f.metricLabel}”本月为 ${v}，${f.detail}。请核对是否多填或少填了位数。`,
  NO_UPLOAD_INTENT: (v) => `文件 ${v} 不是通过本系统的上传申请送来的，不予统计。请在网页或命令行上传。`,
  KEY_MISMATCH: (v, f) => `文件存放位置 ${v} 与上传申请（${f.expected}）不符，不予统计。请重新上传。`,
  PERIOD_MISMATCH: (v, f) =>
    `文件里是 ${v} 的数据${f.detail ? `（${f.detail}）` : ''}，但上传时选的月份是 ${f.expected}，不予统计。请选对月份重新上传，或改正文件中的月份。`,
  UNIT_MISMATCH: (v, f) =>
    `文件里有单位 ${v} 的数据${f.detail ? `（${f.detail}）` : ''}，但上传时选的单位是 ${f.expected}，不予统计。请选对单位重新上传，或改正文件中的单位。`,
  PERIOD_LOCKED: (v, f) =>
    `${v} 的数据${f.detail}，不能再报送或更正${f.expected ? `（${f.expected}）` : ''}。如确需更正，请联系镇里“重新打开”该月。`,
  UPLOAD_REUSED: (v) => `同一次上传又收到了一份文件（${v}）：表单被重复提交。第二份文件已保存，但不计入任何数据；如要更正，请重新上传。`,
  LATE: (v, f) => `${v} 的报表应于${f.expected}前报送，本次收到时间已过期限。已接收，但记为迟报。`,
};

export function describe(code: FindingCode, place: Place, value: string | null, facts: MessageFacts = {}): string {
  return where(place) + SAY[code](value, facts);
}
