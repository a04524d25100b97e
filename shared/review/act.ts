/**
 * A review action on a unit-month: read the month, decide on what was read, write the
 * decision conditionally. A write that loses a race is decided again on a fresh read, so
 * a correction that landed meanwhile makes the action fail (REVIEW_CONFLICT), never
 * approve what the reviewer did not see.
 */
import { principalLabel, type Principal } from '../auth/principals.ts';
import type { Month } from '../period.ts';
import type { ReviewStore } from '../ports/reviews.ts';
import type { Registry } from '../registry.ts';
import { decide, lockReason, monthReview, ReviewError, type MonthReview, type ReviewRequest } from './review.ts';

export interface ReviewDeps {
  readonly reviews: ReviewStore;
  readonly registry: Registry;
  readonly now: () => Date;
}

const ATTEMPTS = 4;

export async function reviewMonth(
  by: Principal,
  unit: string,
  period: Month,
  request: ReviewRequest,
  deps: ReviewDeps,
): Promise<MonthReview> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const seen = await deps.reviews.month(unit, period);
    const now = deps.now();
    const next = decide(
      request,
      { unit, period, version: seen.current?.version ?? 0, review: seen.review },
      { by: principalLabel(by), now, lockDay: deps.registry.lockDay },
    );
    const entry = {
      unit,
      period,
      kind: request.action,
      at: next.at,
      by: next.by,
      version: next.version,
      ...(next.reason ? { reason: next.reason } : {}),
    };
    if ((await deps.reviews.decide(next, seen, entry)) === 'applied') {
      return monthReview(next.version, next, lockReason(period, now, deps.registry.lockDay, next));
    }
  }
  throw new ReviewError('REVIEW_CONFLICT', '该月的数据或审核状态正在变化，请刷新后再试。');
}
