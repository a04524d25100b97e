/**
 * xl/styles.xml: every distinct cell style of the workbook becomes one `xf` (its fonts,
 * fills, borders and number formats shared), in the order first met, after Excel's
 * default at index 0. The named styles the workbooks use are at the end.
 */
import type { CellStyle } from './model.ts';
import { attr } from './xml.ts';

/** Number formats Excel knows by id (ECMA-376 §18.8.30); others get ids from 164. */
const BUILT_IN_FORMATS: Readonly<Record<string, number>> = { General: 0, '0': 1, '0.00': 2, '0%': 9, '0.00%': 10, '@': 49 };

/** The default font: 宋体 is on every Chinese Windows, in WPS, and substituted by LibreOffice. */
const FONT = { name: '宋体', size: 11 };

interface Font {
  readonly bold: boolean;
  readonly italic: boolean;
  readonly size: number;
  readonly color: string | undefined;
}

/** Keeps each distinct item once and gives its index. */
class Indexed<T> {
  readonly items: T[] = [];
  private readonly ids = new Map<string, number>();
  constructor(initial: readonly T[] = []) {
    for (const item of initial) this.id(item);
  }
  id(item: T): number {
    const key = JSON.stringify(item);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.items.push(item) - 1;
      this.ids.set(key, id);
    }
    return id;
  }
}

interface Xf {
  readonly numFmt: number;
  readonly font: number;
  readonly fill: number;
  readonly border: number;
  readonly wrap: boolean;
  readonly horizontal: string | undefined;
  readonly vertical: string | undefined;
  readonly locked: boolean;
}

const DEFAULT_XF: Xf = { numFmt: 0, font: 0, fill: 0, border: 0, wrap: false, horizontal: undefined, vertical: undefined, locked: true };

export class StyleTable {
  private readonly fonts = new Indexed<Font>([{ bold: false, italic: false, size: FONT.size, color: undefined }]);
  // The two fills every styles part starts with (Excel insists on them).
  private readonly fills = new Indexed<string>(['none', 'gray125']);
  private readonly borders = new Indexed<boolean>([false]);
  private readonly formats = new Indexed<string>();
  private readonly xfs = new Indexed<Xf>([DEFAULT_XF]);

  /** The `s` index of a style (0, Excel's default, for none). */
  id(style: CellStyle | undefined): number {
    if (!style) return 0;
    const font = this.fonts.id({ bold: !!style.bold, italic: !!style.italic, size: style.size ?? FONT.size, color: style.color });
    return this.xfs.id({
      numFmt: this.numFmt(style.numFmt),
      font,
      fill: style.fill ? this.fills.id(style.fill) : 0,
      border: this.borders.id(!!style.border),
      wrap: !!style.wrap,
      horizontal: style.horizontal,
      vertical: style.vertical,
      locked: style.locked !== false,
    });
  }

  private numFmt(code: string | undefined): number {
    if (code === undefined) return 0;
    return BUILT_IN_FORMATS[code] ?? 164 + this.formats.id(code);
  }

  xml(): string {
    const formats = this.formats.items.map((code, i) => `<numFmt numFmtId="${164 + i}" formatCode="${attr(code)}"/>`);
    const fonts = this.fonts.items.map(
      (f) =>
        `<font>${f.bold ? '<b/>' : ''}${f.italic ? '<i/>' : ''}<sz val="${f.size}"/>${f.color ? `<color rgb="FF${f.color}"/>` : ''}<name val="${FONT.name}"/><family val="3"/><charset val="134"/></font>`,
    );
    const fills = this.fills.items.map((f) =>
      f === 'none' || f === 'gray125'
        ? `<fill><patternFill patternType="${f}"/></fill>`
        : `<fill><patternFill patternType="solid"><fgColor rgb="FF${f}"/><bgColor indexed="64"/></patternFill></fill>`,
    );
    const thin = (side: string) => `<${side} style="thin"><color rgb="FFBFBFBF"/></${side}>`;
    const borders = this.borders.items.map((b) =>
      b
        ? `<border>${['left', 'right', 'top', 'bottom'].map(thin).join('')}<diagonal/></border>`
        : '<border><left/><right/><top/><bottom/><diagonal/></border>',
    );
    return [
      '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
      formats.length ? `<numFmts count="${formats.length}">${formats.join('')}</numFmts>` : '',
      `<fonts count="${fonts.length}">${fonts.join('')}</fonts>`,
      `<fills count="${fills.length}">${fills.join('')}</fills>`,
      `<borders count="${borders.length}">${borders.join('')}</borders>`,
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>',
      `<cellXfs count="${this.xfs.items.length}">${this.xfs.items.map(xfXml).join('')}</cellXfs>`,
      '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>',
      '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/>',
      '</styleSheet>',
    ].join('');
  }
}

function xfXml(xf: Xf): string {
  const aligned = xf.wrap || xf.horizontal || xf.vertical;
  const applied = [
    xf.numFmt ? ' applyNumberFormat="1"' : '',
    xf.font ? ' applyFont="1"' : '',
    xf.fill ? ' applyFill="1"' : '',
    xf.border ? ' applyBorder="1"' : '',
    aligned ? ' applyAlignment="1"' : '',
    xf.locked ? '' : ' applyProtection="1"',
  ].join('');
  const alignment = aligned
    ? `<alignment${xf.horizontal ? ` horizontal="${xf.horizontal}"` : ''}${xf.vertical ? ` vertical="${xf.vertical}"` : ''}${xf.wrap ? ' wrapText="1"' : ''}/>`
    : '';
  const protection = xf.locked ? '' : '<protection locked="0"/>';
  const open = `<xf numFmtId="${xf.numFmt}" fontId="${xf.font}" fillId="${xf.fill}" borderId="${xf.border}" xfId="0"${applied}`;
  return alignment || protection ? `${open}>${alignment}${protection}</xf>` : `${open}/>`;
}

/** The styles the workbooks share: a header bold on a fill, a title, notes, and input cells unlocked on a pale fill. */
export const STYLES = {
  title: { bold: true, size: 16 },
  subtitle: { color: '595959' },
  header: { bold: true, fill: 'DDEBF7', border: true, wrap: true, horizontal: 'center', vertical: 'center' },
  /** A header of a unit that did not report. */
  headerMissing: { bold: true, fill: 'F2F2F2', color: 'C00000', border: true, wrap: true, horizontal: 'center', vertical: 'center' },
  note: { italic: true, color: '7F7F7F', wrap: true },
  text: { numFmt: '@', border: true },
  integer: { numFmt: '0', border: true },
  money: { numFmt: '0.00', border: true },
  percent: { numFmt: '0.0%', border: true },
  dateTime: { numFmt: 'yyyy-mm-dd hh:mm', horizontal: 'left' },
  inputText: { numFmt: '@', locked: false, fill: 'FFF9E5', border: true },
  inputInteger: { numFmt: '0', locked: false, fill: 'FFF9E5', border: true },
  inputMoney: { numFmt: '0.00', locked: false, fill: 'FFF9E5', border: true },
} as const satisfies Record<string, CellStyle>;
