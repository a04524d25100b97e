/**
 * Review decisions and locks as pure rules (docs/DOMAIN.md#review, #lock-day): the state
 * people see, what each action refuses, and who the locks bind.
 */
import { describe, expect, it } from 'vitest';
import { boundByLocks, decide, lockReason, monthReview, type Review } from '../../shared/review/review.ts';

const MONTH = '2025-03';
const OPEN = new Date('2025-04-10T00:00:00+08:00');
const AFTER_LOCK = new Date('2025-04-21T00:00:00+08:00');
const context = (now: Date) => ({ by: 'town:EC', now, lockDay: 20 });
const decision = (state: Review['state'], version: number, rev = 1): Review => ({
  unit: 'EC/V03',
  period: MONTH,
  state,
  version,
  by: 'town:EC',
  at: OPEN.toISOString(),
  rev,
  ...(state === 'approved' ? {} : { reason: '原因' }),
});
const month = (version: number, review?: Review) => ({ unit: 'EC/V03', period: MONTH, version, review });

describe('lockReason', () => {
  it('locks an approved month, and a month past its lock day unless reopened or returned', () => {
    // Act / Assess
    expect(lockReason(MONTH, OPEN, 20, undefined)).toBeUndefined();
    expect(lockReason(MONTH, OPEN, 20, decision('approved', 1))).toBe('approved');
    expect(lockReason(MONTH, AFTER_LOCK, 20, undefined)).toBe('lock_day');
    expect(lockReason(MONTH, AFTER_LOCK, 20, decision('reopened', 1))).toBeUndefined();
    expect(lockReason(MONTH, AFTER_LOCK, 20, decision('returned', 1))).toBeUndefined();
    expect(lockReason(MONTH, new Date('2025-04-20T23:59:59+08:00'), 20, undefined)).toBeUndefined();
  });

  it('binds villages and towns, not the admin', () => {
    expect([
      boundByLocks({ role: 'village', unit: 'EC/V03' }),
      boundByLocks({ role: 'town', town: 'EC' }),
      boundByLocks({ role: 'admin' }),
    ]).toEqual([true, true, false]);
  });
});

describe('monthReview', () => {
  it('says 未报, 已报, 已审核 or 已退回, and 已报 again once a correction follows a decision', () => {
    expect(monthReview(0, undefined, undefined).state).toBe('missing');
    expect(monthReview(1, undefined, undefined).state).toBe('submitted');
    expect(monthReview(1, decision('approved', 1), 'approved')).toMatchObject({ state: 'approved', locked: true });
    expect(monthReview(1, decision('returned', 1), undefined)).toMatchObject({ state: 'returned', reason: '原因' });
    expect(monthReview(2, decision('returned', 1), undefined).state).toBe('submitted');
    expect(monthReview(1, decision('reopened', 1), undefined)).toMatchObject({ state: 'submitted', reopened: true });
  });
});

describe('decide', () => {
  it('approves the version seen, with the next rev', () => {
    // Act
    const next = decide({ action: 'approve', version: 2 }, month(2, decision('returned', 1, 4)), context(OPEN));
    // Assess
    expect(next).toMatchObject({ state: 'approved', version: 2, rev: 5, by: 'town:EC', at: OPEN.toISOString() });
  });

  it('refuses a version other than the current one (REVIEW_CONFLICT) and a return or reopen without a reason', () => {
    expect(() => decide({ action: 'approve', version: 1 }, month(2), context(OPEN))).toThrow(
      expect.objectContaining({ code: 'REVIEW_CONFLICT' }),
    );
    expect(() => decide({ action: 'return', version: 1, reason: '  ' }, month(1), context(OPEN))).toThrow(
      expect.objectContaining({ code: 'REASON_REQUIRED' }),
    );
    expect(() => decide({ action: 'reopen', version: 1 }, month(1), context(AFTER_LOCK))).toThrow(
      expect.objectContaining({ code: 'REASON_REQUIRED' }),
    );
  });

  it('refuses what the state does not allow (REVIEW_STATE), saying the state in Chinese', () => {
    const refused = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error as { code: string; message: string };
      }
      return undefined;
    };
    expect(refused(() => decide({ action: 'approve', version: 0 }, month(0), context(OPEN)))).toMatchObject({
      code: 'REVIEW_STATE',
      message: expect.stringContaining('未报'),
    });
    expect(refused(() => decide({ action: 'approve', version: 1 }, month(1, decision('approved', 1)), context(OPEN)))?.code).toBe(
      'REVIEW_STATE',
    );
    expect(
      refused(() => decide({ action: 'return', version: 1, reason: '错' }, month(1, decision('approved', 1)), context(OPEN)))?.message,
    ).toContain('请先重新打开');
    expect(refused(() => decide({ action: 'reopen', version: 1, reason: '补报' }, month(1), context(OPEN)))?.message).toContain('尚未锁定');
  });

  it('reopens a month past its lock day that nobody sent (version 0)', () => {
    // Act
    const next = decide({ action: 'reopen', version: 0, reason: '补报' }, month(0), context(AFTER_LOCK));
    // Assess
    expect(next).toMatchObject({ state: 'reopened', version: 0, reason: '补报', rev: 1 });
  });
});
