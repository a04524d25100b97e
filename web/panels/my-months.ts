/**
 * A secretary's last 12 months (`GET /v1/orgs/{town}/units/{unit}/months`), shown on
 * login: each month's state (未报 / 已报（时刻，第 n 版）/ 已审核 / 已退回（原因）), its
 * deadline (报送截止) and lock day (锁定日), and whether she can still change it. A month
 * opens its audit trail (panels/history.ts), or becomes the month to send.
 */
import { chineseMonth } from '../../shared/period.ts';
import { getJson, messageOf } from '../app/api.ts';
import { $, bodyOf, cell, clear, el, setStatus, show } from '../app/dom.ts';
import { unitPath } from '../app/org.ts';
import { lockText, stateText } from '../app/review-state.ts';
import { session } from '../app/session.ts';
import type { UnitMonth, UnitMonths } from '../app/types.ts';
import { closeHistory, showHistory } from './history.ts';
import { describeMonth, setMonth } from './month.ts';

let asked = 0;

/** Whether the signed-in caller is a secretary, who has months of her own. */
function secretary(): string | null {
  const signedIn = session.me;
  return signedIn && signedIn.role === 'village' && signedIn.unit ? signedIn.unit : null;
}

/** Reads and shows the months; an open trail is read again (an upload may have changed it). */
export function loadMyMonths(): Promise<UnitMonths | null> {
  const unit = secretary();
  if (!unit) return Promise.resolve(null);
  const ticket = ++asked;
  show($('my-months-section'), true);
  setStatus('my-months-status', '正在读取本单位各月情况…', 'busy');
  return getJson<UnitMonths>(unitPath(unit, 'months')).then(
    (body) => {
      if (ticket !== asked || secretary() !== unit) return null;
      session.months = body.months;
      renderMonths(body);
      setStatus('my-months-status', '');
      describeMonth();
      const history = $('my-history');
      const open = history.getAttribute('data-period');
      if (open) showHistory(history, unit, open).catch(() => null);
      return body;
    },
    (error: unknown) => {
      if (ticket === asked) setStatus('my-months-status', messageOf(error), 'error');
      return null;
    },
  );
}

function renderMonths(body: UnitMonths): void {
  $('my-months-caption').textContent = `${body.unitName}近 ${body.months.length} 个月报送情况`;
  const tbody = bodyOf('my-months');
  clear(tbody);
  body.months.forEach((m) => {
    tbody.appendChild(monthRow(body.unit, m));
  });
}

function monthRow(unit: string, m: UnitMonth): HTMLTableRowElement {
  const review = m.review;
  const tr = el('tr', { 'data-period': m.period, 'data-state': review.state, 'data-locked': review.locked ? 'true' : 'false' });
  tr.appendChild(cell('period', '月份', chineseMonth(m.period)));
  const state = cell('review', '状态', stateText(review, m.receivedAt));
  state.setAttribute('data-state', review.state);
  tr.appendChild(state);
  tr.appendChild(cell('deadline', '报送截止', m.deadlineText + (m.onTime === false ? '（迟报）' : '')));
  tr.appendChild(cell('lock-day', '锁定日', m.lockText));
  const lock = cell('locked', '能否更正', lockText(review));
  lock.setAttribute('data-locked', review.locked ? 'true' : 'false');
  tr.appendChild(lock);
  tr.appendChild(actionsCell(unit, m));
  return tr;
}

function actionsCell(unit: string, m: UnitMonth): HTMLTableCellElement {
  const td = cell('actions', '操作', '');
  const month = chineseMonth(m.period);
  const history = el(
    'button',
    { type: 'button', class: 'secondary small history', 'data-month': m.period, 'aria-label': `查看${month}的记录` },
    '查看记录',
  );
  history.addEventListener('click', () => {
    const container = $('my-history');
    showHistory(container, unit, m.period)
      .then(() => container.getElementsByTagName('h3')[0]?.focus())
      .catch(() => null);
  });
  td.appendChild(history);
  if (!m.review.locked) {
    const label = m.review.state === 'missing' ? '报送此月' : '更正此月';
    const choose = el(
      'button',
      { type: 'button', class: 'secondary small choose', 'data-month': m.period, 'aria-label': `${label}：${month}` },
      label,
    );
    choose.addEventListener('click', () => {
      setMonth(m.period);
      $('upload-section').scrollIntoView({ block: 'start' });
    });
    td.appendChild(choose);
  }
  return td;
}

/** Forgets the months (no one signed in, or another token). */
export function resetMyMonths(): void {
  asked++;
  session.months = null;
  clear(bodyOf('my-months'));
  setStatus('my-months-status', '');
  closeHistory($('my-history'));
  show($('my-months-section'), false);
}
