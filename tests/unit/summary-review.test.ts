/**
 * Review in the summaries (docs/DOMAIN.md#review): how many unit-months are approved, per
 * unit and in total, and the approved figures alone (shared/approved-summary.ts), on the
 * sample district (EC, SH with V08 from 2025-07, HX with V07 until 2025-06).
 */
import { describe, expect, it } from 'vitest';
import { approvedMonthSummary, approvedYearSummary } from '../../shared/approved-summary.ts';
import { summaryCsv } from '../../shared/mail/summary-email.ts';
import { entriesOf } from '../../shared/publish/publish.ts';
import type { Org } from '../../shared/registry.ts';
import { sum } from '../../shared/rollup.ts';
import { monthSummary, yearSummary, type MonthEntry } from '../../shared/summary.ts';
import { summaryText } from '../../shared/summary-text.ts';
import { district } from '../support/core.ts';
import { submission } from '../support/memory-api.ts';

const EC = district.org('EC') as Org;
const QJ = district.org('QJ')!;
const MONTH = '2025-03';
const SENT = '2025-04-01T00:00:00Z';

/** EC's March: V01 approved, V02 submitted, V03 returned; SH/V01 approved; the others nothing. */
const march: MonthEntry[] = [
  { unit: 'EC/V01', values: { general_hazards_found: 3, veteran_aid_yuan: 0.1 }, firstReceivedAt: SENT, review: 'approved' },
  { unit: 'EC/V02', values: { general_hazards_found: 5, veteran_aid_yuan: 0.2 }, firstReceivedAt: SENT, review: 'submitted' },
  { unit: 'EC/V03', values: { general_hazards_found: 7 }, firstReceivedAt: SENT, review: 'returned' },
  { unit: 'SH/V01', values: { general_hazards_found: 11, veteran_aid_yuan: 0.2 }, firstReceivedAt: SENT, review: 'approved' },
];
const ecMarch = march.filter((e) => e.unit.startsWith('EC/'));

describe('monthSummary with review', () => {
  it("counts a town's approved unit-months and gives each expected unit's review state", () => {
    // Act
    const s = monthSummary(district, EC, MONTH, sum(ecMarch.map((e) => e.values)), ecMarch);

    // Assess
    expect(s.completeness).toMatchObject({ expected: 9, submitted: 3, approved: 1 });
    expect(s.review).toEqual({
      V01: 'approved',
      V02: 'submitted',
      V03: 'returned',
      V04: 'missing',
      V05: 'missing',
      V06: 'missing',
      V07: 'missing',
      V08: 'missing',
      TOWN: 'missing',
    });
  });

  it('takes an entry without a review state as submitted, not approved', () => {
    const s = monthSummary(district, EC, MONTH, {}, [{ unit: 'EC/V01', values: {}, firstReceivedAt: SENT }]);
    expect(s.completeness.approved).toBe(0);
    expect(s.review!.V01).toBe('submitted');
  });

  it("gives the district its total and each town's approved count, without a state per unit", () => {
    // Act
    const s = monthSummary(district, QJ, MONTH, sum(march.map((e) => e.values)), march);

    // Assess
    expect(s.completeness.approved).toBe(2);
    expect(Object.fromEntries(Object.entries(s.towns!).map(([code, t]) => [code, t.completeness.approved]))).toEqual({
      EC: 1,
      SH: 1,
      HX: 0,
    });
    expect(s.review).toBeUndefined();
  });
});

describe('yearSummary with review', () => {
  it("counts the approved unit-months over the months due, and each unit's approved months", () => {
    // Prepare: January V01 approved, V02 submitted; February V01 and V02 approved.
    const months = new Map<string, MonthEntry[]>([
      [
        '2025-01',
        [
          { unit: 'EC/V01', values: {}, firstReceivedAt: SENT, review: 'approved' },
          { unit: 'EC/V02', values: {}, firstReceivedAt: SENT, review: 'submitted' },
        ],
      ],
      [
        '2025-02',
        [
          { unit: 'EC/V01', values: {}, firstReceivedAt: SENT, review: 'approved' },
          { unit: 'EC/V02', values: {}, firstReceivedAt: SENT, review: 'approved' },
        ],
      ],
    ]);

    // Act
    const s = yearSummary(district, EC, '2025', {}, [], months);

    // Assess
    expect(s.completeness).toMatchObject({ expected: 18, submitted: 4, approved: 3 });
    expect(s.byMonth!['2025-01']!.approved).toBe(1);
    expect(s.approvedMonths).toMatchObject({ V01: 2, V02: 1, V03: 0, TOWN: 0 });
    expect(Object.keys(s.approvedMonths!)).toHaveLength(9);
  });
});

