/**
 * Like-for-like comparisons (docs/DOMAIN.md#what-the-summaries-say): a month against the
 * previous month or the same month last year, over the units that reported in both. A
 * town with 8 units in October and 6 in November compares the 6, says so (可比单位 6 个),
 * and a leader no longer reads the two silent units as a decline. Nothing to compare is
 * `null` (无数据), never 0: blank is not 0. Pure, O(units).
 */
import { VALUE_KEYS } from './catalogue.ts';
import type { Values } from './rollup.ts';

/** What a comparison needs of a unit's month. */
export interface UnitValues {
  readonly unit: string;
  readonly values: Values;
}

/** A summary's figures against another period, over the units that reported in both. */
export interface Comparison {
  readonly period: string;
  /**
   * Units that reported in both periods: the comparison counts these alone. Absent in
   * revisions published before comparisons were like for like (their change is over
   * whichever units reported, and is not shown).
   */
  readonly comparableUnits?: number;
  /** This period's totals over the comparable units, the keys any of them reported then (null: no comparable unit). */
  readonly current?: Record<string, number> | null;
  /** The other period's totals over the comparable units, the keys any of them reported then (null: no comparable unit). */
  readonly totals: Record<string, number> | null;
  /** current − other, per key reported in both and changed; null: nothing to compare. */
  readonly change: Record<string, number> | null;
}

/**
 * `now` against `then` (each unit's month of the two periods), over the units in both. A
 * key is compared over the comparable units that reported it in both periods (a blank on
 * either side is left out, not read as 0); its change is the difference, in cents so that
 * money stays exact.
 */
export function compareLikeForLike(period: string, now: readonly UnitValues[], then: readonly UnitValues[]): Comparison {
  const before = new Map(then.map((e) => [e.unit, e.values]));
  const pairs = now.filter((e) => before.has(e.unit)).map((e) => [e.values, before.get(e.unit)!] as const);
  if (pairs.length === 0) return { period, comparableUnits: 0, current: null, totals: null, change: null };
  const cents = (n: number) => Math.round(n * 100) / 100;
  const current: Record<string, number> = {};
  const totals: Record<string, number> = {};
  const change: Record<string, number> = {};
  for (const { key } of VALUE_KEYS) {
    let a = 0;
    let b = 0;
    let seen = false;
    for (const [x, y] of pairs) {
      if (x[key] === undefined || y[key] === undefined) continue;
      a += x[key];
      b += y[key];
      seen = true;
    }
    if (!seen) continue;
    current[key] = cents(a);
    totals[key] = cents(b);
    const d = cents(a - b);
    if (d !== 0) change[key] = d;
  }
  return { period, comparableUnits: pairs.length, current, totals, change };
}

/** A comparison worth showing: like for like, with a unit to compare (legacy and empty ones are not). */
export function comparable(c: Comparison | undefined): c is Comparison & { comparableUnits: number; change: Record<string, number> } {
  return c !== undefined && c.comparableUnits !== undefined && c.comparableUnits > 0 && c.change !== null;
}
