/**
 * Issue 13, hole 3: a JSON key written twice kept its last value silently. Now a metric or
 * category twice is DUPLICATE_METRIC, and any other key of a record twice (unit, period,
 * values, a note) is MALFORMED (docs/DOMAIN.md#hostile-input).
 */
import { describe, expect, it } from 'vitest';
import type { FileCheck } from '../../shared/check.ts';
import { check } from '../support/core.ts';

const village = { uploader: { role: 'village', unit: 'EC/V03' } } as const;
const where = (result: FileCheck) => result.errors.map((e) => ({ code: e.code, row: e.row, column: e.column, value: e.value }));
const record = (values: string, extra = '') => `{"unit":"V03","period":"2025-03",${extra}"values":{${values}}}`;

describe('a metric written twice in a JSON record', () => {
  it.each([
    ['by its code twice', '"general_hazards_found":3,"general_hazards_found":5', 'values.general_hazards_found', '5'],
    ['by code and by Chinese label', '"general_hazards_found":3,"排查一般隐患":5', 'values.排查一般隐患', '5'],
    ['a category twice', '"disputes_resolved":{"labor":1,"labor":2}', 'values.disputes_resolved.labor', '2'],
    [
      'a category by path and in the object',
      '"disputes_resolved.labor":1,"disputes_resolved":{"labor":2}',
      'values.disputes_resolved.labor',
      '2',
    ],
    ['a total twice', '"disputes_resolved":{"total":3,"合计":3}', 'values.disputes_resolved.合计', '3'],
    [
      'a broken-down metric twice',
      '"disputes_resolved":{"labor":1},"disputes_resolved":{"family":2}',
      'values.disputes_resolved',
      '{"family":2}',
    ],
    ['once a value, once cleared', '"general_hazards_found":3,"general_hazards_found":null', 'values.general_hazards_found', 'null'],
    ['a name the catalogue lacks', '"foo":1,"foo":2', 'values.foo', '2'],
  ])('is DUPLICATE_METRIC: %s', (_what, values, column, value) => {
    // Act
    const result = check(record(values), village);

    // Assess
    expect(result.status).toBe('rejected');
    expect(where(result)).toContainEqual({ code: 'DUPLICATE_METRIC', row: 1, column, value });
    expect(result.errors.find((e) => e.code === 'DUPLICATE_METRIC')?.message).toMatch(/重复填写/);
  });

  it('is reported at its record in an array, once per repeat', () => {
    // Prepare
    const second =
      '{"unit":"V03","period":"2025-02","values":{"general_hazards_found":1,"general_hazards_found":2,"general_hazards_found":3}}';

    // Act
    const result = check(`[${record('"general_hazards_found":1')},${second}]`, village);

    // Assess
    expect(where(result)).toEqual([
      { code: 'DUPLICATE_METRIC', row: 2, column: 'values.general_hazards_found', value: '2' },
      { code: 'DUPLICATE_METRIC', row: 2, column: 'values.general_hazards_found', value: '3' },
    ]);
  });
});

describe('another key written twice in a JSON record', () => {
  it.each([
    ['unit', '{"unit":"V03","unit":"V04","period":"2025-03","values":{"general_hazards_found":3}}', 'unit', 'V04'],
    ['period', '{"unit":"V03","period":"2025-03","period":"2025-02","values":{"general_hazards_found":3}}', 'period', '2025-02'],
    ['values', record('"general_hazards_found":3', '"values":{"hazards_rectified":1},'), 'values', '{"general_hazards_found":3}'],
    ['a note', record('"general_hazards_found":3', '"note":"a","note":"b",'), 'note', 'b'],
    ['a key inside a note', record('"general_hazards_found":3', '"note":{"by":"a","by":"b"},'), 'note.by', 'b'],
    ['a Chinese field name', '{"单位代码":"V03","单位代码":"V04","月份":"2025-03","数值":{"general_hazards_found":3}}', '单位代码', 'V04'],
  ])('is MALFORMED: %s', (_what, text, column, value) => {
    // Act
    const result = check(text, village);

    // Assess
    expect(result.status).toBe('rejected');
    expect(where(result)).toEqual([{ code: 'MALFORMED', row: 1, column, value }]);
    expect(result.errors[0]?.message).toContain('出现了不止一次');
  });

  it('does not count the second unit of a record', () => {
    // Act: as a town's upload, V04 would have been a unit the uploader may send for.
    const result = check('{"unit":"V03","unit":"V04","period":"2025-03","values":{"general_hazards_found":3}}', {
      uploader: { role: 'town', town: 'EC' },
    });

    // Assess
    expect(result.submissions).toEqual([]);
    expect(where(result)).toEqual([{ code: 'MALFORMED', row: 1, column: 'unit', value: 'V04' }]);
  });
});
