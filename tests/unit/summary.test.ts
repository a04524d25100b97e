import { describe, expect, it } from 'vitest';
import { VALUE_KEYS } from '../../shared/catalogue.ts';
import { addMonths } from '../../shared/period.ts';
import type { Org } from '../../shared/registry.ts';
import { sum } from '../../shared/rollup.ts';
import { derivedOf, monthsDue, monthSummary, yearSummary, type MonthEntry } from '../../shared/summary.ts';
import { summaryText } from '../../shared/summary-text.ts';
import { registry } from '../support/core.ts';
import { district } from '../support/district.ts';

const town = registry.defaultOrg;
const QJ = district.org('QJ')!;

describe('monthSummary', () => {
  it('lists every metric and category, on-time, late and missing units', () => {
    // Prepare: V01 on time (before 6 April 00:00 Shanghai), V02 late.
    const entries: MonthEntry[] = [
      { unit: 'EC/V01', values: { general_hazards_found: 3 }, firstReceivedAt: '2025-04-05T15:59:59Z' },
      { unit: 'EC/V02', values: { general_hazards_found: 1, hazards_rectified: 4 }, firstReceivedAt: '2025-04-05T16:00:00Z' },
    ];

    // Act
    const s = monthSummary(registry, town, '2025-03', { general_hazards_found: 4, hazards_rectified: 4 }, entries);

    // Assess
    expect(s).toMatchObject({ org: 'EC', level: 'town' });
    expect(s.towns).toBeUndefined();
    expect(Object.keys(s.totals)).toEqual(VALUE_KEYS.map((k) => k.key));
    expect(s.totals['disputes_resolved.labor']).toBe(0);
    expect(s.completeness).toEqual({
      expected: 9,
      submitted: 2,
      onTime: 1,
      late: 1,
      approved: 0,
      missing: ['V03', 'V04', 'V05', 'V06', 'V07', 'V08', 'TOWN'],
    });
    expect(s.units).toEqual({ V01: { general_hazards_found: 3 }, V02: { general_hazards_found: 1, hazards_rectified: 4 } });
    expect(s.derived.rectificationRate).toBe(1);
  });

  it('prints a Chinese table naming the missing units', () => {
    const text = summaryText(monthSummary(registry, town, '2025-03', {}, []), registry);
    expect(text).toContain('鹅池镇2025年03月汇总');
    expect(text).toContain('未报 9：鹅池社区、南溪村');
    // Nobody reported anything: a blank is said as such, not as 0.
    expect(text).toContain('排查一般隐患\t处\t未报送');
  });

  it('prints a reported 0 as 0, the like-for-like change and the flags to check', () => {
    // Prepare: V01 reported 0 hazards and 2 rectified (a rate over 100 % of nothing is no rate); V02 3 closed of 1.
    const entries: MonthEntry[] = [
      { unit: 'EC/V01', values: { general_hazards_found: 0, legal_trainings: 3 }, firstReceivedAt: '2025-04-01T00:00:00Z' },
      { unit: 'EC/V02', values: { petitions_received: 1, petitions_closed: 3 }, firstReceivedAt: '2025-04-01T00:00:00Z' },
    ];
    const february = [{ unit: 'EC/V01', values: { legal_trainings: 1 } }];

    // Act
    const totals = { general_hazards_found: 0, legal_trainings: 3, petitions_received: 1, petitions_closed: 3 };
    const text = summaryText(
      monthSummary(registry, town, '2025-03', totals, entries, { previousMonth: february, sameMonthLastYear: [] }),
      registry,
    );

    // Assess
    expect(text).toContain('排查一般隐患\t处\t0\t\n');
    expect(text).toContain('法律明白人和人民调解员培训\t次\t3\t+2\n');
    expect(text).toContain('较上月：按两期均报送的 1 个单位比较');
    expect(text).toContain('较上年同月：无可比数据');
    expect(text).toContain('需要核对：南溪村信访办理中 -2 件，为负数');
  });
});

/** A month of the sample district: EC complete and on time, SH two units (one late), HX nothing. */
function districtMonth(period: string): MonthEntry[] {
  const next = addMonths(period, 1);
  const ec = district.expected('EC', period).map((u, i) => ({
    unit: u.fullCode,
    values: { general_hazards_found: i + 1, veteran_aid_yuan: 0.1 },
    firstReceivedAt: `${next}-01T00:00:00Z`,
  }));
  return [
    ...ec,
    { unit: 'SH/V01', values: { general_hazards_found: 10, veteran_aid_yuan: 0.2 }, firstReceivedAt: `${next}-02T00:00:00Z` },
    { unit: 'SH/V05', values: { petitions_received: 2 }, firstReceivedAt: `${next}-20T00:00:00Z` },
  ];
}

