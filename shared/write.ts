/**
 * Writing the three file formats: the templates handed to secretaries, and files built
 * from submissions (exports, tests). What is written here reads back equal: cleared keys
 * are written blank (JSON `null`), implied totals are left for the reader to add up again.
 * Wide is one header for all rows, so a row leaves blank, and so clears, every column
 * another row uses; and a row that only clears cannot be written wide (it reads as empty).
 */
import { VALUE_KEYS, type ValueKey } from './catalogue.ts';
import { csvLine, safeCsvLine, UTF8_BOM } from './csv.ts';
import { formatValue } from './numbers.ts';
import type { Registry } from './registry.ts';
import type { Submission } from './warnings.ts';

export type WrittenFormat = 'long' | 'wide' | 'json';

export interface WriteOptions {
  readonly format: WrittenFormat;
  /** Codes (`general_hazards_found`, `unit`) or Chinese labels (`排查一般隐患(处)`, `单位代码`). */
  readonly headers: 'code' | 'label';
  readonly newline?: '\n' | '\r\n';
  /** How a number is written into a CSV cell (default: plain decimal). */
  readonly number?: (value: number) => string;
}

const LONG_HEADER = {
  code: ['unit', 'period', 'metric', 'label', 'value', 'note'],
  label: ['单位代码', '月份', '指标代码', '指标名称', '数值', '备注'],
};

/** `排查一般隐患(处)`: the label a person reads, with its unit of measure. */
function labelWithUnit(k: ValueKey): string {
  return `${k.label}(${k.metric.unit})`;
}

/** What a submission states: `key → number`, or `null` to clear; implied totals are not stated. */
function stated(s: Submission): Map<string, number | null> {
  const implied = new Set(s.implied);
  const out = new Map<string, number | null>();
  for (const [key, v] of Object.entries(s.values)) if (!implied.has(key)) out.set(key, v);
  for (const key of s.cleared ?? []) out.set(key, null);
  return out;
}

function orderedKeys(statements: readonly Map<string, number | null>[]): ValueKey[] {
  return VALUE_KEYS.filter((k) => statements.some((s) => s.has(k.key)));
}

function jsonRecord(s: Submission): unknown {
  if (!s.cleared?.length && !s.implied?.length) return { unit: s.unit, period: s.period, values: s.values };
  return { unit: s.unit, period: s.period, values: Object.fromEntries(stated(s)) };
}

/** Writes submissions as a file's text (no BOM; encode as you like). */
export function writeSubmissions(submissions: readonly Submission[], options: WriteOptions): string {
  const nl = options.newline ?? '\n';
  if (options.format === 'json') {
    const records = submissions.map(jsonRecord);
    return JSON.stringify(records.length === 1 ? records[0] : records, null, 2) + nl;
  }
  const num = options.number ?? formatValue;
  const cell = (v: number | null | undefined) => (v === null || v === undefined ? '' : num(v));
  const write = options.format === 'long' ? longLines : wideLines;
  return write(submissions, options.headers === 'label', cell).join(nl) + nl;
}

type Cell = (v: number | null | undefined) => string;

/** One row per stated key; a cleared key's row has a blank value. */
function longLines(submissions: readonly Submission[], byLabel: boolean, cell: Cell): string[] {
  const lines = [csvLine(LONG_HEADER[byLabel ? 'label' : 'code'])];
  for (const s of submissions) {
    const statement = stated(s);
    for (const k of VALUE_KEYS) {
      const v = statement.get(k.key);
      if (v !== undefined) lines.push(csvLine([s.unit, s.period, byLabel ? '' : k.key, byLabel ? labelWithUnit(k) : '', cell(v), '']));
    }
  }
  return lines;
}

/** One row per submission, one column per key any of them states; a cleared key's cell is blank. */
function wideLines(submissions: readonly Submission[], byLabel: boolean, cell: Cell): string[] {
  const statements = submissions.map(stated);
  const keys = orderedKeys(statements);
  const lines = [
    csvLine([byLabel ? '单位代码' : 'unit', byLabel ? '月份' : 'period', ...keys.map((k) => (byLabel ? labelWithUnit(k) : k.key))]),
  ];
  for (const [j, s] of submissions.entries()) {
    lines.push(csvLine([s.unit, s.period, ...keys.map((k) => cell(statements[j]!.get(k.key)))]));
  }
  return lines;
}

export interface TemplateOptions {
  readonly format: 'long' | 'wide';
  readonly registry: Registry;
  /** Pre-filled unit (full code); without it the long template leaves the unit blank and the wide one lists the town's units. */
  readonly unit?: string;
  /** The town whose units a wide template lists (default: the single town, or the whole district). */
  readonly town?: string;
  readonly period: string;
}

/**
 * A ready-to-fill CSV: UTF-8 with BOM and CRLF so that Excel and WPS on Windows open it
 * with the Chinese intact. Values are blank: blank means "not reported", 0 means none.
 */
export function template(options: TemplateOptions): string {
  const { registry, unit, period } = options;
  const lines: string[] = [];
  if (options.format === 'long') {
    lines.push(csvLine(LONG_HEADER.label));
    for (const k of VALUE_KEYS) {
      const note =
        k.category === null && k.metric.categories.length > 0
          ? '可只填下面各分类，合计自动计算'
          : k.metric.valueType === 'money'
            ? '单位：元，最多2位小数'
            : '';
      lines.push(csvLine([(unit && registry.get(unit)?.code) ?? '', period, k.key, labelWithUnit(k), '', note]));
    }
  } else {
    lines.push(csvLine(['单位代码', '单位名称', '月份', ...VALUE_KEYS.map(labelWithUnit)]));
    const units = unit ? registry.units.filter((u) => u.fullCode === unit) : registry.unitsOf(options.town ?? registry.defaultOrg.code);
    // Short codes within one town; full codes where the template spans the district's towns.
    const many = new Set(units.map((u) => u.town)).size > 1;
    // A unit's name is the town's text: made safe for Excel (a name starting with = is not a formula).
    for (const u of units) lines.push(safeCsvLine([many ? u.fullCode : u.code, u.name, period, ...VALUE_KEYS.map(() => '')]));
  }
  return UTF8_BOM + lines.join('\r\n') + '\r\n';
}
