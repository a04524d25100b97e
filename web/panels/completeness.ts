/**
 * The month's desk of the node shown (`GET /v1/orgs/{org}/desk/{month}`): a town's units
 * in the order they need work (missing first), on time, late or missing, each with its
 * review state, the town's review actions (panels/review.ts) and its drill-down
 * (panels/unit-detail.ts); the district's towns, one line each with its counts and
 * missing units by name (panels/towns.ts); then the publication, the publish button and
 * the live totals (panels/desk.ts).
 */
import { chineseDeadline, chineseMonth } from '../../shared/period.ts';
import { getJson, messageOf } from '../app/api.ts';
import { $, bodyOf, cell, clear, el, setStatus, show } from '../app/dom.ts';
import { beijing } from '../app/format.ts';
import { orgPath, viewedOrg } from '../app/org.ts';
import { currentPeriod } from '../app/period.ts';
import { me, registerControls, session, whileBusy } from '../app/session.ts';
import type { Desk, DeskUnit } from '../app/types.ts';
import { clearDesk, renderDesk } from './desk.ts';
import { closeUnitDetail, showUnitDetail } from './unit-detail.ts';
import { closeHistory } from './history.ts';
import { actionsCell, reviewCell } from './review.ts';
import { clearSummary, showPublication } from './summary.ts';
import { clearTowns, renderTowns } from './towns.ts';

const STATUS_LABELS: Readonly<Record<string, string>> = { on_time: '按时', late: '迟报', missing: '未报' };

export function loadCompleteness(): Promise<Desk | null> {
  const period = currentPeriod();
  if (!period) return Promise.resolve(null);
  const signedIn = me();
  const org = viewedOrg(signedIn);
  const generation = session.generation;
  setStatus('completeness-status', '正在读取报送情况…', 'busy');
  return whileBusy(
    getJson<Desk>(orgPath(org.code, 'desk', period)).then(
      (c) => {
        if (currentPeriod() !== period || session.generation !== generation) return null;
        renderCompleteness(c);
        setStatus('completeness-status', '');
        return renderDesk(c, loadCompleteness).then(() => c);
      },
      (error: unknown) => {
        if (session.generation === generation) setStatus('completeness-status', messageOf(error), 'error');
        throw error;
      },
    ),
  );
}

function renderCompleteness(c: Desk): void {
  const s = c.summary;
  const district = c.level === 'district';
  const towns = (district && c.towns) || [];
  const scope = district ? `${c.orgName} ${towns.length} 个镇（街道）应报` : '应报';
  $('completeness-summary').textContent =
    `${chineseMonth(c.period)}：${scope} ${s.expected} 个单位，已报 ${s.received}（按时 ${s.onTime}，迟报 ${s.late}），未报 ${s.missing}；已审核 ${s.approved}，已退回 ${s.returned}。截止日期 ${chineseDeadline(c.period, me().deadlineDay)}。`;
  show($('towns'), district);
  show($('completeness'), !district);
  clearTowns();
  clearUnits();
  if (district) renderTowns(c, towns);
  else renderUnits(c);
  showPublication(c.published, c.publication.state);
}

function renderUnits(c: Desk): void {
  const table = $('completeness');
  table.setAttribute('data-period', c.period);
  table.setAttribute('data-org', c.org);
  const tbody = bodyOf('completeness');
  c.units.forEach((u) => {
    tbody.appendChild(unitRow(u, c.period));
  });
}

function unitRow(u: DeskUnit, period: string): HTMLTableRowElement {
  const tr = el('tr', {
    'data-unit': u.unit,
    'data-full-code': u.fullCode,
    'data-status': u.status,
    'data-review': u.review.state,
    'data-version': u.review.version,
  });
  tr.appendChild(cell('unit', '代码', u.unit));
  const name = cell('name', '单位', '');
  const open = el(
    'button',
    { type: 'button', class: 'link', 'data-detail': u.fullCode, 'aria-label': `查看${u.name}的数据和记录` },
    u.name,
  );
  open.addEventListener('click', () => {
    showUnitDetail(u, period).catch(() => null);
  });
  name.appendChild(open);
  tr.appendChild(name);
  const st = cell('status', '状态', STATUS_LABELS[u.status] || u.status);
  st.setAttribute('data-status', u.status);
  tr.appendChild(st);
  tr.appendChild(cell('first', '首次报送', u.firstReceivedAt ? beijing(u.firstReceivedAt) : '—'));
  tr.appendChild(cell('received', '最近报送', u.receivedAt ? beijing(u.receivedAt) : '—'));
  tr.appendChild(cell('warnings num', '提醒', u.warnings ? `${u.warnings} 条` : '—'));
  tr.appendChild(reviewCell(u));
  tr.appendChild(actionsCell(u, period, loadCompleteness));
  return tr;
}

function clearUnits(): void {
  const table = $('completeness');
  table.removeAttribute('data-period');
  table.removeAttribute('data-org');
  clear(bodyOf('completeness'));
}

/** Empties the tables (another month or node, or no one signed in), and the summary with them. */
export function clearCompleteness(): void {
  clearUnits();
  clearTowns();
  closeHistory($('unit-history'));
  closeUnitDetail();
  clearDesk();
  $('completeness-summary').textContent = '';
  setStatus('completeness-status', '');
  setStatus('review-status', '');
  clearSummary();
}

export function initCompleteness(): void {
  registerControls(['refresh-completeness']);
  $('refresh-completeness').addEventListener('click', () => {
    loadCompleteness().catch(() => null);
  });
}
