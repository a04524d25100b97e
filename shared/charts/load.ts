/**
 * A chart's data, read from the ledger: the months it needs of an org (a town's units, or
 * the district's), each month one GSI Query, read in parallel. A trend reads this year and
 * last (24 months), the heatmap the months due, the bars one month.
 */
import type { CurrentSubmission } from '../ports/ledger.ts';
import { addMonths, monthOf, type Month } from '../period.ts';
import type { Org, Registry } from '../registry.ts';
import { monthsDue } from '../summary.ts';
import { type ChartData, heatmapData, type Metric, type MonthsOf, townsData, trendData, unitsData } from './data.ts';

type ChartKind = 'trend' | 'heatmap' | 'units' | 'towns';

export interface ChartReader {
  currentOfMonth(period: Month, town?: string): Promise<CurrentSubmission[]>;
}

export interface ChartAsk {
  readonly kind: ChartKind;
  readonly metric: Metric;
  /** trend, heatmap: the year (default this year). */
  readonly year?: string;
  /** units, towns: the month (default last month). */
  readonly month?: Month;
}

/** The org's current submissions of each month (one Query a month, in parallel). */
export async function monthsOf(reader: ChartReader, org: Org, months: readonly Month[]): Promise<MonthsOf> {
  const town = org.level === 'town' ? org.code : undefined;
  const read = await Promise.all(months.map((m) => reader.currentOfMonth(m, town)));
  return new Map(months.map((m, i) => [m, read[i]!]));
}

/** What the chart asked for draws, as of `now` (months not yet over are not read: they are gaps). */
export async function chartDataOf(reader: ChartReader, registry: Registry, org: Org, ask: ChartAsk, now: Date): Promise<ChartData> {
  const year = ask.year ?? monthOf(now).slice(0, 4);
  const due = (y: string) => monthsDue(y, now);
  if (ask.kind === 'trend') {
    const last = String(Number(year) - 1);
    const [these, before] = await Promise.all([monthsOf(reader, org, due(year)), monthsOf(reader, org, due(last))]);
    return trendData(org, ask.metric, year, these, before);
  }
  if (ask.kind === 'heatmap') {
    const months = due(year);
    return heatmapData(registry, org, year, months, await monthsOf(reader, org, months));
  }
  const month = ask.month ?? addMonths(monthOf(now), -1);
  const entries = (await monthsOf(reader, org, [month])).get(month) ?? [];
  return ask.kind === 'towns' ? townsData(registry, org, month, ask.metric, entries) : unitsData(registry, org, month, ask.metric, entries);
}
