/**
 * A summary as an Excel workbook (the mails' attachment, the API's and the CLI's
 * `format=xlsx`): on 汇总, a title, the period, revision and publication time, the
 * completeness in words, then a row per value key and per derived rate, the org's total
 * and a column per unit of the town — those that did not report too, marked 未报 with
 * blank cells, not 0 — or per town of the district; numbers as numbers (money 0.00, rates
 * 0.0%), the header frozen. On 报送情况, the completeness as numbers, the missing by name.
 */
import { VALUE_KEYS } from '../catalogue.ts';
import type { Registry } from '../registry.ts';
import type { Derived } from '../summary.ts';
import {
  columnsOf,
  DERIVED,
  statusLine,
  summaryTitle,
  totalHeading,
  totalOf,
  type Column,
  type LaidOutSummary,
  type LayoutOptions,
} from '../summary-layout.ts';
import { completenessLine, scopeOf, unitNameOf } from '../summary-text.ts';
import type { CellInput, CellStyle, Sheet } from '../xlsx/write/model.ts';
import { STYLES } from '../xlsx/write/styles.ts';
import { writeWorkbook } from '../xlsx/write/workbook.ts';
import { columnName } from '../xlsx/write/xml.ts';
import { completenessSheet } from './summary-completeness.ts';

export type WorkbookSummary = LaidOutSummary;
type SummaryWorkbookOptions = LayoutOptions;

const valueStyle = (money: boolean): CellStyle => (money ? STYLES.money : STYLES.integer);

function figureRows(summary: WorkbookSummary, columns: readonly Column[]): CellInput[][] {
  const rows: CellInput[][] = [];
  for (const k of VALUE_KEYS) {
    const style = valueStyle(k.metric.valueType === 'money');
    const cell = (v: number | undefined): CellInput => ({ value: v ?? null, style });
    rows.push([
      { value: k.key, style: STYLES.text },
      { value: k.category ? `  ${k.label}` : k.label, style: STYLES.text },
      { value: k.metric.unit, style: STYLES.text },
      cell(totalOf(summary, k.key)),
      ...columns.map((c) => cell(c.values?.[k.key])),
    ]);
  }
  for (const d of DERIVED) {
    const style = d.unit === '%' ? STYLES.percent : STYLES.integer;
    const cell = (derived: Derived | undefined): CellInput => ({ value: derived?.[d.key] ?? null, style });
    rows.push([
      { value: d.key, style: STYLES.text },
      { value: d.label, style: STYLES.text },
      { value: d.unit, style: STYLES.text },
      cell(summary.derived),
      ...columns.map((c) => cell(c.derived)),
    ]);
  }
  return rows;
}

function figuresSheet(summary: WorkbookSummary, registry: Registry, options: SummaryWorkbookOptions): Sheet {
  const columns = columnsOf(summary, registry);
  const district = summary.level === 'district';
  const c = summary.completeness;
  const names = district ? undefined : c.missing.map((key) => unitNameOf(registry, summary, key));
  const total = totalHeading(summary);
  const header: CellInput[] = [
    ...['指标代码', '指标名称', '计量单位', total].map((value) => ({ value, style: STYLES.header })),
    ...columns.map((col) => ({ value: col.heading, style: col.marked ? STYLES.headerMissing : STYLES.header })),
  ];
  const last = columnName(header.length - 1);
  return {
    name: '汇总',
    rows: [
      [{ value: summaryTitle(summary, registry), style: STYLES.title }],
      [{ value: statusLine(summary, options), style: STYLES.subtitle }],
      [
        {
          value: `报送情况：${completenessLine(c, names, scopeOf(summary))}${district ? '（各镇未报单位见“报送情况”表）' : ''}`,
          style: STYLES.subtitle,
        },
      ],
      header,
      ...figureRows(summary, columns),
    ],
    columns: [{ width: 26 }, { width: 40 }, { width: 8 }, { width: 14 }, ...columns.map(() => ({ width: 14 }))],
    heights: { 0: 26, 3: 48 },
    merges: [`A1:${last}1`, `A2:${last}2`, `A3:${last}3`],
    freeze: { rows: 4, columns: 2 },
  };
}

/** The .xlsx of a summary: a town's (monthly or annual, a column per unit) or the district's (a column per town). */
export function summaryWorkbook(summary: WorkbookSummary, registry: Registry, options: SummaryWorkbookOptions = {}): Uint8Array {
  const title = summaryTitle(summary, registry);
  return writeWorkbook({
    title: summary.revision === undefined ? title : `${title}（第${summary.revision}版）`,
    ...(summary.publishedAt ? { created: new Date(summary.publishedAt) } : {}),
    sheets: [figuresSheet(summary, registry, options), completenessSheet(summary, registry, title)],
  });
}
