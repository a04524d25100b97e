/**
 * JSON: `{"unit","period","values":{code or label: number, metric: {category: number}}}`
 * or an array of such objects. Rows in findings are the record's number (1 = first).
 * A key with `null` (or a blank string, as a blank cell) clears it, a category's too
 * (`{"disputes_resolved": {"labor": null}}`); a key absent is not stated. A key written
 * twice is an error, never "the last one wins" (docs/DOMAIN.md#hostile-input).
 */
import { type MetricReference, resolveMetric } from '../catalogue.ts';
import { newLayout, type Collector, type Draft } from '../collector.ts';
import type { Place } from '../findings.ts';
import { MAX_DEPTH, parseJson } from '../json/parse.ts';
import { type DuplicateKey, type JsonObject, type JsonValue, writtenText } from '../json/value.ts';
import { readJsonValue } from '../numbers.ts';

const TOTAL_KEYS = new Set(['total', '合计', '小计']);
/** The deepest this reader looks: an array of records, a record, its values, a metric's categories. */
const BUILD_DEPTH = 4;
const UNIT_KEYS = ['unit', '单位代码'];
const PERIOD_KEYS = ['period', '月份'];
const VALUES_KEYS = ['values', '数值'];

const isRecord = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && v.kind === 'object';

function field(item: JsonObject, names: readonly string[]): { name: string; value: JsonValue } | undefined {
  for (const name of names) {
    const value = item.get(name);
    if (value !== undefined) return { name, value };
  }
  return undefined;
}

/** A unit or period cell: a string, or a number as written (`202503`). */
function text(v: JsonValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return typeof v === 'object' && v?.kind === 'number' ? v.text : '';
}

export function readJsonFile(source: string, collector: Collector): void {
  const parsed = parseJson(source, { buildDepth: BUILD_DEPTH });
  if (!parsed.ok) {
    const detail =
      parsed.reason === 'depth' ? `JSON 的括号嵌套超过 ${MAX_DEPTH} 层（报表只需几层）` : `JSON 语法错误，在第${parsed.line}行附近`;
    collector.report('MALFORMED', { row: parsed.line, column: null, kind: 'file' }, null, { detail });
    return;
  }
  const document = parsed.value;
  const listed = typeof document === 'object' && document?.kind === 'array';
  const items = listed ? document.items : [document];
  const repeated = byRecord(parsed.duplicates, listed);
  const reader = new RecordReader(source, collector);
  items.forEach((item, k) => {
    reader.read(item, k + 1, repeated.get(k + 1) ?? []);
  });
}

/** A duplicate key as it stands in its record: the record's number and the path inside it. */
interface Repeat {
  readonly path: readonly (string | number)[];
  readonly value: JsonValue;
}

function byRecord(duplicates: readonly DuplicateKey[], listed: boolean): Map<number, Repeat[]> {
  const records = new Map<number, Repeat[]>();
  for (const { path, value } of duplicates) {
    const row = listed ? Number(path[0]) + 1 : 1;
    const inside = listed ? path.slice(1) : path;
    const list = records.get(row) ?? [];
    if (list.length === 0) records.set(row, list);
    list.push({ path: inside, value });
  }
  return records;
}