describe('monthSummary of the district', () => {
  it("gives each town's totals, exactly the sum of its units, adding up to the district's", () => {
    // Prepare
    const entries = districtMonth('2025-07');
    const totals = sum(entries.map((e) => e.values));

    // Act
    const s = monthSummary(district, QJ, '2025-07', totals, entries);

    // Assess
    expect(s).toMatchObject({ org: 'QJ', level: 'district', units: {} });
    expect(Object.keys(s.towns!)).toEqual(['EC', 'SH', 'HX']);
    expect(s.towns!.EC!.totals.general_hazards_found).toBe(45);
    expect(s.towns!.EC!.totals.veteran_aid_yuan).toBe(0.9);
    expect(s.towns!.SH!.totals).toMatchObject({ general_hazards_found: 10, veteran_aid_yuan: 0.2, petitions_received: 2 });
    expect(s.towns!.SH!.derived.petitionsInProgress).toBe(2);
    for (const k of VALUE_KEYS) {
      const added = sum(Object.values(s.towns!).map((t) => t.totals))[k.key] ?? 0;
      expect(added, k.key).toBe(s.totals[k.key]);
    }
  });

  it("counts each town's completeness over the units existing that month, missing by full code", () => {
    // Prepare: in June SH/V08 does not exist yet and HX/V07 still does; in July the reverse.
    const june = monthSummary(district, QJ, '2025-06', {}, districtMonth('2025-06'));
    const july = monthSummary(district, QJ, '2025-07', {}, districtMonth('2025-07'));

    // Assess
    expect(june.towns!.SH!.completeness).toEqual({
      expected: 8,
      submitted: 2,
      onTime: 1,
      late: 1,
      approved: 0,
      missing: ['SH/V02', 'SH/V03', 'SH/V04', 'SH/V06', 'SH/V07', 'SH/TOWN'],
    });
    expect(june.towns!.HX!.completeness.expected).toBe(9);
    expect(july.towns!.SH!.completeness.missing).toContain('SH/V08');
    expect(july.towns!.HX!.completeness).toEqual({
      expected: 8,
      submitted: 0,
      onTime: 0,
      late: 0,
      approved: 0,
      missing: ['HX/V01', 'HX/V02', 'HX/V03', 'HX/V04', 'HX/V05', 'HX/V06', 'HX/V08', 'HX/TOWN'],
    });
    expect(july.towns!.EC!.completeness).toEqual({ expected: 9, submitted: 9, onTime: 9, late: 0, approved: 0, missing: [] });
    expect(july.completeness).toMatchObject({ expected: 26, submitted: 11, onTime: 10, late: 1 });
    expect(july.completeness.missing).toHaveLength(15);
    expect(july.completeness.missing[0]).toBe('SH/V02');
  });

  it('gives a town with nothing all zeros, no rates, every unit missing', () => {
    const s = monthSummary(district, QJ, '2025-07', {}, []);
    const hx = s.towns!.HX!;
    expect(hx.name).toBe('黑溪镇');
    expect(Object.values(hx.totals).every((v) => v === 0)).toBe(true);
    expect(hx.derived.rectificationRate).toBeNull();
    expect(hx.completeness.submitted).toBe(0);
  });

  it('compares the district with other months over the units in both, and leaves the warnings to the towns', () => {
    // Prepare: EC/V01 and SH/V02 in July; EC/V01 and EC/V02 in June; nobody last July.
    const july: MonthEntry[] = [
      { unit: 'EC/V01', values: { traffic_violations: 5 }, firstReceivedAt: '2025-08-03T00:00:00Z' },
      { unit: 'SH/V02', values: { traffic_violations: 9 }, firstReceivedAt: '2025-08-03T00:00:00Z' },
    ];
    const june = [
      { unit: 'EC/V01', values: { traffic_violations: 3 } },
      { unit: 'EC/V02', values: { traffic_violations: 40 } },
    ];

    // Act
    const s = monthSummary(district, QJ, '2025-07', { traffic_violations: 14 }, july, { previousMonth: june, sameMonthLastYear: [] });

    // Assess: only EC/V01 is in both months; last July has nothing to compare.
    expect(s.comparisons!.previousMonth).toEqual({
      period: '2025-06',
      comparableUnits: 1,
      current: { traffic_violations: 5 },
      totals: { traffic_violations: 3 },
      change: { traffic_violations: 2 },
    });
    expect(s.comparisons!.sameMonthLastYear).toEqual({ period: '2024-07', comparableUnits: 0, current: null, totals: null, change: null });
    expect(s.warnings).toBeUndefined();
  });

  it("prints the district's totals and a table of each town's completeness by name", () => {
    // Act
    const text = summaryText(monthSummary(district, QJ, '2025-07', { general_hazards_found: 55 }, districtMonth('2025-07')), district);

    // Assess
    expect(text).toContain('黔江区2025年07月汇总');
    expect(text).toContain('报送情况：应报 26，已报 11（按时 10，迟报 1），未报 15（各镇未报单位见下表）');
    expect(text).toContain('鹅池镇（EC）\t9\t9\t9\t0\t0\t—');
    expect(text).toContain('石会镇（SH）\t9\t2\t1\t1\t7\t中坝村、关东村、武陵村、黎水村、复兴村、东山社区、石会镇本级');
    expect(text).toContain('黑溪镇（HX）\t8\t0\t0\t0\t8\t黑溪社区、');
    expect(text).toContain('排查一般隐患\t处\t55');
  });
});

