/**
 * Monthly and annual summaries from what the ledger holds: an org's totals (every metric,
 * and each category of a broken-down one), derived rates, completeness and timeliness,
 * how many unit-months are approved (and, in a town's, each unit's review), and each
 * unit's figures (a town's summary) or each town's (the district's). Pure: the reads are
 * done by the caller, O(units).
 */
import { VALUE_KEYS } from './catalogue.ts';
import { compareLikeForLike, type Comparison, type UnitValues } from './comparisons.ts';
import { derivedFlags, outlierFlags, type Flag } from './flags.ts';
import { addMonths, deadlineOf, monthOf, type Month } from './period.ts';
import { existsIn, townOf, type Org, type Registry, type ReportingUnit } from './registry.ts';
import type { Finding } from './findings.ts';
import type { ReviewState } from './review/review.ts';
import { sum, type Values } from './rollup.ts';

/** What a summary needs of a unit's current month. */
export interface MonthEntry {
  readonly unit: string;
  readonly values: Values;
  readonly firstReceivedAt: string;
  readonly warnings?: readonly Finding[];
  /** Its review state (docs/DOMAIN.md#review); absent: sent, not reviewed (`submitted`). */
  readonly review?: Exclude<ReviewState, 'missing'>;
  /** The upload it counts last, and when that came (the logs' correlation id; no summary shows them). */
  readonly uploadId?: string;
  readonly receivedAt?: string;
}

export interface Completeness {
  readonly expected: number;
  readonly submitted: number;
  readonly onTime: number;
  readonly late: number;
  /** Expected unit-months approved, at the version they hold now (annual: over the months due). */
  readonly approved: number;
  /** Unit keys (`unitKey`; annual: units missing at least one month). */
  readonly missing: string[];
}

/** A town's figures in the district's summary (its units' are in the town's own summary). */
export interface TownFigures {
  readonly name: string;
  readonly totals: Record<string, number>;
  readonly derived: Derived;
  /** `missing` as full codes. */
  readonly completeness: Completeness;
}

export interface Derived {
  /** 整改率: hazards_rectified / (major + general hazards found); null when nothing was found. */
  readonly rectificationRate: number | null;
  readonly roadRectificationRate: number | null;
  readonly foodRectificationRate: number | null;
  /** 办理中: petitions received − closed. */
  readonly petitionsInProgress: number;
}

export interface Summary {
  /** The town's code or the district's. */
  readonly org: string;
  readonly level: Org['level'];
  readonly period: string;
  readonly totals: Record<string, number>;
  readonly derived: Derived;
  readonly completeness: Completeness;
  /** A town's units by short code; empty in the district's (see each town's summary). */
  readonly units: Record<string, Record<string, number>>;
  /** The district's: each town by code, in the registry's order (absent in a town's). */
  readonly towns?: Record<string, TownFigures>;
  /** Annual summaries: completeness month by month. */
  readonly byMonth?: Record<Month, Completeness>;
  /** Warnings the units' current files raised (monthly). */
  readonly warnings?: readonly Finding[];
  /** Against the previous month and the same month last year, like for like (monthly; shared/comparisons.ts). */
  readonly comparisons?: { readonly previousMonth: Comparison; readonly sameMonthLastYear: Comparison };
  /** Figures that cannot be right, to check (shared/flags.ts); absent in revisions published before flags. */
  readonly flags?: readonly Flag[];
  /** Value keys no counted unit reported: their totals say 0, but nothing was reported (blank is not 0). */
  readonly unreported?: readonly string[];
  /** A town's monthly: each unit's review state, by `unitKey` (the district's: in each town's summary). */
  readonly review?: Record<string, ReviewState>;
  /** A town's annual: how many of each unit's months due are approved, by `unitKey`. */
  readonly approvedMonths?: Record<string, number>;
  /** `approved`: figures of the approved unit-months only (shared/approved-summary.ts); absent: every current month. */
  readonly basis?: 'approved';
  /** With `basis`: the units whose figures are left out, named as in `missing` (annual: for a month at least). */
  readonly leftOut?: string[];
}

/** Every value key, 0 where no unit reported it. */
function allKeys(values: Values): Record<string, number> {
  return Object.fromEntries(VALUE_KEYS.map((k) => [k.key, values[k.key] ?? 0]));
}

