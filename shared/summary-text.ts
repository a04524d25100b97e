/**
 * A summary as Chinese text for a terminal (`cunbao summary`): completeness by name, the
 * rates, every metric's total; for the district, each town's completeness by name. Its
 * lines of completeness and units' names are the mails', the workbook's and the notices' too.
 */
import { VALUE_KEYS } from './catalogue.ts';
import { comparable, type Comparison } from './comparisons.ts';
import { formatValue } from './numbers.ts';
import type { Registry } from './registry.ts';
import { orgName, unitByKey, type Completeness, type Summary } from './summary.ts';

const percent = (r: number | null) => (r === null ? '—' : `${formatValue(Math.round(r * 1000) / 10)}%`);

/**
 * What a completeness counts: a month's, units (each unit one month); a year's, unit-months,
 * while its `missing` still lists units (those that missed a month at least).
 */
type CompletenessScope = 'month' | 'year';

/** A summary's scope: a year's period is `YYYY`. */
export const scopeOf = (summary: Pick<Summary, 'period'>): CompletenessScope => (summary.period.length === 4 ? 'year' : 'month');

/**
 * `应报 9，已报 7（按时 6，迟报 1），未报 2`, and the names of the missing when given; a year's
 * `应报 108 个单位月，已报 99 个单位月（按时 90，迟报 9），缺报 9 个单位月，涉及 2 个单位：…`.
 */
export function completenessLine(c: Completeness, names?: readonly string[], scope: CompletenessScope = 'month'): string {
  if (scope === 'year') {
    const units = names?.length ? `，涉及 ${names.length} 个单位：${names.join('、')}` : '';
    const counts = `已报 ${c.submitted} 个单位月（按时 ${c.onTime}，迟报 ${c.late}）`;
    return `应报 ${c.expected} 个单位月，${counts}，缺报 ${c.expected - c.submitted} 个单位月${units}`;
  }
  const missing = names?.length ? `：${names.join('、')}` : '';
  return `应报 ${c.expected}，已报 ${c.submitted}（按时 ${c.onTime}，迟报 ${c.late}），未报 ${c.missing.length}${missing}`;
}

/** `已审核 5 / 应报 9` (unit-months, said so for a year); absent from revisions published before review existed. */
export function approvedLine(c: Completeness, scope: CompletenessScope = 'month'): string | undefined {
  if (c.approved === undefined) return undefined;
  return scope === 'year' ? `已审核 ${c.approved} / 应报 ${c.expected} 个单位月` : `已审核 ${c.approved} / 应报 ${c.expected}`;
}

/**
 * The name of a unit a summary lists: by its short code in a town's (`石柱村`), by its full
 * code in the district's, where it is named with its town (`鹅池镇石柱村`: names repeat
 * across towns) unless its name says it already (`鹅池镇本级`, not `鹅池镇鹅池镇本级`).
 */
export function unitNameOf(registry: Registry, summary: Pick<Summary, 'org' | 'level'>, key: string): string {
  const unit = unitByKey(registry, summary.org, key);
  if (!unit) return key;
  const town = registry.findTown(unit.town)?.name ?? unit.town;
  return summary.level === 'district' && !unit.name.startsWith(town) ? `${town}${unit.name}` : unit.name;
}

function titleOf(summary: Summary, registry: Registry): string {
  const who = orgName(registry, summary.org);
  return summary.period.length === 4 ? `${who}${summary.period}年汇总` : `${who}${summary.period.replace('-', '年')}月汇总`;
}

/** Each town's completeness, a row per town: the counts (a year's: of unit-months) and the missing units by name. */
function townTable(summary: Summary, registry: Registry): string[] {
  const year = scopeOf(summary) === 'year';
  const rows = Object.entries(summary.towns ?? {}).map(([code, t]) => {
    const c = t.completeness;
    const names = c.missing.map((key) => registry.get(key)?.name ?? key);
    const missing = year ? c.expected - c.submitted : c.missing.length;
    return `${t.name}（${code}）\t${c.expected}\t${c.submitted}\t${c.onTime}\t${c.late}\t${missing}\t${names.join('、') || '—'}`;
  });
  const head = year
    ? '镇（街道）\t应报单位月\t已报\t按时\t迟报\t缺报单位月\t缺报单位'
    : '镇（街道）\t应报\t已报\t按时\t迟报\t未报\t未报单位';
  return ['各镇（街道）报送情况', head, ...rows, ''];
}

