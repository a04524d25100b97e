/**
 * Step 2: the month (default: the previous month, as the API says), its deadline and, for
 * a secretary whose months are read (panels/my-months.ts), its lock day and whether it is locked.
 */
import { addMonths, chineseDeadline, chineseMonth } from '../../shared/period.ts';
import { $, input, setStatus, show } from '../app/dom.ts';
import { linkedPeriod } from '../app/link.ts';
import { currentPeriod, monthOfText } from '../app/period.ts';
import { can, registerControls, session } from '../app/session.ts';
import type { MeBody } from '../app/types.ts';
import { clearCompleteness, loadCompleteness } from './completeness.ts';

/** Shows the month panel for `me`: this month at most, the previous month by default. */
export function setupMonth(me: MeBody): void {
  const field = input('period');
  const current = addMonths(me.defaultPeriod, 1);
  field.max = current;
  // A notice's link names the month it is about; else the month typed, else the previous one.
  const linked = linkedPeriod();
  const chosen = monthOfText(field.value);
  if (linked && linked <= current && !field.value) field.value = linked;
  else if (!chosen || chosen > current) field.value = me.defaultPeriod;
  show($('month-section'), true);
  describeMonth();
}

/** A secretary's month as her months list has it: its lock day, and why it cannot be changed. */
function lockNote(period: string): { readonly text: string; readonly locked: boolean } | null {
  const known = (session.months || []).filter((m) => m.period === period)[0];
  if (!known) return null;
  const review = known.review;
  if (!review.locked) return { text: `锁定日 ${known.lockText}${review.reopened ? '（镇已重新打开，可更正）' : ''}。`, locked: false };
  const why = review.state === 'approved' ? '已审核' : `已过锁定日 ${known.lockText}`;
  return { text: `该月${why}，已锁定，不能再报送或更正；如需更正，请联系镇里重新打开。`, locked: true };
}

export function describeMonth(): void {
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
  const lock = lockNote(period);
  if (period > current) text = `${chineseMonth(period)}还没有到，不能报送。`;
  else if (lock?.locked) text += lock.text;
  else if (period < me.defaultPeriod) text += '已过截止日期：仍可报送或更正，但记为迟报。';
  else if (period === current) text += '本月尚未结束，一般应在下月初报送。';
  if (lock && !lock.locked && period <= current) text += lock.text;
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

/** Puts the page on `period` (a month the secretary picked from her months). */
export function setMonth(period: string): void {
  const field = input('period');
  if (field.value === period) return;
  field.value = period;
  monthChanged();
}

export function initMonth(): void {
  registerControls(['period']);
  input('period').addEventListener('change', monthChanged);
}
