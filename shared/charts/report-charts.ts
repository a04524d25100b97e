/**
 * The charts of the annual report: the year's trend of the figures a leader looks at first
 * (hazards found, disputes resolved, petitions received), each with last year's, and who
 * sent each month. Rendered to SVG (ECharts, loaded here: the report's path only).
 */
import type { Org, Registry } from '../registry.ts';
import type { ReportChart } from '../report.ts';
import { metricOf } from './data.ts';
import { type ChartReader, chartDataOf } from './load.ts';
import { chartSpec } from './options.ts';

const TRENDS = ['general_hazards_found', 'disputes_resolved', 'petitions_received'] as const;

export async function reportCharts(reader: ChartReader, registry: Registry, org: Org, year: string, now: Date): Promise<ReportChart[]> {
  const { renderChart } = await import('./svg.ts');
  const asks = [
    ...TRENDS.map((key) => ({ kind: 'trend' as const, metric: metricOf(key)!, year })),
    { kind: 'heatmap' as const, metric: metricOf(TRENDS[0])!, year },
  ];
  const specs = (await Promise.all(asks.map((ask) => chartDataOf(reader, registry, org, ask, now)))).map((d) => chartSpec(d));
  return Promise.all(
    specs.map(async (s) => ({ title: s.title, alt: s.description, svg: await renderChart(s), width: s.width, height: s.height })),
  );
}
