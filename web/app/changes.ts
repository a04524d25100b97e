/**
 * What an upload changed, said as the uploader and the reviewer read it
 * (docs/DOMAIN.md#corrections): "首次报送：排查一般隐患 7，…" for a first upload,
 * "更正：排查一般隐患 8 → 10；其余 41 项不变" for a correction. Pure: the page's labels come in.
 */
import { formatNumber } from './format.ts';
import type { Change } from './types.ts';

/** A key's label (from the catalogue the page loaded; the key itself when unknown). */
export type LabelOf = (key: string) => string;

/** What a version says about a unit-month: its number, its change list, how many values stayed. */
export interface Changed {
  readonly version?: number | undefined;
  readonly changes?: readonly Change[] | undefined;
  readonly unchanged?: number | undefined;
}

/** A value in a change list: the number, or 未报 where it was (or is now) not reported. */
export function valueText(v: number | null): string {
  return v === null ? '未报' : formatNumber(v);
}

/** Whether the version is the month's first (version 1, or, unnumbered, nothing before it). */
function isFirst(c: Changed): boolean {
  if (c.version !== undefined) return c.version === 1;
  return !c.unchanged && (c.changes || []).every((change) => change.from === null);
}

export function changeSummary(c: Changed, labelOf: LabelOf): string {
  const changes = c.changes;
  if (isFirst(c)) {
    if (!changes) return '首次报送';
    const stated = changes.filter((change) => change.to !== null);
    return stated.length
      ? `首次报送：${stated.map((change) => `${labelOf(change.key)} ${valueText(change.to)}`).join('，')}`
      : '首次报送（没有填报数值）';
  }
  if (!changes) return '更正';
  const rest = c.unchanged ? `其余 ${c.unchanged} 项不变` : '';
  if (!changes.length) return `更正：数值没有变化${rest ? `（${rest}）` : ''}`;
  const listed = changes.map((change) => `${labelOf(change.key)} ${valueText(change.from)} → ${valueText(change.to)}`).join('，');
  return `更正：${listed}${rest ? `；${rest}` : ''}`;
}
