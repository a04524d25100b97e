import { describe, expect, it } from 'vitest';
import { comparable, compareLikeForLike } from '../../shared/comparisons.ts';
import { monthSummary, type MonthEntry } from '../../shared/summary.ts';
import { registry } from '../support/core.ts';

const town = registry.defaultOrg;
const sent = (unit: string, values: Record<string, number>): MonthEntry => ({ unit, values, firstReceivedAt: '2025-12-01T00:00:00Z' });

describe('compareLikeForLike', () => {
  it('compares only the units that reported in both months, and says how many', () => {
    // Prepare: October 8 units with 10 disputes each; November 6 of them with 9 each.
    const october = ['V01', 'V02', 'V03', 'V04', 'V05', 'V06', 'V07', 'V08'].map((u) => sent(`EC/${u}`, { disputes_resolved: 10 }));
    const november = october.slice(0, 6).map((e) => sent(e.unit, { disputes_resolved: 9 }));

    // Act
    const c = compareLikeForLike('2025-10', november, october);

    // Assess: −6 over the 6 comparable units, not 54 − 80 = −26.
    expect(c).toEqual({
      period: '2025-10',
      comparableUnits: 6,
      current: { disputes_resolved: 54 },
      totals: { disputes_resolved: 60 },
      change: { disputes_resolved: -6 },
    });
    expect(comparable(c)).toBe(true);
  });

  it('is null, not zero, when no unit reported in both months', () => {
    const c = compareLikeForLike('2024-11', [sent('EC/V01', { general_hazards_found: 3 })], []);
    expect(c).toEqual({ period: '2024-11', comparableUnits: 0, current: null, totals: null, change: null });
    expect(comparable(c)).toBe(false);
  });

  it('leaves out a metric a unit left blank in one of the months, rather than reading 0', () => {
    // Prepare: V01 gave petitions in both months, V02 only now; V02 gave hazards only before.
    const now = [sent('EC/V01', { petitions_received: 4 }), sent('EC/V02', { petitions_received: 7 })];
    const then = [sent('EC/V01', { petitions_received: 1 }), sent('EC/V02', { general_hazards_found: 5 })];

    // Act
    const c = compareLikeForLike('2025-02', now, then);

    // Assess: petitions over V01 alone; hazards compared by nobody.
    expect(c.comparableUnits).toBe(2);
    expect(c.current).toEqual({ petitions_received: 4 });
    expect(c.totals).toEqual({ petitions_received: 1 });
    expect(c.change).toEqual({ petitions_received: 3 });
  });

  it('keeps money exact in cents', () => {
    const c = compareLikeForLike('2025-02', [sent('EC/V01', { veteran_aid_yuan: 100.3 })], [sent('EC/V01', { veteran_aid_yuan: 100.1 })]);
    expect(c.change).toEqual({ veteran_aid_yuan: 0.2 });
  });

  it('omits unchanged metrics from the change but keeps them in both totals', () => {
    const c = compareLikeForLike('2025-02', [sent('EC/V01', { legal_trainings: 2 })], [sent('EC/V01', { legal_trainings: 2 })]);
    expect(c).toMatchObject({ comparableUnits: 1, current: { legal_trainings: 2 }, totals: { legal_trainings: 2 }, change: {} });
  });
});

describe('monthSummary comparisons', () => {
  it('gives the previous month and the same month last year like for like', () => {
    // Prepare
    const november = [sent('EC/V01', { general_hazards_found: 5 }), sent('EC/V02', { general_hazards_found: 2 })];
    const october = [sent('EC/V01', { general_hazards_found: 3 }), sent('EC/V03', { general_hazards_found: 30 })];

    // Act
    const s = monthSummary(registry, town, '2025-11', { general_hazards_found: 7 }, november, {
      previousMonth: october,
      sameMonthLastYear: [],
    });

    // Assess
    expect(s.comparisons!.previousMonth).toMatchObject({ comparableUnits: 1, change: { general_hazards_found: 2 } });
    expect(s.comparisons!.sameMonthLastYear).toMatchObject({ period: '2024-11', comparableUnits: 0, change: null });
  });
});
