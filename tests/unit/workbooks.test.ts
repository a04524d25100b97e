/**
 * The workbooks people download (shared/workbooks): the template — the CSV template's
 * content, frozen, protected, validated, explained — and the summaries, with every unit
 * of the town (those that did not report marked and blank), the totals, the rates and the
 * revision. Read back with openpyxl and LibreOffice.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { PublishedSummary } from '../../shared/ports/summaries.ts';
import { sum } from '../../shared/rollup.ts';
import { monthSummary, yearSummary, type MonthEntry } from '../../shared/summary.ts';
import { templateWorkbook } from '../../shared/workbooks/template.ts';
import { summaryWorkbook } from '../../shared/workbooks/summary.ts';
import { template } from '../../shared/write.ts';
import { district as registry } from '../support/district.ts';
import { libreOfficeCsv, openpyxl, type ReadSheet } from '../support/office.ts';

/** The CSV template's cells, blanks as null (as openpyxl reads a blank cell). */
function csvCells(csv: string): (string | null)[][] {
  return (parseCsv(csv.replace(/^\uFEFF/, '')) as string[][]).map((row) => row.map((c) => (c === '' ? null : c)));
}

const EC = { registry, period: '2025-03', town: 'EC' } as const;
const column = (sheet: ReadSheet, letter: string) => Object.entries(sheet.cells).filter(([ref]) => ref.replace(/\d+$/, '') === letter);

describe('templateWorkbook, long', () => {
  it('holds the CSV template’s content on 月报表, the header readable by the same names', () => {
    // Act
    const book = openpyxl(templateWorkbook({ ...EC, format: 'long' }));

    // Assess
    expect(book.sheets.map((s) => s.title)).toEqual(['月报表', '填表说明']);
    expect(book.sheets[0]!.values).toEqual(csvCells(template({ ...EC, format: 'long' })));
    expect(book.sheets[0]!.values[0]).toEqual(['单位代码', '月份', '指标代码', '指标名称', '数值', '备注']);
    expect(book.title).toBe('鹅池镇2025年3月法治统计月报填报模板');
  });

  it('freezes the header, locks codes and labels, unlocks the values and writes the month as text', () => {
    // Act
    const sheet = openpyxl(templateWorkbook({ ...EC, format: 'long', unit: 'EC/V02' })).sheets[0]!;

    // Assess
    expect(sheet.freeze).toBe('A2');
    expect(sheet.protected).toBe(true);
    expect(column(sheet, 'C').every(([, c]) => c.locked)).toBe(true);
    expect(column(sheet, 'D').every(([, c]) => c.locked)).toBe(true);
    expect(
      column(sheet, 'E')
        .filter(([ref]) => ref !== 'E1')
        .every(([, c]) => !c.locked),
    ).toBe(true);
    expect(sheet.cells['B2']).toMatchObject({ format: '@', locked: false });
    expect(sheet.cells['A2']).toMatchObject({ locked: true });
    expect(sheet.values[1]!.slice(0, 2)).toEqual(['V02', '2025-03']);
    expect(sheet.cells['E1']).toMatchObject({ bold: true, locked: true });
  });

  it('validates counts as whole numbers ≥ 0 and the money as ≥ 0 with 2 decimals, the dispute total with its note', () => {
    // Act
    const sheet = openpyxl(templateWorkbook({ ...EC, format: 'long', unit: 'EC/V02' })).sheets[0]!;
    const row = (key: string) => sheet.values.findIndex((r) => r[2] === key) + 1;

    // Assess
    expect(sheet.validations).toEqual([
      {
        type: 'whole',
        operator: 'greaterThanOrEqual',
        formula1: '0',
        sqref: `E2:E${row('disputes_resolved') - 1} E${row('disputes_resolved') + 1}:E${row('veteran_aid_yuan') - 1}`,
        prompt: null,
      },
      {
        type: 'whole',
        operator: 'greaterThanOrEqual',
        formula1: '0',
        sqref: `E${row('disputes_resolved')}`,
        prompt: '可只填下面各分类，合计自动计算',
      },
      {
        type: 'custom',
        operator: null,
        formula1: `AND(ISNUMBER(E${row('veteran_aid_yuan')}),E${row('veteran_aid_yuan')}>=0,ROUND(E${row('veteran_aid_yuan')},2)=E${row('veteran_aid_yuan')})`,
        sqref: `E${row('veteran_aid_yuan')}`,
        prompt: '单位：元，最多2位小数',
      },
    ]);
    expect(sheet.cells[`E${row('veteran_aid_yuan')}`]).toMatchObject({ format: '0.00', locked: false });
    expect(sheet.cells[`E${row('legal_trainings')}`]).toMatchObject({ format: '0', locked: false });
  });

  it('lets a blank unit cell choose from the town’s units, listed on 填表说明 with the dispute categories', () => {
    // Act
    const book = openpyxl(templateWorkbook({ ...EC, format: 'long' }));
    const [sheet, guide] = book.sheets;

    // Assess
    expect(sheet!.validations.at(-1)).toEqual({
      type: 'list',
      operator: null,
      formula1: 'UnitCodes',
      sqref: 'A2:A43',
      prompt: '从下拉列表选择本单位代码（见“填表说明”中的单位名录）。',
    });
    expect(sheet!.cells['A2']).toMatchObject({ locked: false, format: '@' });
    const ref = /^'填表说明'!\$A\$(\d+):\$A\$(\d+)$/.exec(book.names['UnitCodes']!)!;
    const listed = guide!.values.slice(Number(ref[1]) - 1, Number(ref[2])).map((r) => r.slice(0, 2));
    expect(listed).toEqual(registry.unitsOf('EC').map((u) => [u.code, u.name]));
    const text = guide!.values.flat().join('\n');
    expect(text).toContain('可只填各分类，合计自动计算');
    for (const category of ['征地拆迁', '劳动关系', '婚恋家庭', '土地流转', '其他']) expect(text).toContain(category);
  });

  it('shows LibreOffice the month as 2025-03, not a date', () => {
    const shown = parseCsv(libreOfficeCsv(templateWorkbook({ ...EC, format: 'long', unit: 'EC/V02' }))) as string[][];
    expect(shown[1]!.slice(0, 3)).toEqual(['V02', '2025-03', 'legal_literates']);
  });
});

