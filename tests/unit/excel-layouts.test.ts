/** What people's Excel sheets carry around the data, and how each is read. */
import { describe, expect, it } from 'vitest';
import { check } from '../support/core.ts';

describe('checkFile: sheets laid out by people', () => {
  it('skips a title line and a 填报单位/填报日期 line above the header', () => {
    // Prepare
    const text = [
      '鹅池镇法治建设统计月报表,,,,,',
      '填报单位：石柱村,,,填报日期：2025-04-02,,',
      '单位代码,月份,指标代码,指标名称,数值,备注',
      'V03,2025-03,general_hazards_found,排查一般隐患(处),4,',
    ].join('\r\n');

    // Act
    const result = check(text);

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.submissions).toEqual([{ unit: 'EC/V03', period: '2025-03', values: { general_hazards_found: 4 } }]);
  });

  it('still refuses a file whose header names too little, for what it lacks', () => {
    const result = check('unit,something\nV03,4\n');
    expect(result.status).toBe('rejected');
    expect(result.errors.map((e) => [e.code, e.row])).toEqual([['MISSING_COLUMN', 1]]);
  });

  it('skips a 合计 row whose unit and month were filled down', () => {
    const text = 'unit,period,metric,label,value,note\nV03,2025-03,general_hazards_found,,4,\nV03,2025-03,,合计,4,\n';
    const result = check(text);
    expect(result.errors).toEqual([]);
    expect(result.submissions).toEqual([{ unit: 'EC/V03', period: '2025-03', values: { general_hazards_found: 4 } }]);
  });

  it('skips footer rows without values (填报人, 审核人) in a wide sheet', () => {
    const text = '单位代码,月份,排查一般隐患(处)\nV03,2025-03,4\n填报人：张三,,\n审核人：李四,联系电话：123,\n';
    const result = check(text);
    expect(result.errors).toEqual([]);
    expect(result.submissions).toHaveLength(1);
  });

  it('gives a blank unit or month the one above it, as Excel exports merged cells', () => {
    // Prepare: the unit and month merged down rows 2-4 of a long sheet.
    const text = '单位代码,月份,指标代码,数值\nV03,2025年3月,general_hazards_found,4\n,,hazards_rectified,4\n,,petitions_received,1\n';

    // Act
    const result = check(text);

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.submissions).toEqual([
      { unit: 'EC/V03', period: '2025-03', values: { general_hazards_found: 4, hazards_rectified: 4, petitions_received: 1 } },
    ]);
  });

  it('still refuses a blank unit on the first data row', () => {
    const result = check('单位代码,月份,指标代码,数值\n,2025-03,general_hazards_found,4\n');
    expect(result.errors).toMatchObject([{ code: 'UNKNOWN_UNIT', row: 2, column: '单位代码', value: '' }]);
    expect(result.errors[0]!.message).toContain('单位代码为空');
  });
});

describe('checkFile: findings quote what was written', () => {
  it('gives a future month as written, and the month read in the message', () => {
    const result = check('unit,period,general_hazards_found\nV03,2026/3,4\n');
    expect(result.errors).toMatchObject([{ code: 'FUTURE_PERIOD', value: '2026/3' }]);
    expect(result.errors[0]!.message).toContain('2026-03');
  });

  it('gives an unknown category in its own case', () => {
    const result = check('unit,period,disputes_resolved.Neighbour\nV03,2025-03,4\n');
    expect(result.errors).toMatchObject([{ code: 'UNKNOWN_CATEGORY', row: 1, column: 'disputes_resolved.Neighbour', value: 'Neighbour' }]);
  });

  it('names the duplicated value in a DUPLICATE_METRIC message', () => {
    const result = check('unit,period,metric,value\nV03,2025-03,general_hazards_found,4\nV03,2025-03,general_hazards_found,6\n');
    expect(result.errors).toMatchObject([{ code: 'DUPLICATE_METRIC', row: 3, column: 'value', value: '6' }]);
    expect(result.errors[0]!.message).toContain('“6”');
    expect(result.errors[0]!.message).toContain('第2行');
  });

  it('places an OUTLIER on a total worked out from its categories at the row of the submission', () => {
    // Prepare
    const history = ['2024-12', '2025-01', '2025-02'].map((period, i) => ({
      unit: 'EC/V03',
      period,
      values: { disputes_resolved: [4, 3, 5][i]! },
    }));

    // Act
    const result = check('unit,period,metric,value\nV03,2025-03,disputes_resolved.labor,40\nV03,2025-03,disputes_resolved.family,20\n', {
      history,
    });

    // Assess
    expect(result.status).toBe('accepted');
    expect(result.warnings).toMatchObject([{ code: 'OUTLIER', row: 2, value: '60' }]);
    expect(result.warnings[0]!.message).toContain('第2行');
  });
});
