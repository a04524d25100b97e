import { foldWidth } from './numbers.ts';

/**
 * Periods: a month `YYYY-MM` or a year `YYYY`, always in Asia/Shanghai. China has kept
 * UTC+8 without daylight saving since 1991, so a fixed offset is exact for every date
 * this project handles and keeps the hot path free of Intl.
 */

export type Month = string; // `YYYY-MM`
const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const MIN_YEAR = 2000;
const MAX_YEAR = 2099;

export function isMonth(text: string): boolean {
  return /^(20\d\d)-(0[1-9]|1[0-2])$/.test(text);
}

export function month(year: number, monthOfYear: number): Month {
  return `${year}-${String(monthOfYear).padStart(2, '0')}`;
}

function monthParts(m: Month): { year: number; month: number } {
  return { year: Number(m.slice(0, 4)), month: Number(m.slice(5, 7)) };
}

/** The month an instant falls in, in Asia/Shanghai. */
export function monthOf(instant: Date): Month {
  const local = new Date(instant.getTime() + SHANGHAI_OFFSET_MS);
  return month(local.getUTCFullYear(), local.getUTCMonth() + 1);
}

export function addMonths(m: Month, n: number): Month {
  const { year, month: mo } = monthParts(m);
  const index = year * 12 + (mo - 1) + n;
  return month(Math.floor(index / 12), (index % 12) + 1);
}

/** The instant a month's files become late: the end of `deadlineDay` of the next month. */
export function deadlineOf(m: Month, deadlineDay: number): Date {
  const { year, month: mo } = monthParts(m);
  // Date.UTC rolls month 12 over into January of the next year.
  return new Date(Date.UTC(year, mo, deadlineDay + 1) - SHANGHAI_OFFSET_MS);
}

/** `2025年4月5日` for a deadline instant, in Asia/Shanghai. */
function chineseDate(instant: Date): string {
  const local = new Date(instant.getTime() + SHANGHAI_OFFSET_MS);
  return `${local.getUTCFullYear()}年${local.getUTCMonth() + 1}月${local.getUTCDate()}日`;
}

/** `2025年4月5日 09:00` for an instant, in Asia/Shanghai (the page's times). */
export function chineseDateTime(instant: Date): string {
  const local = new Date(instant.getTime() + SHANGHAI_OFFSET_MS);
  const hhmm = (n: number) => String(n).padStart(2, '0');
  return `${chineseDate(instant)} ${hhmm(local.getUTCHours())}:${hhmm(local.getUTCMinutes())}`;
}

/** The last day of the deadline, for messages ("应于4月5日前"): the day before deadlineOf. */
export function chineseDeadline(m: Month, deadlineDay: number): string {
  return chineseDate(new Date(deadlineOf(m, deadlineDay).getTime() - 1));
}

export function chineseMonth(m: Month): string {
  const { year, month: mo } = monthParts(m);
  return `${year}年${mo}月`;
}

export type MonthCell =
  | { readonly ok: true; readonly month: Month; readonly repaired: boolean }
  | { readonly ok: false; readonly reason: 'invalid' | 'ambiguous' };

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// Excel's 1900 date system: serial 1 is 1900-01-01 and it counts a 29 Feb 1900 that never
// was, so for every serial after 60 day 0 is 1899-12-30.
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;
/** The longest month cell read (`2025-03-31 00:00:00.000` is 23). */
const MAX_MONTH_CELL = 64;

function valid(year: number, mo: number, repaired: boolean): MonthCell {
  if (year < MIN_YEAR || year > MAX_YEAR || mo < 1 || mo > 12) return { ok: false, reason: 'invalid' };
  return { ok: true, month: month(year, mo), repaired };
}

/**
 * Reads a month cell, repairing what Excel and people do to `2025-03` where the month is
 * unambiguous: `2025-3`, `2025/3`, `2025年3月`, `202503`, `2025/3/1` (Excel turned it
 * into a date), `Mar-25`, a date serial (45717). `2025.1` is refused: Excel writes
 * October (2025.10) that way too.
 */
export function readMonthCell(raw: string): MonthCell {
  const text = raw.trim();
  if (isMonth(text)) return { ok: true, month: text, repaired: false };
  // No month is written in more; a longer cell is not read at all, however it is made.
  if (text.length > MAX_MONTH_CELL) return { ok: false, reason: 'invalid' };
  const folded = foldWidth(text).toLowerCase();
  const s = folded.replace(/\s+/g, '');
  let m = /^(\d{4})[-/.年](\d{1,2})(?:月份?)?$/.exec(s);
  if (m) {
    if (s[4] === '.' && m[2] === '1') return { ok: false, reason: 'ambiguous' };
    return valid(Number(m[1]), Number(m[2]), true);
  }
  m = /^(\d{4})(\d{2})$/.exec(s);
  if (m) return valid(Number(m[1]), Number(m[2]), true);
  // A whole date, possibly with a time of day: its month is the period.
  // (Spaces kept here: in `2025/3/3 20:00` they part the day from the hour.)
  // No two quantifiers here can take the same blanks: the time is linear in the cell.
  m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\s*日)?(?:(?:\s+|\s*t\s*)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/.exec(folded);
  if (m) {
    const [year, mo, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(Date.UTC(year, mo - 1, day));
    if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== day) return { ok: false, reason: 'invalid' };
    return valid(year, mo, true);
  }
  m = /^([a-z]{3})[a-z]*[-/]?(\d{2}|\d{4})$/.exec(s);
  if (m) {
    const mo = MONTH_NAMES.indexOf(m[1]!) + 1;
    if (mo === 0) return { ok: false, reason: 'invalid' };
    const year = m[2]!.length === 2 ? 2000 + Number(m[2]) : Number(m[2]);
    return valid(year, mo, true);
  }
  m = /^(\d{5})(?:\.\d+)?$/.exec(s);
  if (m) {
    const date = new Date(EXCEL_EPOCH_MS + Number(m[1]) * DAY_MS);
    return valid(date.getUTCFullYear(), date.getUTCMonth() + 1, true);
  }
  return { ok: false, reason: 'invalid' };
}

/** The instant a month locks for its units: the end of `lockDay` of the next month (锁定日). */
export function lockOf(m: Month, lockDay: number): Date {
  return deadlineOf(m, lockDay);
}

/** The lock day, for messages (“2025年4月20日”). */
export function chineseLockDay(m: Month, lockDay: number): string {
  return chineseDeadline(m, lockDay);
}
