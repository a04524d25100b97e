/**
 * The chart route's server side at district scale: 30 towns × 9 units × 12 months in memory.
 * Each chart's render (ECharts SSR to SVG, with its text alternative) against what a 304
 * costs on the same data (the chart's data and its hash, no rendering): the ratio is what
 * the ETag saves. In this process, ECharts loaded and warmed first; medians of `runs`.
 */
import { createHash } from 'node:crypto';
import { VALUE_KEYS } from '../../shared/catalogue.ts';
import { type ChartEntry, heatmapData, metricOf, type MonthsOf, townsData, trendData } from '../../shared/charts/data.ts';
import { chartSpec } from '../../shared/charts/options.ts';
import { renderChart } from '../../shared/charts/svg.ts';
import { median } from './measure.ts';
import { registryOf } from './publish.ts';

const TOWNS = 30;
const registry = registryOf(TOWNS);
const district = registry.defaultOrg;
const metric = metricOf('general_hazards_found')!;

function monthsOf(year: string): MonthsOf {
  const units = registry.towns.flatMap((t) => t.units);
  return new Map(
    Array.from({ length: 12 }, (_, m) => {
      const period = `${year}-${String(m + 1).padStart(2, '0')}`;
      const entries: ChartEntry[] = units
        .filter((_, i) => (i + m) % 7 !== 0)
        .map((u, i) => ({
          unit: u.fullCode,
          values: Object.fromEntries(VALUE_KEYS.slice(0, 12).map((k, j) => [k.key, (i * 7 + j + m) % 40])),
          firstReceivedAt: `${period}-28T00:00:00Z`,
        }));
      return [period, entries];
    }),
  );
}

export interface ChartFigure {
  readonly renderMs: number;
  readonly etagMs: number;
  readonly ratio: number;
  readonly svgKib: number;
}

export interface ChartFigures {
  readonly towns: number;
  readonly runs: number;
  readonly charts: Record<string, ChartFigure>;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

async function time(f: () => unknown): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

export async function benchCharts(runs = 15): Promise<ChartFigures> {
  const now = monthsOf('2025');
  const before = monthsOf('2024');
  const due = [...now.keys()];
  const last = now.get('2025-12')!;
  const data = {
    trend: () => trendData(district, metric, '2025', now, before),
    heatmap: () => heatmapData(registry, district, '2025', due, now),
    towns: () => townsData(registry, district, '2025-12', metric, last),
  };
  const charts: Record<string, ChartFigure> = {};
  for (const [name, of] of Object.entries(data)) {
    const etag = () =>
      createHash('sha256')
        .update(`desktop|${JSON.stringify(of())}`)
        .digest('base64url');
    const render = () => renderChart(chartSpec(of()));
    const svg = await render(); // warm-up: ECharts loaded, the code paths compiled
    const renders: number[] = [];
    const etags: number[] = [];
    for (let i = 0; i < runs; i++) {
      renders.push(await time(render));
      etags.push(await time(etag));
    }
    const renderMs = median(renders);
    const etagMs = median(etags);
    charts[name] = {
      renderMs: round2(renderMs),
      etagMs: round2(etagMs),
      ratio: round2(renderMs / etagMs),
      svgKib: round2(svg.length / 1024),
    };
  }
  return { towns: TOWNS, runs, charts };
}

export function chartsLines(f: ChartFigures): string[] {
  return [
    `charts of a district of ${f.towns} towns × 9 units × 12 months, server side (ECharts SSR), median of ${f.runs} runs, in one process:`,
    ...Object.entries(f.charts).map(
      ([name, c]) =>
        `  ${name.padEnd(8)} render ${c.renderMs} ms (SVG ${c.svgKib} KiB); a 304 (data + ETag) ${c.etagMs} ms: rendering is ${c.ratio}× a 304`,
    ),
  ];
}
