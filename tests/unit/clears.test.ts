/**
 * What a file states, for corrections (docs/DOMAIN.md#corrections): a value sets a key, a
 * blank (long row with no value, blank wide cell, JSON `null`) clears it, a key the file
 * does not name is not stated. Totals the check adds up from categories are listed as implied.
 */
import { describe, expect, it } from 'vitest';
import { VALUE_KEYS } from '../../shared/catalogue.ts';
import type { FileCheck, Submission } from '../../shared/check.ts';
import { template, writeSubmissions, type WrittenFormat } from '../../shared/write.ts';
import { check, registry } from '../support/core.ts';

const LONG = 'unit,period,metric,label,value,note\n';
const json = (values: Record<string, unknown>) => JSON.stringify({ unit: 'V03', period: '2025-03', values });

function expectAccepted(result: FileCheck, submissions: Submission[]): void {
  expect(result.errors).toEqual([]);
  expect(result.status).toBe('accepted');
  expect(result.submissions).toEqual(submissions);
}

function expectOnlyError(result: FileCheck, code: string): void {
  expect(result.status).toBe('rejected');
  expect(result.errors.map((e) => e.code)).toEqual([code]);
}

describe('long CSV: a row with a blank value', () => {
  it('clears its metric, beside the values of the other rows', () => {
    // Prepare
    const text = `${LONG}V03,2025-03,general_hazards_found,,10,\nV03,2025-03,hazards_rectified,,,\n`;

    // Act
    const result = check(text);

    // Assess
    expectAccepted(result, [{ unit: 'EC/V03', period: '2025-03', values: { general_hazards_found: 10 }, cleared: ['hazards_rectified'] }]);
  });

  it('is a statement alone: a file that only clears is accepted', () => {
    // Act
    const result = check(`${LONG}V03,2025-03,,排查一般隐患(处),,本月数据有误\n`);

    // Assess
    expectAccepted(result, [{ unit: 'EC/V03', period: '2025-03', values: {}, cleared: ['general_hazards_found'] }]);
  });

  it.each([
    ['no metric', 'V03,2025-03,,,,备注'],
    ['an unknown metric', 'V03,2025-03,no_such_metric,,,'],
    ['no unit', ',2025-03,general_hazards_found,,,'],
    ['no month', 'V03,,hazards_rectified,,,'],
    ['合计 in it', '合计,2025-03,general_hazards_found,,,'],
  ])('states nothing with %s: a file of such a row is EMPTY_FILE', (_, row) => {
    // Act
    const result = check(`${LONG}${row}\n`);

    // Assess
    expectOnlyError(result, 'EMPTY_FILE');
  });

  it('takes its unit from a merged cell above, as a row with a value does', () => {
    // Act
    const result = check(`${LONG}V03,2025-03,general_hazards_found,,4,\n,,hazards_rectified,,,\n`);

    // Assess
    expectAccepted(result, [{ unit: 'EC/V03', period: '2025-03', values: { general_hazards_found: 4 }, cleared: ['hazards_rectified'] }]);
  });

  it('rejects the template uploaded unfilled as EMPTY_FILE: a month with every key blank is a blank template', () => {
    // Prepare
    const blank = template({ format: 'long', registry, unit: 'EC/V03', period: '2025-03' });

    // Act
    const result = check(blank);

    // Assess
    expectOnlyError(result, 'EMPTY_FILE');
  });

  it('clears every other key of a template filled in for one metric: a full template replaces the month', () => {
    // Prepare
    const filled = template({ format: 'long', registry, unit: 'EC/V03', period: '2025-03' }).replace(
      /(general_hazards_found,[^,]*),/,
      '$1,7',
    );

    // Act
    const result = check(filled);

    // Assess
    const others = VALUE_KEYS.map((k) => k.key).filter((key) => key !== 'general_hazards_found');
    expectAccepted(result, [{ unit: 'EC/V03', period: '2025-03', values: { general_hazards_found: 7 }, cleared: others }]);
  });

  it('leaves a blank total beside its given categories to be added up (implied), as the template says', () => {
    // Prepare
    const text = `${LONG}V03,2025-03,disputes_resolved,,,可只填下面各分类\nV03,2025-03,disputes_resolved.labor,,2,\nV03,2025-03,disputes_resolved.family,,,\n`;

    // Act
    const result = check(text);

    // Assess
    expectAccepted(result, [
      {
        unit: 'EC/V03',
        period: '2025-03',
        values: { disputes_resolved: 2, 'disputes_resolved.labor': 2 },
        cleared: ['disputes_resolved.family'],
        implied: ['disputes_resolved'],
      },
    ]);
  });

  it.each([
    ['set, then cleared', '5', ''],
    ['cleared, then set', '', '5'],
    ['cleared twice', '', ''],
  ])('rejects a key %s in one unit-month as DUPLICATE_METRIC at the second row', (_, first, second) => {
    // Prepare
    const text = `${LONG}V03,2025-03,general_hazards_found,,${first},\nV03,2025-03,,排查一般隐患,${second},\n`;

    // Act
    const result = check(text);

    // Assess
    expectOnlyError(result, 'DUPLICATE_METRIC');
    expect(result.errors[0]).toMatchObject({ row: 3, unit: 'EC/V03', period: '2025-03' });
    expect(result.errors[0]!.message).toContain(first === '' ? '第2行已留空' : '第2行已填写');
  });
});

