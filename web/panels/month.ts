/** Step 2: the month (default: the previous month, as the API says) and its deadline. */
import { addMonths, chineseDeadline, chineseMonth } from '../../shared/period.ts';
import { $, input, setStatus, show } from '../app/dom.ts';
import { currentPeriod, monthOfText } from '../app/period.ts';
import { can, registerControls, session } from '../app/session.ts';
import type { MeBody } from '../app/types.ts';
import { clearCompleteness, loadCompleteness } from './completeness.ts';

/** Shows the month panel for `me`: this month at most, the previous month by default. */
export function setupMonth(me: MeBody): void {
  const field = input('period');
  const current = addMonths(me.defaultPeriod, 1);
  field.max = current;
  const chosen = monthOfText(field.value);
  if (!chosen || chosen > current) field.value = me.defaultPeriod;
  show($('month-section'), true);
  describeMonth();
}

function describeMonth(): void {
  const me = session.me;
  const node = $('deadline');
  if (!me) return;
  const period = currentPeriod();
  if (!period) {
    node.textContent = `请按“年-月”填写月份，如 ${me.defaultPeriod}。`;
    return;
  }
  const current = addMonths(me.defaultPeriod, 1);
  let text = `${chineseMonth(period)}的报表应在次月 ${me.deadlineDay} 日前报送，即 ${chineseDeadline(period, me.deadlineDay)}（含当天）。`;
  if (period > current) text = `${chineseMonth(period)}还没有到，不能报送。`;
  else if (period < me.defaultPeriod) text += '已过截止日期：仍可报送或更正，但记为迟报。';
  else if (period === current) text += '本月尚未结束，一般应在下月初报送。';
  node.textContent = text;
}

/** Another month: what was shown for the last one goes. */
function monthChanged(): void {
  describeMonth();
  session.generation++;
  show($('result'), false);
  show($('recheck'), false);
  setStatus('upload-status', '');
  if (session.me && can(session.me.role, 'town')) {
    clearCompleteness();
    loadCompleteness().catch(() => null);
  }
}

export function initMonth(): void {
  registerControls(['period']);
  input('period').addEventListener('change', monthChanged);
}
