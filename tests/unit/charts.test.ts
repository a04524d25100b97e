import { describe, expect, it } from 'vitest';
import { type ChartEntry, heatmapData, metricOf, townsData, trendData, unitsData } from '../../shared/charts/data.ts';
import { chartSpec } from '../../shared/charts/options.ts';
import { renderChart } from '../../shared/charts/svg.ts';
import type { Month } from '../../shared/period.ts';
import { district } from '../support/district.ts';

const EC = district.org('EC')!;
const QJ = district.org('QJ')!;
const hazards = metricOf('general_hazards_found')!;
const entry = (unit: string, values: Record<string, number>, firstReceivedAt = '2002-02-03T00:00:00Z'): ChartEntry => ({
  unit,
  values,
  firstReceivedAt,
});
const monthsOf = (pairs: [Month, ChartEntry[]][]) => new Map(pairs);
/** The text ECharts drew (value labels, axis labels), without the title and description we add. */
const drawnText = (svg: string) => [...svg.replace(/<title[\s\S]*?<\/desc>/, '').matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe('metricOf', () => {
  it('names a value key with its label and unit, money in 元, and knows no other key', () => {
    expect(hazards).toEqual({ key: 'general_hazards_found', label: '排查一般隐患', unit: '处' });
    expect(metricOf('veteran_aid_yuan')?.unit).toBe('元');
    expect(metricOf('nonsense')).toBeUndefined();
  });
});

describe('trendData', () => {
  it("sums each month over the units that reported it, with last year's months, and leaves a month nobody reported null", () => {
    // Prepare
    const now = monthsOf([
      ['2002-01', [entry('EC/V01', { general_hazards_found: 3 }), entry('EC/V02', { general_hazards_found: 5 })]],
      ['2002-02', [entry('EC/V01', { petitions_received: 1 })]],
      ['2002-03', [entry('EC/V01', { general_hazards_found: 0 })]],
    ]);
    const before = monthsOf([['2001-01', [entry('EC/V01', { general_hazards_found: 2 })]]]);
    // Act
    const data = trendData(EC, hazards, '2002', now, before);
    // Assess
    expect(data.values.slice(0, 4)).toEqual([8, null, 0, null]);
    expect(data.reported.slice(0, 4)).toEqual([2, 0, 1, 0]);
    expect(data.lastYear.slice(0, 2)).toEqual([2, null]);
    expect(data.labels).toHaveLength(12);
  });
});

describe('heatmapData', () => {
  it("marks a town's units on time, late or missing per month due, and a unit not yet existing as not expected", () => {
    // Prepare: EC/V01 on time in January (deadline 5 Feb), late in February; SH/V08 exists from 2025-07.
    const months = monthsOf([
      ['2025-01', [entry('EC/V01', { general_hazards_found: 1 }, '2025-02-03T00:00:00Z')]],
      ['2025-02', [entry('EC/V01', { general_hazards_found: 1 }, '2025-03-20T00:00:00Z')]],
    ]);
    const SH = district.org('SH')!;
    // Act
    const ec = heatmapData(district, EC, '2025', ['2025-01', '2025-02'], months);
    const sh = heatmapData(district, SH, '2025', ['2025-06', '2025-07'], new Map());
    // Assess
    expect(ec.rows[0]).toBe('鹅池社区');
    expect(ec.cells[0]).toEqual(['onTime', 'late']);
    expect(ec.cells[1]).toEqual(['missing', 'missing']);
    expect(sh.cells[sh.rows.indexOf('东山社区')]).toEqual(['notExpected', 'missing']);
  });

  it("gives the district each town's share of units that sent", () => {
    const months = monthsOf([['2025-01', [entry('EC/V01', {}), entry('EC/V02', {}), entry('SH/V01', {})]]]);
    const data = heatmapData(district, QJ, '2025', ['2025-01'], months);
    expect(data.rows).toEqual(['鹅池镇', '石会镇', '黑溪镇']);
    // EC 2 of 9, SH 1 of 8 (V08 only from July), HX none of 9.
    expect(data.cells).toEqual([[0.222], [0.125], [0]]);
  });
});

describe('unitsData and townsData', () => {
  it('lists every unit of the town, a unit without the figure null (未报), not 0', () => {
    const data = unitsData(district, EC, '2002-03', hazards, [entry('EC/V02', { general_hazards_found: 4 }), entry('EC/V03', {})]);
    expect(data.names).toHaveLength(9);
    expect(data.values.slice(0, 3)).toEqual([null, 4, null]);
  });

  it('sums each town over the units that reported the figure and says how many did of how many', () => {
    const entries = [entry('EC/V01', { general_hazards_found: 3 }), entry('EC/V02', { general_hazards_found: 1.5 }), entry('SH/V01', {})];
    const data = townsData(district, QJ, '2025-03', hazards, entries);
    expect(data.values).toEqual([4.5, null, null]);
    expect(data.reported).toEqual([
      { reported: 2, expected: 9 },
      { reported: 0, expected: 8 },
      { reported: 0, expected: 9 },
    ]);
  });
});

describe('chartSpec', () => {
  it('describes every figure of a trend in Chinese, a gap as 未报', () => {
    const data = trendData(EC, hazards, '2002', monthsOf([['2002-01', [entry('EC/V01', { general_hazards_found: 3 })]]]), new Map());
    const spec = chartSpec(data);
    expect(spec.title).toBe('鹅池镇2002年排查一般隐患（处）逐月趋势');
    expect(spec.description).toContain('1月 3（1 个单位报送），2月 未报');
    expect(spec.width).toBe(720);
    expect(chartSpec(data, 'compact').width).toBe(360);
  });

  it('names the towns with how many units reported, and a bar nobody reported as （未报）', () => {
    const data = townsData(district, QJ, '2025-03', hazards, [entry('EC/V01', { general_hazards_found: 3 })]);
    const spec = chartSpec(data);
    expect(spec.title).toBe('黔江区2025年3月各镇（街道）排查一般隐患（处）');
    expect(spec.description).toContain('鹅池镇 3（1/9 个单位报送），石会镇 未报（0/8 个单位报送）');
  });
});

describe('renderChart', () => {
  it('draws an SVG with its title and text alternative, each value as a label, and a missing month not as 0', async () => {
    // Prepare
    const now = monthsOf([
      ['2002-01', [entry('EC/V01', { general_hazards_found: 13 })]],
      ['2002-03', [entry('EC/V01', { general_hazards_found: 17 })]],
    ]);
    const spec = chartSpec(trendData(EC, hazards, '2002', now, new Map()));
    // Act
    const svg = await renderChart(spec);
    // Assess
    expect(svg).toMatch(/^<svg role="img" aria-labelledby="chart-\w+-title" aria-describedby="chart-\w+-desc" /);
    expect(svg).toContain('<title id="chart-');
    expect(svg).toContain('>鹅池镇2002年排查一般隐患（处）逐月趋势</title>');
    expect(svg).toContain('2月 未报');
    expect(svg).not.toMatch(/ style="|<style/);
    expect(svg).toContain('font-family="sans-serif"');
    expect(drawnText(svg)).toEqual(expect.arrayContaining(['1月', '12月']));
    // The value labels, in the series' colour: the two months reported, no 0 for the others.
    const labels = [...svg.matchAll(/<text[^>]*fill="#1d4ed8"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(['13', '17']);
  });

  it('renders the same chart to the same bytes, and two different charts with different ids', async () => {
    const bars = (v: number) => chartSpec(unitsData(district, EC, '2002-03', hazards, [entry('EC/V01', { general_hazards_found: v })]));
    const [a, b, c] = await Promise.all([renderChart(bars(5)), renderChart(bars(5)), renderChart(bars(6))]);
    expect(a).toBe(b);
    expect(a.match(/id="(chart-\w+)-title"/)?.[1]).not.toBe(c.match(/id="(chart-\w+)-title"/)?.[1]);
    expect(drawnText(c)).toContain('6');
    expect(drawnText(c)).toContain('鹅池社区');
    expect(drawnText(c)).toContain('南溪村（未报）');
  });

  it('escapes a name that would be markup in the title and description', async () => {
    const spec = { ...chartSpec(unitsData(district, EC, '2002-03', hazards, [])), title: '<script>x</script>&' };
    const svg = await renderChart(spec);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;x&lt;/script&gt;&amp;');
  });
});
