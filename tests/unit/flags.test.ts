import { describe, expect, it } from 'vitest';
import { derivedFlags } from '../../shared/flags.ts';
import { derivedOf, monthSummary, yearSummary, type MonthEntry } from '../../shared/summary.ts';
import { registry } from '../support/core.ts';
import { district } from '../support/district.ts';

const town = registry.defaultOrg;
const sent = (unit: string, values: Record<string, number>, warnings?: MonthEntry['warnings']): MonthEntry => ({
  unit,
  values,
  firstReceivedAt: '2025-12-01T00:00:00Z',
  ...(warnings ? { warnings } : {}),
});

describe('derivedFlags', () => {
  it('flags a rate over 100 % and a negative petitions in progress, with why, in Chinese', () => {
    // Prepare: 18 rectified of 13 found (138.5 %); 3 closed of 2 received.
    const d = derivedOf({ general_hazards_found: 13, hazards_rectified: 18, petitions_received: 2, petitions_closed: 3 });

    // Act
    const flags = derivedFlags(d, 'total', '鹅池镇合计');

    // Assess
    expect(flags.map((f) => [f.code, f.field, f.value])).toEqual([
      ['RATE_OVER_100', 'rectificationRate', '138.5%'],
      ['NEGATIVE_IN_PROGRESS', 'petitionsInProgress', '-1'],
    ]);
    expect(flags[0]!.message).toBe('鹅池镇合计隐患整改率 138.5%，超过 100%（整改数多于排查数，可能含以前月份发现的隐患），请核对。');
    expect(flags[1]!.message).toContain('信访办理中 -1 件，为负数');
  });

  it('flags nothing at exactly 100 % or with nothing found', () => {
    expect(derivedFlags(derivedOf({ road_hazards_found: 4, road_hazards_fixed: 4 }), 'total', 'x')).toEqual([]);
    expect(derivedFlags(derivedOf({ food_hazards_closed: 3 }), 'total', 'x')).toEqual([]);
  });
});

describe('summary flags', () => {
  it("flags the town's total, each unit's own figures and the ingest's outliers by unit", () => {
    // Prepare: V01's rate is fine alone, V02's is 300 %; V03 carries an OUTLIER warning.
    const outlier = {
      code: 'OUTLIER' as const,
      row: 2,
      column: '数值',
      value: '900',
      message: '“排查一般隐患”本月为 900，过去12个月最多 9。请核对是否多填或少填了位数。',
      unit: 'EC/V03',
      period: '2025-11',
    };
    const entries = [
      sent('EC/V01', { general_hazards_found: 10, hazards_rectified: 8 }),
      sent('EC/V02', { general_hazards_found: 1, hazards_rectified: 3 }),
      sent('EC/V03', { general_hazards_found: 900 }, [outlier]),
    ];

    // Act
    const s = monthSummary(registry, town, '2025-11', { general_hazards_found: 911, hazards_rectified: 11 }, entries);

    // Assess
    expect(s.flags!.map((f) => [f.code, f.where])).toEqual([
      ['RATE_OVER_100', 'V02'],
      ['OUTLIER', 'V03'],
    ]);
    expect(s.flags![0]!.message).toMatch(/^南溪村隐患整改率 300%/);
    expect(s.flags![1]!.message).toMatch(/^[^：]+：“排查一般隐患”本月为 900/);
  });

  it("flags a district's towns by code, and a year's total", () => {
    const entries = [sent('EC/V01', { petitions_received: 1, petitions_closed: 2 })];
    const m = monthSummary(district, district.org('QJ')!, '2025-11', { petitions_received: 1, petitions_closed: 2 }, entries);
    expect(m.flags!.map((f) => [f.code, f.where])).toEqual([
      ['NEGATIVE_IN_PROGRESS', 'total'],
      ['NEGATIVE_IN_PROGRESS', 'EC'],
    ]);
    const y = yearSummary(registry, town, '2025', { petitions_received: 1, petitions_closed: 2 }, entries, new Map());
    expect(y.flags!.map((f) => f.where)).toEqual(['total', 'V01']);
  });

  it('names the metrics nobody reported, whose totals only look like 0', () => {
    const s = monthSummary(registry, town, '2025-11', { legal_trainings: 0 }, [sent('EC/V01', { legal_trainings: 0 })]);
    expect(s.unreported).not.toContain('legal_trainings');
    expect(s.unreported).toContain('general_hazards_found');
    expect(s.totals.general_hazards_found).toBe(0);
  });
});
