/**
 * A summary as an Excel workbook (the mails' attachment, the API's and the CLI's
 * `format=xlsx`): on 汇总, a title, the period, revision and publication time, the
 * completeness in words, then a row per value key and per derived rate, the org's total
 * and a column per unit of the town — those that did not report too, marked 未报 with
 * blank cells, not 0 — or per town of the district; numbers as numbers (money 0.00, rates
 * 0.0%), the header frozen. On 报送情况, the completeness as numbers, the missing by name.
 */
import { VALUE_KEYS } from '../catalogue.ts';
import { chineseMonth, type Month } from '../period.ts';
import type { SummaryKind } from '../ports/summaries.ts';
import { existsIn, type Registry, type ReportingUnit } from '../registry.ts';
import { derivedOf, orgName, unitKey, type Derived, type Summary } from '../summary.ts';
import { completenessLine, scopeOf, unitNameOf } from '../summary-text.ts';
import type { CellInput, CellStyle, Sheet } from '../xlsx/write/model.ts';
import { STYLES } from '../xlsx/write/styles.ts';
import { writeWorkbook } from '../xlsx/write/workbook.ts';
import { columnName } from '../xlsx/write/xml.ts';
import { completenessSheet } from './summary-completeness.ts';

/** A published revision (kind, revision, publishedAt), or live figures (those absent). */
export type WorkbookSummary = Summary & { readonly kind?: SummaryKind; readonly revision?: number; readonly publishedAt?: string };

export interface SummaryWorkbookOptions {
  /** Live figures: the instant they were read (a published revision says its own). */
  readonly asOf?: Date;
}

/** A column after the total: a unit of the town or a town of the district, its figures absent when it sent nothing. */
interface Column {
  readonly heading: string;
  readonly values: Readonly<Record<string, number>> | undefined;
  readonly derived: Derived | undefined;
  /** Marked in its header: it did not report (or, annual, missed months; approved-only, left out). */
  readonly marked: boolean;
}

const DERIVED: readonly { key: keyof Derived; label: string; unit: string }[] = [
  { key: 'rectificationRate', label: '隐患整改率', unit: '%' },
  { key: 'roadRectificationRate', label: '临水临崖道路隐患整治率', unit: '%' },
  { key: 'foodRectificationRate', label: '食品安全隐患销号率', unit: '%' },
  { key: 'petitionsInProgress', label: '信访办理中', unit: '件' },
];

const BEIJING_MS = 8 * 3_600_000;
const isAnnual = (s: WorkbookSummary) => s.kind === 'annual' || s.period.length === 4;

/** `2025年3月` or `2025年度`. */
function periodText(summary: WorkbookSummary): string {
  return isAnnual(summary) ? `${summary.period}年度` : chineseMonth(summary.period as Month);
}

/** `2025-04-06 08:00` in Beijing time. */
function beijingText(at: Date): string {
  return new Date(at.getTime() + BEIJING_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** The units a town's summary has a column for: those expected in the period (any month of a year), and any that sent. */
function unitsOf(summary: WorkbookSummary, registry: Registry): ReportingUnit[] {
  const org = registry.org(summary.org);
  if (!org) return [];
  const inPeriod = (u: ReportingUnit) =>
    isAnnual(summary)
      ? (u.from === undefined || u.from <= `${summary.period}-12`) && (u.until === undefined || `${summary.period}-01` <= u.until)
      : existsIn(u, summary.period as Month);
  return registry.unitsOf(org).filter((u) => inPeriod(u) || summary.units[unitKey(org, u)] !== undefined);
}

function columnsOf(summary: WorkbookSummary, registry: Registry): Column[] {
  const missing = new Set(summary.completeness.missing);
  const leftOut = new Set(summary.leftOut ?? []);
  if (summary.level === 'district')
    return Object.entries(summary.towns ?? {}).map(([code, town]) => {
      const c = town.completeness;
      const none = c.submitted === 0;
      const note = none ? '（未报）' : c.missing.length ? `（已报 ${c.submitted}/${c.expected}）` : '';
      return {
        heading: `${code} ${town.name}${note}`,
        values: none ? undefined : town.totals,
        derived: none ? undefined : town.derived,
        marked: none,
      };
    });
  const org = registry.org(summary.org);
  return unitsOf(summary, registry).map((u) => {
    const key = org ? unitKey(org, u) : u.code;
    const values = summary.units[key];
    const note = !values
      ? leftOut.has(key) && !missing.has(key)
        ? '（未审核，未计入）'
        : '（未报）'
      : missing.has(key)
        ? '（部分月份未报）'
        : '';
    return {
      heading: `${key} ${u.name}${note}`,
      values,
      derived: values ? derivedOf(values) : undefined,
      marked: !values || missing.has(key),
    };
  });
}

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
      cell(summary.totals[k.key] ?? 0),
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

/** `统计期间 2025年3月 · 第2版（有更正） · 发布时间 2025-04-06 08:00（北京时间）`. */
function statusLine(summary: WorkbookSummary, options: SummaryWorkbookOptions): string {
  const parts = [`统计期间 ${periodText(summary)}`];
  if (summary.revision !== undefined) parts.push(`第${summary.revision}版${summary.revision > 1 ? '（有更正）' : ''}`);
  if (summary.basis === 'approved') parts.push('仅已审核数据（按现行数据实时汇总）');
  else if (summary.revision === undefined) parts.push('现行数据（未发布）');
  const at = summary.publishedAt ? new Date(summary.publishedAt) : options.asOf;
  if (at) parts.push(`${summary.publishedAt ? '发布时间' : '数据时间'} ${beijingText(at)}（北京时间）`);
  return parts.join(' · ');
}

function figuresSheet(summary: WorkbookSummary, registry: Registry, options: SummaryWorkbookOptions): Sheet {
  const columns = columnsOf(summary, registry);
  const district = summary.level === 'district';
  const c = summary.completeness;
  const names = district ? undefined : c.missing.map((key) => unitNameOf(registry, summary, key));
  const total = `${district ? '全区合计' : '全镇合计'}${summary.basis === 'approved' ? '（仅已审核）' : ''}`;
  const header: CellInput[] = [
    ...['指标代码', '指标名称', '计量单位', total].map((value) => ({ value, style: STYLES.header })),
    ...columns.map((col) => ({ value: col.heading, style: col.marked ? STYLES.headerMissing : STYLES.header })),
  ];
  const last = columnName(header.length - 1);
  return {
    name: '汇总',
    rows: [
      [{ value: `${orgName(registry, summary.org)}${periodText(summary)}法治建设统计汇总`, style: STYLES.title }],
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
  const title = `${orgName(registry, summary.org)}${periodText(summary)}法治建设统计汇总`;
  return writeWorkbook({
    title: summary.revision === undefined ? title : `${title}（第${summary.revision}版）`,
    ...(summary.publishedAt ? { created: new Date(summary.publishedAt) } : {}),
    sheets: [figuresSheet(summary, registry, options), completenessSheet(summary, registry, title)],
  });
}
