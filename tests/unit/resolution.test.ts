/**
 * Which unit a file's unit cell means, on the sample district (config/district.json: towns
 * EC, SH, HX whose units share short codes; 新建村 in EC and SH): by full code, division
 * code, short code or name, within the uploader's town (docs/DOMAIN.md#reporting-units);
 * what each uploader may send; and what an upload's intent admits (`EC/ALL`, `ALL/ALL`).
 */
import { describe, expect, it } from 'vitest';
import type { Uploader } from '../../shared/check.ts';
import { uploaderTown } from '../../shared/collector.ts';
import { readFile } from '../../shared/check.ts';
import { outsideIntent } from '../../shared/ingest/upload-findings.ts';
import { check, district } from '../support/core.ts';

/** A long CSV of one value (排查一般隐患 4) for each unit cell given, in March 2025. */
const csvOf = (...cells: string[]) =>
  ['unit,period,metric,value', ...cells.map((c) => `${c},2025-03,general_hazards_found,4`)].join('\n') + '\n';

const checkAs = (uploader: Uploader, text: string, now?: Date) => check(text, { registry: district, uploader, ...(now ? { now } : {}) });

const unitsOf = (result: ReturnType<typeof check>) => result.submissions.map((s) => s.unit);

describe('Registry.resolve', () => {
  it.each([
    ['EC/V03', undefined, 'EC/V03'],
    ['ec/v03', undefined, 'EC/V03'],
    ['ＥＣ／Ｖ０３', undefined, 'EC/V03'],
    [' SH / V05 ', undefined, 'SH/V05'],
    ['500114111005', undefined, 'SH/V05'],
    ['５００１１４１１２００２', undefined, 'HX/V02'],
    ['V03', 'SH', 'SH/V03'],
    ['v03', 'HX', 'HX/V03'],
    ['新建村', 'SH', 'SH/V05'],
    ['胜地村', undefined, 'HX/V02'],
    ['TOWN', 'EC', 'EC/TOWN'],
  ])('reads %s (town %s) as %s', (text, town, fullCode) => {
    expect(district.resolve(text, town)).toEqual({ unit: district.get(fullCode) });
  });

  it('finds a short code or name of several towns ambiguous without a town, naming every candidate', () => {
    // Act
    const code = district.resolve('V01');
    const name = district.resolve('新建村');

    // Assess
    expect(code).toMatchObject({ problem: 'ambiguous' });
    expect(code.unit === undefined && code.problem === 'ambiguous' && code.candidates.map((u) => u.fullCode)).toEqual([
      'EC/V01',
      'SH/V01',
      'HX/V01',
    ]);
    expect(name.unit === undefined && name.problem === 'ambiguous' && name.candidates.map((u) => u.fullCode)).toEqual(['EC/V05', 'SH/V05']);
  });

  it('finds nothing for a code of no unit, nor for a name of another town within a town', () => {
    expect(district.resolve('V09')).toEqual({ problem: 'unknown' });
    expect(district.resolve('XX/V01')).toEqual({ problem: 'unknown' });
    expect(district.resolve('胜地村', 'EC')).toEqual({ problem: 'unknown' });
    expect(district.resolve('500114119999')).toEqual({ problem: 'unknown' });
  });
});

describe('uploaderTown', () => {
  it.each([
    [{ role: 'village', unit: 'SH/V05' }, 'SH'],
    [{ role: 'town', town: 'HX' }, 'HX'],
    [{ role: 'admin', town: 'EC' }, 'EC'],
    [{ role: 'admin' }, undefined],
    [{ role: 'district' }, undefined],
  ] as const)('reads the short codes of %o within town %s', (uploader, town) => {
    expect(uploaderTown(uploader)).toBe(town);
  });
});

