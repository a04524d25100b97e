/**
 * Reading a value cell as people type it in Excel or WPS: full-width digits (１２),
 * thousands separators ("1,000", "1，000"), surrounding spaces. A blank cell means
 * "not reported", which is not 0. Every spelling ends in one decimal judge, so the cap
 * and the decimals hold however a value is written (docs/DOMAIN.md#hostile-input).
 */
import type { ValueType } from './catalogue.ts';
import type { JsonValue } from './json/value.ts';

export type ValueProblem = 'NOT_A_NUMBER' | 'NEGATIVE' | 'NOT_INTEGER' | 'TOO_MANY_DECIMALS';

/** A read value: a number, `null` for blank, or the code of the problem. */
export type ValueReading = number | null | ValueProblem;

// Above this, sums of yuan in cents would leave the exactly representable integers.
export const MAX_VALUE = Math.floor(Number.MAX_SAFE_INTEGER / 1000);
const MAX_DIGITS = String(MAX_VALUE);
const NUMBER = /^([+-])?(\d+)(?:\.(\d+))?$/;
const GROUPED = /^([+-])?(\d{1,3}(?:,\d{3})+)(?:\.(\d+))?$/;

export function readValue(raw: string, type: ValueType): ValueReading {
  // Fast path: plain ASCII digits, with or without one decimal point (money).
  const n = raw.length;
  if (n > 0 && n < 16) {
    let v = 0;
    let i = 0;
    for (; i < n; i++) {
      const c = raw.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
    }
    if (i === n) return v > MAX_VALUE ? 'NOT_A_NUMBER' : v;
    if (i > 0 && i < n - 1 && raw.charCodeAt(i) === 46 /* . */) {
      let last = i; // last non-zero decimal digit
      let k = i + 1;
      for (; k < n; k++) {
        const c = raw.charCodeAt(k) - 48;
        if (c < 0 || c > 9) break;
        if (c !== 0) last = k;
      }
      // The cap on the exact value: 9007199254740.5 is above it, 9007199254740.0 is not.
      if (k === n) return v > MAX_VALUE || (v === MAX_VALUE && last > i) ? 'NOT_A_NUMBER' : checkPrecision(Number(raw), last - i, type);
    }
  }
  return readSlow(raw, type);
}

function readSlow(raw: string, type: ValueType): ValueReading {
  const s = foldWidth(raw)
    .trim()
    .replace(/[\u2212\u2013\u2014]/g, '-');
  if (s === '') return null;
  const m = NUMBER.exec(s) ?? GROUPED.exec(s);
  if (!m) return 'NOT_A_NUMBER';
  const [, sign, whole, fraction = ''] = m;
  return judgeDecimal(sign === '-', whole!.replace(/,/g, ''), fraction, 0, type);
}

/**
 * Full-width forms to ASCII (`１２` → `12`, `１，０００` → `1,000`, `Ｍａｒ` → `Mar`) and
 * the ideographic space to a space: what a Chinese input method types. Nothing else is
 * folded, unlike NFKC, which also reads `²`, `①`, `㊿` and `𝟓` as digits.
 */
export function foldWidth(text: string): string {
  let i = 0;
  while (i < text.length && text.charCodeAt(i) < 0x3000) i++;
  if (i === text.length) return text;
  let out = text.slice(0, i);
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += c >= 0xff01 && c <= 0xff5e ? String.fromCharCode(c - 0xfee0) : c === 0x3000 ? ' ' : text[i];
  }
  return out;
}

/**
 * A JSON value (`null` = not reported). A string is read like a CSV cell; a number by
 * its decimal value as written (`1e2` is 100, `1.5e0` is not an integer, `1e309` is past
 * the cap), never through the float JSON.parse would make of it.
 */
export function readJsonValue(raw: JsonValue, type: ValueType): ValueReading {
  if (raw === null) return null;
  if (typeof raw === 'string') return readValue(raw, type);
  // A plain integer (the JSON reader made it a number only then): as written.
  if (typeof raw === 'number') return raw > MAX_VALUE ? 'NOT_A_NUMBER' : raw;
  if (typeof raw === 'object' && raw.kind === 'number') return readJsonNumber(raw.text, type);
  return 'NOT_A_NUMBER';
}

/** A number as RFC 8259 spells it (the parser checked the grammar): `-? int frac? exp?`. */
function readJsonNumber(text: string, type: ValueType): ValueReading {
  const negative = text.charCodeAt(0) === 45; /* - */
  let i = negative ? 1 : 0;
  const wholeStart = i;
  while (isDigit(text.charCodeAt(i))) i++;
  const whole = text.slice(wholeStart, i);
  let fraction = '';
  if (text.charCodeAt(i) === 46 /* . */) {
    const start = ++i;
    while (isDigit(text.charCodeAt(i))) i++;
    fraction = text.slice(start, i);
  }
  let exponent = 0;
  if (i < text.length) {
    i++; // e or E
    const sign = text[i] === '-' ? -1 : 1;
    if (text[i] === '-' || text[i] === '+') i++;
    while (text.charCodeAt(i) === 48 /* 0 */) i++;
    const digits = text.slice(i);
    // Past a billion the number is over the cap or below a cent either way.
    exponent = sign * (digits.length > 9 ? 1e9 : Number(digits || '0'));
  }
  return judgeDecimal(negative, whole, fraction, exponent, type);
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * The one judge of a decimal `±whole.fraction × 10^exponent` (ASCII digits): the cap on
 * its exact value, then the sign, then the decimals that are not trailing zeros.
 */
function judgeDecimal(negative: boolean, whole: string, fraction: string, exponent: number, type: ValueType): ValueReading {
  const digits = whole + fraction;
  const point = whole.length + exponent; // where the decimal point falls in `digits`
  let first = 0;
  while (first < digits.length && digits.charCodeAt(first) === 48) first++;
  if (first === digits.length) return 0; // 0, -0, 0.000e5
  let last = digits.length - 1;
  while (digits.charCodeAt(last) === 48) last--;
  const wholeDigits = point - first; // significant digits before the point
  const decimals = Math.max(0, last + 1 - point);
  if (overCap(digits, first, last, wholeDigits, decimals)) return 'NOT_A_NUMBER';
  if (negative) return 'NEGATIVE';
  const value = Number(`${digits.slice(first, last + 1)}e${point - last - 1}`);
  return checkPrecision(value, decimals, type);
}

/** Whether a decimal's exact value is above MAX_VALUE (compared as digits, not as a float). */
function overCap(digits: string, first: number, last: number, wholeDigits: number, decimals: number): boolean {
  if (wholeDigits !== MAX_DIGITS.length) return wholeDigits > MAX_DIGITS.length;
  const significant = digits.slice(first, Math.min(last + 1, first + wholeDigits)).padEnd(wholeDigits, '0');
  return significant > MAX_DIGITS || (significant === MAX_DIGITS && decimals > 0);
}

function checkPrecision(value: number, decimals: number, type: ValueType): ValueReading {
  if (type === 'count') return decimals === 0 ? value : 'NOT_INTEGER';
  return decimals <= 2 ? value : 'TOO_MANY_DECIMALS';
}

/** Writes a value as a plain decimal (money keeps its cents). */
export function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/0$/, '');
}
