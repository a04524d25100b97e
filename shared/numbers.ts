/**
 * Reading a value cell as people type it in Excel or WPS: full-width digits (１２),
 * thousands separators ("1,000", "1，000"), surrounding spaces. A blank cell means
 * "not reported", which is not 0.
 */
import type { ValueType } from './catalogue.ts';

export type ValueProblem = 'NOT_A_NUMBER' | 'NEGATIVE' | 'NOT_INTEGER' | 'TOO_MANY_DECIMALS';

/** A read value: a number, `null` for blank, or the code of the problem. */
export type ValueReading = number | null | ValueProblem;

// Above this, sums of yuan in cents would leave the exactly representable integers.
export const MAX_VALUE = Math.floor(Number.MAX_SAFE_INTEGER / 1000);
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
      if (k === n) return checkPrecision(Number(raw), last - i, type);
    }
  }
  return readSlow(raw, type);
}

function readSlow(raw: string, type: ValueType): ValueReading {
  const s = raw
    .normalize('NFKC')
    .trim()
    .replace(/[\u2212\u2013\u2014]/g, '-');
  if (s === '') return null;
  const m = NUMBER.exec(s) ?? GROUPED.exec(s);
  if (!m) return 'NOT_A_NUMBER';
  const [, sign, whole, fraction = ''] = m;
  const value = Number(`${whole!.replace(/,/g, '')}.${fraction || '0'}`);
  if (!Number.isFinite(value) || value > MAX_VALUE) return 'NOT_A_NUMBER';
  if (sign === '-' && value !== 0) return 'NEGATIVE';
  return checkPrecision(value, fraction.replace(/0+$/, '').length, type);
}

/** A JSON number or string (`null` = not reported). */
export function readJsonValue(raw: unknown, type: ValueType): ValueReading {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'string') return readValue(raw, type);
  if (typeof raw !== 'number' || !Number.isFinite(raw) || Math.abs(raw) > MAX_VALUE) return 'NOT_A_NUMBER';
  if (raw < 0) return 'NEGATIVE';
  return checkPrecision(raw + 0, decimalsOf(raw), type);
}

function checkPrecision(value: number, decimals: number, type: ValueType): ValueReading {
  if (type === 'count') return decimals === 0 ? value : 'NOT_INTEGER';
  return decimals <= 2 ? value : 'TOO_MANY_DECIMALS';
}

/** Decimal places of a finite number as JavaScript prints it (0.1 → 1, 1e-7 → 7). */
function decimalsOf(v: number): number {
  const [mantissa = '', exponent] = String(Math.abs(v)).split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent ?? 0));
}

/** Writes a value as a plain decimal (money keeps its cents). */
export function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/0$/, '');
}
