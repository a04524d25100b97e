/** A version's change list in words, as the uploader reads it (docs/DOMAIN.md#corrections). */
import { valueKey } from './catalogue.ts';
import type { Change } from './corrections.ts';
import { formatValue } from './numbers.ts';

const value = (v: number | null) => (v === null ? '未报' : formatValue(v));

/** `首次报送（填报 42 项）`, `更正：排查一般隐患 8 → 10；其余 41 项不变`, or `与现行数据相同`. */
export function changeText(version: number | undefined, changes: readonly Change[], unchanged: number): string {
  if (version === 1) return `首次报送（填报 ${changes.filter((c) => c.to !== null).length} 项）`;
  if (changes.length === 0) return `与现行数据相同，没有变化（${unchanged} 项不变）`;
  const shown = changes.slice(0, 12).map((c) => `${valueKey(c.key)?.label ?? c.key} ${value(c.from)} → ${value(c.to)}`);
  const more = changes.length > shown.length ? `等 ${changes.length} 项` : '';
  return `更正：${shown.join('；')}${more}；其余 ${unchanged} 项不变`;
}
