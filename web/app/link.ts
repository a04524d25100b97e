/**
 * What a notice's link asks the page to open (`?org=EC&period=2025-03`, see
 * shared/notices/events.ts): a month and a node. The page opens them after sign-in, when
 * the caller may (its own node or one of its towns; a month not in the future).
 */
import type { Month } from '../../shared/period.ts';
import { monthOfText } from './period.ts';

const params = (): URLSearchParams => new URLSearchParams(window.location.search);

/** The month of the link, or null (none, or not a month). */
export function linkedPeriod(): Month | null {
  const text = params().get('period');
  return text ? monthOfText(text) : null;
}

/** The node code of the link, or null. */
export function linkedOrg(): string | null {
  const code = params().get('org');
  return code ? code.trim().toUpperCase() : null;
}
