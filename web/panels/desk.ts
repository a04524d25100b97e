/**
 * The clerk's desk of the node shown (`GET /v1/orgs/{org}/desk/{month}`, read with the
 * completeness: panels/completeness.ts): where the month's publication stands (已发布 /
 * 数据已变更，待重新发布 / 尚未发布), the publish button for a town or an admin, and the
 * month's live totals beside the year to date, with the units that missed a month named.
 */
import { chineseMonth } from '../../shared/period.ts';
import { messageOf, request } from '../app/api.ts';
import { catalogueOrNone, keyInfo } from '../app/catalogue.ts';
import { inCatalogueOrder } from '../app/figures.ts';
import { $, bodyOf, cell, clear, el, messageRow, setStatus, show } from '../app/dom.ts';
import { formatNumber } from '../app/format.ts';
import { orgPath, viewedOrg } from '../app/org.ts';
import { can, me, registerControls, session, whileBusy } from '../app/session.ts';
import type { Desk, PublishResult } from '../app/types.ts';

let shown: Desk | null = null;
let reload: () => Promise<unknown> = () => Promise.resolve();

/** After the desk is read: its publication, its button, its totals. */
export function renderDesk(desk: Desk, again: () => Promise<unknown>): Promise<void> {
  shown = desk;
  reload = again;
  // What the last press said belongs to the desk before; publishMonth says it again after its reload.
  setStatus('publish-status', '');
  const line = $('desk-publication');
  line.textContent = desk.publication.message;
  line.setAttribute('data-state', desk.publication.state);
  const mayPublish = can(me().role, 'publish');
  show($('publish-summary'), mayPublish);
  $('publish-summary').textContent = desk.publication.state === 'unpublished' ? '发布本月汇总' : '重新发布本月汇总';
  const closed = mayPublish && !desk.publish.allowed;
  $('publish-hint').textContent = closed ? desk.publish.reason || '' : '';
  show($('publish-hint'), closed);
  show($('desk'), true);
  return catalogueOrNone().then(() => {
    if (shown === desk) renderTotals(desk);
  });
}

/** The month's live figures beside January to this month's, every metric someone reported. */
function renderTotals(desk: Desk): void {
  const month = desk.live.totals;
  const year = desk.yearToDate.summary.totals;
  const through = Number(desk.period.slice(5));
  $('desk-totals-caption').textContent = `${desk.orgName}${chineseMonth(desk.period)}实时合计与本年累计（1—${through}月）`;
  $('desk-totals-year').textContent = `1—${through}月累计`;
  const tbody = bodyOf('desk-totals');
  clear(tbody);
  inCatalogueOrder(Object.keys(year).filter((k) => (month[k] || 0) !== 0 || (year[k] || 0) !== 0)).forEach((key) => {
    const info = keyInfo(session.catalogue, key);
    const tr = el('tr', { 'data-key': key });
    tr.appendChild(cell('label', '指标', info ? info.label : key));
    tr.appendChild(cell('month num', '本月', formatNumber(month[key] || 0)));
    tr.appendChild(cell('year num', `1—${through}月累计`, formatNumber(year[key] || 0)));
    tr.appendChild(cell('unit', '计量单位', info ? info.unit : ''));
    tbody.appendChild(tr);
  });
  if (!tbody.firstChild) tbody.appendChild(messageRow('本年至今没有任何单位报送数字。'));
  $('desk-missed').textContent = missedText(desk);
  show($('desk-totals-section'), true);
}

/** Units that missed a month of the year so far, each with its months. */
function missedText(desk: Desk): string {
  const byMonth = desk.yearToDate.summary.byMonth || {};
  const missed: Record<string, string[]> = {};
  const order: string[] = [];
  Object.keys(byMonth)
    .sort()
    .forEach((m) => {
      (byMonth[m]?.missing || []).forEach((key) => {
        if (!missed[key]) {
          missed[key] = [];
          order.push(key);
        }
        missed[key]?.push(`${Number(m.slice(5))}月`);
      });
    });
  if (!order.length) return '本年至今各单位每月都已报送。';
  const names: Record<string, string> = {};
  desk.units.forEach((u) => {
    names[u.unit] = u.name;
  });
  return `本年有月份未报：${order.map((key) => `${names[key] || key}（${(missed[key] || []).join('、')}）`).join('；')}。`;
}

/** The publish button: the month's summary now, then the desk read again. */
function publishMonth(): Promise<void> {
  const desk = shown;
  if (!desk) return Promise.resolve();
  const org = viewedOrg(me());
  setStatus('publish-status', `正在发布${desk.orgName}${chineseMonth(desk.period)}汇总…`, 'busy');
  return whileBusy(
    request(orgPath(org.code, 'summaries', 'monthly', desk.period, 'publish'), { method: 'POST' })
      .then((response) => response.json() as Promise<PublishResult>)
      .then(
        (result) =>
          reload().then(() => {
            const told = result.notices.filter((n) => n.status === 'sent').length;
            setStatus('publish-status', `${result.message}${told ? `已发送通知 ${told} 处。` : ''}`, result.published ? 'ok' : '');
          }),
        (error: unknown) => setStatus('publish-status', messageOf(error), 'error'),
      ),
  );
}

export function clearDesk(): void {
  shown = null;
  show($('desk'), false);
  show($('desk-totals-section'), false);
  clear(bodyOf('desk-totals'));
  setStatus('publish-status', '');
}

export function initDesk(): void {
  registerControls(['publish-summary'], () => !!shown && shown.publish.allowed);
  $('publish-summary').addEventListener('click', () => {
    publishMonth().catch(() => null);
  });
}