const ratio = (done: number, found: number): number | null => (found > 0 ? Math.round((done / found) * 10_000) / 10_000 : null);

export function derivedOf(t: Values): Derived {
  const v = (key: string) => t[key] ?? 0;
  return {
    rectificationRate: ratio(v('hazards_rectified'), v('major_hazards_found') + v('general_hazards_found')),
    roadRectificationRate: ratio(v('road_hazards_fixed'), v('road_hazards_found')),
    foodRectificationRate: ratio(v('food_hazards_closed'), v('food_hazards_found')),
    petitionsInProgress: v('petitions_received') - v('petitions_closed'),
  };
}

/**
 * How a unit is named in an org's summary: by its code within its town, by its full code
 * in the district's.
 */
export function unitKey(org: Org, unit: ReportingUnit): string {
  return org.level === 'town' ? unit.code : unit.fullCode;
}

/** The unit a summary names by `unitKey` (a short code in a town's, a full code in the district's). */
export function unitByKey(registry: Registry, org: string, key: string): ReportingUnit | undefined {
  return registry.get(key.includes('/') ? key : `${org}/${key}`);
}

/** The name of an org (its code when the registry no longer has it). */
export function orgName(registry: Registry, org: string): string {
  return registry.org(org)?.name ?? org;
}

/** A unit-month approved at the version it holds now (docs/DOMAIN.md#review). */
export const isApproved = (entry: MonthEntry): boolean => entry.review === 'approved';

/** A unit-month's review state: `missing` when it has no entry. */
const stateOf = (entry: MonthEntry | undefined): ReviewState => (entry ? (entry.review ?? 'submitted') : 'missing');

/** How a unit is named in a completeness's `missing`: `unitKey` of the org, or always the full code. */
type KeyOf = (unit: ReportingUnit) => string;
const fullKey: KeyOf = (u) => u.fullCode;

/** An org's completeness of a month: the units expected then (from/until), named by `keyOf` in `missing`. */
export function completenessOf(
  registry: Registry,
  org: Org,
  period: Month,
  entries: readonly MonthEntry[],
  keyOf: KeyOf = (u) => unitKey(org, u),
): Completeness {
  const deadline = deadlineOf(period, registry.deadlineDay).getTime();
  const expected = registry.unitsOf(org).filter((u) => existsIn(u, period));
  const sent = new Map(entries.map((e) => [e.unit, e]));
  const counted = expected.filter((u) => sent.has(u.fullCode)).map((u) => sent.get(u.fullCode)!);
  const onTime = counted.filter((e) => new Date(e.firstReceivedAt).getTime() < deadline).length;
  return {
    expected: expected.length,
    submitted: counted.length,
    onTime,
    late: counted.length - onTime,
    approved: counted.filter(isApproved).length,
    missing: expected.filter((u) => !sent.has(u.fullCode)).map(keyOf),
  };
}

/** A year's completeness from its months': counts added up, a unit missing if it missed any month. */
function yearCompleteness(
  registry: Registry,
  org: Org,
  months: ReadonlyMap<Month, readonly MonthEntry[]>,
  keyOf: KeyOf,
): { completeness: Completeness; byMonth: Record<Month, Completeness> } {
  const byMonth: Record<Month, Completeness> = {};
  for (const [m, entries] of [...months].sort(([a], [b]) => a.localeCompare(b)))
    byMonth[m] = completenessOf(registry, org, m, entries, keyOf);
  const all = Object.values(byMonth);
  const missed = new Set(all.flatMap((c) => c.missing));
  const add = (field: 'expected' | 'submitted' | 'onTime' | 'late' | 'approved') => all.reduce((n, c) => n + c[field], 0);
  return {
    completeness: {
      expected: add('expected'),
      submitted: add('submitted'),
      onTime: add('onTime'),
      late: add('late'),
      approved: add('approved'),
      missing: registry
        .unitsOf(org)
        .map(keyOf)
        .filter((k) => missed.has(k)),
    },
    byMonth,
  };
}

