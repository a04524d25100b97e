/**
 * A summary as Chinese text for a terminal (`cunbao summary`): completeness by name, the
 * rates, every metric's total; for the district, each town's completeness by name.
 */
import { VALUE_KEYS } from './catalogue.ts';
import { formatValue } from './numbers.ts';
import type { Registry } from './registry.ts';
import { orgName, unitByKey, type Completeness, type Summary } from './summary.ts';

const percent = (r: number | null) => (r === null ? '—' : `${formatValue(Math.round(r * 1000) / 10)}%`);

/** `应报 9，已报 7（按时 6，迟报 1），未报 2`, and the names of the missing when given. */
export function completenessLine(c: Completeness, names?: readonly string[]): string {
  const missing = names?.length ? `：${names.join('、')}` : '';
  return `应报 ${c.expected}，已报 ${c.submitted}（按时 ${c.onTime}，迟报 ${c.late}），未报 ${c.missing.length}${missing}`;
}

/** `已审核 5 / 应报 9` (unit-months); absent from revisions published before review existed. */
export function approvedLine(c: Completeness): string | undefined {
  return c.approved === undefined ? undefined : `已审核 ${c.approved} / 应报 ${c.expected}`;
}

/**
 * The name of a unit a summary lists: by its short code in a town's (`石柱村`), by its full
 * code in the district's, where it is named with its town (`鹅池镇石柱村`: names repeat
 * across towns).
 */
export function unitNameOf(registry: Registry, summary: Pick<Summary, 'org' | 'level'>, key: string): string {
  const unit = unitByKey(registry, summary.org, key);
  if (!unit) return key;
  return summary.level === 'district' ? `${registry.findTown(unit.town)?.name ?? unit.town}${unit.name}` : unit.name;
}

function titleOf(summary: Summary, registry: Registry): string {
  const who = orgName(registry, summary.org);
  return summary.period.length === 4 ? `${who}${summary.period}年汇总` : `${who}${summary.period.replace('-', '年')}月汇总`;
}

/** Each town's completeness, a row per town: the counts and the missing units by name. */
function townTable(summary: Summary, registry: Registry): string[] {
  const rows = Object.entries(summary.towns ?? {}).map(([code, t]) => {
    const c = t.completeness;
    const names = c.missing.map((key) => registry.get(key)?.name ?? key);
    return `${t.name}（${code}）\t${c.expected}\t${c.submitted}\t${c.onTime}\t${c.late}\t${c.missing.length}\t${names.join('、') || '—'}`;
  });
  return ['各镇（街道）报送情况', '镇（街道）\t应报\t已报\t按时\t迟报\t未报\t未报单位', ...rows, ''];
}

/** The summary as a Chinese table for a terminal. */
export function summaryText(summary: Summary, registry: Registry): string {
  const c = summary.completeness;
  const district = summary.level === 'district';
  // The district's missing units are named town by town, in the table below.
  const names = district ? undefined : c.missing.map((key) => unitNameOf(registry, summary, key));
  const approved = approvedLine(c);
  const lines = [
    `${titleOf(summary, registry)}${summary.basis === 'approved' ? '（仅已审核数据）' : ''}`,
    `报送情况：${completenessLine(c, names)}${district && c.missing.length ? '（各镇未报单位见下表）' : ''}`,
    ...(approved ? [`审核情况：${approved}`] : []),
    ...(summary.leftOut
      ? [`未计入（未审核）：${summary.leftOut.map((key) => unitNameOf(registry, summary, key)).join('、') || '无'}`]
      : []),
    `整改率 ${percent(summary.derived.rectificationRate)}；道路隐患整治率 ${percent(summary.derived.roadRectificationRate)}；食品安全隐患销号率 ${percent(summary.derived.foodRectificationRate)}；信访办理中 ${summary.derived.petitionsInProgress} 件`,
    '',
    ...(district ? townTable(summary, registry) : []),
    '指标\t单位\t合计',
  ];
  for (const k of VALUE_KEYS)
    lines.push(`${k.category ? `  ${k.category.label}` : k.label}\t${k.metric.unit}\t${formatValue(summary.totals[k.key] ?? 0)}`);
  return lines.join('\n') + '\n';
}
