/**
 * A month's review of each unit of a town or of the district, from what two reads give:
 * the month's current submissions and its decisions (GSI1). The completeness, the
 * summaries and the approved-only figures all read the state this way.
 */
import type { CurrentSubmission } from '../ports/ledger.ts';
import type { Review } from '../ports/reviews.ts';
import { monthReview, type LockReason, type MonthReview } from './review.ts';

/** A unit's review of the month, by its full code (a unit with nothing sent: `missing`). */
export type ReviewOf = (unit: string) => MonthReview;

/**
 * Pairs each unit's current version with its last decision. `lock` says whether a month
 * is locked (the completeness shows it); a summary only needs the state, which does not
 * depend on it.
 */
export function reviewsOfMonth(
  current: readonly CurrentSubmission[],
  reviews: readonly Review[],
  lock: (review: Review | undefined) => LockReason | undefined = () => undefined,
): ReviewOf {
  const versions = new Map(current.map((c) => [c.unit, c.version]));
  const decisions = new Map(reviews.map((r) => [r.unit, r]));
  return (unit) => {
    const review = decisions.get(unit);
    return monthReview(versions.get(unit) ?? 0, review, lock(review));
  };
}
