/**
 * Corrections (docs/DOMAIN.md#corrections): an upload states values and clears; what it
 * does not mention stays. The current month is the fold of every accepted version in
 * upload order, and each version's change list is what it changed in that fold.
 */
import { METRICS, VALUE_KEYS, type Metric } from './catalogue.ts';
import type { Values } from './rollup.ts';

/** What one upload says about one unit-month. */
export interface Statement {
  /** Values set (with the totals the reader filled from categories: see `implied`). */
  readonly values: Values;
  /** Keys stated blank or null: back to "not reported". */
  readonly cleared?: readonly string[];
  /** Totals the reader computed from the categories given: not stated, so they follow the fold. */
  readonly implied?: readonly string[];
}

/** One value a version changed; `null`: not reported. */
export interface Change {
  readonly key: string;
  readonly from: number | null;
  readonly to: number | null;
}

const BROKEN_DOWN = METRICS.filter((m) => m.categories.length > 0);
const categoryKeys = (m: Metric) => m.categories.map((c) => `${m.code}.${c.code}`);

/** The month after a statement: sets and clears applied, totals of changed categories following. */
export function foldStatement(before: Values | undefined, statement: Statement): Values {
  const implied = new Set(statement.implied ?? []);
  const after: Record<string, number> = { ...before };
  for (const [key, v] of Object.entries(statement.values)) if (!implied.has(key)) after[key] = v;
  for (const key of statement.cleared ?? []) delete after[key];
  for (const metric of BROKEN_DOWN) {
    const total = metric.code;
    const stated = total in statement.values && !implied.has(total);
    if (stated || statement.cleared?.includes(total)) continue;
    const cats = categoryKeys(metric);
    const touched = cats.some((k) => k in statement.values || statement.cleared?.includes(k));
    if (touched) followTotal(after, total, cats, before);
  }
  return after;
}

/**
 * A total the statement did not state, after its categories changed: the sum of the
 * categories when it was that sum before (or absent), else moved by the categories'
 * change (a total given without its breakdown keeps the part not broken down).
 */
function followTotal(after: Record<string, number>, total: string, cats: readonly string[], before: Values | undefined): void {
  // Exact in cents, as every sum of the rollups.
  const catSum = (values: Values | undefined) => {
    const present = cats.map((k) => values?.[k]).filter((v) => v !== undefined);
    return present.length ? present.reduce((a, v) => a + Math.round(v * 100), 0) / 100 : undefined;
  };
  const [oldSum, newSum, oldTotal] = [catSum(before), catSum(after), before?.[total]];
  if (oldTotal === undefined || oldTotal === oldSum) {
    if (newSum === undefined) delete after[total];
    else after[total] = newSum;
  } else {
    after[total] = Math.round((oldTotal + (newSum ?? 0) - (oldSum ?? 0)) * 100) / 100;
  }
}

/** Folds versions (already in upload order) from nothing. */
export function foldAll(statements: Iterable<Statement>): Values {
  let month: Values | undefined;
  for (const s of statements) month = foldStatement(month, s);
  return month ?? {};
}

/** What changed between two states of a month, in catalogue order. */
export function changesBetween(before: Values | undefined, after: Values): Change[] {
  const changes: Change[] = [];
  for (const { key } of VALUE_KEYS) {
    const [from, to] = [before?.[key] ?? null, after[key] ?? null];
    if (from !== to) changes.push({ key, from, to });
  }
  return changes;
}

/** How many reported values a change list left as they were. */
export function unchangedCount(after: Values, changes: readonly Change[]): number {
  const changed = new Set(changes.map((c) => c.key));
  return Object.keys(after).filter((k) => !changed.has(k)).length;
}