describe('derivedOf', () => {
  it('gives the rates of docs/DOMAIN.md, and null where nothing was found', () => {
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
        [{ unit: 'EC/V01', values: {}, firstReceivedAt: m === '2025-01' ? '2025-02-20T00:00:00Z' : '2025-02-28T00:00:00Z' }],
      ]),
    );

    // Act
    const s = yearSummary(registry, town, '2025', { legal_literates: 40 }, [{ unit: 'EC/V01', values: { legal_literates: 40 } }], months);

    // Assess
    expect(due).toEqual(['2025-01', '2025-02']);
    expect(s.completeness).toMatchObject({ expected: 18, submitted: 2, onTime: 1, late: 1 });
    expect(s.completeness.missing).toEqual(['V02', 'V03', 'V04', 'V05', 'V06', 'V07', 'V08', 'TOWN']);
    expect(s.units).toEqual({ V01: { legal_literates: 40 } });
    expect(Object.keys(s.byMonth!)).toEqual(due);
  });
});

describe('yearSummary of the district', () => {
  it("sums each town's unit years, and counts each town's months (from/until included)", () => {
    // Prepare: June and July are over; SH/V08 exists from July, HX/V07 until June.
    const due = monthsDue('2025', new Date('2025-08-10T00:00:00+08:00')).filter((m) => m >= '2025-06');
    const months = new Map(due.map((m) => [m, districtMonth(m)]));
    const unitYears: { unit: string; values: Record<string, number> }[] = [
      { unit: 'EC/V01', values: { legal_literates: 5, traffic_violations: 2 } },
      { unit: 'EC/V02', values: { legal_literates: 4 } },
      { unit: 'SH/V01', values: { traffic_violations: 7 } },
    ];

    // Act
    const s = yearSummary(district, QJ, '2025', sum(unitYears.map((u) => u.values)), unitYears, months);

    // Assess
    expect(s.units).toEqual({});
    expect(s.towns!.EC!.totals).toMatchObject({ legal_literates: 9, traffic_violations: 2 });
    expect(s.towns!.SH!.totals.traffic_violations).toBe(7);
    expect(s.towns!.HX!.totals.traffic_violations).toBe(0);
    expect(s.towns!.SH!.completeness).toMatchObject({ expected: 17, submitted: 4, onTime: 2, late: 2 });
    expect(s.towns!.SH!.completeness.missing).toContain('SH/V08');
    expect(s.towns!.HX!.completeness).toMatchObject({ expected: 17, submitted: 0 });
    expect(s.towns!.HX!.completeness.missing).toContain('HX/V07');
    expect(s.completeness.expected).toBe(9 * 2 + 17 + 17);
    expect(Object.keys(s.byMonth!)).toEqual(['2025-06', '2025-07']);
  });
});

describe('a town as an org', () => {
  it("is named by its short codes in its own summary under the district's registry", () => {
    const ec = district.org('EC') as Org;
    const s = monthSummary(district, ec, '2025-07', {}, districtMonth('2025-07'));
    expect(Object.keys(s.units)).toEqual(['V01', 'V02', 'V03', 'V04', 'V05', 'V06', 'V07', 'V08', 'TOWN']);
    expect(s.completeness).toMatchObject({ expected: 9, submitted: 9 });
  });
});
