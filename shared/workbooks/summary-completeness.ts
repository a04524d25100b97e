/**
 * The summary workbook's 报送情况 sheet: who was expected and who sent, as numbers
 * (应报/已报/按时/迟报/未报/已审核) with the missing named — the org's, each town's (the
 * district's), each month's (a year's) — and, in a town's, each unit's state.
 */
import { chineseMonth, type Month } from '../period.ts';
import type { Registry } from '../registry.ts';
import type { ReviewState } from '../review/review.ts';
import type { Completeness } from '../summary.ts';
import { unitNameOf } from '../summary-text.ts';
import type { CellInput, Sheet } from '../xlsx/write/model.ts';
import { STYLES } from '../xlsx/write/styles.ts';
import type { WorkbookSummary } from './summary.ts';

const STATE_NAMES: Record<ReviewState, string> = { missing: '未报', submitted: '已报', approved: '已审核', returned: '已退回' };

interface Line {
  readonly label: string;
  readonly completeness: Completeness;
  readonly names: readonly string[];
}

const header = (labels: readonly string[]): CellInput[] => labels.map((value) => ({ value, style: STYLES.header }));
const number = (value: number | undefined): CellInput => ({ value: value ?? null, style: STYLES.integer });
const textCell = (value: string): CellInput => ({ value, style: STYLES.text });

function table(title: string, first: string, lines: readonly Line[]): CellInput[][] {
  return [
    [{ value: title, style: { bold: true } }],
    header([first, '应报', '已报', '按时', '迟报', '未报', '已审核', '未报单位']),
    ...lines.map(({ label, completeness: c, names }) => [
      textCell(label),
      ...[c.expected, c.submitted, c.onTime, c.late, c.missing.length, c.approved].map(number),
      textCell(names.join('、')),
    ]),
    [],
  ];
}

/** Each unit of a town: its state of the month (review), or of the year (approved months, missed months). */
function unitTable(summary: WorkbookSummary, registry: Registry): CellInput[][] {
  const missing = new Set(summary.completeness.missing);
  const annual = summary.approvedMonths !== undefined;
  const keys = Object.keys(summary.review ?? summary.approvedMonths ?? {});
  if (!keys.length) return [];
  return [
    [{ value: '各单位', style: { bold: true } }],
    header(annual ? ['单位代码', '单位名称', '报送', '已审核月数'] : ['单位代码', '单位名称', '状态']),
    ...keys.map((key) => [
      textCell(key),
      textCell(unitNameOf(registry, summary, key)),
      textCell(annual ? (missing.has(key) ? '有月份未报' : '各月已报') : STATE_NAMES[summary.review?.[key] ?? 'missing']),
      ...(annual ? [number(summary.approvedMonths?.[key])] : []),
    ]),
  ];
}

export function completenessSheet(summary: WorkbookSummary, registry: Registry, title: string): Sheet {
  const names = (c: Completeness) => c.missing.map((key) => unitNameOf(registry, summary, key));
  const district = summary.level === 'district';
  const own: Line = { label: district ? '全区' : '全镇', completeness: summary.completeness, names: names(summary.completeness) };
  const towns = Object.entries(summary.towns ?? {}).map(([code, t]) => ({
    label: `${code} ${t.name}`,
    completeness: t.completeness,
    names: t.completeness.missing.map((key) => registry.get(key)?.name ?? key),
  }));
  const months = Object.entries(summary.byMonth ?? {}).map(([m, c]) => ({
    label: chineseMonth(m as Month),
    completeness: c,
    names: names(c),
  }));
  const published = summary.publishedAt ? new Date(summary.publishedAt) : undefined;
  const rows: CellInput[][] = [
    [{ value: `${title} · 报送情况`, style: STYLES.title }],
    ...(summary.revision !== undefined ? [[textCell('版本'), textCell(`第${summary.revision}版`)]] : []),
    ...(published
      ? [[textCell('发布时间（北京时间）'), { value: new Date(published.getTime() + 8 * 3_600_000), style: STYLES.dateTime }]]
      : []),
    [],
    ...table(district ? '全区及各镇（街道）' : '全镇', district ? '镇（街道）' : '范围', [...towns, own]),
    ...(months.length ? table('各月', '月份', months) : []),
    ...(district ? [] : unitTable(summary, registry)),
  ];
  return {
    name: '报送情况',
    rows,
    columns: [{ width: 22 }, { width: 20 }, { width: 10 }, { width: 8 }, { width: 8 }, { width: 8 }, { width: 8 }, { width: 60 }],
    heights: { 0: 26 },
  };
}
