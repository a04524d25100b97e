/**
 * A unit's drill-down from the desk: its figures of the month (the desk's), its last 12
 * months' states (`GET /v1/orgs/{town}/units/{unit}/months?to=`), and under them its
 * month's audit trail (panels/history.ts).
 */
import { chineseMonth } from '../../shared/period.ts';
import { getJson, messageOf } from '../app/api.ts';
import { catalogueOrNone } from '../app/catalogue.ts';
import { $, cell, clear, el, show } from '../app/dom.ts';
import { figureRow, inCatalogueOrder } from '../app/figures.ts';
import { unitPath } from '../app/org.ts';
import { stateText } from '../app/review-state.ts';
import type { DeskUnit, UnitMonths } from '../app/types.ts';
import { showHistory } from './history.ts';

let asked = 0;

/** Opens unit `u`'s drill-down for `period` under the table, and its trail under it. */
export function showUnitDetail(u: DeskUnit, period: string): Promise<void> {
  const ticket = ++asked;
  const box = $('unit-detail');
  clear(box);
  box.setAttribute('data-unit', u.fullCode);
  const heading = el('h3', { tabindex: '-1' }, `${u.name} · ${chineseMonth(period)}数据`);
  box.appendChild(heading);
  show(box, true);
  heading.focus();
  const history = showHistory($('unit-history'), u.fullCode, period).catch(() => null);
  const months = getJson<UnitMonths>(`${unitPath(u.fullCode, 'months')}?to=${period}`);
  return catalogueOrNone()
    .then(() => {
      if (ticket === asked) box.appendChild(figuresTable(u, period));
      return months;
    })
    .then(
      (m) => {
        if (ticket === asked) box.appendChild(monthsTable(m));
      },
      (error: unknown) => {
        if (ticket === asked) box.appendChild(el('p', { class: 'status error', role: 'status' }, messageOf(error)));
      },
    )
    .then(() => history)
    .then(() => undefined);
}

/** The unit's figures of the month, every key it reported, in the catalogue's order. */
function figuresTable(u: DeskUnit, period: string): HTMLElement {
  if (!u.values) return el('p', { class: 'hint', 'data-figures': 'none' }, `${chineseMonth(period)}尚未报送。`);
  const values = u.values;
  const table = el('table', { class: 'cards', id: 'unit-figures' });
  table.appendChild(el('caption', null, `${u.name}${chineseMonth(period)}报送的数字`));
  const head = el('thead');
  const row = el('tr');
  ['指标', '数值', '计量单位'].forEach((h) => {
    row.appendChild(el('th', { scope: 'col' }, h));
  });
  head.appendChild(row);
  table.appendChild(head);
  const tbody = el('tbody');
  inCatalogueOrder(Object.keys(values)).forEach((key) => {
    tbody.appendChild(figureRow(key, values[key], '数值', 'value num'));
  });
  table.appendChild(tbody);
  return table;
}

/** The unit's last 12 months, newest first: each month's state. */
function monthsTable(m: UnitMonths): HTMLElement {
  const table = el('table', { class: 'cards', id: 'unit-months' });
  table.appendChild(el('caption', null, `${m.unitName}近 12 个月`));
  const tbody = el('tbody');
  m.months.forEach((month) => {
    const tr = el('tr', { 'data-period': month.period, 'data-state': month.review.state });
    tr.appendChild(cell('month', '月份', chineseMonth(month.period)));
    tr.appendChild(cell('state', '状态', stateText(month.review)));
    tbody.appendChild(tr);
  });
  table.appendChild(tbody);
  return table;
}

export function closeUnitDetail(): void {
  asked++;
  const box = $('unit-detail');
  clear(box);
  box.removeAttribute('data-unit');
  show(box, false);
}