describe('wide CSV: a blank cell', () => {
  it('clears the key of its column in a row with a value; a metric without a column is not stated', () => {
    // Act
    const result = check('单位代码,月份,排查一般隐患(处),隐患完成整改(处)\nV03,2025-03,6,\n');

    // Assess
    expectAccepted(result, [{ unit: 'EC/V03', period: '2025-03', values: { general_hazards_found: 6 }, cleared: ['hazards_rectified'] }]);
  });

  it('states nothing in a row whose value cells are all blank (a template unit not filled in)', () => {
    // Act
    const some = check('单位代码,单位名称,月份,排查一般隐患(处),隐患完成整改(处)\nV03,石柱村,2025-03,6,1\nV04,红岩村,2025-03,,\n');
    const none = check('单位代码,单位名称,月份,排查一般隐患(处),隐患完成整改(处)\nV04,红岩村,2025-03,,\n');

    // Assess
    expectAccepted(some, [{ unit: 'EC/V03', period: '2025-03', values: { general_hazards_found: 6, hazards_rectified: 1 } }]);
    expectOnlyError(none, 'EMPTY_FILE');
  });

  it('clears a blank category, the total then implied as the sum of the others', () => {
    // Act
    const result = check('unit,period,disputes_resolved,disputes_resolved.labor,disputes_resolved.other\nV03,2025-03,,3,\n');

    // Assess
    expectAccepted(result, [
      {
        unit: 'EC/V03',
        period: '2025-03',
        values: { disputes_resolved: 3, 'disputes_resolved.labor': 3 },
        cleared: ['disputes_resolved.other'],
        implied: ['disputes_resolved'],
      },
    ]);
  });
});

