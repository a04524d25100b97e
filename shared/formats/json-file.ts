/**
 * JSON: `{"unit","period","values":{code or label: number, metric: {category: number}}}`
 * or an array of such objects. Rows in findings are the record's number (1 = first).
 * A key with `null` (or a blank string, as a blank cell) clears it, a category's too
 * (`{"disputes_resolved": {"labor": null}}`); a key absent is not stated.
 */
import { resolveMetric } from '../catalogue.ts';
import { newLayout, type Collector } from '../collector.ts';
import type { Place } from '../findings.ts';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const TOTAL_KEYS = new Set(['total', '合计', '小计']);

/** `Unexpected token … at position 17` → line 2 (Node's wording varies, the position does not). */
function lineOfSyntaxError(text: string, error: unknown): number | null {
  const position = /position (\d+)/.exec(String(error))?.[1];
  if (position === undefined) return null;
  return text.slice(0, Number(position)).split('\n').length;
}

function field(item: Record<string, unknown>, ...names: string[]): unknown {
  for (const name of names) if (name in item) return item[name];
  return undefined;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

export function readJsonFile(source: string, collector: Collector): void {
  let document: unknown;
  try {
    document = JSON.parse(source);
  } catch (error) {
    const line = lineOfSyntaxError(source, error);
    const detail = line === null ? 'JSON 语法错误' : `JSON 语法错误，在第${line}行附近`;
    collector.report('MALFORMED', { row: line, column: null, kind: 'file' }, null, { detail });
    return;
  }
  const items = Array.isArray(document) ? document : [document];
  items.forEach((item, k) => {
    const row = k + 1;
    const at = (column: string): Place => ({ row, column, kind: 'json' });
    if (!isRecord(item)) {
      collector.report('MALFORMED', { row, column: null, kind: 'json' }, null, { detail: `第${row}条记录不是 {…} 对象` });
      return;
    }
    const unitRaw = field(item, 'unit', '单位代码');
    const periodRaw = field(item, 'period', '月份');
    const values = field(item, 'values', '数值');
    if (unitRaw === undefined) collector.report('MISSING_COLUMN', at('unit'), null, { expected: 'unit', detail: 'unit、period、values' });
    if (periodRaw === undefined)
      collector.report('MISSING_COLUMN', at('period'), null, { expected: 'period', detail: 'unit、period、values' });
    if (!isRecord(values)) {
      collector.report('MISSING_COLUMN', at('values'), null, { expected: 'values', detail: 'unit、period、values（一个对象）' });
      return;
    }
    if (unitRaw === undefined || periodRaw === undefined) return;
    const layout = newLayout({ title: 'unit' }, { title: 'period' });
    const unit = collector.unit(text(unitRaw), row, layout);
    const period = collector.period(text(periodRaw), row, layout);
    if (!unit || !period) return;
    const draft = collector.draft(unit, period, row, layout, true, text(periodRaw));
    if (!draft) return;
    for (const [key, value] of Object.entries(values)) {
      const column = `values.${key}`;
      const ref = resolveMetric(key);
      if (!ref.ok) {
        collector.unresolved(ref, at(column), key);
        continue;
      }
      if (!isRecord(value)) {
        collector.putJson(draft, ref.target, value, row, column);
        continue;
      }
      // {"labor": 2, "family": 1} (and optionally "total") under a broken-down metric.
      const { metric } = ref.target;
      if (ref.target.category !== null || metric.categories.length === 0) {
        collector.report('NOT_A_NUMBER', at(column), JSON.stringify(value), { metricLabel: ref.target.label });
        continue;
      }
      for (const [name, categoryValue] of Object.entries(value)) {
        const path = `${column}.${name}`;
        const sub = TOTAL_KEYS.has(name.trim().toLowerCase()) ? resolveMetric(metric.code) : resolveMetric(`${metric.code}.${name}`);
        if (sub.ok) collector.putJson(draft, sub.target, categoryValue, row, path);
        else collector.unresolved(sub, at(path), name);
      }
    }
  });
}
