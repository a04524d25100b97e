import { describe, expect, it } from 'vitest';
import { VALUE_KEYS } from '../../shared/catalogue.ts';
import { derivedOf, monthsDue, monthSummary, summaryText, yearSummary, type MonthEntry } from '../../shared/summary.ts';
import { registry } from '../support/core.ts';

describe('monthSummary', () => {
  it('lists every metric and category, on-time, late and missing units', () => {
    // Prepare: V01 on time (before 6 April 00:00 Shanghai), V02 late.
    const entries: MonthEntry[] = [
      { unit: 'V01', values: { general_hazards_found: 3 }, firstReceivedAt: '2025-04-05T15:59:59Z' },
      { unit: 'V02', values: { general_hazards_found: 1, hazards_rectified: 4 }, firstReceivedAt: '2025-04-05T16:00:00Z' },
    ];

    // Act
    const s = monthSummary(registry, '2025-03', { general_hazards_found: 4, hazards_rectified: 4 }, entries);

    // Assess
    expect(Object.keys(s.totals)).toEqual(VALUE_KEYS.map((k) => k.key));
    expect(s.totals['disputes_resolved.labor']).toBe(0);
    expect(s.completeness).toEqual({
      expected: 9,
      submitted: 2,
      onTime: 1,
      late: 1,
      missing: ['V03', 'V04', 'V05', 'V06', 'V07', 'V08', 'TOWN'],
    });
    expect(s.units).toEqual({ V01: { general_hazards_found: 3 }, V02: { general_hazards_found: 1, hazards_rectified: 4 } });
    expect(s.derived.rectificationRate).toBe(1);
  });

  it('prints a Chinese table naming the missing units', () => {
    const text = summaryText(monthSummary(registry, '2025-03', {}, []), registry);
    expect(text).toContain('鹅池镇2025年03月汇总');
    expect(text).toContain('未报 9');
    expect(text).toContain('排查一般隐患\t处\t0');
  });
});

describe('derivedOf', () => {
  it('gives the rates of DOMAIN.md, and null where nothing was found', () => {
    const d = derivedOf({
      major_hazards_found: 2,
      general_hazards_found: 92,
      hazards_rectified: 94,
      petitions_received: 15,
      petitions_closed: 14,
      food_hazards_found: 36,
      food_hazards_closed: 36,
    });
    expect(d).toEqual({ rectificationRate: 1, roadRectificationRate: null, foodRectificationRate: 1, petitionsInProgress: 1 });
  });
});

describe('yearSummary', () => {
  it('counts completeness over the months that are over', () => {
    // Prepare
    const due = monthsDue('2025', new Date('2025-03-10T00:00:00+08:00'));
    // January's file came on 20 February (late), February's on 28 February (on time).
    const months = new Map(
      due.map((m) => [
        m,
        [{ unit: 'V01', values: {}, firstReceivedAt: m === '2025-01' ? '2025-02-20T00:00:00Z' : '2025-02-28T00:00:00Z' }],
      ]),
    );

    // Act
    const s = yearSummary(registry, '2025', { legal_literates: 40 }, [{ unit: 'V01', values: { legal_literates: 40 } }], months);

    // Assess
    expect(due).toEqual(['2025-01', '2025-02']);
    expect(s.completeness).toMatchObject({ expected: 18, submitted: 2, onTime: 1, late: 1 });
    expect(s.completeness.missing).toEqual(['V02', 'V03', 'V04', 'V05', 'V06', 'V07', 'V08', 'TOWN']);
    expect(Object.keys(s.byMonth!)).toEqual(due);
  });
});
