/**
 * A summary as a CSV for Excel (the mails' attachment and the API's `?format=csv`), laid
 * out as the workbook is (shared/summary-layout.ts): a title block — the title, the period
 * with the revision and publication time, the completeness with the missing by name — a
 * blank line, then a row per metric and per derived rate: the org's total, then a column
 * per expected unit of the town (未报 in its heading, its cells blank) or per town of the
 * district. A metric nobody reported is blank, not 0. Every cell is made safe.
 */
import { VALUE_KEYS } from '../catalogue.ts';
import { safeCsvLine, UTF8_BOM } from '../csv.ts';
import { formatValue } from '../numbers.ts';
import type { Registry } from '../registry.ts';
import type { Derived } from '../summary.ts';
import { columnsOf, DERIVED, statusLine, summaryTitle, totalHeading, totalOf, type LaidOutSummary } from '../summary-layout.ts';
import { completenessLine, scopeOf, unitNameOf } from '../summary-text.ts';

const number = (v: number | undefined | null) => (v === undefined || v === null ? '' : formatValue(v));
const rate = (v: number | null | undefined) => (v === undefined || v === null ? '' : `${formatValue(Math.round(v * 1000) / 10)}%`);

/** The title block: what, when and which revision, and who has not reported. */
function titleBlock(summary: LaidOutSummary, registry: Registry): string[][] {
  const district = summary.level === 'district';
  const c = summary.completeness;
  const names = district ? undefined : c.missing.map((key) => unitNameOf(registry, summary, key));
  const completeness = `报送情况：${completenessLine(c, names, scopeOf(summary))}${district ? '（各镇未报单位见各镇汇总）' : ''}`;
  return [[summaryTitle(summary, registry)], [statusLine(summary, {})], [completeness], []];
}

export function summaryCsv(summary: LaidOutSummary, registry: Registry): string {
  const columns = columnsOf(summary, registry);
  const rows: string[][] = [
    ...titleBlock(summary, registry),
    ['指标代码', '指标名称', '计量单位', totalHeading(summary), ...columns.map((c) => c.heading)],
  ];
  for (const k of VALUE_KEYS)
    rows.push([k.key, k.label, k.metric.unit, number(totalOf(summary, k.key)), ...columns.map((c) => number(c.values?.[k.key]))]);
  for (const d of DERIVED) {
    const shown = (derived: Derived | undefined) => (d.unit === '%' ? rate(derived?.[d.key]) : number(derived?.[d.key]));
    rows.push([d.key, d.label, d.unit, shown(summary.derived), ...columns.map((c) => shown(c.derived))]);
  }
  return UTF8_BOM + rows.map((r) => safeCsvLine(r)).join('\r\n') + '\r\n';
}
