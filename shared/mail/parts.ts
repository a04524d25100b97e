/**
 * What the summary mails share: the key figures a leader reads first, how a figure and its
 * change are written, the title of a period, the attachments (JSON, CSV and the workbook).
 */
import { VALUE_KEYS } from '../catalogue.ts';
import { formatValue } from '../numbers.ts';
import { chineseMonth } from '../period.ts';
import type { Attachment } from '../ports/mail.ts';
import type { PublishedSummary, SummaryChange } from '../ports/summaries.ts';
import type { Registry } from '../registry.ts';
import { money } from '../report.ts';
import { orgName } from '../summary.ts';
import { unitNameOf } from '../summary-text.ts';
import { summaryWorkbook } from '../workbooks/summary.ts';
import { XLSX_TYPE } from '../xlsx/write/model.ts';
import { summaryCsv } from './summary-csv.ts';

/** The figures a leader reads first (the rest is in the attachments). */
export const KEY_FIGURES = [
  'major_hazards_found',
  'general_hazards_found',
  'hazards_rectified',
  'disputes_resolved',
  'petitions_received',
  'petitions_closed',
  'visitors_received',
  'traffic_violations',
  'food_units_inspected',
  'legal_trainings',
  'veteran_aid_yuan',
] as const;

export const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
export const percent = (r: number | null) => (r === null ? '—' : `${formatValue(Math.round(r * 1000) / 10)}%`);

export interface FigureRow {
  readonly label: string;
  /** The unit of a count ('' for money: `money` writes it). */
  readonly unit: string;
  readonly value: string;
  /** Against the previous month, signed ('' when unchanged or not compared). */
  readonly change: string;
}

const keyOf = (key: string) => VALUE_KEYS.find((k) => k.key === key)!;

/** A value as the report writes it: money as 1.2万元, counts as they are. */
export function shown(key: string, value: number): string {
  return keyOf(key).metric.valueType === 'money' ? money(value) : formatValue(value);
}

export function figureRow(key: string, totals: Readonly<Record<string, number>>, change?: number): FigureRow {
  const k = keyOf(key);
  return {
    label: k.label,
    unit: k.metric.valueType === 'money' ? '' : k.metric.unit,
    value: shown(key, totals[key] ?? 0),
    change: change === undefined ? '' : `${change > 0 ? '+' : '-'}${shown(key, Math.abs(change))}`,
  };
}

/** `  排查一般隐患：92 处（+3）`: a line of the text part. */
export const figureLine = (r: FigureRow) => `  ${r.label}：${r.value}${r.unit ? ` ${r.unit}` : ''}${r.change ? `（${r.change}）` : ''}`;

export const labelOf = (key: string) => VALUE_KEYS.find((k) => k.key === key)?.label ?? key;

/** `鹅池镇2025年3月法治统计月报` / `黔江区2025年法治统计年报`. */
export function periodTitle(summary: PublishedSummary, registry: Registry): string {
  return summary.kind === 'annual'
    ? `${orgName(registry, summary.org)}${summary.period}年法治统计年报`
    : `${orgName(registry, summary.org)}${chineseMonth(summary.period)}法治统计月报`;
}

/** `（第2版，有更正）` for a revision after the first. */
export const revisionNote = (summary: PublishedSummary) => (summary.revision > 1 ? `（第${summary.revision}版，有更正）` : '');

export function attachmentsOf(summary: PublishedSummary, registry: Registry): Attachment[] {
  const base = `${summary.kind}-${summary.period}-v${summary.revision}`;
  return [
    { filename: `${base}.json`, content: JSON.stringify(summary, null, 2), contentType: 'application/json; charset=utf-8' },
    { filename: `${base}.csv`, content: summaryCsv(summary, registry), contentType: 'text/csv; charset=utf-8' },
    { filename: `${base}.xlsx`, content: summaryWorkbook(summary, registry), contentType: XLSX_TYPE },
  ];
}

/** A change of a revision in words: `石柱村 排查一般隐患：3 → 5`, `未报单位：石柱村 → 无`. */
export function changeText(change: SummaryChange, registry: Registry, summary: PublishedSummary): string {
  const names = (list: string | number | null) =>
    String(list ?? '')
      .split('、')
      .filter(Boolean)
      .map((key) => unitNameOf(registry, summary, key))
      .join('、') || '无';
  if (change.what === 'missing') return `未报单位：${names(change.before)} → ${names(change.after)}`;
  const where =
    change.what === 'unit'
      ? unitNameOf(registry, summary, change.unit ?? '')
      : change.what === 'town'
        ? (registry.findTown(change.town ?? '')?.name ?? change.town)
        : summary.level === 'district'
          ? '全区'
          : '全镇';
  return `${where} ${labelOf(change.key ?? '')}：${change.before ?? '—'} → ${change.after ?? '—'}`;
}
