/**
 * One worksheet part (xl/worksheets/sheetN.xml), its elements in the order the schema
 * fixes (Excel refuses a file whose order differs): the view with its frozen pane, the
 * columns, the cells, the protection, the merged ranges, the validations.
 */
import type { Cell, CellInput, CellValue, Sheet, Validation } from './model.ts';
import type { StyleTable } from './styles.ts';
import { attr, cellRef, columnName, text } from './xml.ts';

/** The shared strings of a workbook: each distinct text once, by first use. */
export class SharedStrings {
  readonly items: string[] = [];
  private readonly ids = new Map<string, number>();
  count = 0;
  id(s: string): number {
    this.count++;
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.items.push(s) - 1;
      this.ids.set(s, id);
    }
    return id;
  }
}

const isCell = (input: CellInput): input is Cell => typeof input === 'object' && input !== null && !(input instanceof Date);

/** Days since 1899-12-30 (Excel's 1900 date system, past its leap-year bug), of the date's UTC fields. */
function dateSerial(d: Date): number {
  return d.getTime() / 86_400_000 + 25_569;
}

function cellXml(ref: string, input: CellInput, styles: StyleTable, strings: SharedStrings, columnStyle: number): string {
  const cell: Cell = isCell(input) ? input : { value: input };
  const s = cell.style ? styles.id(cell.style) : columnStyle;
  const style = s ? ` s="${s}"` : '';
  const value: CellValue = cell.value;
  if (cell.formula !== undefined) {
    const f = `<f>${text(cell.formula)}</f>`;
    if (typeof value === 'number' && Number.isFinite(value)) return `<c r="${ref}"${style}>${f}<v>${value}</v></c>`;
    if (typeof value === 'string') return `<c r="${ref}"${style} t="str">${f}<v>${text(value)}</v></c>`;
    return `<c r="${ref}"${style}>${f}</c>`;
  }
  if (typeof value === 'string') return value === '' ? blank(ref, style) : `<c r="${ref}"${style} t="s"><v>${strings.id(value)}</v></c>`;
  if (typeof value === 'number') return Number.isFinite(value) ? `<c r="${ref}"${style}><v>${value}</v></c>` : blank(ref, style);
  if (typeof value === 'boolean') return `<c r="${ref}"${style} t="b"><v>${value ? 1 : 0}</v></c>`;
  if (value instanceof Date) return `<c r="${ref}"${style}><v>${dateSerial(value)}</v></c>`;
  return blank(ref, style);
}

/** A cell with no value: written only when it has a style (an input cell), else left out. */
const blank = (ref: string, style: string) => (style ? `<c r="${ref}"${style}/>` : '');

function viewXml(freeze: Sheet['freeze'], selected: boolean): string {
  const rows = freeze?.rows ?? 0;
  const columns = freeze?.columns ?? 0;
  const tab = selected ? ' tabSelected="1"' : '';
  if (!rows && !columns) return `<sheetViews><sheetView workbookViewId="0"${tab}/></sheetViews>`;
  const topLeft = cellRef(rows, columns);
  const pane = rows && columns ? 'bottomRight' : rows ? 'bottomLeft' : 'topRight';
  return [
    `<sheetViews><sheetView workbookViewId="0"${tab}>`,
    `<pane${columns ? ` xSplit="${columns}"` : ''}${rows ? ` ySplit="${rows}"` : ''} topLeftCell="${topLeft}" activePane="${pane}" state="frozen"/>`,
    `<selection pane="${pane}" activeCell="${topLeft}" sqref="${topLeft}"/>`,
    '</sheetView></sheetViews>',
  ].join('');
}

/** At most `max` characters: Excel's limits on a validation's titles and messages. */
const clip = (s: string, max: number) => (s.length > max ? s.slice(0, max) : s);

function validationXml(v: Validation): string {
  const messages = [
    v.prompt ? ` showInputMessage="1" promptTitle="${attr(clip(v.prompt.title, 32))}" prompt="${attr(clip(v.prompt.text, 255))}"` : '',
    v.error
      ? ` showErrorMessage="1" errorTitle="${attr(clip(v.error.title, 32))}" error="${attr(clip(v.error.text, 225))}"`
      : ' showErrorMessage="1"',
  ].join('');
  const sqref = ` sqref="${v.ranges.join(' ')}"`;
  const open = (type: string, extra = '') => `<dataValidation type="${type}"${extra} allowBlank="1"${messages}${sqref}>`;
  switch (v.type) {
    case 'list':
      return `${open('list')}<formula1>${text(typeof v.source === 'string' ? v.source : listItems(v.source))}</formula1></dataValidation>`;
    case 'custom':
      return `${open('custom')}<formula1>${text(v.formula)}</formula1></dataValidation>`;
    default:
      return `${open(v.type, ' operator="greaterThanOrEqual"')}<formula1>${v.min}</formula1></dataValidation>`;
  }
}

/** `"甲,乙"`: a literal list, which Excel limits to 255 characters and splits at commas. */
function listItems(items: readonly string[]): string {
  if (items.some((i) => i.includes(','))) throw new Error(`list validation: an item contains a comma (${items.join('|')})`);
  const list = `"${items.join(',').replace(/"/g, '""')}"`;
  if (list.length > 257) throw new Error('list validation: more than 255 characters; use a range or a defined name');
  return list;
}

/** The worksheet part of `sheet` (the first sheet is the one shown on opening). */
export function sheetXml(sheet: Sheet, styles: StyleTable, strings: SharedStrings, selected: boolean): string {
  const columnStyles = (sheet.columns ?? []).map((c) => (c?.style ? styles.id(c.style) : 0));
  const width = Math.max(1, ...sheet.rows.map((r) => r.length));
  const cols = (sheet.columns ?? [])
    .map((c, i) =>
      c && (c.width !== undefined || c.style)
        ? `<col min="${i + 1}" max="${i + 1}"${c.width !== undefined ? ` width="${c.width}" customWidth="1"` : ''}${columnStyles[i] ? ` style="${columnStyles[i]}"` : ''}/>`
        : '',
    )
    .join('');
  const rows = sheet.rows.map((row, r) => {
    const cells = row.map((input, c) => cellXml(cellRef(r, c), input, styles, strings, columnStyles[c] ?? 0)).join('');
    const height = sheet.heights?.[r];
    const ht = height === undefined ? '' : ` ht="${height}" customHeight="1"`;
    return cells || ht ? `<row r="${r + 1}"${ht}>${cells}</row>` : '';
  });
  const validations = sheet.validations ?? [];
  return [
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">',
    `<dimension ref="A1:${columnName(width - 1)}${Math.max(1, sheet.rows.length)}"/>`,
    viewXml(sheet.freeze, selected),
    '<sheetFormatPr defaultRowHeight="15"/>',
    cols ? `<cols>${cols}</cols>` : '',
    `<sheetData>${rows.join('')}</sheetData>`,
    // Resizing columns and rows stays allowed: the protection guards the figures' places, not the layout.
    sheet.protect ? '<sheetProtection sheet="1" objects="1" scenarios="1" formatColumns="0" formatRows="0"/>' : '',
    sheet.merges?.length
      ? `<mergeCells count="${sheet.merges.length}">${sheet.merges.map((m) => `<mergeCell ref="${m}"/>`).join('')}</mergeCells>`
      : '',
    validations.length ? `<dataValidations count="${validations.length}">${validations.map(validationXml).join('')}</dataValidations>` : '',
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>',
    '</worksheet>',
  ].join('');
}
