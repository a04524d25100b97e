/**
 * The text of SpreadsheetML parts: escaping for XML 1.0, and A1 cell references.
 * Whatever a person wrote goes through `text` or `attr`, so that no name or note can
 * break the markup or smuggle a formula in.
 */

/**
 * What XML 1.0 forbids (C0 controls but tab, LF and CR; U+FFFE, U+FFFF; lone surrogates):
 * dropped, since no escape makes them legal.
 */
const FORBIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what XML 1.0 forbids.
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Excel reads `_x0041_` in a string as the character U+0041: a literal one is escaped as `_x005F_x0041_`. */
const EXCEL_ESCAPE = /_(x[0-9a-fA-F]{4}_)/g;

/** The most characters a cell holds (Excel's limit). */
const CELL_LIMIT = 32_767;

function clean(s: string): string {
  return s.replace(FORBIDDEN, '');
}

/** Element text: `&`, `<`, `>` escaped, forbidden characters dropped. */
export function text(s: string): string {
  return clean(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value (double-quoted); line breaks and tabs kept as character references. */
export function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

/** A cell's string as Excel stores it: at most 32767 characters, `_xHHHH_` kept literal. */
function cellText(s: string): string {
  const kept = clean(s);
  return text(kept.length > CELL_LIMIT ? kept.slice(0, CELL_LIMIT) : kept).replace(EXCEL_ESCAPE, '_x005F_$1');
}

/** `<t>` with xml:space="preserve" where leading or trailing white space or a line break would be lost. */
export function tElement(s: string): string {
  const body = cellText(s);
  return /^\s|\s$|\n/.test(s) ? `<t xml:space="preserve">${body}</t>` : `<t>${body}</t>`;
}

/** 0 → A, 25 → Z, 26 → AA. */
export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** A cell's A1 reference from 0-based row and column: (1, 4) → E2. */
export function cellRef(row: number, column: number): string {
  return `${columnName(column)}${row + 1}`;
}

/** `E2:E40` (or `E2` for one cell), 0-based and inclusive. */
export function rangeRef(top: number, left: number, bottom: number, right: number): string {
  const from = cellRef(top, left);
  return top === bottom && left === right ? from : `${from}:${cellRef(bottom, right)}`;
}

/** A sheet's name as a formula writes it: `'填表说明'!` (quoted unless plain ASCII letters and digits). */
export function sheetPrefix(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `${name}!` : `'${name.replace(/'/g, "''")}'!`;
}

export const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
