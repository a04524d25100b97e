/** How the page writes numbers and times (Beijing time, whatever the browser's zone). */
import { chineseDateTime } from '../../shared/period.ts';

/** `2025年5月3日 09:00` for an ISO instant; what is not one is shown as given. */
export function beijing(iso: string | null | undefined): string {
  const ms = Date.parse(iso || '');
  if (Number.isNaN(ms)) return iso || '';
  return chineseDateTime(new Date(ms));
}

/** `1,200` and `2,500.5`: thousands separated, the value's own decimals kept. */
export function formatNumber(v: unknown): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return String(v);
  const parts = String(v).split('.');
  parts[0] = (parts[0] || '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return parts.join('.');
}

/** `85.7%` of a ratio; none when nothing could be computed. */
export function percent(r: number | null | undefined): string {
  return r === null || r === undefined ? '—（无可计算的数据）' : `${Math.round(r * 1000) / 10}%`;
}
