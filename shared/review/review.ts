/**
 * The town's review of a unit-month (docs/DOMAIN.md#review) and the month's locks
 * (#lock-day): pure decisions on what the ledger holds. Every action names the version
 * the reviewer saw, so that nobody approves figures that changed meanwhile.
 */
import type { Uploader } from '../collector.ts';
import { lockOf, type Month } from '../period.ts';
import type { Review } from '../ports/reviews.ts';

export type { Review } from '../ports/reviews.ts';

export type ReviewAction = 'approve' | 'return' | 'reopen';
/** 未报 / 已报 / 已审核 / 已退回. */
export type ReviewState = 'missing' | 'submitted' | 'approved' | 'returned';

/** A unit-month's review, as people see it. */
export interface MonthReview {
  readonly state: ReviewState;
  readonly version: number;
  readonly reason?: string;
  readonly reviewedAt?: string;
  readonly reviewedBy?: string;
  readonly reopened: boolean;
  /** The unit can no longer send or correct it now. */
  readonly locked: boolean;
}

/** Why a month takes no more uploads from its unit or town: approved, or past its lock day and neither reopened nor returned. */
export type LockReason = 'approved' | 'lock_day';

export function lockReason(period: Month, at: Date, lockDay: number, review: Review | undefined): LockReason | undefined {
  if (review?.state === 'approved') return 'approved';
  // A returned month waits for its unit's correction: it stays open, as a reopened one.
  if (at.getTime() >= lockOf(period, lockDay).getTime() && review?.state !== 'reopened' && review?.state !== 'returned') return 'lock_day';
  return undefined;
}

/** Locks bind units and towns; the deployment's admin (loading past years) is not bound. */
export function boundByLocks(uploader: Uploader): boolean {
  return uploader.role === 'village' || uploader.role === 'town';
}

/** The state people see, from the month's version and its last decision. */
export function monthReview(version: number, review: Review | undefined, lock: LockReason | undefined): MonthReview {
  const decided = review ? { reviewedAt: review.at, reviewedBy: review.by, ...(review.reason ? { reason: review.reason } : {}) } : {};
  const base = { version, reopened: review?.state === 'reopened', locked: lock !== undefined, ...decided };
  if (version === 0) return { ...base, state: 'missing' };
  // A decision on an older version no longer describes the month (an upload came after it).
  if (review && review.version === version && review.state !== 'reopened') return { ...base, state: review.state };
  return { ...base, state: 'submitted' };
}

export class ReviewError extends Error {
  override readonly name = 'ReviewError';
  constructor(
    readonly code: 'REASON_REQUIRED' | 'REVIEW_CONFLICT' | 'REVIEW_STATE',
    message: string,
  ) {
    super(message);
  }
}

export interface ReviewRequest {
  readonly action: ReviewAction;
  /** The version the reviewer saw. */
  readonly version: number;
  readonly reason?: string;
}

const REASON_MAX = 500;

/** The decision an action makes on a unit-month as read, or why it cannot be made. */
export function decide(
  request: ReviewRequest,
  month: { readonly unit: string; readonly period: Month; readonly version: number; readonly review: Review | undefined },
  context: { readonly by: string; readonly now: Date; readonly lockDay: number },
): Review {
  const { action } = request;
  const reason = request.reason?.trim();
  if (action !== 'approve' && !reason)
    throw new ReviewError('REASON_REQUIRED', `${ACTION_NAMES[action]}必须写明原因，让村（社区）知道要改什么。`);
  if (reason && reason.length > REASON_MAX) throw new ReviewError('REASON_REQUIRED', `原因最多 ${REASON_MAX} 个字。`);
  if (request.version !== month.version) {
    throw new ReviewError(
      'REVIEW_CONFLICT',
      `您看到的是第 ${request.version} 版，其间数据已变为第 ${month.version} 版。请刷新后核对新数据，再${ACTION_NAMES[action]}。`,
    );
  }
  const lock = lockReason(month.period, context.now, context.lockDay, month.review);
  const seen = monthReview(month.version, month.review, lock);
  const refusal = refusalOf(action, seen, lock);
  if (refusal) throw new ReviewError('REVIEW_STATE', refusal);
  return {
    unit: month.unit,
    period: month.period,
    state: action === 'approve' ? 'approved' : action === 'return' ? 'returned' : 'reopened',
    version: month.version,
    ...(reason ? { reason } : {}),
    by: context.by,
    at: context.now.toISOString(),
    rev: (month.review?.rev ?? 0) + 1,
  };
}

const ACTION_NAMES: Record<ReviewAction, string> = { approve: '审核通过', return: '退回', reopen: '重新打开' };
const STATE_NAMES: Record<ReviewState, string> = { missing: '未报', submitted: '已报', approved: '已审核', returned: '已退回' };

/** Why an action does not apply to the month's state (none: it does). */
function refusalOf(action: ReviewAction, seen: MonthReview, lock: LockReason | undefined): string | undefined {
  const now = `该月现在是“${STATE_NAMES[seen.state]}”`;
  switch (action) {
    case 'approve':
      if (seen.state === 'missing') return `${now}，没有数据可审核。`;
      if (seen.state === 'approved') return `${now}，无需再次审核。`;
      return undefined;
    case 'return':
      if (seen.state === 'missing') return `${now}，没有数据可退回；请催报。`;
      if (seen.state === 'approved') return `${now}：要退回，请先重新打开。`;
      if (seen.state === 'returned') return `${now}，正等待村（社区）重报。`;
      return undefined;
    case 'reopen':
      if (lock === undefined) return `${now}，尚未锁定，村（社区）可以直接更正，无需重新打开。`;
      return undefined;
  }
}
