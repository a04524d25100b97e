/**
 * The desk's pure parts (shared/desk.ts): where a publication stands against the live
 * figures' hash, when a month may be published (Asia/Shanghai), the clerk's order, the
 * months of a year to date.
 */
import { describe, expect, it } from 'vitest';
import { deskOrder, monthsToDate, publicationOf, publishable } from '../../shared/desk.ts';

describe('publicationOf', () => {
  const latest = { revision: 3, version: 7, hash: 'abc', emailedRevision: 3, publishedAt: '2025-04-06T00:00:00.000Z' };

  it('is unpublished without a revision', () => {
    expect(publicationOf(undefined, 'abc').state).toBe('unpublished');
  });

  it('is current when the live figures hash as the latest revision', () => {
    expect(publicationOf(latest, 'abc')).toEqual({
      state: 'current',
      revision: 3,
      publishedAt: '2025-04-06T00:00:00.000Z',
      message: '已发布（第 3 版），与现有数据一致。',
    });
  });

  it('is changed, waiting to be published again, when they do not', () => {
    expect(publicationOf(latest, 'def')).toMatchObject({
      state: 'changed',
      revision: 3,
      message: '数据已变更，待重新发布（已发布的是第 3 版）。',
    });
  });
});

describe('publishable', () => {
  it.each([
    ['2025-03', '2025-04-01T00:00:00+08:00', true],
    ['2025-03', '2025-03-31T23:59:59+08:00', false],
    // 16:30 UTC on 31 March is already 1 April in Shanghai.
    ['2025-03', '2025-03-31T16:30:00Z', true],
    ['2024-12', '2025-01-01T08:00:00+08:00', true],
    ['2025-01', '2025-01-20T08:00:00+08:00', false],
  ])('%s at %s: %s', (period, at, allowed) => {
    expect(publishable(period, new Date(at)).allowed).toBe(allowed);
  });

  it('names the day publishing opens', () => {
    expect(publishable('2025-12', new Date('2025-12-20T00:00:00Z')).reason).toBe('2025年12月尚未结束：2026年1月1日起才能发布。');
  });
});

describe('deskOrder', () => {
  it('puts missing, then returned, then waiting, then approved, keeping the registry order within each', () => {
    const units = ['approved', 'submitted', 'missing', 'returned', 'missing', 'submitted'].map((state, i) => ({
      i,
      review: { state } as const,
    }));

    const ordered = deskOrder(units as { i: number; review: { state: 'missing' | 'submitted' | 'approved' | 'returned' } }[]);

    expect(ordered.map((u) => u.i)).toEqual([2, 4, 3, 1, 5, 0]);
  });
});

describe('monthsToDate', () => {
  it('runs from January to the month', () => {
    expect(monthsToDate('2025-03')).toEqual(['2025-01', '2025-02', '2025-03']);
    expect(monthsToDate('2025-01')).toEqual(['2025-01']);
  });
});