describe('JSON: a key with null', () => {
  it('clears it; a key absent is not stated', () => {
    // Act
    const result = check(json({ general_hazards_found: 3, 隐患完成整改: null }));

    // Assess
    expectAccepted(result, [{ unit: 'EC/V03', period: '2025-03', values: { general_hazards_found: 3 }, cleared: ['hazards_rectified'] }]);
  });

  it('is a statement alone: a record of nulls only is accepted, a record of nothing is EMPTY_FILE', () => {
    // Act
    const nulls = check(json({ petitions_received: null, petitions_closed: null }));
    const nothing = check(json({}));

    // Assess
    expectAccepted(nulls, [{ unit: 'EC/V03', period: '2025-03', values: {}, cleared: ['petitions_received', 'petitions_closed'] }]);
    expectOnlyError(nothing, 'EMPTY_FILE');
  });

  it('clears a category inside its metric’s object, the total implied from the categories given', () => {
    // Act
    const result = check(json({ disputes_resolved: { labor: null, family: 2 } }));

    // Assess
    expectAccepted(result, [
      {
        unit: 'EC/V03',
        period: '2025-03',
        values: { disputes_resolved: 2, 'disputes_resolved.family': 2 },
        cleared: ['disputes_resolved.labor'],
        implied: ['disputes_resolved'],
      },
    ]);
  });

  it('clears a total given as null without categories: cleared, not implied', () => {
    // Act
    const alone = check(json({ disputes_resolved: null }));
    const inObject = check(json({ disputes_resolved: { 合计: null } }));

    // Assess
    const cleared: Submission = { unit: 'EC/V03', period: '2025-03', values: {}, cleared: ['disputes_resolved'] };
    expectAccepted(alone, [cleared]);
    expectAccepted(inObject, [cleared]);
  });

  it('clears a key given as a blank string, as a blank cell', () => {
    // Act
    const result = check(json({ general_hazards_found: ' ', hazards_rectified: 1 }));

    // Assess
    expectAccepted(result, [{ unit: 'EC/V03', period: '2025-03', values: { hazards_rectified: 1 }, cleared: ['general_hazards_found'] }]);
  });

  it('rejects a key both null and a number (two spellings) as DUPLICATE_METRIC', () => {
    // Act
    const result = check(json({ general_hazards_found: null, 排查一般隐患: 4 }));

    // Assess
    expectOnlyError(result, 'DUPLICATE_METRIC');
    expect(result.errors[0]).toMatchObject({ row: 1, column: 'values.排查一般隐患' });
    expect(result.errors[0]!.message).toContain('“values.general_hazards_found”已留空');
  });
});

describe('implied totals', () => {
  it('lists a total only when the check added it up, never one the file wrote', () => {
    // Act
    const summed = check(`${LONG}V03,2025-03,disputes_resolved.labor,,1,\nV03,2025-03,disputes_resolved.family,,2,\n`);
    const written = check(`${LONG}V03,2025-03,disputes_resolved,,3,\nV03,2025-03,disputes_resolved.labor,,3,\n`);
    const totalOnly = check(`${LONG}V03,2025-03,disputes_resolved,,3,\n`);

    // Assess
    expect(summed.submissions[0]).toMatchObject({ values: { disputes_resolved: 3 }, implied: ['disputes_resolved'] });
    expect(written.submissions[0]!.implied).toBeUndefined();
    expect(totalOnly.submissions[0]!.implied).toBeUndefined();
    expect(totalOnly.submissions[0]!.cleared).toBeUndefined();
  });
});

describe('writeSubmissions: cleared keys and implied totals', () => {
  const submissions: Submission[] = [
    {
      unit: 'EC/V03',
      period: '2025-03',
      values: { general_hazards_found: 2, disputes_resolved: 1, 'disputes_resolved.labor': 1 },
      cleared: ['hazards_rectified', 'disputes_resolved.family'],
      implied: ['disputes_resolved'],
    },
  ];

  it.each([
    ['long', 'code'],
    ['long', 'label'],
    ['wide', 'code'],
    ['wide', 'label'],
    ['json', 'code'],
  ] as const)('writes cleared keys blank (%s, %s headers) and leaves implied totals out, so they read back equal', (format, headers) => {
    // Act
    const text = writeSubmissions(submissions, { format, headers });

    // Assess
    expect(text).not.toMatch(format === 'json' ? /"disputes_resolved": 1/ : /disputes_resolved,|排查化解矛盾纠纷\(件\),/);
    expectAccepted(check(text), submissions);
  });

  it.each(['long', 'json'] as const)('writes a submission that only clears in %s, which reads back equal', (format: WrittenFormat) => {
    // Prepare
    const onlyClears: Submission[] = [{ unit: 'EC/V03', period: '2025-03', values: {}, cleared: ['veteran_aid_yuan'] }];

    // Act
    const text = writeSubmissions(onlyClears, { format, headers: 'code' });

    // Assess
    expectAccepted(check(text), onlyClears);
  });
});
