/**
 * What a workbook is made of, as the writer takes it: sheets of rows of cells, each cell a
 * value (text is always a string cell, never a formula), or a formula written by code,
 * with a style. Rows and columns are 0-based here; the parts say A1.
 */

/** The media type of an .xlsx file. */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** How a cell looks and whether it can be edited once its sheet is protected. */
export interface CellStyle {
  readonly bold?: boolean;
  readonly italic?: boolean;
  /** Font size in points (default 11). */
  readonly size?: number;
  /** Font colour, `RRGGBB`. */
  readonly color?: string;
  /** Solid background, `RRGGBB`. */
  readonly fill?: string;
  /** A number format: `0`, `0.00`, `0.0%`, `yyyy-mm-dd hh:mm`, `@` (text). */
  readonly numFmt?: string;
  /** false: an input cell, editable on a protected sheet (Excel's default is locked). */
  readonly locked?: boolean;
  readonly wrap?: boolean;
  readonly horizontal?: 'left' | 'center' | 'right';
  readonly vertical?: 'top' | 'center';
  /** A thin border all round. */
  readonly border?: boolean;
}

/**
 * A cell's value. A Date is written as an Excel date serial of its UTC fields (the caller
 * shifts it to the wall clock it means, e.g. Beijing time); a number that is not finite
 * is written blank.
 */
export type CellValue = string | number | boolean | Date | null | undefined;

export interface Cell {
  readonly value?: CellValue;
  /** A formula without `=`, from code only (never from what a person wrote); `value` is its cached result. */
  readonly formula?: string;
  readonly style?: CellStyle;
}

/** A cell as written in a row: a bare value, or a cell with a style or a formula. */
export type CellInput = CellValue | Cell;

interface Column {
  /** Width in characters. */
  readonly width?: number;
  /** The style of the column's cells that have none (new cells a person types in, too). */
  readonly style?: CellStyle;
}

/**
 * A data validation of the cells `ranges` (A1, e.g. `E2:E30`), with the input message
 * shown when a cell is selected and what a refused entry is told.
 */
interface Rule {
  readonly ranges: readonly string[];
  /** A title (≤ 32 characters) and a text (≤ 255). */
  readonly prompt?: { readonly title: string; readonly text: string };
  /** A title (≤ 32) and a text (≤ 225). */
  readonly error?: { readonly title: string; readonly text: string };
}

/** A number at least `min`: whole, or any decimal. */
interface AtLeast extends Rule {
  readonly type: 'whole' | 'decimal';
  readonly min: number;
}

/** A formula written relative to the first cell of the first range, as Excel reads it. */
interface Custom extends Rule {
  readonly type: 'custom';
  readonly formula: string;
}

/** Literal items (at most 255 characters in all), or a range or defined name (`UnitCodes`). */
interface List extends Rule {
  readonly type: 'list';
  readonly source: readonly string[] | string;
}

export type Validation = AtLeast | Custom | List;

export interface Sheet {
  /** At most 31 characters, none of `[]:*?/\`. */
  readonly name: string;
  /** From A1. */
  readonly rows: readonly (readonly CellInput[])[];
  readonly columns?: readonly (Column | undefined)[];
  /** Row heights in points, by 0-based row. */
  readonly heights?: Readonly<Record<number, number>>;
  /** Merged ranges, A1 (`A1:F1`). */
  readonly merges?: readonly string[];
  /** Rows above and columns left of the pane that stay in view. */
  readonly freeze?: { readonly rows?: number; readonly columns?: number };
  /**
   * Protects the sheet without a password: only unlocked cells can be edited (columns and
   * rows may still be resized). Guards against slips, not against anyone.
   */
  readonly protect?: boolean;
  readonly validations?: readonly Validation[];
}

export interface Workbook {
  /** docProps/core.xml's title. */
  readonly title: string;
  /** docProps/core.xml's created (and modified) instant; absent: none written, so the same content gives the same bytes. */
  readonly created?: Date;
  readonly sheets: readonly Sheet[];
  /** Workbook-wide defined names: `UnitCodes` → `'填表说明'!$A$5:$A$14`. */
  readonly names?: Readonly<Record<string, string>>;
}