/** Items grouped by the town of their unit (a full code): one pass, so that towns cost O(units) in all. */
export function byTown<T extends { readonly unit: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const town = townOf(item.unit);
    const list = out.get(town);
    if (list) list.push(item);
    else out.set(town, [item]);
  }
  return out;
}

/**
 * The district's towns: each town's totals (the exact sum of its units' values: their
 * month, or their year) and its completeness, `missing` as full codes. O(units).
 */
function townsOf(
  registry: Registry,
  values: readonly { readonly unit: string; readonly values: Values }[],
  completeness: (town: Org) => Completeness,
): Record<string, TownFigures> {
  const grouped = byTown(values);
  return Object.fromEntries(
    registry.towns.map((t) => {
      const totals = sum((grouped.get(t.code) ?? []).map((v) => v.values));
      return [
        t.code,
        { name: t.name, totals: allKeys(totals), derived: derivedOf(totals), completeness: completeness({ level: 'town', ...t }) },
      ];
    }),
  );
}

/** A town's units by short code (a district's summary has none: see `towns`). */
function unitsOfSummary(registry: Registry, org: Org, values: readonly { unit: string; values: Values }[]): Summary['units'] {
  if (org.level === 'district') return {};
  const byUnit = new Map(values.map((e) => [e.unit, e.values]));
  return Object.fromEntries(
    registry
      .unitsOf(org)
      .filter((u) => byUnit.has(u.fullCode))
      .map((u) => [unitKey(org, u), { ...byUnit.get(u.fullCode)! }]),
  );
}

/** Value keys none of `counted` reported (their totals are 0 only because nobody gave them). */
function unreportedOf(counted: readonly { readonly values: Values }[]): string[] {
  return VALUE_KEYS.map((k) => k.key).filter((key) => !counted.some((c) => c.values[key] !== undefined));
}

/**
 * The flags of a summary's figures: the org's total, then each unit's (a town's summary:
 * its derived figures and the ingest's OUTLIER warnings) or each town's (the district's).
 */
function flagsOf(
  registry: Registry,
  org: Org,
  derived: Derived,
  parts: { readonly units?: Summary['units']; readonly towns?: Record<string, TownFigures>; readonly warnings?: readonly Finding[] },
): Flag[] {
  const flags = derivedFlags(derived, 'total', `${orgName(registry, org.code)}合计`);
  for (const [key, values] of Object.entries(parts.units ?? {}))
    flags.push(...derivedFlags(derivedOf(values), key, `${unitByKey(registry, org.code, key)?.name ?? key}`));
  for (const [code, town] of Object.entries(parts.towns ?? {})) flags.push(...derivedFlags(town.derived, code, town.name));
  const keyOf = (unit: string) => {
    const u = registry.get(unit);
    return u ? unitKey(org, u) : unit;
  };
  flags.push(...outlierFlags(parts.warnings ?? [], keyOf, (unit) => registry.get(unit)?.name ?? unit));
  return flags;
}

/**
 * A month's summary, its figures from `counted` (every entry; the approved-only summary's:
 * the approved ones) and its completeness and review from every entry.
 */
export function monthFigures(
  registry: Registry,
  org: Org,
  period: Month,
  totals: Values,
  counted: readonly { readonly unit: string; readonly values: Values }[],
  entries: readonly MonthEntry[],
): Summary {
  const grouped = org.level === 'district' ? byTown(entries) : undefined;
  const towns = grouped
    ? townsOf(registry, counted, (town) => completenessOf(registry, town, period, grouped.get(town.code) ?? [], fullKey))
    : undefined;
  const units = unitsOfSummary(registry, org, counted);
  const derived = derivedOf(totals);
  // A district's outliers are in its towns' summaries, with their warnings.
  const warnings = towns ? [] : entries.flatMap((e) => e.warnings ?? []);
  return {
    org: org.code,
    level: org.level,
    period,
    totals: allKeys(totals),
    derived,
    completeness: completenessOf(registry, org, period, entries),
    units,
    ...(towns ? { towns } : { review: reviewOfUnits(registry, org, period, entries) }),
    flags: flagsOf(registry, org, derived, towns ? { towns } : { units, warnings }),
    unreported: unreportedOf(counted),
  };
}

