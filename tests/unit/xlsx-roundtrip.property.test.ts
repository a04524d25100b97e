/**
 * Workbooks round trip: random valid submissions, laid out long or wide as the CSV writer
 * lays them, written as .xlsx by the project's writer — numbers as numbers or stored as
 * text, the month as text or as a real date — and read back equal by the workbook reader.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../shared/csv.ts';
import { writeWorkbook } from '../../shared/xlsx/write/workbook.ts';
import type { CellInput } from '../../shared/xlsx/write/model.ts';
import { writeSubmissions } from '../../shared/write.ts';
import { byUnitAndPeriod, expectedIn, submissionCaseArb } from '../support/arbitraries.ts';
import { check } from '../support/core.ts';

interface SheetStyle {
  readonly format: 'long' | 'wide';
  readonly headers: 'code' | 'label';
  readonly numbers: 'numbers' | 'text';
  readonly months: 'text' | 'dates';
}

const styleArb: fc.Arbitrary<SheetStyle> = fc.record({
  format: fc.constantFrom<'long' | 'wide'>('long', 'wide'),
  headers: fc.constantFrom<'code' | 'label'>('code', 'label'),
  numbers: fc.constantFrom<'numbers' | 'text'>('numbers', 'text'),
  months: fc.constantFrom<'text' | 'dates'>('text', 'dates'),
});

/** A CSV cell as a secretary's sheet holds it in this style. */
function cellOf(text: string, style: SheetStyle): CellInput {
  const month = /^(\d{4})-(\d{2})$/.exec(text);
  if (month && style.months === 'dates')
    return { value: new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 1)), style: { numFmt: 'yyyy-mm' } };
  if (/^\d+(\.\d+)?$/.test(text) && style.numbers === 'numbers') return Number(text);
  return text === '' ? null : text;
}

function workbookOf(csv: string, style: SheetStyle): Uint8Array {
  const rows: CellInput[][] = [];
  readCsv(csv, ',', (record) => {
    rows.push(record.cells().map((c) => cellOf(c, style)));
    return undefined;
  });
  return writeWorkbook({ title: '月报表', sheets: [{ name: '月报表', rows }] });
}

describe('workbooks: written as xlsx, read back', () => {
  it('reads back every random valid submission (cleared keys included) in every layout, header and cell style', () => {
    fc.assert(
      fc.property(submissionCaseArb(4, undefined, true), styleArb, (c, style) => {
        // Prepare
        const csv = writeSubmissions(c.written, { format: style.format, headers: style.headers });
        const bytes = workbookOf(csv, style);

        // Act
        const result = check(bytes);

        // Assess
        expect(result.errors).toEqual([]);
        expect(result.format).toBe(style.format);
        expect(result.sheet).toBe('月报表');
        expect(byUnitAndPeriod(result.submissions)).toEqual(byUnitAndPeriod(expectedIn(c, style.format)));
      }),
      { numRuns: 150 },
    );
  });
});