describe('approvedMonthSummary', () => {
  it("sums a town's approved unit-months alone, and names the units left out", () => {
    // Act
    const s = approvedMonthSummary(district, EC, MONTH, ecMarch);

    // Assess: V01's figures only; completeness and review as in the full summary.
    expect(s.basis).toBe('approved');
    expect(s.totals).toMatchObject({ general_hazards_found: 3, veteran_aid_yuan: 0.1, petitions_received: 0 });
    expect(s.units).toEqual({ V01: { general_hazards_found: 3, veteran_aid_yuan: 0.1 } });
    expect(s.completeness).toMatchObject({ expected: 9, submitted: 3, approved: 1 });
    expect(s.review!.V02).toBe('submitted');
    expect(s.leftOut).toEqual(['V02', 'V03', 'V04', 'V05', 'V06', 'V07', 'V08', 'TOWN']);
  });

  it("gives the district each town's approved totals, money exact, units left out by full code", () => {
    // Act
    const s = approvedMonthSummary(district, QJ, MONTH, march);

    // Assess
    expect(s.totals).toMatchObject({ general_hazards_found: 14, veteran_aid_yuan: 0.3 });
    expect(s.towns!.EC!.totals).toMatchObject({ general_hazards_found: 3, veteran_aid_yuan: 0.1 });
    expect(s.towns!.SH!.totals).toMatchObject({ general_hazards_found: 11, veteran_aid_yuan: 0.2 });
    expect(s.towns!.EC!.completeness).toMatchObject({ submitted: 3, approved: 1 });
    expect(s.leftOut).toContain('EC/V02');
    expect(s.leftOut).not.toContain('EC/V01');
    expect(s.leftOut).not.toContain('SH/V01');
    // 27 units, SH/V08 not yet: 26 expected, 2 approved.
    expect(s.leftOut).toHaveLength(24);
  });

  it('is all zeros with every unit left out when nothing is approved', () => {
    const s = approvedMonthSummary(district, EC, MONTH, []);
    expect(Object.values(s.totals).every((v) => v === 0)).toBe(true);
    expect(s.units).toEqual({});
    expect(s.leftOut).toHaveLength(9);
  });
});

describe('approvedYearSummary', () => {
  it("takes each unit's year from its approved months: flows summed, a stock at its latest approved month", () => {
    // Prepare: V01 approved in January and March, not in February; V02 never approved.
    const entry = (unit: string, values: Record<string, number>, review: MonthEntry['review']): MonthEntry => ({
      unit,
      values,
      firstReceivedAt: SENT,
      review,
    });
    const months = new Map<string, MonthEntry[]>([
      ['2025-01', [entry('EC/V01', { traffic_violations: 1, legal_literates: 4 }, 'approved')]],
      ['2025-02', [entry('EC/V01', { traffic_violations: 10, legal_literates: 9 }, 'submitted')]],
      [
        '2025-03',
        [
          entry('EC/V01', { traffic_violations: 2, legal_literates: 5 }, 'approved'),
          entry('EC/V02', { traffic_violations: 50 }, 'submitted'),
        ],
      ],
    ]);

    // Act
    const s = approvedYearSummary(district, EC, '2025', months);

    // Assess
    expect(s.basis).toBe('approved');
    expect(s.units).toEqual({ V01: { traffic_violations: 3, legal_literates: 5 } });
    expect(s.totals).toMatchObject({ traffic_violations: 3, legal_literates: 5 });
    expect(s.completeness).toMatchObject({ expected: 27, submitted: 4, approved: 2 });
    expect(s.approvedMonths).toMatchObject({ V01: 2, V02: 0 });
    // V01 too: its February is left out.
    expect(s.leftOut).toEqual(['V01', 'V02', 'V03', 'V04', 'V05', 'V06', 'V07', 'V08', 'TOWN']);
  });
});

describe('entriesOf', () => {
  it('gives a unit-month the state of its decision only while the decision is on its current version', async () => {
    // Prepare: V01 approved at version 1 and still at it; V02 approved at version 1, corrected since (version 2).
    const current = [submission('EC/V01', MONTH, SENT), { ...submission('EC/V02', MONTH, SENT), version: 2 }];
    const decision = (unit: string) => ({ unit, period: MONTH, state: 'approved' as const, version: 1, by: 'town:EC', at: SENT, rev: 1 });
    const reader = {
      currentOfMonth: async () => current,
      reviewsOfMonth: async () => [decision('EC/V01'), decision('EC/V02')],
    };

    // Act
    const entries = await entriesOf(reader, EC, MONTH);

    // Assess
    expect(entries.map((e) => [e.unit, e.review])).toEqual([
      ['EC/V01', 'approved'],
      ['EC/V02', 'submitted'],
    ]);
  });
});

describe('the text and CSV of review', () => {
  it('says once how many unit-months are approved of those expected', () => {
    const text = summaryText(monthSummary(district, EC, MONTH, {}, ecMarch), district);
    expect(text.match(/已审核 1 \/ 应报 9/g)).toHaveLength(1);
  });

  it('says that approved-only figures are so, and names the units left out', () => {
    // Act
    const s = approvedMonthSummary(district, EC, MONTH, ecMarch);
    const text = summaryText(s, district);
    const csv = summaryCsv(s, district);

    // Assess
    expect(text).toContain('鹅池镇2025年03月汇总（仅已审核数据）');
    expect(text).toContain('未计入（未审核）：南溪村、石柱村、');
    expect(text).toContain('排查一般隐患\t处\t3');
    expect(csv.split('\r\n').find((l) => l.startsWith('指标代码'))).toContain('全镇合计（仅已审核）');
  });
});
