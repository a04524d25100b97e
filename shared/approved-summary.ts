/**
 * Approved figures only (docs/DOMAIN.md#review): an org's month or year summed from its
 * approved unit-months alone, as the district asks for it. It is computed live from the
 * current months, never stored: an approval changes no published figure. Completeness and
 * review states are those of every unit, as in the full summary; `leftOut` names the units
 * whose figures are not counted. Pure, O(units) per month.
 */
import type { Month } from './period.ts';
import { existsIn, type Org, type Registry } from './registry.ts';
import { sum, yearOf, type Values } from './rollup.ts';
import { isApproved, monthFigures, unitKey, yearSummary, type MonthEntry, type Summary } from './summary.ts';

export function approvedMonthSummary(registry: Registry, org: Org, period: Month, entries: readonly MonthEntry[]): Summary {
  const approved = entries.filter(isApproved);
  return {
    ...monthFigures(registry, org, period, sum(approved.map((e) => e.values)), approved, entries),
    basis: 'approved',
    leftOut: leftOutOf(registry, org, new Map([[period, entries]])),
  };
}

/** A year from each unit's approved months of the months due (flows summed, stocks at the latest approved month). */
export function approvedYearSummary(
  registry: Registry,
  org: Org,
  year: string,
  months: ReadonlyMap<Month, readonly MonthEntry[]>,
): Summary {
  const unitYears = approvedYears(months);
  return {
    ...yearSummary(registry, org, year, sum(unitYears.map((u) => u.values)), unitYears, months),
    basis: 'approved',
    leftOut: leftOutOf(registry, org, months),
  };
}

/** Each unit's year from its approved months alone (a unit with none has no year). */
function approvedYears(months: ReadonlyMap<Month, readonly MonthEntry[]>): { unit: string; values: Values }[] {
  const byUnit = new Map<string, Map<Month, Values>>();
  for (const [m, entries] of months) {
    for (const e of entries.filter(isApproved)) {
      const own = byUnit.get(e.unit) ?? new Map<Month, Values>();
      byUnit.set(e.unit, own.set(m, e.values));
    }
  }
  return [...byUnit].map(([unit, own]) => ({ unit, values: yearOf(own) }));
}

/**
 * The units not counted: expected (or sent) in one of the months and not approved in it,
 * in the registry's order, named as the summary's `missing` names them.
 */
function leftOutOf(registry: Registry, org: Org, months: ReadonlyMap<Month, readonly MonthEntry[]>): string[] {
  const units = registry.unitsOf(org);
  const out = new Set<string>();
  for (const [m, entries] of months) {
    const sent = new Set(entries.map((e) => e.unit));
    const approved = new Set(entries.filter(isApproved).map((e) => e.unit));
    for (const u of units) if ((existsIn(u, m) || sent.has(u.fullCode)) && !approved.has(u.fullCode)) out.add(u.fullCode);
  }
  return units.filter((u) => out.has(u.fullCode)).map((u) => unitKey(org, u));
}