describe('templateWorkbook, wide', () => {
  it('holds the CSV template’s rows, the units’ codes and names locked and the value columns validated', () => {
    // Act
    const sheet = openpyxl(templateWorkbook({ ...EC, format: 'wide' })).sheets[0]!;

    // Assess
    expect(sheet.values).toEqual(csvCells(template({ ...EC, format: 'wide' })));
    expect(sheet.freeze).toBe('C2');
    expect(sheet.protected).toBe(true);
    expect(sheet.cells['A2']).toMatchObject({ locked: true });
    expect(sheet.cells['B2']).toMatchObject({ locked: true });
    expect(sheet.cells['D2']).toMatchObject({ locked: false, format: '0' });
    expect(sheet.validations.map((v) => [v.type, v.sqref.split(' ').length, v.prompt])).toEqual([
      ['whole', 40, null],
      ['whole', 1, '可只填下面各分类，合计自动计算（右侧各分类列）'],
      ['custom', 1, '单位：元，最多2位小数'],
    ]);
    expect(sheet.validations[2]!.sqref).toBe('AS2:AS10');
  });

  it('lists the district’s units by full code when it spans towns', () => {
    const sheet = openpyxl(templateWorkbook({ registry, period: '2025-03', format: 'wide' })).sheets[0]!;
    expect(sheet.values.slice(1).map((r) => r[0])).toEqual(registry.units.map((u) => u.fullCode));
  });
});

const ENTRIES: MonthEntry[] = [
  {
    unit: 'EC/V01',
    values: { general_hazards_found: 3, hazards_rectified: 2, veteran_aid_yuan: 10_500.5 },
    firstReceivedAt: '2025-04-01T00:00:00Z',
    review: 'approved',
  },
  { unit: 'EC/V02', values: { general_hazards_found: 2, major_hazards_found: 0 }, firstReceivedAt: '2025-04-10T00:00:00Z' },
  { unit: 'SH/V05', values: { general_hazards_found: 7, petitions_received: 1 }, firstReceivedAt: '2025-04-02T00:00:00Z' },
];

function published(org: string, revision = 2): PublishedSummary {
  const own = org === 'QJ' ? ENTRIES : ENTRIES.filter((e) => e.unit.startsWith(`${org}/`));
  const summary = monthSummary(registry, registry.org(org)!, '2025-03', sum(own.map((e) => e.values)), own);
  return { ...summary, kind: 'monthly', revision, publishedAt: '2025-04-06T00:00:00Z', version: 3, changes: [] };
}

