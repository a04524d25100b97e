import { describe, expect, it } from 'vitest';
import { check } from '../support/core.ts';
import { rawWorkbook, row } from '../support/raw-workbook.ts';

const LONG_HEADER = ['单位代码', '月份', '指标代码', '指标名称', '数值', '备注'];

describe('readWorkbookFile: layouts', () => {
  it('reads the long layout with label headers under a merged title and a 填报单位 line, ignoring the 合计 row', () => {
    // Prepare
    const bytes = rawWorkbook({
      sheets: [
        {
          name: '月报表',
          xml: [
            row(1, ['鹅池镇法治建设月报表']),
            row(2, ['填报单位：石柱村']),
            row(3, LONG_HEADER),
            row(4, ['V03', '2025-03', 'general_hazards_found', '排查一般隐患', 5]),
            row(5, [null, null, 'hazards_rectified', '整改隐患', 4]),
            row(6, ['合计', null, null, null, 9]),
          ].join(''),
          merges: ['A1:F1', 'A4:A5', 'B4:B5'],
        },
      ],
    });

    // Act
    const result = check(bytes);

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.format).toBe('long');
    expect(result.sheet).toBe('月报表');
    expect(result.submissions).toEqual([{ unit: 'EC/V03', period: '2025-03', values: { general_hazards_found: 5, hazards_rectified: 4 } }]);
  });

  it('reads the wide layout with code headers, one submission per row, the unit merged down over two months', () => {
    // Prepare
    const bytes = rawWorkbook({
      sheets: [
        {
          name: 'Sheet1',
          xml: [
            row(1, ['unit', 'period', 'general_hazards_found', 'veteran_aid_yuan']),
            row(2, ['V03', '2025-02', 3, 1200.5]),
            row(3, [null, '2025-03', 4, '16755.85']),
          ].join(''),
          merges: ['A2:A3'],
        },
      ],
    });

    // Act
    const result = check(bytes);

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.format).toBe('wide');
    expect(result.submissions).toEqual([
      { unit: 'EC/V03', period: '2025-02', values: { general_hazards_found: 3, veteran_aid_yuan: 1200.5 } },
      { unit: 'EC/V03', period: '2025-03', values: { general_hazards_found: 4, veteran_aid_yuan: 16755.85 } },
    ]);
  });

  it('takes shared strings with rich-text runs and leaves out their phonetic guides', () => {
    // Prepare
    const bytes = rawWorkbook({
      sharedStringsXml:
        '<si><t>单位代码</t></si><si><r><t>月</t></r><r><rPr><b/></rPr><t>份</t></r><rPh sb="0" eb="1"><t>ユエ</t></rPh></si><si><t>排查一般隐患</t></si><si><t>V03</t></si>',
      sheets: [
        {
          name: 'S',
          xml: '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row><row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" t="str"><v>2025-03</v></c><c r="C2"><v>6</v></c></row>',
        },
      ],
    });

    // Act
    const result = check(bytes);

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.submissions).toEqual([{ unit: 'EC/V03', period: '2025-03', values: { general_hazards_found: 6 } }]);
  });

  it('places cells without an r attribute one after another, and rows without one below the last', () => {
    // Prepare
    const cells = (...texts: string[]) => texts.map((t) => `<c t="inlineStr"><is><t>${t}</t></is></c>`).join('');
    const bytes = rawWorkbook({
      sheets: [
        {
          name: 'S',
          xml: `<row>${cells('unit', 'period', 'general_hazards_found')}</row><row>${cells('V03', '2025-03')}<c><v>7</v></c></row>`,
        },
      ],
    });

    // Act
    const result = check(bytes);

    // Assess
    expect(result.submissions).toEqual([{ unit: 'EC/V03', period: '2025-03', values: { general_hazards_found: 7 } }]);
  });

  it('reads hidden rows like the others, as Excel’s Save as CSV and its SUM do', () => {
    // Prepare
    const bytes = rawWorkbook({
      sheets: [
        {
          name: 'S',
          xml: [
            row(1, ['unit', 'period', 'general_hazards_found']),
            row(2, ['V03', '2025-03', 2]),
            row(3, ['V04', '2025-03', 9]).replace('<row r="3">', '<row r="3" hidden="1">'),
          ].join(''),
        },
      ],
    });

    // Act
    const result = check(bytes);

    // Assess
    expect(result.submissions).toEqual([
      { unit: 'EC/V03', period: '2025-03', values: { general_hazards_found: 2 } },
      { unit: 'EC/V04', period: '2025-03', values: { general_hazards_found: 9 } },
    ]);
  });
});

