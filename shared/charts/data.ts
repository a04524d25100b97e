/**
 * What the charts draw, from what the ledger holds (each month's current submissions of an
 * org): the trend of a metric over a year with last year's, completeness unit × month, the
 * units of a town side by side, the district's towns side by side. A month or a unit with
 * no value is `null` — a gap, never 0: blank is not 0. Pure, O(units × months).
 */
import { valueKey } from '../catalogue.ts';
import { deadlineOf, type Month } from '../period.ts';
import { existsIn, type Org, type Registry } from '../registry.ts';
import { byTown } from '../summary.ts';

/** A unit's current month as a chart needs it. */
export interface ChartEntry {
  readonly unit: string;
  readonly values: Readonly<Record<string, number>>;
  readonly firstReceivedAt: string;
}

export type MonthsOf = ReadonlyMap<Month, readonly ChartEntry[]>;

export interface Metric {
  readonly key: string;
  readonly label: string;
  /** The unit of measure (元 for money). */
  readonly unit: string;
}

export function metricOf(key: string): Metric | undefined {
  const k = valueKey(key);
  return k && { key, label: k.label, unit: k.metric.valueType === 'money' ? '元' : k.metric.unit };
}

const months12 = (year: string): Month[] => Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);

/** The sum of a key over the entries that reported it, and how many did (null: none). */
function sumOf(entries: readonly ChartEntry[], key: string): { value: number | null; reported: number } {
  const with_ = entries.filter((e) => e.values[key] !== undefined);
  if (with_.length === 0) return { value: null, reported: 0 };
  return { value: Math.round(with_.reduce((n, e) => n + e.values[key]!, 0) * 100) / 100, reported: with_.length };
}

export interface TrendData {
  readonly kind: 'trend';
  readonly org: string;
  readonly orgName: string;
  readonly year: string;
  readonly metric: Metric;
  /** 1月 … 12月. */
  readonly labels: readonly string[];
  /** This year's month by month (null: nobody reported it; months not yet over are null too). */
  readonly values: readonly (number | null)[];
  /** The same months of last year. */
  readonly lastYear: readonly (number | null)[];
  /** Units that reported the metric, month by month (this year). */
  readonly reported: readonly number[];
}

export function trendData(org: Org, metric: Metric, year: string, now: MonthsOf, before: MonthsOf): TrendData {
  const last = String(Number(year) - 1);
  const these = months12(year).map((m) => sumOf(now.get(m) ?? [], metric.key));
  return {
    kind: 'trend',
    org: org.code,
    orgName: org.name,
    year,
    metric,
    labels: months12(year).map((_, i) => `${i + 1}月`),
    values: these.map((s) => s.value),
    lastYear: months12(last).map((m) => sumOf(before.get(m) ?? [], metric.key).value),
    reported: these.map((s) => s.reported),
  };
}

/** A cell of the completeness heatmap. */
export type CellState = 'onTime' | 'late' | 'missing' | 'notExpected';

export interface HeatmapData {
  readonly kind: 'heatmap';
  readonly org: string;
  readonly orgName: string;
  readonly year: string;
  /** The months due (over), as labels. */
  readonly labels: readonly string[];
  /** A town's: its units; the district's: its towns. */
  readonly rows: readonly string[];
  /** A town's: each unit × month state; the district's: each town × month share reported (0–1, null: none expected). */
  readonly cells: readonly (readonly (CellState | number | null)[])[];
}

export function heatmapData(registry: Registry, org: Org, year: string, due: readonly Month[], months: MonthsOf): HeatmapData {
  const labels = due.map((m) => `${Number(m.slice(5))}月`);
  const base = { kind: 'heatmap' as const, org: org.code, orgName: org.name, year, labels };
  if (org.level === 'district') {
    const grouped = due.map((m) => byTown([...(months.get(m) ?? [])]));
    const cells = registry.towns.map((t) =>
      due.map((m, i) => {
        const expected = t.units.filter((u) => existsIn(u, m));
        if (expected.length === 0) return null;
        const sent = new Set((grouped[i]!.get(t.code) ?? []).map((e) => e.unit));
        return Math.round((expected.filter((u) => sent.has(u.fullCode)).length / expected.length) * 1000) / 1000;
      }),
    );
    return { ...base, rows: registry.towns.map((t) => t.name), cells };
  }
  const units = registry.unitsOf(org).filter((u) => due.some((m) => existsIn(u, m)));
  const cells = units.map((u) =>
    due.map((m): CellState => {
      if (!existsIn(u, m)) return 'notExpected';
      const e = (months.get(m) ?? []).find((x) => x.unit === u.fullCode);
      if (!e) return 'missing';
      return new Date(e.firstReceivedAt).getTime() < deadlineOf(m, registry.deadlineDay).getTime() ? 'onTime' : 'late';
    }),
  );
  return { ...base, rows: units.map((u) => u.name), cells };
}

export interface BarsData {
  readonly kind: 'units' | 'towns';
  readonly org: string;
  readonly orgName: string;
  /** The month (or year) drawn. */
  readonly period: string;
  readonly metric: Metric;
  /** Each unit of the town (or each town of the district), in the registry's order. */
  readonly names: readonly string[];
  /** Its value (null: 未报 — nothing reported, no bar). */
  readonly values: readonly (number | null)[];
  /** Towns: units that reported the metric, and units expected. */
  readonly reported?: readonly { readonly reported: number; readonly expected: number }[];
}

/** A town's units side by side for a month: every unit expected, 未报 without a bar. */
export function unitsData(registry: Registry, town: Org, period: Month, metric: Metric, entries: readonly ChartEntry[]): BarsData {
  const sent = new Map(entries.map((e) => [e.unit, e]));
  const units = registry.unitsOf(town).filter((u) => existsIn(u, period) || sent.has(u.fullCode));
  return {
    kind: 'units',
    org: town.code,
    orgName: town.name,
    period,
    metric,
    names: units.map((u) => u.name),
    values: units.map((u) => sent.get(u.fullCode)?.values[metric.key] ?? null),
  };
}

/** The district's towns side by side for a month: each town's sum over the units that reported it. */
export function townsData(registry: Registry, district: Org, period: Month, metric: Metric, entries: readonly ChartEntry[]): BarsData {
  const grouped = byTown([...entries]);
  const each = registry.towns.map((t) => ({ t, s: sumOf(grouped.get(t.code) ?? [], metric.key) }));
  return {
    kind: 'towns',
    org: district.code,
    orgName: district.name,
    period,
    metric,
    names: each.map(({ t }) => t.name),
    values: each.map(({ s }) => s.value),
    reported: each.map(({ t, s }) => ({ reported: s.reported, expected: t.units.filter((u) => existsIn(u, period)).length })),
  };
}

export type ChartData = TrendData | HeatmapData | BarsData;
