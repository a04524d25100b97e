/**
 * What the summary mails share: the key figures a leader reads first, how a figure and its
 * change are written, the title of a period, the HTML document around a body, the time of
 * publication and the link to the page, what a revision changed. (The attachments are
 * shared/mail/attachments.ts: the robots' notices use these parts without the workbook writer.)
 */
import { valueKey } from '../catalogue.ts';
import { formatValue } from '../numbers.ts';
import { chineseDateTime, chineseMonth } from '../period.ts';
import type { PublishedSummary, SummaryChange } from '../ports/summaries.ts';
import type { Registry } from '../registry.ts';
import { comparable } from '../comparisons.ts';
import { money } from '../report.ts';
import { orgName, unitByKey } from '../summary.ts';
import { unitNameOf } from '../summary-text.ts';

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

const keyOf = (key: string) => valueKey(key)!;
const isMoney = (key: string) => valueKey(key)?.metric.valueType === 'money';

/** A value as the report writes it: money as 1.2万元, counts as they are. */
export function shown(key: string, value: number): string {
  return isMoney(key) ? money(value) : formatValue(value);
}

/** A value with its unit of measure: `3 处`, `1.68万元`. */
const amount = (key: string, value: number) =>
  isMoney(key) ? money(value) : `${formatValue(value)} ${valueKey(key)?.metric.unit ?? ''}`.trim();

