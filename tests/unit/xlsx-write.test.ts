/**
 * The xlsx writer (shared/xlsx/write): the package's parts well-formed, text escaped and
 * never a formula, the styles, panes, protection, merges and validations as openpyxl reads
 * them, and the values as LibreOffice shows them.
 */
import { strFromU8, unzipSync } from 'fflate';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { Workbook } from '../../shared/xlsx/write/model.ts';
import { STYLES } from '../../shared/xlsx/write/styles.ts';
import { writeWorkbook } from '../../shared/xlsx/write/workbook.ts';
import { cellRef, columnName } from '../../shared/xlsx/write/xml.ts';
import { libreOfficeCsv, openpyxl } from '../support/office.ts';

const HOSTILE = '=HYPERLINK("http://evil.example/","点我")';

/** A workbook with one of everything the writer does. */
const BOOK: Workbook = {
  title: '测试 <&> "汇总"',
  created: new Date('2025-04-06T00:00:00Z'),
  names: { Codes: "'说明'!$A$1:$A$2" },
  sheets: [
    {
      name: '月报表',
      rows: [
        [
          { value: '代码', style: STYLES.header },
          { value: '数值', style: STYLES.header },
          { value: '公式', style: STYLES.header },
        ],
        [HOSTILE, { value: 12, style: STYLES.inputInteger }, { formula: 'B2*2', value: 24 }],
        ['a\u0001b\uffff_x0041_ <tag> & "q"', { value: 0.1234, style: STYLES.percent }, { formula: 'B2+1' }],
        ['+1', { value: 1.5, style: STYLES.money }, new Date(Date.UTC(2025, 3, 6, 8, 0))],
        ['@who', { value: null, style: STYLES.inputMoney }, { value: new Date(Date.UTC(2025, 3, 6, 8, 0)), style: STYLES.dateTime }],
        ['-3', { value: Number.NaN, style: STYLES.integer }, true],
      ],
      columns: [{ width: 20 }, { width: 12, style: STYLES.inputText }],
      heights: { 0: 30 },
      merges: ['D1:E1'],
      freeze: { rows: 1, columns: 1 },
      protect: true,
      validations: [
        {
          type: 'whole',
          min: 0,
          ranges: ['B2:B3', 'B6'],
          prompt: { title: '提示', text: '可只填下面各分类' },
          error: { title: '错误', text: '请填 0 或正整数' },
        },
        { type: 'custom', formula: 'AND(ISNUMBER(B5),B5>=0,ROUND(B5,2)=B5)', ranges: ['B5'] },
        { type: 'list', source: 'Codes', ranges: ['D2:D9'] },
        { type: 'list', source: ['征地拆迁', '劳动关系'], ranges: ['E2'] },
      ],
    },
    { name: '说明', rows: [['V01'], ['V02']] },
  ],
};

describe('xml helpers', () => {
  it('names columns and cells as A1 does', () => {
    expect([0, 25, 26, 51, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'AZ', 'ZZ', 'AAA']);
    expect(cellRef(1, 4)).toBe('E2');
  });
});

