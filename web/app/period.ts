/** The month the page is on (the month panel's input), read as the domain reads a month cell. */
import { readMonthCell, type Month } from '../../shared/period.ts';
import { input } from './dom.ts';

/** A month typed or picked (`2025-03`, `2025/3`, `2025年3月`), or null when it is none. */
export function monthOfText(text: string): Month | null {
  const cell = readMonthCell(text);
  return cell.ok ? cell.month : null;
}

export function currentPeriod(): Month | null {
  return monthOfText(input('period').value);
}
