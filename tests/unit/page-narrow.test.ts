/**
 * The page's narrowing of a completeness (web/app/narrow.ts): what a server without the
 * node routes answers for the district, read as the town or the district the page asked for.
 */
import { describe, expect, it } from 'vitest';
import { narrowTo, townsOf } from '../../web/app/narrow.ts';
import type { MeBody, MonthCompleteness, UnitCompleteness } from '../../web/app/types.ts';

const unit = (fullCode: string, name: string, status: UnitCompleteness['status']): UnitCompleteness => ({
  unit: fullCode,
  fullCode,
  town: fullCode.slice(0, 2),
  name,
  status,
  warnings: 0,
});

const district: MonthCompleteness = {
  org: 'QJ',
  orgName: '黔江区',
  level: 'district',
  period: '2024-09',
  deadline: '2024-10-05T16:00:00.000Z',
  deadlineText: '2024年10月5日',
  units: [unit('EC/V01', '鹅池社区', 'on_time'), unit('EC/V02', '南溪村', 'missing'), unit('SH/V01', '石会社区', 'late')],
  summary: { expected: 3, received: 2, onTime: 1, late: 1, missing: 1 },
  published: { revision: 1, url: '/v1/orgs/QJ/summaries/monthly/2024-09' },
};

const me = {
  role: 'district',
  org: { code: 'QJ', name: '黔江区', level: 'district' },
  towns: [
    { code: 'EC', name: '鹅池镇' },
    { code: 'SH', name: '石会镇' },
  ],
} as MeBody;

describe('narrowTo', () => {
  it('reads a district’s completeness as one of its towns: its units by short code, its counts, no publication of its own', () => {
    // Act
    const ec = narrowTo(district, { code: 'EC', name: '鹅池镇', level: 'town' });

    // Assess
    expect(ec).toMatchObject({ org: 'EC', orgName: '鹅池镇', level: 'town', published: null });
    expect(ec.units.map((u) => [u.unit, u.fullCode])).toEqual([
      ['V01', 'EC/V01'],
      ['V02', 'EC/V02'],
    ]);
    expect(ec.summary).toEqual({ expected: 2, received: 1, onTime: 1, late: 0, missing: 1 });
    expect(ec.towns).toBeUndefined();
  });

  it('leaves an answer for the node asked as it is', () => {
    // Assess
    expect(narrowTo(district, me.org)).toBe(district);
  });
});

describe('townsOf', () => {
  it('counts each town from the district’s units, with its missing units by name, when the API lists no towns', () => {
    // Act
    const towns = townsOf(district, me);

    // Assess
    expect(towns).toEqual([
      {
        code: 'EC',
        name: '鹅池镇',
        summary: { expected: 2, received: 1, onTime: 1, late: 0, missing: 1 },
        missingUnits: [{ unit: 'EC/V02', name: '南溪村' }],
        url: '',
      },
      { code: 'SH', name: '石会镇', summary: { expected: 1, received: 1, onTime: 0, late: 1, missing: 0 }, missingUnits: [], url: '' },
    ]);
  });

  it('takes the towns the API lists', () => {
    // Prepare
    const listed = [{ code: 'EC', name: '鹅池镇', summary: district.summary, missingUnits: [], url: '/v1/orgs/EC/completeness/2024-09' }];

    // Assess
    expect(townsOf({ ...district, towns: listed }, me)).toBe(listed);
  });
});