function figureRow(key: string, totals: Readonly<Record<string, number>>, change?: number): FigureRow {
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

/** A summary's key figures, and what they are compared with. */
export interface KeyFigures {
  readonly rows: FigureRow[];
  /** Whether a 较上月 change is shown: a month with units comparable with the previous month. */
  readonly compared: boolean;
  /** A month's units that reported in both months (0: nothing to compare); absent for a year or an old revision. */
  readonly comparableUnits?: number;
}

/**
 * The key figures of a summary, and whether they are compared with the previous month:
 * like for like, over the units that reported in both months (shared/comparisons.ts). A
 * year has no previous month (an annual summary carries no comparisons), so its mail has
 * no 较上月 column at all rather than an empty one; nor has a revision published before
 * comparisons were like for like (its change counted whichever units reported).
 */
export function keyFigures(summary: PublishedSummary): KeyFigures {
  const previous = summary.comparisons?.previousMonth;
  const change = comparable(previous) ? previous.change : undefined;
  const units = previous?.comparableUnits;
  return {
    rows: KEY_FIGURES.map((key) => figureRow(key, summary.totals, change?.[key])),
    compared: change !== undefined,
    ...(units === undefined ? {} : { comparableUnits: units }),
  };
}

/**
 * `主要指标（括号内为较上月变化，按两月均报送的 6 个单位计算）：`, `主要指标（上月无可比数据）：`,
 * or no brackets for a year.
 */
export function figuresHeading(figures: Omit<KeyFigures, 'rows'>, scope = ''): string {
  const note = figures.compared
    ? `（括号内为较上月变化，按两月均报送的 ${figures.comparableUnits} 个单位计算）`
    : figures.comparableUnits === 0
      ? '（上月无可比数据）'
      : '';
  return `${scope}主要指标${note}：`;
}

/** The flags of a summary as lines for the reader (`需要核对的数字`). */
export const flagLines = (summary: PublishedSummary): string[] => (summary.flags ?? []).map((f) => f.message);

/** The key figures as an HTML table; the 较上月 column only when compared. */
export function figureTable(rows: readonly FigureRow[], compared: boolean): string {
  const cell = (text: string, right = false) => `<td${right ? ' align="right"' : ''}>${escapeHtml(text)}</td>`;
  const row = (r: FigureRow) => `<tr>${cell(r.label)}${cell(r.value, true)}${cell(r.unit)}${compared ? cell(r.change, true) : ''}</tr>`;
  return [
    '<table border="1" cellpadding="4" cellspacing="0" style="border-collapse:collapse">',
    `<tr><th>指标</th><th>合计</th><th>单位</th>${compared ? '<th>较上月</th>' : ''}</tr>`,
    ...rows.map(row),
    '</table>',
  ].join('\n');
}

export const labelOf = (key: string) => valueKey(key)?.label ?? key;

/** `鹅池镇2025年3月法治统计月报` / `黔江区2025年法治统计年报`. */
export function periodTitle(summary: PublishedSummary, registry: Registry): string {
  return summary.kind === 'annual'
    ? `${orgName(registry, summary.org)}${summary.period}年法治统计年报`
    : `${orgName(registry, summary.org)}${chineseMonth(summary.period)}法治统计月报`;
}

/** `（第2版，有更正）` for a revision after the first. */
export const revisionNote = (summary: PublishedSummary) => (summary.revision > 1 ? `（第${summary.revision}版，有更正）` : '');

/** A whole HTML document: mail clients (and the reader's phone) are told the charset, the width and the title. */
export function htmlDocument(title: string, body: string): string {
  const head = `<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>`;
  return `<!doctype html><html lang="zh-CN"><head>${head}</head><body style="font-family:sans-serif">\n${body}\n</body></html>`;
}

/** `发布时间：2025年4月6日 08:00（北京时间）`: the reader's clock, whatever the server's (none for a time that does not parse). */
export function timeLine(label: '发布时间' | '发送时间', at: Date | string): string | undefined {
  const instant = new Date(at);
  return Number.isNaN(instant.getTime()) ? undefined : `${label}：${chineseDateTime(instant)}（北京时间）`;
}

/** A mail's link to the page, as its text line and its HTML paragraph. */
export interface PageLink {
  readonly text: string;
  readonly html: string;
}

/**
 * The last line of a mail when the page's address is known: `在村报页面查看：{pageUrl}?org=EC&period=2025-03`,
 * the org's period on the page (a reminder's: where its units upload). Only http(s): it becomes a link.
 */
export function pageLine(pageUrl: string | undefined, org: string, period: string): PageLink | undefined {
  const href = pageHref(pageUrl, org, period);
  if (!href) return undefined;
  return { text: `在村报页面查看：${href}`, html: `<p>在村报页面查看：<a href="${escapeHtml(href)}">${escapeHtml(href)}</a></p>` };
}

/** The page opened on an org's period (`{pageUrl}?org=EC&period=2025-03`): the mails' and the notices' link. */
export function pageHref(pageUrl: string | undefined, org: string, period: string): string | undefined {
  if (!pageUrl || !URL.canParse(pageUrl)) return undefined;
  const url = new URL(pageUrl);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  url.searchParams.set('org', org);
  url.searchParams.set('period', period);
  return url.toString();
}

/** A heading and its items, as text lines (none when there are no items). */
export const listText = (heading: string, items: readonly string[]) =>
  items.length ? ['', `${heading}：`, ...items.map((x) => `  ${x}`)] : [];

/** A heading and its items, as HTML ('' when there are no items). */
export const listHtml = (heading: string, items: readonly string[]) =>
  items.length ? `<h3>${escapeHtml(heading)}</h3><ul>${items.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul>` : '';

// ---------------------------------------------------------------------------------------
// What a revision changed
// ---------------------------------------------------------------------------------------

/** A unit a change names: by name, or said to be gone from the registry (never a bare code). */
function unitNamed(registry: Registry, summary: PublishedSummary, key: string): string {
  return unitByKey(registry, summary.org, key) ? unitNameOf(registry, summary, key) : `${key}（名册中已无此单位）`;
}

/** Where a change is: a unit, a town (the district's summary), or the org's totals. */
function placeOf(change: SummaryChange, registry: Registry, summary: PublishedSummary): string {
  if (change.what === 'unit') return unitNamed(registry, summary, change.unit ?? '');
  if (change.what === 'town') return registry.findTown(change.town ?? '')?.name ?? `${change.town}（名册中已无此镇）`;
  return summary.level === 'district' ? '全区' : '全镇';
}

/** A value of a change as the figures write it: money in 万元 from 10 000 yuan, not reported as —. */
const changeValue = (key: string | undefined, value: number | string | null) =>
  value === null ? '—' : typeof value === 'number' && key ? shown(key, value) : String(value);

/** Beyond this many names on both sides, the change of missing units says who came and who went. */
const MISSING_LISTED = 10;
/** At most this many names (or figures) in one line; the rest are counted. */
const LISTED = 3;

const some = (items: readonly string[], counter: string) =>
  `${items.slice(0, LISTED).join('、')}${items.length > LISTED ? ` 等 ${items.length} ${counter}` : ''}`;

/** `未报单位：石柱村、大坪社区 → 大坪社区`; in a large district `未报单位：40 个 → 38 个（补报：…；新增未报：…）`; a year's 缺报单位. */
function missingText(change: SummaryChange, registry: Registry, summary: PublishedSummary): string {
  const list = (v: string | number | null) =>
    String(v ?? '')
      .split('、')
      .filter(Boolean);
  const [before, after] = [list(change.before), list(change.after)];
  const names = (keys: readonly string[]) => keys.map((key) => unitNamed(registry, summary, key));
  // A year's `missing` lists the units that missed a month at least.
  const label = summary.kind === 'annual' ? '缺报单位' : '未报单位';
  if (before.length + after.length <= MISSING_LISTED)
    return `${label}：${names(before).join('、') || '无'} → ${names(after).join('、') || '无'}`;
  const came = names(before.filter((k) => !after.includes(k)));
  const went = names(after.filter((k) => !before.includes(k)));
  const which = [...(came.length ? [`补报：${some(came, '个')}`] : []), ...(went.length ? [`新增未报：${some(went, '个')}`] : [])];
  return `${label}：${before.length} 个 → ${after.length} 个${which.length ? `（${which.join('；')}）` : ''}`;
}

/** A change of a revision in words: `石柱村 排查一般隐患：3 → 5`, `全镇 …补助资金：1.68万元 → 1.73万元`, `未报单位：石柱村 → 无`. */
function changeText(change: SummaryChange, registry: Registry, summary: PublishedSummary): string {
  if (change.what === 'missing') return missingText(change, registry, summary);
  const [before, after] = [changeValue(change.key, change.before), changeValue(change.key, change.after)];
  return `${placeOf(change, registry, summary)} ${labelOf(change.key ?? '')}：${before} → ${after}`;
}

/** Non-zero figures first, then the key figures, totals before their categories, in catalogue order. */
function byInterest(a: { key: string; value: number }, b: { key: string; value: number }): number {
  const rank = ({ key, value }: { key: string; value: number }) => [
    value === 0 ? 1 : 0,
    valueKey(key)?.category ? 1 : 0,
    (KEY_FIGURES as readonly string[]).includes(key) ? 0 : 1,
    valueKey(key)?.index ?? Number.MAX_SAFE_INTEGER,
  ];
  const [x, y] = [rank(a), rank(b)];
  return x.reduce((d, n, i) => d || n - y[i]!, 0);
}

/**
 * A unit (or town) whose every figure appeared, or went, in this revision — a late unit's
 * month, one cleared — in one line rather than one per metric:
 * `石柱村 补报：排查一般隐患 3 处、受理群众来信来访 1 件、… 等 42 项`.
 */
function wholeLine(place: string, changes: readonly SummaryChange[]): string | undefined {
  const arrived = changes.every((c) => c.before === null && typeof c.after === 'number');
  const left = changes.every((c) => c.after === null && typeof c.before === 'number');
  if (!arrived && !left) return undefined;
  const values = changes.map((c) => ({ key: c.key ?? '', value: Number(arrived ? c.after : c.before) })).sort(byInterest);
  return `${place} ${arrived ? '补报' : '不再计入'}：${some(
    values.map((v) => `${labelOf(v.key)} ${amount(v.key, v.value)}`),
    '项',
  )}`;
}

/**
 * What a revision changed, a line each: the totals' changes one by one, a unit's (or a
 * town's) likewise unless all its figures arrived or went together (`wholeLine`), then the
 * missing units; units and towns by name, money as the figures write it.
 */
export function changeLines(summary: PublishedSummary, registry: Registry): string[] {
  const runs: { place?: string; changes: SummaryChange[] }[] = [];
  for (const change of summary.changes) {
    const place = change.what === 'unit' || change.what === 'town' ? `${change.what}:${change.unit ?? change.town}` : undefined;
    const last = runs.at(-1);
    if (place !== undefined && last?.place === place) last.changes.push(change);
    else runs.push({ ...(place === undefined ? {} : { place }), changes: [change] });
  }
  return runs.flatMap(({ place, changes }) => {
    const whole = place === undefined ? undefined : wholeLine(placeOf(changes[0]!, registry, summary), changes);
    return whole ? [whole] : changes.map((c) => changeText(c, registry, summary));
  });
}
