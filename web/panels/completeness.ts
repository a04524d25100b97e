/** The town's (and district's) view of a month: which units sent their file, on time or late (`GET /v1/completeness/{month}`). */
import { chineseDeadline, chineseMonth } from '../../shared/period.ts';
import { getJson, messageOf } from '../app/api.ts';
import { $, bodyOf, cell, clear, el, setStatus } from '../app/dom.ts';
import { beijing } from '../app/format.ts';
import { currentPeriod } from '../app/period.ts';
import { me, registerControls, whileBusy } from '../app/session.ts';
import type { MonthCompleteness } from '../app/types.ts';
import { clearSummary, showPublication } from './summary.ts';

const STATUS_LABELS: Readonly<Record<string, string>> = { on_time: '按时', late: '迟报', missing: '未报' };

export function loadCompleteness(): Promise<MonthCompleteness | null> {
  const period = currentPeriod();
  if (!period) return Promise.resolve(null);
  setStatus('completeness-status', '正在读取报送情况…', 'busy');
  return whileBusy(
    getJson<MonthCompleteness>(`v1/completeness/${encodeURIComponent(period)}`).then(
      (c) => {
        if (currentPeriod() !== period) return null;
        renderCompleteness(c);
        setStatus('completeness-status', '');
        return c;
      },
      (error: unknown) => {
        setStatus('completeness-status', messageOf(error), 'error');
        throw error;
      },
    ),
  );
}

function renderCompleteness(c: MonthCompleteness): void {
  const s = c.summary;
  $('completeness-summary').textContent =
    `${chineseMonth(c.period)}：应报 ${s.expected} 个单位，已报 ${s.received}（按时 ${s.onTime}，迟报 ${s.late}），未报 ${s.missing}。截止日期 ${chineseDeadline(c.period, me().deadlineDay)}。`;
  const table = $('completeness');
  table.setAttribute('data-period', c.period);
  const tbody = bodyOf('completeness');
  clear(tbody);
  c.units.forEach((u) => {
    const tr = el('tr', { 'data-unit': u.unit, 'data-status': u.status });
    tr.appendChild(cell('unit', '代码', u.unit));
    tr.appendChild(cell('name', '单位', u.name));
    const st = cell('status', '状态', STATUS_LABELS[u.status] || u.status);
    st.setAttribute('data-status', u.status);
    tr.appendChild(st);
    tr.appendChild(cell('first', '首次报送', u.firstReceivedAt ? beijing(u.firstReceivedAt) : '—'));
    tr.appendChild(cell('received', '最近报送', u.receivedAt ? beijing(u.receivedAt) : '—'));
    tr.appendChild(cell('warnings num', '提醒', u.warnings ? `${u.warnings} 条` : '—'));
    tbody.appendChild(tr);
  });
  showPublication(c.published);
}

/** Empties the table (another month, or no one signed in), and the summary with it. */
export function clearCompleteness(): void {
  $('completeness').removeAttribute('data-period');
  clear(bodyOf('completeness'));
  $('completeness-summary').textContent = '';
  clearSummary();
}

export function initCompleteness(): void {
  registerControls(['refresh-completeness']);
  $('refresh-completeness').addEventListener('click', () => {
    loadCompleteness().catch(() => null);
  });
}