/** A row of the figures by its code in column A. */
const rowOf = (sheet: ReadSheet, code: string) => sheet.values.find((r) => r[0] === code)!;

describe("summaryWorkbook, a town's month", () => {
  it('has a title, the period with its revision and publication time, and the completeness named', () => {
    // Act
    const book = openpyxl(summaryWorkbook(published('EC'), registry));
    const sheet = book.sheets[0]!;

    // Assess
    expect(book.sheets.map((s) => s.title)).toEqual(['汇总', '报送情况']);
    expect(sheet.values[0]![0]).toBe('鹅池镇2025年3月法治建设统计汇总');
    expect(sheet.values[1]![0]).toBe('统计期间 2025年3月 · 第2版（有更正） · 发布时间 2025-04-06 08:00（北京时间）');
    expect(sheet.values[2]![0]).toBe(
      '报送情况：应报 9，已报 2（按时 1，迟报 1），未报 7：石柱村、红岩村、新建村、青山村、杉岭村、大坪社区、鹅池镇本级',
    );
    expect(sheet.freeze).toBe('C5');
    expect(book.title).toBe('鹅池镇2025年3月法治建设统计汇总（第2版）');
  });

  it('has a column per unit of the town, those that did not report marked 未报 with blank cells, and the total', () => {
    // Act
    const sheet = openpyxl(summaryWorkbook(published('EC'), registry)).sheets[0]!;
    const header = sheet.values[3]!;

    // Assess
    expect(header.slice(0, 4)).toEqual(['指标代码', '指标名称', '计量单位', '全镇合计']);
    expect(header.slice(4)).toEqual(
      registry.unitsOf('EC').map((u) => `${u.code} ${u.name}${['V01', 'V02'].includes(u.code) ? '' : '（未报）'}`),
    );
    expect(rowOf(sheet, 'general_hazards_found').slice(3)).toEqual([5, 3, 2, null, null, null, null, null, null, null]);
    // A unit's key it did not report is blank, not 0; the total is 0.
    expect(rowOf(sheet, 'major_hazards_found').slice(3, 6)).toEqual([0, null, 0]);
    expect(sheet.cells['G4']).toMatchObject({ bold: true, fill: 'FFF2F2F2' });
  });

  it('writes numbers as numbers: money with 2 decimals, the rates as percentages', () => {
    // Act
    const bytes = summaryWorkbook(published('EC'), registry);
    const sheet = openpyxl(bytes).sheets[0]!;
    const shown = parseCsv(libreOfficeCsv(bytes), { relaxColumnCount: true }) as string[][];
    const at = (code: string) => sheet.values.findIndex((r) => r[0] === code) + 1;

    // Assess
    expect(rowOf(sheet, 'veteran_aid_yuan').slice(3, 5)).toEqual([10_500.5, 10_500.5]);
    expect(sheet.cells[`D${at('veteran_aid_yuan')}`]!.format).toBe('0.00');
    expect(rowOf(sheet, 'rectificationRate').slice(3, 7)).toEqual([0.4, 0.6667, 0, null]);
    expect(sheet.cells[`D${at('rectificationRate')}`]!.format).toBe('0.0%');
    expect(shown.find((r) => r[0] === 'veteran_aid_yuan')!.slice(3, 5)).toEqual(['10500.50', '10500.50']);
    expect(shown.find((r) => r[0] === 'rectificationRate')!.slice(3, 6)).toEqual(['40.0%', '66.7%', '0.0%']);
  });

  it('gives the completeness as numbers on 报送情况, and each unit’s state', () => {
    // Act
    const sheet = openpyxl(summaryWorkbook(published('EC'), registry)).sheets[1]!;

    // Assess
    expect(sheet.values).toContainEqual(['全镇', 9, 2, 1, 1, 7, 1, '石柱村、红岩村、新建村、青山村、杉岭村、大坪社区、鹅池镇本级']);
    expect(sheet.values).toContainEqual(['V01', '鹅池社区', '已审核', null, null, null, null, null]);
    expect(sheet.values).toContainEqual(['V03', '石柱村', '未报', null, null, null, null, null]);
    expect(sheet.values).toContainEqual(['发布时间（北京时间）', '2025-04-06T08:00:00', null, null, null, null, null, null]);
  });

  it('says the first revision without a correction', () => {
    const sheet = openpyxl(summaryWorkbook(published('EC', 1), registry)).sheets[0]!;
    expect(sheet.values[1]![0]).toBe('统计期间 2025年3月 · 第1版 · 发布时间 2025-04-06 08:00（北京时间）');
  });
});

