/**
 * The district's completeness, one line per town: expected, received, on time, late,
 * missing, approved, returned and the missing units by name; the town's name opens it (panels/orgs.ts), and
 * the district's totals close the table.
 */
import { $, bodyOf, cell, clear, el } from '../app/dom.ts';
import type { CompletenessCounts, MonthCompleteness, TownCompleteness } from '../app/types.ts';

/** The counts' cells, each named for a phone's card view. */
function countCells(tr: HTMLTableRowElement, s: CompletenessCounts): void {
  tr.appendChild(cell('expected num', '应报', String(s.expected)));
  tr.appendChild(cell('received num', '已报', String(s.received)));
  tr.appendChild(cell('on-time num', '按时', String(s.onTime)));
  tr.appendChild(cell('late num', '迟报', String(s.late)));
  tr.appendChild(cell('missing num', '未报', String(s.missing)));
  tr.appendChild(cell('approved num', '已审核', String(s.approved)));
  tr.appendChild(cell('returned num', '已退回', String(s.returned)));
}

/** A town's name as the button that opens it. */
export function openButton(code: string, name: string): HTMLButtonElement {
  const button = el('button', { type: 'button', class: 'link', 'data-open': code, 'aria-label': `查看${name}的明细` }, name);
  return button;
}

function townRow(town: TownCompleteness): HTMLTableRowElement {
  const tr = el('tr', { 'data-town': town.code });
  const name = el('th', { scope: 'row', class: 'name' });
  name.appendChild(openButton(town.code, town.name));
  tr.appendChild(name);
  countCells(tr, town.summary);
  const names = town.missingUnits.map((u) => u.name);
  tr.appendChild(cell('missing-units', '未报单位', names.length ? names.join('、') : '—'));
  return tr;
}

export function renderTowns(c: MonthCompleteness, towns: readonly TownCompleteness[]): void {
  const table = $('towns');
  table.setAttribute('data-period', c.period);
  table.setAttribute('data-org', c.org);
  const tbody = bodyOf('towns');
  towns.forEach((town) => {
    tbody.appendChild(townRow(town));
  });
  const total = el('tr', { class: 'total', 'data-total': c.org });
  total.appendChild(el('th', { scope: 'row', class: 'name' }, `${c.orgName}合计`));
  countCells(total, c.summary);
  total.appendChild(cell('missing-units', '未报单位', c.summary.missing ? `${c.summary.missing} 个` : '—'));
  table.getElementsByTagName('tfoot')[0]?.appendChild(total);
}

export function clearTowns(): void {
  const table = $('towns');
  table.removeAttribute('data-period');
  table.removeAttribute('data-org');
  clear(bodyOf('towns'));
  const foot = table.getElementsByTagName('tfoot')[0];
  if (foot) clear(foot);
}
