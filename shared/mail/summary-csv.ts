/**
 * A summary as a CSV for Excel (the mails' attachment and the API's `?format=csv`): a row
 * per metric, the org's total, then a column per unit (a town's summary) or per town (the
 * district's). Every cell is made safe.
 */
import { VALUE_KEYS } from '../catalogue.ts';
import { safeCsvLine, UTF8_BOM } from '../csv.ts';
import { formatValue } from '../numbers.ts';
import type { Registry } from '../registry.ts';
import { unitByKey, type Summary } from '../summary.ts';

interface Column {
  readonly heading: string;
  readonly values: Readonly<Record<string, number>> | undefined;
}

/** The columns after the total: each unit by its key and name, or each town by its code and name. */
function columnsOf(summary: Summary, registry: Registry): Column[] {
  if (summary.level === 'district')
    return Object.entries(summary.towns ?? {}).map(([code, town]) => ({ heading: `${code} ${town.name}`, values: town.totals }));
  return Object.entries(summary.units).map(([key, values]) => ({
    heading: `${key} ${unitByKey(registry, summary.org, key)?.name ?? key}`,
    values,
  }));
}

export function summaryCsv(summary: Summary, registry: Registry): string {
  const columns = columnsOf(summary, registry);
  // Approved figures only (the API's ?approved=only) say so where the total is.
  const total = `${summary.level === 'district' ? '全区合计' : '全镇合计'}${summary.basis === 'approved' ? '（仅已审核）' : ''}`;
  const lines = [safeCsvLine(['指标代码', '指标名称', '计量单位', total, ...columns.map((c) => c.heading)])];
  for (const k of VALUE_KEYS) {
    const cell = (c: Column) => (c.values?.[k.key] === undefined ? '' : formatValue(c.values[k.key]!));
    lines.push(safeCsvLine([k.key, k.label, k.metric.unit, formatValue(summary.totals[k.key] ?? 0), ...columns.map(cell)]));
  }
  return UTF8_BOM + lines.join('\r\n') + '\r\n';
}
