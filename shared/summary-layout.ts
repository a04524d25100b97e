/**
 * How a summary is laid out as a table, for the CSV and the workbook alike (shared/mail/
 * summary-csv.ts, shared/workbooks/summary.ts): its title, the line of period, revision and
 * publication time, the total's heading, and a column per unit of the town — those that did
 * not report too, marked 未报, their cells blank, not 0 — or per town of the district.
 */
import type { Month } from './period.ts';
import { chineseMonth } from './period.ts';
import type { SummaryKind } from './ports/summaries.ts';
import { existsIn, type Registry, type ReportingUnit } from './registry.ts';
import { derivedOf, orgName, unitKey, type Derived, type Summary } from './summary.ts';

/** A published revision (kind, revision, publishedAt), or live figures (those absent). */
export type LaidOutSummary = Summary & { readonly kind?: SummaryKind; readonly revision?: number; readonly publishedAt?: string };

export interface LayoutOptions {
  /** Live figures: the instant they were read (a published revision says its own). */
  readonly asOf?: Date;
}

/** A column after the total: a unit of the town or a town of the district, its figures absent when it sent nothing. */
export interface Column {
  readonly heading: string;
  readonly values: Readonly<Record<string, number>> | undefined;
  readonly derived: Derived | undefined;
  /** Marked in its header: it did not report (or, annual, missed months; approved-only, left out). */
  readonly marked: boolean;
}

export const DERIVED: readonly { key: keyof Derived; label: string; unit: string }[] = [
  { key: 'rectificationRate', label: '隐患整改率', unit: '%' },
  { key: 'roadRectificationRate', label: '临水临崖道路隐患整治率', unit: '%' },
  { key: 'foodRectificationRate', label: '食品安全隐患销号率', unit: '%' },
  { key: 'petitionsInProgress', label: '信访办理中', unit: '件' },
];

const BEIJING_MS = 8 * 3_600_000;
const isAnnual = (s: LaidOutSummary) => s.kind === 'annual' || s.period.length === 4;

/** `2025年3月` or `2025年度`. */
function periodText(summary: LaidOutSummary): string {
  return isAnnual(summary) ? `${summary.period}年度` : chineseMonth(summary.period as Month);
}

/** `2025-04-06 08:00` in Beijing time. */
function beijingText(at: Date): string {
  return new Date(at.getTime() + BEIJING_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** The units a town's summary has a column for: those expected in the period (any month of a year), and any that sent. */
function unitsOf(summary: LaidOutSummary, registry: Registry): ReportingUnit[] {
  const org = registry.org(summary.org);
  if (!org) return [];
  const inPeriod = (u: ReportingUnit) =>
    isAnnual(summary)
      ? (u.from === undefined || u.from <= `${summary.period}-12`) && (u.until === undefined || `${summary.period}-01` <= u.until)
      : existsIn(u, summary.period as Month);
  return registry.unitsOf(org).filter((u) => inPeriod(u) || summary.units[unitKey(org, u)] !== undefined);
}

export function columnsOf(summary: LaidOutSummary, registry: Registry): Column[] {
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

/** `统计期间 2025年3月 · 第2版（有更正） · 发布时间 2025-04-06 08:00（北京时间）`. */
export function statusLine(summary: LaidOutSummary, options: LayoutOptions): string {
  const parts = [`统计期间 ${periodText(summary)}`];
  if (summary.revision !== undefined) parts.push(`第${summary.revision}版${summary.revision > 1 ? '（有更正）' : ''}`);
  if (summary.basis === 'approved') parts.push('仅已审核数据（按现行数据实时汇总）');
  else if (summary.revision === undefined) parts.push('现行数据（未发布）');
  const at = summary.publishedAt ? new Date(summary.publishedAt) : options.asOf;
  if (at) parts.push(`${summary.publishedAt ? '发布时间' : '数据时间'} ${beijingText(at)}（北京时间）`);
  return parts.join(' · ');
}

/** `鹅池镇2025年3月法治建设统计汇总`. */
export const summaryTitle = (summary: LaidOutSummary, registry: Registry) =>
  `${orgName(registry, summary.org)}${periodText(summary)}法治建设统计汇总`;

/** `全镇合计` / `全区合计`, `（仅已审核）` for approved figures only. */
export const totalHeading = (summary: Summary) =>
  `${summary.level === 'district' ? '全区合计' : '全镇合计'}${summary.basis === 'approved' ? '（仅已审核）' : ''}`;

/** The total of a key, or undefined when no unit reported it (a blank cell, not 0). */
export function totalOf(summary: Summary, key: string): number | undefined {
  return summary.unreported?.includes(key) ? undefined : (summary.totals[key] ?? 0);
}
