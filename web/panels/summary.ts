/**
 * The month's published summary of the node shown (`GET /v1/orgs/{org}/summaries/monthly/
 * {month}`): its totals, derived rates, the CSV; a district's also line by line per town.
 */
import { chineseMonth } from '../../shared/period.ts';
import { ApiError, download, getJson, messageOf } from '../app/api.ts';
import { catalogueOrNone } from '../app/catalogue.ts';
import { $, bodyOf, cell, clear, el, messageRow, setStatus, show } from '../app/dom.ts';
import { figureRow, inCatalogueOrder } from '../app/figures.ts';
import { beijing, formatNumber, percent } from '../app/format.ts';
import { orgPath, viewedOrg } from '../app/org.ts';
import { currentPeriod } from '../app/period.ts';
import { me, registerControls, session, whileBusy } from '../app/session.ts';
import type { Desk, MonthCompleteness, Org, PublishedSummary } from '../app/types.ts';
import { openButton } from './towns.ts';

/** The node's summary of the month, or its CSV or Excel workbook. */
function summaryPath(org: Org, period: string, format?: 'csv' | 'xlsx'): string {
  return orgPath(org.code, 'summaries', 'monthly', period) + (format ? `?format=${format}` : '');
}

/** After the desk is read: whether the month is published (and still current), and the buttons to read it. */
export function showPublication(published: MonthCompleteness['published'], state: Desk['publication']['state']): void {
  show($('summary'), false);
  if (published) {
    const changed = state === 'changed';
    setStatus(
      'summary-status',
      changed ? `已发布第 ${published.revision} 版；其后数据有变更，待重新发布。` : `已发布（第 ${published.revision} 版）。`,
      changed ? 'warning' : 'ok',
    );
    show($('show-summary'), true);
    show($('download-summary'), true);
    show($('download-summary-xlsx'), true);
  } else {
    setStatus('summary-status', '尚未发布（每月 6 日自动发布上月汇总；镇也可以在月末之后发布）。');
    show($('show-summary'), false);
    show($('download-summary'), false);
    show($('download-summary-xlsx'), false);
  }
}

export function clearSummary(): void {
  show($('summary'), false);
  show($('show-summary'), false);
  show($('download-summary'), false);
  show($('download-summary-xlsx'), false);
  setStatus('summary-status', '');
}

/** The month is not (or no longer) published: said as a state, not as an error. */
function notPublished(error: unknown): boolean {
  if (!(error instanceof ApiError) || error.code !== 'SUMMARY_NOT_PUBLISHED') return false;
  setStatus('summary-status', '尚未发布。', '');
  show($('summary'), false);
  return true;
}

function showSummary(): Promise<void> {
  const period = currentPeriod();
  if (!period) return Promise.resolve();
  const org = viewedOrg(me());
  const generation = session.generation;
  setStatus('summary-status', '正在读取汇总…', 'busy');
  return whileBusy(
    getJson<PublishedSummary>(summaryPath(org, period))
      .then((summary) =>
        catalogueOrNone().then(() => {
          if (session.generation === generation && currentPeriod() === period) renderSummary(summary);
        }),
      )
      .catch((error: unknown) => {
        if (!notPublished(error)) setStatus('summary-status', messageOf(error), 'error');
      }),
  );
}

function renderSummary(summary: PublishedSummary): void {
  setStatus('summary-status', `${chineseMonth(summary.period)}汇总：第 ${summary.revision} 版。`, 'ok');
  const c = summary.completeness;
  $('summary-meta').textContent =
    `发布时间：${beijing(summary.publishedAt)}（北京时间）${c ? `；已报 ${c.submitted}/${c.expected} 个单位` : ''}。`;
  const derived = bodyOf('summary-derived');
  clear(derived);
  const d = summary.derived || {};
  const rows: [string, string, string][] = [
    ['rectificationRate', '隐患整改率', percent(d.rectificationRate)],
    ['roadRectificationRate', '临水临崖道路隐患整治率', percent(d.roadRectificationRate)],
    ['foodRectificationRate', '食品安全隐患整改率', percent(d.foodRectificationRate)],
    ['petitionsInProgress', '信访办理中（件）', d.petitionsInProgress === undefined ? '—' : String(d.petitionsInProgress)],
  ];
  // The org's own figures that cannot be right: marked on their card, explained in the list above.
  const flagged = (summary.flags || []).filter((f) => f.where === 'total').map((f) => f.field);
  rows.forEach(([field, label, value]) => {
    const wrong = flagged.indexOf(field) >= 0;
    const tr = el('tr', wrong ? { 'data-field': field, 'data-flagged': 'true' } : { 'data-field': field });
    tr.appendChild(el('th', { scope: 'row' }, label));
    tr.appendChild(cell('value', label, wrong ? `${value}（需核对）` : value));
    derived.appendChild(tr);
  });
  renderTowns(summary);
  renderFlags(summary);
  const previous = summary.comparisons ? summary.comparisons.previousMonth : undefined;
  const change = previous?.comparableUnits && previous.change ? previous.change : undefined;
  $('summary-compare').textContent = compareNote(previous);
  const tbody = bodyOf('summary-totals');
  clear(tbody);
  const totals = summary.totals || {};
  inCatalogueOrder(Object.keys(totals).filter((k) => totals[k] !== 0)).forEach((key) => {
    const tr = figureRow(key, totals[key], '合计');
    const d = change ? change[key] : undefined;
    tr.appendChild(cell('change num', '较上月', d === undefined ? '—' : `${d > 0 ? '+' : ''}${formatNumber(d)}`));
    tbody.appendChild(tr);
  });
  if (!tbody.firstChild) tbody.appendChild(messageRow('本月合计全部为 0。'));
  show($('summary'), true);
}