describe('readWorkbookFile: cells as Excel shows them', () => {
  const wide = (
    valueCell: string,
    periodCell = '<c r="B2" t="inlineStr"><is><t>2025-03</t></is></c>',
    extra: Partial<Parameters<typeof rawWorkbook>[0]> = {},
  ) =>
    rawWorkbook({
      sheets: [
        {
          name: '月报表',
          xml: `${row(1, ['unit', 'period', 'general_hazards_found', 'veteran_aid_yuan'])}<row r="2"><c r="A2" t="inlineStr"><is><t>V03</t></is></c>${periodCell}${valueCell}</row>`,
        },
      ],
      ...extra,
    });

  it('counts the cached result of a formula, and a number stored as text', () => {
    // Act
    const result = check(wide('<c r="C2"><f>2+3</f><v>5</v></c><c r="D2" t="inlineStr"><is><t> 1200.50 </t></is></c>'));

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.submissions[0]!.values).toEqual({ general_hazards_found: 5, veteran_aid_yuan: 1200.5 });
  });

  it('reads a money formula result to the 15 digits Excel shows (0.1+0.2 is 0.3, not too many decimals)', () => {
    // Act
    const result = check(wide('<c r="D2"><f>0.1+0.2</f><v>0.30000000000000004</v></c>'));

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.submissions[0]!.values).toEqual({ veteran_aid_yuan: 0.3 });
  });

  it('refuses a formula whose result the file does not hold, naming the cell and saying to save it in Excel', () => {
    // Act
    const result = check(wide('<c r="C2"><f>SUM(C3:C9)</f></c>'));

    // Assess
    expect(result.status).toBe('rejected');
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'NOT_A_NUMBER', row: 2, column: 'general_hazards_found', value: '=SUM(C3:C9)', cell: '月报表!C2' }),
    ]);
    expect(result.errors[0]!.message).toContain('工作表“月报表”第2行C列');
    expect(result.errors[0]!.message).toContain('保存后再上传');
  });

  it.each([
    ['a boolean', '<c r="C2" t="b"><v>1</v></c>', 'TRUE'],
    ['an error value', '<c r="C2" t="e"><v>#DIV/0!</v></c>', '#DIV/0!'],
    ['a date typed where a count belongs', '<c r="C2" s="1"><v>3</v></c>', '1900-01-03'],
  ])('refuses %s in a value cell as NOT_A_NUMBER, showing it as Excel does', (_, cell, shown) => {
    // Act
    const result = check(wide(cell, undefined, { styles: { xfs: [0, 14] } }));

    // Assess
    expect(result.errors).toEqual([expect.objectContaining({ code: 'NOT_A_NUMBER', row: 2, value: shown, cell: '月报表!C2' })]);
  });

  it.each([
    ['a real date (built-in format 14)', '<c r="B2" s="1"><v>45717</v></c>', { xfs: [0, 14] }, false],
    [
      'a date in a custom Chinese format',
      '<c r="B2" s="1"><v>45731.5</v></c>',
      { xfs: [0, 176], formats: { 176: 'yyyy"年"m"月"' } },
      false,
    ],
    ['a date serial shown as a plain number', '<c r="B2"><v>45717</v></c>', { xfs: [0] }, false],
    ['a 1904-system date', '<c r="B2" s="1"><v>44255</v></c>', { xfs: [0, 14] }, true],
    ['a 1904-system serial shown as a plain number', '<c r="B2"><v>44255</v></c>', { xfs: [0] }, true],
    ['an ISO date cell (t="d")', '<c r="B2" t="d"><v>2025-03-01T00:00:00</v></c>', { xfs: [0] }, false],
  ])('reads the month from %s', (_, periodCell, styles, date1904) => {
    // Act
    const result = check(wide('<c r="C2"><v>1</v></c>', periodCell, { styles, date1904 }));

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.submissions.map((s) => [s.unit, s.period, s.values])).toEqual([['EC/V03', '2025-03', { general_hazards_found: 1 }]]);
  });

  it('refuses a value in a column past the header as a value without a metric, naming its cell', () => {
    // Act
    const result = check(wide('<c r="C2"><v>1</v></c><c r="F2"><v>8</v></c>'));

    // Assess
    expect(result.errors).toEqual([expect.objectContaining({ code: 'UNKNOWN_METRIC', row: 2, value: '8', cell: '月报表!F2' })]);
  });

  it('quotes a sheet name as Excel does in the cell of a finding', () => {
    // Prepare
    const bytes = rawWorkbook({
      sheets: [{ name: '3月 报表', xml: row(1, ['unit', 'period', 'general_hazards_found']) + row(2, ['V03', '2025-03', -1]) }],
    });

    // Act
    const result = check(bytes);

    // Assess
    expect(result.errors).toEqual([expect.objectContaining({ code: 'NEGATIVE', cell: "'3月 报表'!C2" })]);
  });
});

describe('readWorkbookFile: which sheet', () => {
  const data = (r = 2) => row(1, ['unit', 'period', 'general_hazards_found']) + row(r, ['V03', '2025-03', r]);

  it('reads the first visible sheet with a recognised header, past an instructions sheet', () => {
    // Prepare
    const bytes = rawWorkbook({
      sheets: [
        { name: '填表说明', xml: row(1, ['请在“数据”工作表中填写本月数值']) + row(2, ['没有发生的填 0，未统计的留空']) },
        { name: '隐藏', xml: data(3), hidden: true },
        { name: '数据', xml: data(2) },
      ],
    });

    // Act
    const result = check(bytes);

    // Assess
    expect(result.sheet).toBe('数据');
    expect(result.submissions).toEqual([{ unit: 'EC/V03', period: '2025-03', values: { general_hazards_found: 2 } }]);
  });

  it('prefers the sheet named like the template’s (月报表) to an earlier one with a header', () => {
    // Prepare
    const bytes = rawWorkbook({
      sheets: [
        { name: '上月', xml: data(4) },
        { name: '月报表', xml: data(2) },
      ],
    });

    // Act
    const result = check(bytes);

    // Assess
    expect(result.sheet).toBe('月报表');
    expect(result.submissions[0]!.values).toEqual({ general_hazards_found: 2 });
  });

  it('reports what the first sheet lacks when no sheet has a header', () => {
    // Prepare
    const bytes = rawWorkbook({ sheets: [{ name: 'Sheet1', xml: row(1, ['石柱村', '三月']) + row(2, ['隐患', 5]) }] });

    // Act
    const result = check(bytes);

    // Assess
    expect(result.status).toBe('rejected');
    expect(result.errors.map((e) => [e.code, e.cell])).toEqual([
      ['MISSING_COLUMN', 'Sheet1!1:1'],
      ['MISSING_COLUMN', 'Sheet1!1:1'],
    ]);
  });
});
