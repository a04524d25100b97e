/**
 * Chart data → an ECharts option (plain objects: no ECharts import here), with its title
 * and its text alternative — a Chinese sentence giving every figure, since the SVG that
 * ECharts renders has no accessible text of its own. Value labels are drawn on the bars and
 * points, so the numbers can be read off the picture (and from the SVG's text).
 */
import { formatValue } from '../numbers.ts';
import { chineseMonth } from '../period.ts';
import type { BarsData, CellState, ChartData, HeatmapData, TrendData } from './data.ts';

export type ChartSize = 'desktop' | 'compact';

export interface ChartSpec {
  readonly title: string;
  readonly description: string;
  readonly width: number;
  readonly height: number;
  readonly option: Record<string, unknown>;
}

const WIDTH: Record<ChartSize, number> = { desktop: 720, compact: 360 };
// Colours with enough contrast on white, and apart for colour-blind readers (blue / orange).
const THIS_YEAR = '#1d4ed8';
const LAST_YEAR = '#c2410c';
const FONT = { fontFamily: 'sans-serif' };
const shown = (v: number | null) => (v === null ? '未报' : formatValue(v));
const periodWords = (p: string) => (p.length === 4 ? `${p}年` : chineseMonth(p));

function trendSpec(d: TrendData, size: ChartSize): ChartSpec {
  const title = `${d.orgName}${d.year}年${d.metric.label}（${d.metric.unit}）逐月趋势`;
  const months = d.labels.map(
    (l, i) => `${l} ${shown(d.values[i] ?? null)}${d.values[i] === null ? '' : `（${d.reported[i]} 个单位报送）`}`,
  );
  const last = d.labels.map((l, i) => `${l} ${shown(d.lastYear[i] ?? null)}`);
  const description = `${d.orgName}${d.year}年${d.metric.label}（${d.metric.unit}）：${months.join('，')}。上年同期：${last.join('，')}。未报的月份不画点，不是 0。`;
  const line = (name: string, data: readonly (number | null)[], color: string, dashed: boolean) => ({
    name,
    type: 'line',
    data,
    connectNulls: false,
    itemStyle: { color },
    lineStyle: { color, type: dashed ? 'dashed' : 'solid' },
    label: { show: true, position: 'top', color },
  });
  return {
    title,
    description,
    width: WIDTH[size],
    height: size === 'compact' ? 300 : 360,
    option: {
      animation: false,
      textStyle: FONT,
      title: { text: title, left: 'center', textStyle: { fontSize: size === 'compact' ? 13 : 16 } },
      // Below the title (its line ends near y = 36), not over it.
      legend: { top: 40, data: [`${d.year}年`, `${Number(d.year) - 1}年`] },
      grid: { left: 48, right: 16, top: 76, bottom: 32 },
      xAxis: { type: 'category', data: d.labels, axisLabel: { interval: size === 'compact' ? 1 : 0 } },
      yAxis: { type: 'value', name: d.metric.unit, minInterval: 1 },
      series: [line(`${d.year}年`, d.values, THIS_YEAR, false), line(`${Number(d.year) - 1}年`, d.lastYear, LAST_YEAR, true)],
    },
  };
}

const STATES: Record<CellState, { value: number; label: string }> = {
  onTime: { value: 3, label: '按时' },
  late: { value: 2, label: '迟报' },
  missing: { value: 1, label: '未报' },
  notExpected: { value: 0, label: '不适用' },
};

function heatmapSpec(d: HeatmapData, size: ChartSize): ChartSpec {
  const district = d.cells.some((row) => row.some((c) => typeof c === 'number'));
  const title = `${d.orgName}${d.year}年报送情况（${district ? '各镇报送比例' : '单位 × 月份'}）`;
  const word = (c: CellState | number | null) =>
    c === null ? '无应报' : typeof c === 'number' ? `${formatValue(Math.round(c * 1000) / 10)}%` : STATES[c].label;
  const rows = d.rows.map((name, r) => `${name}：${d.labels.map((l, m) => `${l}${word(d.cells[r]![m]!)}`).join('、')}`);
  const description = `${title}。${rows.join('；')}。`;
  const data = d.cells.flatMap((row, r) =>
    row.map((c, m) => [m, r, c === null ? '-' : typeof c === 'number' ? Math.round(c * 100) : STATES[c].value]),
  );
  const visualMap = district
    ? {
        min: 0,
        max: 100,
        calculable: false,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        inRange: { color: ['#fee2e2', '#1d4ed8'] },
        text: ['100%', '0%'],
      }
    : {
        type: 'piecewise',
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        pieces: Object.values(STATES).map((s, i) => ({
          value: s.value,
          label: s.label,
          color: ['#e5e7eb', '#dc2626', '#f59e0b', '#16a34a'][i],
        })),
      };
  const label = district
    ? { show: true, formatter: '{@[2]}%' }
    : { show: true, formatter: (p: { value: [number, number, number] }) => ['', '未', '迟', '✓'][p.value[2]] ?? '' };
  return {
    title,
    description,
    width: WIDTH[size],
    height: 90 + 26 * d.rows.length,
    option: {
      animation: false,
      textStyle: FONT,
      title: { text: title, left: 'center', textStyle: { fontSize: size === 'compact' ? 13 : 16 } },
      grid: { left: size === 'compact' ? 64 : 96, right: 8, top: 40, bottom: 48 },
      xAxis: { type: 'category', data: d.labels, splitArea: { show: true } },
      yAxis: { type: 'category', data: d.rows, inverse: true, splitArea: { show: true } },
      visualMap,
      series: [{ type: 'heatmap', data, label }],
    },
  };
}

function barsSpec(d: BarsData, size: ChartSize): ChartSpec {
  const what = d.kind === 'towns' ? '各镇（街道）' : '各单位';
  const title = `${d.orgName}${periodWords(d.period)}${what}${d.metric.label}（${d.metric.unit}）`;
  const each = d.names.map((n, i) => {
    const r = d.reported?.[i];
    return `${n} ${shown(d.values[i] ?? null)}${r ? `（${r.reported}/${r.expected} 个单位报送）` : ''}`;
  });
  const description = `${title}：${each.join('，')}。未报的不画柱，不是 0。`;
  const names = d.names.map((n, i) => (d.values[i] === null ? `${n}（未报）` : n));
  return {
    title,
    description,
    width: WIDTH[size],
    height: Math.max(220, 70 + 28 * d.names.length),
    option: {
      animation: false,
      textStyle: FONT,
      title: { text: title, left: 'center', textStyle: { fontSize: size === 'compact' ? 13 : 16 } },
      grid: { left: size === 'compact' ? 96 : 128, right: 40, top: 40, bottom: 24 },
      xAxis: { type: 'value', name: d.metric.unit, minInterval: 1 },
      yAxis: { type: 'category', data: names, inverse: true },
      series: [
        {
          type: 'bar',
          data: d.values.map((v) => (v === null ? '-' : v)),
          itemStyle: { color: THIS_YEAR },
          label: { show: true, position: 'right' },
        },
      ],
    },
  };
}

export function chartSpec(data: ChartData, size: ChartSize = 'desktop'): ChartSpec {
  if (data.kind === 'trend') return trendSpec(data, size);
  if (data.kind === 'heatmap') return heatmapSpec(data, size);
  return barsSpec(data, size);
}
