/**
 * The town clerk's desk of a month (docs/DOMAIN.md "The clerk's desk"): the units in the
 * order a clerk works them (missing first, then returned, then waiting for review, then
 * approved), whether the published summary still says what the ledger holds, whether the
 * month may be published, and the year to date. Pure: the reads are the route's.
 */
import { addMonths, chineseMonth, monthOf, type Month } from './period.ts';
import type { Org, Registry } from './registry.ts';
import type { LatestRevision } from './ports/summaries.ts';
import type { ReviewState } from './review/review.ts';
import { sum } from './rollup.ts';
import { yearSummary, type MonthEntry, type Summary } from './summary.ts';

/**
 * `unpublished`: no revision yet; `current`: the latest revision says what the ledger
 * holds now; `changed`: a correction (or a late file) since — publishing makes revision n+1.
 */
type PublicationState = 'unpublished' | 'current' | 'changed';

export interface Publication {
  readonly state: PublicationState;
  readonly revision?: number;
  readonly publishedAt?: string;
  /** What the page says, in Chinese. */
  readonly message: string;
}

/**
 * Where the month's publication stands: the live summary's content hash against the
 * latest revision's — the same hash the publisher compares, so `changed` means exactly
 * that publishing now makes a new revision.
 */
export function publicationOf(latest: LatestRevision | undefined, liveHash: string): Publication {
  if (!latest) return { state: 'unpublished', message: '尚未发布：下面是按现有数据实时计算的合计。' };
  const at = { revision: latest.revision, ...(latest.publishedAt ? { publishedAt: latest.publishedAt } : {}) };
  if (latest.hash === liveHash) return { state: 'current', ...at, message: `已发布（第 ${latest.revision} 版），与现有数据一致。` };
  return { state: 'changed', ...at, message: `数据已变更，待重新发布（已发布的是第 ${latest.revision} 版）。` };
}

/** Whether a month may be published now: only once it is over (Asia/Shanghai). */
export function publishable(period: Month, now: Date): { readonly allowed: boolean; readonly reason?: string } {
  const current = monthOf(now);
  if (period < current) return { allowed: true };
  return { allowed: false, reason: `${chineseMonth(period)}尚未结束：${chineseMonth(addMonths(period, 1))}1日起才能发布。` };
}

/** A clerk's order: what needs doing first. */
const DESK_ORDER: Readonly<Record<ReviewState, number>> = { missing: 0, returned: 1, submitted: 2, approved: 3 };

/** Units in the desk's order, the registry's order kept within each state. */
export function deskOrder<T extends { readonly review: { readonly state: ReviewState } }>(units: readonly T[]): T[] {
  return units
    .map((u, i) => ({ u, i }))
    .sort((a, b) => DESK_ORDER[a.u.review.state] - DESK_ORDER[b.u.review.state] || a.i - b.i)
    .map(({ u }) => u);
}

/** The months from January of `period`'s year to `period`. */
export function monthsToDate(period: Month): Month[] {
  const months: Month[] = [];
  for (let m = `${period.slice(0, 4)}-01`; m <= period; m = addMonths(m, 1)) months.push(m);
  return months;
}

/**
 * The year to date through `period`: the annual summary of January to `period` (its
 * totals the exact sums of the units' current months; completeness month by month; a
 * unit missing when it missed any of them) — what the year says so far, before it ends.
 */
export function yearToDate(registry: Registry, org: Org, period: Month, months: ReadonlyMap<Month, readonly MonthEntry[]>): Summary {
  const all = [...months.values()].flat();
  const byUnit = new Map<string, MonthEntry[]>();
  for (const e of all) byUnit.set(e.unit, [...(byUnit.get(e.unit) ?? []), e]);
  const unitYears = [...byUnit].map(([unit, entries]) => ({ unit, values: sum(entries.map((e) => e.values)) }));
  return yearSummary(registry, org, period.slice(0, 4), sum(all.map((e) => e.values)), unitYears, months);
}