describe("summaryWorkbook, the district's", () => {
  it('has a column per town, a town that sent nothing marked 未报 and blank, with each town’s completeness', () => {
    // Act
    const book = openpyxl(summaryWorkbook(published('QJ'), registry));
    const [sheet, completeness] = book.sheets;

    // Assess
    expect(sheet!.values[3]!.slice(3)).toEqual(['全区合计', 'EC 鹅池镇（已报 2/9）', 'SH 石会镇（已报 1/8）', 'HX 黑溪镇（未报）']);
    expect(rowOf(sheet!, 'general_hazards_found').slice(3)).toEqual([12, 5, 7, null]);
    expect(rowOf(sheet!, 'petitionsInProgress').slice(3)).toEqual([1, 0, 1, null]);
    expect(completeness!.values).toContainEqual([
      'HX 黑溪镇',
      9,
      0,
      0,
      0,
      9,
      0,
      '黑溪社区、胜地村、五福村、鱼泉村、双河村、黄溪村、联合村、城东社区、黑溪镇本级',
    ]);
    expect(completeness!.values.find((r) => r[0] === '全区')!.slice(1, 7)).toEqual([26, 3, 2, 1, 23, 1]);
  });
});

describe("summaryWorkbook, a town's year", () => {
  it('titles the year, marks the units that missed months and lists each month’s completeness', () => {
    // Prepare: V01 sent January and February, V02 only February
    const months = new Map<string, MonthEntry[]>([
      ['2025-01', [{ unit: 'EC/V01', values: { general_hazards_found: 1 }, firstReceivedAt: '2025-02-01T00:00:00Z' }]],
      [
        '2025-02',
        [
          { unit: 'EC/V01', values: { general_hazards_found: 2 }, firstReceivedAt: '2025-03-01T00:00:00Z' },
          { unit: 'EC/V02', values: { general_hazards_found: 4 }, firstReceivedAt: '2025-03-01T00:00:00Z' },
        ],
      ],
    ]);
    const unitYears = [
      { unit: 'EC/V01', values: { general_hazards_found: 3 } },
      { unit: 'EC/V02', values: { general_hazards_found: 4 } },
    ];
    const year = yearSummary(registry, registry.org('EC')!, '2025', { general_hazards_found: 7 }, unitYears, months);

    // Act
    const book = openpyxl(summaryWorkbook({ ...year, kind: 'annual' }, registry, { asOf: new Date('2025-03-03T01:00:00Z') }));
    const [sheet, completeness] = book.sheets;

    // Assess
    expect(sheet!.values[0]![0]).toBe('鹅池镇2025年度法治建设统计汇总');
    expect(sheet!.values[1]![0]).toBe('统计期间 2025年度 · 现行数据（未发布） · 数据时间 2025-03-03 09:00（北京时间）');
    expect(sheet!.values[3]!.slice(4, 7)).toEqual(['V01 鹅池社区', 'V02 南溪村（部分月份未报）', 'V03 石柱村（未报）']);
    expect(rowOf(sheet!, 'general_hazards_found').slice(3, 7)).toEqual([7, 3, 4, null]);
    expect(completeness!.values.find((r) => r[0] === '2025年1月')!.slice(1, 6)).toEqual([9, 1, 1, 0, 8]);
    expect(completeness!.values).toContainEqual(['V02', '南溪村', '有月份未报', 0, null, null, null, null]);
  });
});

describe('summaryWorkbook, approved figures only', () => {
  it('says so in the total’s heading and marks the units left out', () => {
    // Prepare
    const summary = {
      ...published('EC'),
      basis: 'approved' as const,
      leftOut: ['V02', 'V03'],
      units: { V01: published('EC').units['V01']! },
    };

    // Act
    const sheet = openpyxl(summaryWorkbook(summary, registry)).sheets[0]!;

    // Assess
    expect(sheet.values[3]!.slice(3, 7)).toEqual([
      '全镇合计（仅已审核）',
      'V01 鹅池社区',
      'V02 南溪村（未审核，未计入）',
      'V03 石柱村（未报）',
    ]);
  });
});