/** `较上月：按两月均报送的 6 个单位比较` / `较上年同月：无可比数据`; nothing for a comparison made before they were like for like. */
function comparisonLine(label: '较上月' | '较上年同月', c: Comparison | undefined): string | undefined {
  if (c?.comparableUnits === undefined) return undefined;
  return comparable(c) ? `${label}：按两期均报送的 ${c.comparableUnits} 个单位比较` : `${label}：无可比数据`;
}

/**
 * The missing units by name (`nameOf`), each with the months it missed when the summary is a
 * year's (`大坪社区（8月、11月）`): a year's completeness counts unit-months, its `missing` units.
 */
export function missingNames(summary: Pick<Summary, 'byMonth'>, keys: readonly string[], nameOf: (key: string) => string): string[] {
  const months = Object.entries(summary.byMonth ?? {}).map(([m, c]) => [Number(m.slice(5)), new Set(c.missing)] as const);
  return keys.map((key) => {
    const missed = months.filter(([, missing]) => missing.has(key)).map(([m]) => m);
    return missed.length ? `${nameOf(key)}（${monthsText(missed)}）` : nameOf(key);
  });
}

/** `1月、3月、5—9月`: months of a year in order, three or more in a row as a span. */
function monthsText(months: readonly number[]): string {
  const spans: [number, number][] = [];
  for (const m of months) {
    const last = spans.at(-1);
    if (last && last[1] === m - 1) last[1] = m;
    else spans.push([m, m]);
  }
  return spans.flatMap(([a, b]) => (b - a >= 2 ? [`${a}—${b}月`] : Array.from({ length: b - a + 1 }, (_, i) => `${a + i}月`))).join('、');
}

/** The summary as a Chinese table for a terminal. */
export function summaryText(summary: Summary, registry: Registry): string {
  const c = summary.completeness;
  const district = summary.level === 'district';
  // The district's missing units are named town by town, in the table below.
  const names = district ? undefined : c.missing.map((key) => unitNameOf(registry, summary, key));
  const scope = scopeOf(summary);
  const approved = approvedLine(c, scope);
  const previous = summary.comparisons?.previousMonth;
  const change = comparable(previous) ? previous.change : undefined;
  const lines = [
    `${titleOf(summary, registry)}${summary.basis === 'approved' ? '（仅已审核数据）' : ''}`,
    `报送情况：${completenessLine(c, names, scope)}${district && c.missing.length ? `（各镇${scope === 'year' ? '缺报' : '未报'}单位见下表）` : ''}`,
    ...(approved ? [`审核情况：${approved}`] : []),
    ...(summary.leftOut
      ? [`未计入（未审核）：${summary.leftOut.map((key) => unitNameOf(registry, summary, key)).join('、') || '无'}`]
      : []),
    `整改率 ${percent(summary.derived.rectificationRate)}；道路隐患整治率 ${percent(summary.derived.roadRectificationRate)}；食品安全隐患销号率 ${percent(summary.derived.foodRectificationRate)}；信访办理中 ${summary.derived.petitionsInProgress} 件`,
    ...(summary.flags ?? []).map((f) => `需要核对：${f.message}`),
    ...[comparisonLine('较上月', previous), comparisonLine('较上年同月', summary.comparisons?.sameMonthLastYear)].filter(
      (l) => l !== undefined,
    ),
    '',
    ...(district ? townTable(summary, registry) : []),
    `指标\t单位\t合计${change ? '\t较上月' : ''}`,
  ];
  const unreported = new Set(summary.unreported ?? []);
  for (const k of VALUE_KEYS) {
    const total = unreported.has(k.key) ? '未报送' : formatValue(summary.totals[k.key] ?? 0);
    const d = change?.[k.key];
    const delta = change ? `\t${d === undefined ? '' : `${d > 0 ? '+' : ''}${formatValue(d)}`}` : '';
    lines.push(`${k.category ? `  ${k.category.label}` : k.label}\t${k.metric.unit}\t${total}${delta}`);
  }
  return lines.join('\n') + '\n';
}
