/**
 * Rollup arithmetic: deltas between a unit's old and new month, a unit's year (flows
 * add up, stock metrics take the latest month), and shards. Money is added in cents so
 * that sums are exact; what is written to DynamoDB is a decimal string.
 */
import { VALUE_KEYS, type ValueKey } from './catalogue.ts';
import type { Month } from './period.ts';

export type Values = Readonly<Record<string, number>>;

/** Rollup items per month and per year are spread over this many shards (hot items). */
export const SHARDS = 16;

/** FNV-1a of the unit code, mod SHARDS: a unit always adds to the same shard. */
export function shardOf(unit: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < unit.length; i++) {
    h ^= unit.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % SHARDS;
}

const scale = (k: ValueKey) => (k.metric.valueType === 'money' ? 100 : 1);

/** A value in its exact integer unit (cents for money). */
function exact(k: ValueKey, v: number | undefined): number {
  return v === undefined ? 0 : Math.round(v * scale(k));
}

/** Writes an exact integer amount back as a decimal string (cents → yuan). */
function decimal(k: ValueKey, amount: number): string {
  if (scale(k) === 1) return String(amount);
  const sign = amount < 0 ? '-' : '';
  const a = Math.abs(amount);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/** new − old per key, only where it is not zero, as exact decimal strings. */
export function deltas(oldValues: Values | undefined, newValues: Values | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of VALUE_KEYS) {
    const d = exact(k, newValues?.[k.key]) - exact(k, oldValues?.[k.key]);
    if (d !== 0) out[k.key] = decimal(k, d);
  }
  return out;
}

/**
 * Deltas summed exactly, per key (those of several units adding to one rollup item at once).
 * A key any of them names stays, even summing to zero: added one after another, it would be there.
 */
export function addDeltas(all: Iterable<Readonly<Record<string, string>>>): Record<string, string> {
  const totals = new Map<ValueKey, number>();
  for (const one of all) {
    for (const k of VALUE_KEYS) {
      const d = one[k.key];
      if (d !== undefined) totals.set(k, (totals.get(k) ?? 0) + exact(k, Number(d)));
    }
  }
  const out: Record<string, string> = {};
  for (const [k, t] of totals) out[k.key] = decimal(k, t);
  return out;
}

/** Sums values exactly (money in cents); keys absent everywhere stay absent. */
export function sum(all: Iterable<Values>): Record<string, number> {
  const totals = new Map<ValueKey, number>();
  for (const values of all) {
    for (const k of VALUE_KEYS) {
      const v = values[k.key];
      if (v !== undefined) totals.set(k, (totals.get(k) ?? 0) + exact(k, v));
    }
  }
  const out: Record<string, number> = {};
  for (const k of VALUE_KEYS) {
    const t = totals.get(k);
    if (t !== undefined) out[k.key] = t / scale(k);
  }
  return out;
}

/**
 * A unit's (or the town's) year from its months: flow metrics add up; a stock metric is
 * its value in the latest month that reported it.
 */
export function yearOf(months: ReadonlyMap<Month, Values>): Record<string, number> {
  const ordered = [...months.keys()].sort();
  const flows = sum(ordered.map((m) => months.get(m)!));
  for (const k of VALUE_KEYS) {
    if (k.metric.kind !== 'stock') continue;
    delete flows[k.key];
    for (let i = ordered.length - 1; i >= 0; i--) {
      const v = months.get(ordered[i]!)![k.key];
      if (v !== undefined) {
        flows[k.key] = v;
        break;
      }
    }
  }
  return flows;
}
