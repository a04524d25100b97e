/**
 * A unit's months as its secretary sees them on login: each month's review state, when it
 * was sent, its deadline (报送截止) and lock day (锁定日).
 */
import type { CurrentSubmission } from '../ports/ledger.ts';
import type { ReviewStore } from '../ports/reviews.ts';
import { addMonths, chineseDeadline, chineseLockDay, deadlineOf, lockOf, type Month } from '../period.ts';
import { townOf, type Registry } from '../registry.ts';
import { lockReason, monthReview, type MonthReview, type Review } from './review.ts';

export interface UnitMonth {
  readonly period: Month;
  readonly review: MonthReview;
  readonly receivedAt?: string;
  readonly firstReceivedAt?: string;
  readonly onTime?: boolean;
  readonly deadline: string;
  readonly deadlineText: string;
  readonly lockAt: string;
  readonly lockText: string;
}

/** The state of one unit-month, from what the ledger holds of it. */
export function unitMonth(
  period: Month,
  current: CurrentSubmission | undefined,
  review: Review | undefined,
  registry: Registry,
  now: Date,
): UnitMonth {
  const deadline = deadlineOf(period, registry.deadlineDay);
  const lock = lockReason(period, now, registry.lockDay, review);
  return {
    period,
    review: monthReview(current?.version ?? 0, review, lock),
    ...(current
      ? {
          receivedAt: current.receivedAt,
          firstReceivedAt: current.firstReceivedAt,
          onTime: new Date(current.firstReceivedAt).getTime() < deadline.getTime(),
        }
      : {}),
    deadline: deadline.toISOString(),
    deadlineText: chineseDeadline(period, registry.deadlineDay),
    lockAt: lockOf(period, registry.lockDay).toISOString(),
    lockText: chineseLockDay(period, registry.lockDay),
  };
}

/** The `count` months up to `to`, newest first (months before the unit existed are left out). */
export async function unitMonths(
  unit: string,
  to: Month,
  count: number,
  deps: { readonly reviews: ReviewStore; readonly registry: Registry; readonly now: Date },
): Promise<UnitMonth[]> {
  const from = addMonths(to, -(count - 1));
  const read = await deps.reviews.unitMonths(unit, from, to);
  const current = new Map(read.current.map((c) => [c.period, c]));
  const reviews = new Map(read.reviews.map((r) => [r.period, r]));
  const months = Array.from({ length: count }, (_, i) => addMonths(to, -i));
  const expected = (m: Month) => deps.registry.expected(townOf(unit), m).some((u) => u.fullCode === unit);
  return months
    .filter((m) => current.has(m) || expected(m))
    .map((m) => unitMonth(m, current.get(m), reviews.get(m), deps.registry, deps.now));
}
