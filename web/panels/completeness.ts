/**
 * The month's completeness of the node shown (`GET /v1/orgs/{org}/completeness/{month}`):
 * a town's units, on time, late or missing, each with its review state and the town's
 * review actions (panels/review.ts); the district's towns, one line each with its
 * counts and missing units by name (panels/towns.ts), and the district's totals.
 */
import { chineseDeadline, chineseMonth } from '../../shared/period.ts';
import { getJson, messageOf } from '../app/api.ts';
import { $, bodyOf, cell, clear, el, setStatus, show } from '../app/dom.ts';
import { beijing } from '../app/format.ts';
import { orgPath, viewedOrg } from '../app/org.ts';
import { currentPeriod } from '../app/period.ts';
import { me, registerControls, session, whileBusy } from '../app/session.ts';
import type { MonthCompleteness, UnitCompleteness } from '../app/types.ts';
import { closeHistory } from './history.ts';
import { actionsCell, reviewCell } from './review.ts';
import { clearSummary, showPublication } from './summary.ts';
import { clearTowns, renderTowns } from './towns.ts';

const STATUS_LABELS: Readonly<Record<string, string>> = { on_time: '按时', late: '迟报', missing: '未报' };

export function loadCompleteness(): Promise<MonthCompleteness | null> {
  const period = currentPeriod();
  if (!period) return Promise.resolve(null);
  const signedIn = me();
  const org = viewedOrg(signedIn);
  const generation = session.generation;
  setStatus('completeness-status', '正在读取报送情况…', 'busy');
  return whileBusy(
    getJson<MonthCompleteness>(orgPath(org.code, 'completeness', period)).then(
      (c) => {
        if (currentPeriod() !== period || session.generation !== generation) return null;
        renderCompleteness(c);
        setStatus('completeness-status', '');
        return c;
      },
      (error: unknown) => {
        if (session.generation === generation) setStatus('completeness-status', messageOf(error), 'error');
        throw error;
      },
    ),
  );
}

function renderCompleteness(c: MonthCompleteness): void {
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
  showPublication(c.published);
}

function renderUnits(c: MonthCompleteness): void {
  const table = $('completeness');
  table.setAttribute('data-period', c.period);
  table.setAttribute('data-org', c.org);
  const tbody = bodyOf('completeness');
  c.units.forEach((u) => {
    tbody.appendChild(unitRow(u, c.period));
  });
}

function unitRow(u: UnitCompleteness, period: string): HTMLTableRowElement {
  const tr = el('tr', {
    'data-unit': u.unit,
    'data-full-code': u.fullCode,
    'data-status': u.status,
    'data-review': u.review.state,
    'data-version': u.review.version,
  });
  tr.appendChild(cell('unit', '代码', u.unit));
  tr.appendChild(cell('name', '单位', u.name));
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
