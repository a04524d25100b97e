/**
 * The charts of the annual report: the year's trend of the figures a leader looks at first
 * (hazards found, disputes resolved, petitions received), each with last year's, and who
 * sent each month. Rendered to SVG (ECharts, loaded here: the report's path only).
 */
import type { Org, Registry } from '../registry.ts';
import type { ReportChart } from '../report.ts';
import { monthsDue } from '../summary.ts';
import { heatmapData, metricOf, trendData } from './data.ts';
import { type ChartReader, monthsOf } from './load.ts';
import { chartSpec } from './options.ts';

const TRENDS = ['general_hazards_found', 'disputes_resolved', 'petitions_received'] as const;

export async function reportCharts(reader: ChartReader, registry: Registry, org: Org, year: string, now: Date): Promise<ReportChart[]> {
  const { renderChart } = await import('./svg.ts');
  // The year and the year before read once, for all four charts.
  const due = monthsDue(year, now);
  const [these, before] = await Promise.all([monthsOf(reader, org, due), monthsOf(reader, org, monthsDue(String(Number(year) - 1), now))]);
  const specs = [
    ...TRENDS.map((key) => trendData(org, metricOf(key)!, year, these, before)),
    heatmapData(registry, org, year, due, these),
  ].map((d) => chartSpec(d));
  return Promise.all(
    specs.map(async (s) => ({ title: s.title, alt: s.description, svg: await renderChart(s), width: s.width, height: s.height })),
  );
}