describe('writeWorkbook', () => {
  it('writes every part of the package as well-formed XML, with the title in docProps/core.xml', () => {
    // Act
    const read = openpyxl(writeWorkbook(BOOK));

    // Assess
    expect(Object.keys(read.parts).sort()).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'docProps/app.xml',
      'docProps/core.xml',
      'xl/_rels/workbook.xml.rels',
      'xl/sharedStrings.xml',
      'xl/styles.xml',
      'xl/workbook.xml',
      'xl/worksheets/sheet1.xml',
      'xl/worksheets/sheet2.xml',
    ]);
    expect(Object.values(read.parts).every((error) => error === null)).toBe(true);
    expect(read.title).toBe('测试 <&> "汇总"');
    expect(read.sheets.map((s) => s.title)).toEqual(['月报表', '说明']);
    expect(read.names).toEqual({ Codes: "'说明'!$A$1:$A$2" });
  });

  it('keeps text as text: a leading = + - @ is a string cell, markup is escaped, forbidden characters dropped', () => {
    // Act
    const bytes = writeWorkbook(BOOK);
    const sheet = openpyxl(bytes).sheets[0]!;
    const sheetXml = strFromU8(unzipSync(bytes)['xl/worksheets/sheet1.xml']!);

    // Assess
    expect(sheet.values.map((r) => r[0])).toEqual(['代码', HOSTILE, 'ab_x0041_ <tag> & "q"', '+1', '@who', '-3']);
    // The only formulas are the two written as formulas.
    expect([...sheetXml.matchAll(/<f>(.*?)<\/f>/g)].map((m) => m[1])).toEqual(['B2*2', 'B2+1']);
  });

  it('gives numbers, dates, booleans and formulas their values; a non-finite number is blank', () => {
    // Act
    const bytes = writeWorkbook(BOOK);
    const { values } = openpyxl(bytes).sheets[0]!;
    const shown = parseCsv(libreOfficeCsv(bytes)) as string[][];

    // Assess
    expect(values.map((r) => r[1])).toEqual(['数值', 12, 0.1234, 1.5, null, null]);
    expect(values[4]![2]).toBe('2025-04-06T08:00:00');
    expect(values[5]![2]).toBe(true);
    expect(shown[1]).toEqual([HOSTILE, '12', '24']);
    // A formula without a cached value is computed on opening; the formats show as set.
    expect(shown[2]).toEqual(['ab_x0041_ <tag> & "q"', '12.3%', '13']);
    expect(shown[3]!.slice(0, 2)).toEqual(['+1', '1.50']);
    expect(shown[4]![2]).toBe('2025-04-06 08:00');
  });

  it('styles cells: the header bold on a fill and locked, input cells unlocked, the number formats', () => {
    // Act
    const { cells, widths } = openpyxl(writeWorkbook(BOOK)).sheets[0]!;

    // Assess
    expect(cells['A1']).toEqual({ format: 'General', locked: true, bold: true, fill: 'FFDDEBF7' });
    expect(cells['B2']).toMatchObject({ format: '0', locked: false });
    expect(cells['B3']).toMatchObject({ format: '0.0%', locked: true });
    expect(cells['B4']).toMatchObject({ format: '0.00', locked: true });
    expect(cells['B5']).toMatchObject({ format: '0.00', locked: false });
    expect(cells['C5']).toMatchObject({ format: 'yyyy-mm-dd hh:mm' });
    expect(widths).toEqual({ A: 20, B: 12 });
  });

  it('freezes the pane, protects the sheet, merges, and writes each validation', () => {
    // Act
    const sheet = openpyxl(writeWorkbook(BOOK)).sheets[0]!;

    // Assess
    expect(sheet.freeze).toBe('B2');
    expect(sheet.protected).toBe(true);
    expect(sheet.merged).toEqual(['D1:E1']);
    expect(sheet.validations).toEqual([
      { type: 'whole', operator: 'greaterThanOrEqual', formula1: '0', sqref: 'B2:B3 B6', prompt: '可只填下面各分类' },
      { type: 'custom', operator: null, formula1: 'AND(ISNUMBER(B5),B5>=0,ROUND(B5,2)=B5)', sqref: 'B5', prompt: null },
      { type: 'list', operator: null, formula1: 'Codes', sqref: 'D2:D9', prompt: null },
      { type: 'list', operator: null, formula1: '"征地拆迁,劳动关系"', sqref: 'E2', prompt: null },
    ]);
  });

  it('gives the same bytes for the same workbook, whatever the clock', () => {
    expect(Buffer.from(writeWorkbook(BOOK)).equals(Buffer.from(writeWorkbook(BOOK)))).toBe(true);
  });

  it.each([
    ['a name too long', { name: 'x'.repeat(32), rows: [] }],
    ['a name with a slash', { name: '3/2025', rows: [] }],
  ])('refuses %s for a sheet', (_, sheet) => {
    expect(() => writeWorkbook({ title: 't', sheets: [sheet] })).toThrow(/sheet name/);
  });

  it('refuses a literal list with a comma in an item or longer than Excel keeps', () => {
    const list = (source: string[]) => () =>
      writeWorkbook({ title: 't', sheets: [{ name: 's', rows: [], validations: [{ type: 'list', source, ranges: ['A1'] }] }] });
    expect(list(['a,b'])).toThrow(/comma/);
    expect(list(Array.from({ length: 100 }, (_, i) => `item${i}`))).toThrow(/255/);
  });
});
