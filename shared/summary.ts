/**
 * Monthly and annual summaries from what the ledger holds: town totals (every metric, and
 * each category of a broken-down one), derived rates, completeness and timeliness, and
 * each unit's figures. Pure: the reads are done by the caller, O(units).
 */
import { VALUE_KEYS } from './catalogue.ts';
import { formatValue } from './numbers.ts';
import { addMonths, deadlineOf, monthOf, type Month } from './period.ts';
import { existsIn, type Org, type Registry, type ReportingUnit } from './registry.ts';
import type { Finding } from './findings.ts';
import type { Values } from './rollup.ts';

/** What a summary needs of a unit's current month. */
export interface MonthEntry {
  readonly unit: string;
  readonly values: Values;
  readonly firstReceivedAt: string;
  readonly warnings?: readonly Finding[];
}

/** The town's totals against another period: that period's totals, and the change per key (where any). */
interface Comparison {
  readonly period: string;
  readonly totals: Record<string, number>;
  readonly change: Record<string, number>;
}

export interface Completeness {
  readonly expected: number;
  readonly submitted: number;
  readonly onTime: number;
  readonly late: number;
  /** Unit codes (annual: units missing at least one month). */
  readonly missing: string[];
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
  readonly units: Record<string, Record<string, number>>;
  /** Annual summaries: completeness month by month. */
  readonly byMonth?: Record<Month, Completeness>;
  /** Warnings the units' current files raised (monthly). */
  readonly warnings?: readonly Finding[];
  /** Against the previous month and the same month last year (monthly). */
  readonly comparisons?: { readonly previousMonth: Comparison; readonly sameMonthLastYear: Comparison };
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

/** An org's completeness of a month: the units expected then (from/until), by name in `missing`. */
export function completenessOf(registry: Registry, org: Org, period: Month, entries: readonly MonthEntry[]): Completeness {
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
    missing: expected.filter((u) => !sent.has(u.fullCode)).map((u) => unitKey(org, u)),
  };
}

function compare(period: string, totals: Values, other: Values): Comparison {
  const change: Record<string, number> = {};
  for (const k of VALUE_KEYS) {
    // In cents, so that money differences stay exact.
    const d = Math.round(((totals[k.key] ?? 0) - (other[k.key] ?? 0)) * 100) / 100;
    if (d !== 0) change[k.key] = d;
  }
  return { period, totals: allKeys(other), change };
}

export function monthSummary(
  registry: Registry,
  org: Org,
  period: Month,
  totals: Values,
  entries: readonly MonthEntry[],
  others?: { readonly previousMonth: Values; readonly sameMonthLastYear: Values },
): Summary {
  const units = registry.unitsOf(org);
  const byUnit = new Map(entries.map((e) => [e.unit, e.values]));
  const order = new Map(units.map((u, i) => [u.fullCode, i]));
  const warnings = [...entries].sort((a, b) => (order.get(a.unit) ?? 0) - (order.get(b.unit) ?? 0)).flatMap((e) => e.warnings ?? []);
  return {
    org: org.code,
    level: org.level,
    period,
    totals: allKeys(totals),
    derived: derivedOf(totals),
    completeness: completenessOf(registry, org, period, entries),
    units: Object.fromEntries(units.filter((u) => byUnit.has(u.fullCode)).map((u) => [unitKey(org, u), { ...byUnit.get(u.fullCode)! }])),
    ...(others
      ? {
          warnings,
          comparisons: {
            previousMonth: compare(addMonths(period, -1), totals, others.previousMonth),
            sameMonthLastYear: compare(addMonths(period, -12), totals, others.sameMonthLastYear),
          },
        }
      : {}),
  };
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
  const byMonth: Record<Month, Completeness> = {};
  for (const [m, entries] of [...months].sort(([a], [b]) => a.localeCompare(b))) byMonth[m] = completenessOf(registry, org, m, entries);
  const all = Object.values(byMonth);
  const units = registry.unitsOf(org);
  const missing = units.filter((u) => all.some((c) => c.missing.includes(unitKey(org, u)))).map((u) => unitKey(org, u));
  const byUnit = new Map(unitYears.map((y) => [y.unit, y.values]));
  return {
    org: org.code,
    level: org.level,
    period: year,
    totals: allKeys(totals),
    derived: derivedOf(totals),
    completeness: {
      expected: all.reduce((n, c) => n + c.expected, 0),
      submitted: all.reduce((n, c) => n + c.submitted, 0),
      onTime: all.reduce((n, c) => n + c.onTime, 0),
      late: all.reduce((n, c) => n + c.late, 0),
      missing,
    },
    units: Object.fromEntries(units.filter((u) => byUnit.has(u.fullCode)).map((u) => [unitKey(org, u), { ...byUnit.get(u.fullCode)! }])),
    byMonth,
  };
}

const percent = (r: number | null) => (r === null ? '—' : `${formatValue(Math.round(r * 1000) / 10)}%`);

/** The summary as a Chinese table for a terminal. */
export function summaryText(summary: Summary, registry: Registry): string {
  const c = summary.completeness;
  const name = (code: string) => unitByKey(registry, summary.org, code)?.name ?? code;
  const who = orgName(registry, summary.org);
  const title = summary.period.length === 4 ? `${who}${summary.period}年汇总` : `${who}${summary.period.replace('-', '年')}月汇总`;
  const lines = [
    title,
    `报送情况：应报 ${c.expected}，已报 ${c.submitted}（按时 ${c.onTime}，迟报 ${c.late}），未报 ${c.missing.length}${c.missing.length ? `：${c.missing.map(name).join('、')}` : ''}`,
    `整改率 ${percent(summary.derived.rectificationRate)}；道路隐患整治率 ${percent(summary.derived.roadRectificationRate)}；食品安全隐患销号率 ${percent(summary.derived.foodRectificationRate)}；信访办理中 ${summary.derived.petitionsInProgress} 件`,
    '',
    '指标\t单位\t合计',
  ];
  for (const k of VALUE_KEYS)
    lines.push(`${k.category ? `  ${k.category.label}` : k.label}\t${k.metric.unit}\t${formatValue(summary.totals[k.key] ?? 0)}`);
  return lines.join('\n') + '\n';
}