/** A town's units' review states of a month: each unit expected then or that sent, by its key. */
function reviewOfUnits(registry: Registry, org: Org, period: Month, entries: readonly MonthEntry[]): Record<string, ReviewState> {
  const sent = new Map(entries.map((e) => [e.unit, e]));
  return Object.fromEntries(
    registry
      .unitsOf(org)
      .filter((u) => existsIn(u, period) || sent.has(u.fullCode))
      .map((u) => [unitKey(org, u), stateOf(sent.get(u.fullCode))]),
  );
}

/** The units' months of the periods a month is compared with. */
export interface ComparedMonths {
  readonly previousMonth: readonly UnitValues[];
  readonly sameMonthLastYear: readonly UnitValues[];
}

export function monthSummary(
  registry: Registry,
  org: Org,
  period: Month,
  totals: Values,
  entries: readonly MonthEntry[],
  others?: ComparedMonths,
): Summary {
  return {
    ...monthFigures(registry, org, period, totals, entries, entries),
    ...(others
      ? {
          // A district's warnings are in its towns' summaries (the town clerk checks them).
          ...(org.level === 'district' ? {} : { warnings: warningsOf(registry, org, entries) }),
          comparisons: {
            previousMonth: compareLikeForLike(addMonths(period, -1), entries, others.previousMonth),
            sameMonthLastYear: compareLikeForLike(addMonths(period, -12), entries, others.sameMonthLastYear),
          },
        }
      : {}),
  };
}

/** The units' warnings, in the registry's order of units. */
function warningsOf(registry: Registry, org: Org, entries: readonly MonthEntry[]): Finding[] {
  const order = new Map(registry.unitsOf(org).map((u, i) => [u.fullCode, i]));
  return [...entries].sort((a, b) => (order.get(a.unit) ?? 0) - (order.get(b.unit) ?? 0)).flatMap((e) => e.warnings ?? []);
}

/** The months of a year a summary expects: those already over at `now` (Asia/Shanghai). */
export function monthsDue(year: string, now: Date): Month[] {
  const last = addMonths(monthOf(now), -1);
  const months: Month[] = [];
  for (let m = `${year}-01`; m <= `${year}-12` && m <= last; m = addMonths(m, 1)) months.push(m);
  return months;
}

export function yearSummary(
  registry: Registry,
  org: Org,
  year: string,
  totals: Values,
  unitYears: readonly { unit: string; values: Values }[],
  months: ReadonlyMap<Month, readonly MonthEntry[]>,
): Summary {
  const { completeness, byMonth } = yearCompleteness(registry, org, months, (u) => unitKey(org, u));
  // Each month's entries grouped by town once, so that the towns cost O(units) in all.
  const grouped = org.level === 'district' ? [...months].map(([m, entries]) => [m, byTown(entries)] as const) : undefined;
  const towns = grouped
    ? townsOf(registry, unitYears, (town) => {
        const own = new Map(grouped.map(([m, perTown]) => [m, perTown.get(town.code) ?? []]));
        return yearCompleteness(registry, town, own, fullKey).completeness;
      })
    : undefined;
  const units = unitsOfSummary(registry, org, unitYears);
  const derived = derivedOf(totals);
  return {
    org: org.code,
    level: org.level,
    period: year,
    totals: allKeys(totals),
    derived,
    completeness,
    units,
    ...(towns ? { towns } : { approvedMonths: approvedMonthsOf(registry, org, months) }),
    byMonth,
    flags: flagsOf(registry, org, derived, towns ? { towns } : { units }),
    unreported: unreportedOf(unitYears),
  };
}

/** A town's units' approved months of a year: each unit expected in a month due or approved in one, by its key. */
function approvedMonthsOf(registry: Registry, org: Org, months: ReadonlyMap<Month, readonly MonthEntry[]>): Record<string, number> {
  const approved = new Map<string, number>();
  for (const entries of months.values()) for (const e of entries.filter(isApproved)) approved.set(e.unit, (approved.get(e.unit) ?? 0) + 1);
  const due = [...months.keys()];
  return Object.fromEntries(
    registry
      .unitsOf(org)
      .filter((u) => approved.has(u.fullCode) || due.some((m) => existsIn(u, m)))
      .map((u) => [unitKey(org, u), approved.get(u.fullCode) ?? 0]),
  );
}