describe('checkFile on the district: resolution within the uploader’s town', () => {
  it('reads a village’s short code and name as its own unit', () => {
    // Act
    const byCode = checkAs({ role: 'village', unit: 'SH/V05' }, csvOf('V05'));
    const byName = checkAs({ role: 'village', unit: 'SH/V05' }, csvOf('新建村'));

    // Assess
    expect(byCode.errors).toEqual([]);
    expect(unitsOf(byCode)).toEqual(['SH/V05']);
    expect(unitsOf(byName)).toEqual(['SH/V05']);
  });

  it('reads a town’s short codes, names, full codes and division codes as its own units', () => {
    // Act
    const result = checkAs({ role: 'town', town: 'HX' }, csvOf('V01', '胜地村', 'hx/v03', '500114112004'));

    // Assess
    expect(result.errors).toEqual([]);
    expect(unitsOf(result)).toEqual(['HX/V01', 'HX/V02', 'HX/V03', 'HX/V04']);
  });

  it('reads an admin’s short codes within the town the upload names', () => {
    const result = checkAs({ role: 'admin', town: 'SH' }, csvOf('V01', '新建村'));
    expect(unitsOf(result)).toEqual(['SH/V01', 'SH/V05']);
  });

  it('reads an admin’s full codes, division codes and district-unique names without a town', () => {
    // Act
    const result = checkAs({ role: 'admin' }, csvOf('EC/V01', 'SH/V01', '500114112001', '胜地村'));

    // Assess
    expect(result.errors).toEqual([]);
    expect(unitsOf(result)).toEqual(['EC/V01', 'SH/V01', 'HX/V01', 'HX/V02']);
  });

  it('gives AMBIGUOUS_UNIT for an admin without a town writing a short code of every town, in Chinese naming the candidates', () => {
    // Act
    const result = checkAs({ role: 'admin' }, csvOf('V01', 'V01'));

    // Assess: once, at its first row
    expect(result.status).toBe('rejected');
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ code: 'AMBIGUOUS_UNIT', row: 2, column: 'unit', value: 'V01' });
    const message = result.errors[0]!.message;
    expect(message).toContain('第2行A列“unit”');
    for (const candidate of ['EC/V01 鹅池镇鹅池社区', 'SH/V01 石会镇石会社区', 'HX/V01 黑溪镇黑溪社区'])
      expect(message).toContain(candidate);
    expect(message).toContain('多个镇');
    expect(message).toContain('完整代码（如 EC/V01）');
  });

  it('gives UNIT_NOT_ALLOWED for a town sending another town’s unit by full or division code, naming its own town', () => {
    // Act
    const byFull = checkAs({ role: 'town', town: 'EC' }, csvOf('V02', 'SH/V01'));
    const byDivision = checkAs({ role: 'town', town: 'EC' }, csvOf('500114111001'));

    // Assess
    expect(byFull.status).toBe('rejected');
    expect(byFull.errors).toEqual([expect.objectContaining({ code: 'UNIT_NOT_ALLOWED', row: 3, value: 'SH/V01' })]);
    expect(byFull.errors[0]!.message).toContain('本镇（鹅池镇）的单位');
    expect(byDivision.errors).toEqual([expect.objectContaining({ code: 'UNIT_NOT_ALLOWED', row: 2, value: '500114111001' })]);
  });

  it('gives UNIT_NOT_ALLOWED for a village sending the unit of the same short code in another town', () => {
    const result = checkAs({ role: 'village', unit: 'EC/V01' }, csvOf('SH/V01'));
    expect(result.errors).toEqual([expect.objectContaining({ code: 'UNIT_NOT_ALLOWED', value: 'SH/V01' })]);
    expect(result.errors[0]!.message).toContain('本单位（V01 鹅池社区）');
  });

  it('gives UNKNOWN_UNIT for a town writing another town’s name, listing its own town’s codes', () => {
    const result = checkAs({ role: 'town', town: 'EC' }, csvOf('胜地村'));
    expect(result.errors).toEqual([expect.objectContaining({ code: 'UNKNOWN_UNIT', value: '胜地村' })]);
    expect(result.errors[0]!.message).toContain('V01、V02');
    expect(result.errors[0]!.message).not.toContain('HX/');
  });

  it('gives UNKNOWN_UNIT for a unit before its from month, naming the unit and the month', () => {
    // Act: SH/V08 exists from 2025-07; the file is March's.
    const result = checkAs({ role: 'town', town: 'SH' }, csvOf('V08'));

    // Assess
    expect(result.status).toBe('rejected');
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'UNKNOWN_UNIT', row: 2, value: 'V08', unit: 'SH/V08', period: '2025-03' }),
    ]);
    const message = result.errors[0]!.message;
    for (const words of ['东山社区', '2025-07', '2025年3月']) expect(message).toContain(words);
  });

  it('gives UNKNOWN_UNIT for a unit after its until month, and accepts its last month', () => {
    // Prepare: HX/V07 exists until 2025-06; the clock is in September 2025.
    const now = new Date('2025-09-03T09:00:00+08:00');
    const text = (month: string) => `unit,period,general_hazards_found\nV07,${month},1\n`;

    // Act
    const june = checkAs({ role: 'town', town: 'HX' }, text('2025-06'), now);
    const july = checkAs({ role: 'town', town: 'HX' }, text('2025-07'), now);

    // Assess
    expect(unitsOf(june)).toEqual(['HX/V07']);
    expect(july.errors).toEqual([expect.objectContaining({ code: 'UNKNOWN_UNIT', unit: 'HX/V07', period: '2025-07' })]);
    for (const words of ['联合村', '2025-06', '2025年7月']) expect(july.errors[0]!.message).toContain(words);
  });
});