type Compared = NonNullable<PublishedSummary['comparisons']>['previousMonth'];

/** What the 较上月 column compares: the units that reported in both months (like for like), or nothing. */
function compareNote(previous: Compared | undefined): string {
  if (!previous || previous.comparableUnits === undefined) return '本版未作同口径比较（较上月为 —）。';
  if (!previous.comparableUnits) return '较上月：上月无可比数据（两月均报送的单位为 0 个），不作比较。';
  return `较上月：只比较两月均报送的 ${previous.comparableUnits} 个单位（同口径），不是两月合计之差。`;
}

/** The figures that cannot be right, each with why, above the tables (the rate cards are flagged too). */
function renderFlags(summary: PublishedSummary): void {
  const list = $('summary-flags');
  clear(list);
  const flags = summary.flags || [];
  for (const f of flags) list.appendChild(el('li', { 'data-code': f.code, 'data-where': f.where, 'data-field': f.field }, f.message));
  show(list, flags.length > 0);
}

/** A district's summary: each town's received units, rectification rate and hazards found. */
function renderTowns(summary: PublishedSummary): void {
  const towns = summary.level === 'district' ? summary.towns : undefined;
  const tbody = bodyOf('summary-towns');
  clear(tbody);
  show($('summary-towns'), !!towns);
  if (!towns) return;
  Object.keys(towns).forEach((code) => {
    const town = towns[code];
    if (!town) return;
    const tr = el('tr', { 'data-town': code });
    const name = el('th', { scope: 'row', class: 'name' });
    name.appendChild(openButton(code, town.name));
    tr.appendChild(name);
    const c = town.completeness;
    tr.appendChild(cell('submitted num', '已报/应报', c ? `${c.submitted}/${c.expected}` : '—'));
    const rate = town.derived ? town.derived.rectificationRate : null;
    tr.appendChild(cell('rate num', '隐患整改率', rate === null || rate === undefined ? '—' : percent(rate)));
    const found = (town.totals.major_hazards_found || 0) + (town.totals.general_hazards_found || 0);
    tr.appendChild(cell('hazards num', '排查隐患（处）', formatNumber(found)));
    tbody.appendChild(tr);
  });
}

/** The published summary as CSV, or as a workbook (title, revision, completeness, one column per unit, 未报 marked). */
function downloadSummary(format: 'csv' | 'xlsx'): Promise<void> {
  const period = currentPeriod();
  if (!period) return Promise.resolve();
  const org = viewedOrg(me());
  setStatus('summary-status', format === 'xlsx' ? '正在下载汇总 Excel…' : '正在下载汇总 CSV…', 'busy');
  return whileBusy(
    download(summaryPath(org, period, format), `${org.name}-${period}-汇总.${format}`).then(
      (name) => setStatus('summary-status', `已下载：${name}`, 'ok'),
      (error: unknown) => {
        if (!notPublished(error)) setStatus('summary-status', messageOf(error), 'error');
      },
    ),
  );
}

/** The year's report draft of the node shown, as a Word document (from the ledger as it is now). */
function downloadReport(): Promise<void> {
  const period = currentPeriod();
  if (!period) return Promise.resolve();
  const org = viewedOrg(me());
  const year = period.slice(0, 4);
  setStatus('summary-status', `正在生成${org.name}${year}年度报告（Word）…`, 'busy');
  return whileBusy(
    download(`${orgPath(org.code, 'reports', 'annual', year)}?format=docx`, `${org.name}-${year}年度-工作报告.docx`).then(
      (name) => setStatus('summary-status', `已下载：${name}`, 'ok'),
      (error: unknown) => setStatus('summary-status', messageOf(error), 'error'),
    ),
  );
}

export function initSummary(): void {
  registerControls(['show-summary', 'download-summary', 'download-summary-xlsx', 'download-report']);
  $('download-report').addEventListener('click', () => {
    downloadReport().catch(() => null);
  });
  $('show-summary').addEventListener('click', showSummary);
  $('download-summary').addEventListener('click', () => downloadSummary('csv'));
  $('download-summary-xlsx').addEventListener('click', () => downloadSummary('xlsx'));
}
