/**
 * What a submission's write checks of the unit's other months (shared/ingest/plan.ts): each
 * of them when the months read may not be those its year was computed from, none when the
 * year item says they are (its rev condition then covers them).
 */
import { describe, expect, it } from 'vitest';
import { plan, type Planned } from '../../shared/ingest/plan.ts';
import type { Month } from '../../shared/period.ts';
import type { CurrentSubmission, SubmissionChange, UnitState, UnitYear } from '../../shared/ports/ledger.ts';

const UNIT = 'EC/01';

function current(period: Month, version: number, general_hazards_found: number): CurrentSubmission {
  const at = `${period}-05T08:00:00+08:00`;
  return {
    unit: UNIT,
    period,
    values: { general_hazards_found },
    uploadId: `u-${period}-${version}`,
    order: `${at}#${version}`,
    receivedAt: at,
    version,
    firstReceivedAt: at,
  };
}

function stateOf(months: readonly CurrentSubmission[], year?: UnitYear): UnitState {
  return { current: new Map(months.map((m) => [m.period, m])), years: new Map(year ? [[year.year, year]] : []), reviews: new Map() };
}

const planned: Planned = {
  submission: { unit: UNIT, period: '2025-03', values: { general_hazards_found: 4 }, warnings: [] },
  order: '2025-04-02T08:00:00.000Z#u-new',
  uploadId: 'u-new',
  receivedAt: '2025-04-02T08:00:00.000Z',
  uploader: { role: 'admin' },
  lockDay: 10,
};

function changeOf(state: UnitState): SubmissionChange {
  const decided = plan(state, planned, ['EC', 'QJ']);
  if (decided.kind !== 'change') throw new Error(`expected a change, got ${decided.kind}`);
  return decided.change;
}

describe('plan: the year and the other months a write checks', () => {
  it('checks no other month when they were read as the year item has them', () => {
    // Prepare: January v2 and February v1, and the year computed from exactly those
    const state = stateOf([current('2025-01', 2, 3), current('2025-02', 1, 5)], {
      unit: UNIT,
      year: '2025',
      values: { general_hazards_found: 8 },
      rev: 3,
      months: { '2025-01': 2, '2025-02': 1 },
    });
    // Act
    const change = changeOf(state);
    // Assess: the rev guards the months; the new year records this month's version too
    expect(change.yearMonths).toEqual([]);
    expect(change.unitYear).toEqual({
      next: {
        unit: UNIT,
        year: '2025',
        values: { general_hazards_found: 12 },
        rev: 4,
        months: { '2025-01': 2, '2025-02': 1, '2025-03': 1 },
      },
      expectedRev: 3,
    });
  });

  it('checks every other month when one was read at another version than the year has', () => {
    // Prepare: the Query read January v2 while the year says v3 (a write landed between its items)
    const state = stateOf([current('2025-01', 2, 3), current('2025-02', 1, 5)], {
      unit: UNIT,
      year: '2025',
      values: { general_hazards_found: 9 },
      rev: 4,
      months: { '2025-01': 3, '2025-02': 1 },
    });
    // Act
    const change = changeOf(state);
    // Assess: the write fails on January and the ingest reads again
    expect(change.yearMonths).toHaveLength(11);
    expect(change.yearMonths.find((m) => m.period === '2025-01')?.current?.version).toBe(2);
    expect(change.yearMonths.find((m) => m.period === '2025-12')?.current).toBeNull();
  });

  it('checks every other month of a year written before its months were kept', () => {
    // Prepare
    const state = stateOf([current('2025-01', 1, 3)], { unit: UNIT, year: '2025', values: { general_hazards_found: 3 }, rev: 1 });
    // Act
    const change = changeOf(state);
    // Assess
    expect(change.yearMonths.map((m) => m.period)).toEqual(
      ['01', '02', '04', '05', '06', '07', '08', '09', '10', '11', '12'].map((m) => `2025-${m}`),
    );
    expect(change.unitYear.next.months).toEqual({ '2025-01': 1, '2025-03': 1 });
  });

  it('checks no month of a year nobody wrote yet, and every one when months exist without their year', () => {
    // Prepare
    const fresh = stateOf([current('2024-12', 1, 7)]);
    const orphan = stateOf([current('2025-02', 1, 5)]);
    // Act
    const [first, withoutYear] = [changeOf(fresh), changeOf(orphan)];
    // Assess: the first write is guarded by the year's absence
    expect(first.yearMonths).toEqual([]);
    expect(first.unitYear.expectedRev).toBeNull();
    expect(withoutYear.yearMonths).toHaveLength(11);
  });
});