/** `values.disputes_resolved.labor`, `note[2].x`: a path inside a record, as findings show it. */
function pathText(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

class RecordReader {
  constructor(
    private readonly source: string,
    private readonly collector: Collector,
  ) {}

  read(item: JsonValue, row: number, repeats: readonly Repeat[]): void {
    const { collector } = this;
    const at = (column: string): Place => ({ row, column, kind: 'json' });
    if (!isRecord(item)) {
      collector.report('MALFORMED', { row, column: null, kind: 'json' }, null, { detail: `第${row}条记录不是 {…} 对象` });
      return;
    }
    const unitField = field(item, UNIT_KEYS);
    const periodField = field(item, PERIOD_KEYS);
    const valuesField = field(item, VALUES_KEYS);
    this.repeats(repeats, row, valuesField?.name);
    if (unitField === undefined) collector.report('MISSING_COLUMN', at('unit'), null, { expected: 'unit', detail: 'unit、period、values' });
    if (periodField === undefined)
      collector.report('MISSING_COLUMN', at('period'), null, { expected: 'period', detail: 'unit、period、values' });
    const values = valuesField?.value;
    if (!isRecord(values)) {
      collector.report('MISSING_COLUMN', at('values'), null, { expected: 'values', detail: 'unit、period、values（一个对象）' });
      return;
    }
    if (unitField === undefined || periodField === undefined) return;
    const layout = newLayout({ title: 'unit' }, { title: 'period' });
    const unit = collector.unit(text(unitField.value), row, layout);
    const period = collector.period(text(periodField.value), row, layout);
    if (!unit || !period) return;
    const draft = collector.draft(unit, period, row, layout, true, text(periodField.value));
    if (!draft) return;
    values.keys.forEach((key, k) => {
      this.metric(draft, key, values.values[k]!, row, `${valuesField!.name}.${key}`);
    });
  }

  /** One member of `values`: a metric (or category) and its value, or a metric's categories. */
  private metric(draft: Draft, key: string, value: JsonValue, row: number, column: string): void {
    const { collector } = this;
    const ref = resolveMetric(key);
    if (!ref.ok) {
      collector.unresolved(ref, { row, column, kind: 'json' }, key);
      return;
    }
    if (!isRecord(value)) {
      this.put(draft, ref, value, row, column);
      return;
    }
    // {"labor": 2, "family": 1} (and optionally "total") under a broken-down metric.
    const { metric } = ref.target;
    if (ref.target.category !== null || metric.categories.length === 0) {
      this.put(draft, ref, value, row, column);
      return;
    }
    for (let k = 0; k < value.keys.length; k++) {
      const name = value.keys[k]!;
      const categoryValue = value.values[k]!;
      const path = `${column}.${name}`;
      const sub = resolveCategory(metric.code, name);
      if (sub.ok) this.put(draft, sub, categoryValue, row, path);
      else collector.unresolved(sub, { row, column: path, kind: 'json' }, name);
    }
  }

  private put(draft: Draft, ref: Extract<MetricReference, { ok: true }>, value: JsonValue, row: number, path: string): void {
    const reading = readJsonValue(value, ref.target.metric.valueType);
    this.collector.putJson(draft, ref.target, reading, writtenText(value, this.source), row, path);
  }

  /**
   * Keys written twice in a record: a metric or a category twice is DUPLICATE_METRIC (as
   * it would be on two rows of a sheet); any other key twice (unit, period, values, a
   * note) leaves the record unclear, so it is MALFORMED. The first of each is read.
   */
  private repeats(repeats: readonly Repeat[], row: number, valuesName: string | undefined): void {
    // A key repeated a million times is looked up in the catalogue once.
    const labels = new Map<string, string | undefined>();
    for (const { path, value } of repeats) {
      const column = pathText(path);
      const place: Place = { row, column, kind: 'json' };
      const key = String(path[path.length - 1]);
      if (!labels.has(column)) labels.set(column, path[0] === valuesName && path.length <= 3 ? metricLabel(path) : undefined);
      const label = labels.get(column);
      const written = writtenText(value, this.source);
      if (label === undefined) {
        this.collector.report('MALFORMED', place, written, { detail: '同一条记录中这个键出现了不止一次，无法确定以哪一个为准' });
      } else {
        const facts = { metricLabel: label || (key.length > 40 ? `${key.slice(0, 40)}…` : key), detail: '同一条记录中这个键写了不止一次' };
        this.collector.report('DUPLICATE_METRIC', place, written, facts);
      }
    }
  }
}

/** The label of a duplicate under `values` (`''`: a name the catalogue lacks); undefined: not a metric's place. */
function metricLabel(path: readonly (string | number)[]): string | undefined {
  const [, key, name] = path;
  if (typeof key !== 'string') return undefined;
  const ref = resolveMetric(key);
  if (name === undefined) return ref.ok ? ref.target.label : '';
  if (!ref.ok || typeof name !== 'string' || ref.target.category !== null || ref.target.metric.categories.length === 0) return undefined;
  const sub = resolveCategory(ref.target.metric.code, name);
  return sub.ok ? sub.target.label : '';
}

/** A member of a broken-down metric's object: a category, or the metric's own total. */
function resolveCategory(metricCode: string, name: string): MetricReference {
  return TOTAL_KEYS.has(name.trim().toLowerCase()) ? resolveMetric(metricCode) : resolveMetric(`${metricCode}.${name}`);
}
