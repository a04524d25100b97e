/**
 * A cell's value as the secretary sees it in Excel, as text for the readers: numbers to
 * the 15 significant digits Excel shows (a formula's 0.30000000000000004 is 0.3), in plain
 * decimals (never `1E+20`); dates as `YYYY-MM-DD`; references like `E9` to indexes.
 */

/** Built-in number formats that show dates or times (ECMA-376 18.8.30, with the CJK ones). */
const DATE_FORMAT_IDS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58,
]);

/** Whether a number format shows a date: a built-in date id, or a code with y/m/d/h/s outside quotes, brackets and escapes. */
export function isDateFormat(id: number, code: string | undefined): boolean {
  if (code === undefined) return DATE_FORMAT_IDS.has(id);
  let bare = '';
  for (let i = 0; i < code.length; i++) {
    const c = code[i]!;
    if (c === '"') {
      const end = code.indexOf('"', i + 1);
      i = end < 0 ? code.length : end;
    } else if (c === '[') {
      const end = code.indexOf(']', i + 1);
      i = end < 0 ? code.length : end;
    } else if (c === '\\' || c === '_' || c === '*') i++;
    else bare += c;
  }
  return /[ymdhs]/i.test(bare.replace(/general/gi, ''));
}

const DAY_MS = 86_400_000;
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

/** An Excel date serial as `YYYY-MM-DD` (1900 system with its phantom 29 Feb 1900, or 1904). */
export function serialToDate(serial: number, date1904: boolean): string | undefined {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2_958_465) return undefined;
  const day = Math.floor(serial);
  const ms = date1904 ? EPOCH_1904 + day * DAY_MS : day < 61 ? EPOCH_1900 + (day + 1) * DAY_MS : EPOCH_1900 + day * DAY_MS;
  if (!date1904 && day === 60) return '1900-02-29';
  return new Date(ms).toISOString().slice(0, 10);
}

/** A stored number as Excel shows it, in plain decimal notation. */
export function numberText(stored: string): string {
  const v = Number(stored);
  if (stored.trim() === '' || !Number.isFinite(v)) return stored;
  const shown = Number(v.toPrecision(15));
  const text = String(shown);
  return text.includes('e') ? plain(shown) : text;
}

/** 1e21 → "1000000000000000000000", 1e-7 → "0.0000001". */
function plain(v: number): string {
  const [mantissa, exponentText] = String(Math.abs(v)).split('e') as [string, string];
  const exponent = Number(exponentText);
  const [whole, fraction = ''] = mantissa.split('.') as [string, string?];
  const digits = whole + fraction;
  const point = whole.length + exponent;
  const sign = v < 0 ? '-' : '';
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** `E9` → { column: 4, row: 9 } (column from 0); undefined when it is not a reference. */
export function parseReference(ref: string): { column: number; row: number } | undefined {
  let i = 0;
  let column = 0;
  for (; i < ref.length && i < 3; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    column = column * 26 + (c - 64);
  }
  if (i === 0) return undefined;
  const row = Number(ref.slice(i));
  if (!Number.isInteger(row) || row < 1 || ref.length - i > 7) return undefined;
  return { column: column - 1, row };
}