describe('outsideIntent: the units an upload’s key admits', () => {
  const sub = (unit: string) => ({ unit, period: '2025-03', values: { general_hazards_found: 1 } });

  it('admits under EC/ALL only the units of town EC, UNIT_MISMATCH naming the town for the others', () => {
    // Act
    const findings = outsideIntent({ unit: 'EC/ALL', period: '2025-03' }, [sub('EC/V01'), sub('EC/TOWN'), sub('SH/V01')], district);

    // Assess
    expect(findings).toEqual([expect.objectContaining({ code: 'UNIT_MISMATCH', value: 'SH/V01', unit: 'SH/V01' })]);
    expect(findings[0]!.message).toContain('文件里有单位 SH/V01 石会镇石会社区 的数据');
    expect(findings[0]!.message).toContain('上传时选的单位是 鹅池镇（EC）的单位');
  });

  it('admits under ALL/ALL the units of any town', () => {
    expect(outsideIntent({ unit: 'ALL/ALL', period: 'unknown' }, [sub('EC/V01'), sub('SH/V01'), sub('HX/V08')], district)).toEqual([]);
  });

  it('admits under a full code that unit only, not the same short code of another town', () => {
    const findings = outsideIntent({ unit: 'EC/V01', period: '2025-03' }, [sub('EC/V01'), sub('SH/V01')], district);
    expect(findings.map((f) => [f.code, f.value])).toEqual([['UNIT_MISMATCH', 'SH/V01']]);
    expect(findings[0]!.message).toContain('上传时选的单位是 EC/V01 鹅池镇鹅池社区');
  });
});

describe('outsideIntent: a wrong month or unit at the rows it is on', () => {
  const read = (text: string) =>
    readFile(new TextEncoder().encode(text), {
      registry: district,
      uploader: { role: 'town', town: 'EC' },
      now: new Date('2025-04-03T09:00:00+08:00'),
    });

  it('reports PERIOD_MISMATCH for each unit-month of another month, at its month cell, naming all its rows', () => {
    // Prepare: V03's February over rows 3–4 and V04's over row 5, in an upload for March.
    const file = read(
      '单位代码,月份,指标代码,数值\nV03,2025-03,general_hazards_found,1\nV03,2025-02,general_hazards_found,2\nV03,2025-02,hazards_rectified,1\nV04,2025-02,general_hazards_found,3\n',
    );

    // Act
    const findings = outsideIntent({ unit: 'EC/ALL', period: '2025-03' }, file.submissions, district, (s) => file.placeOf(s));

    // Assess
    expect(findings.map((f) => [f.code, f.unit, f.row, f.column])).toEqual([
      ['PERIOD_MISMATCH', 'EC/V03', 3, '月份'],
      ['PERIOD_MISMATCH', 'EC/V04', 5, '月份'],
    ]);
    expect(findings[0]!.message).toMatch(/^第3行B列“月份”：文件里是 2025-02 的数据（第3、4行）/);
    expect(findings[1]!.message).toMatch(/^第5行B列“月份”：文件里是 2025-02 的数据，/);
  });

  it('reports UNIT_MISMATCH at the unit cell of the row concerned', () => {
    // Prepare: a wide file of two rows; the second is another unit than the upload's.
    const file = read('单位代码,月份,general_hazards_found\nV03,2025-03,1\nV04,2025-03,2\n');

    // Act
    const findings = outsideIntent({ unit: 'EC/V03', period: '2025-03' }, file.submissions, district, (s) => file.placeOf(s));

    // Assess
    expect(findings.map((f) => [f.code, f.value, f.row, f.column])).toEqual([['UNIT_MISMATCH', 'EC/V04', 3, '单位代码']]);
    expect(findings[0]!.message).toMatch(/^第3行A列“单位代码”：/);
  });
});
