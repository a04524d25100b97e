/**
 * Property tests of the CSV reader on the cells a wide file holds: what csvLine writes,
 * quoted or not, with spaces, signs, decimals, full-width digits or huge numbers, is read
 * back cell for cell, with the digits of a plain count and `cellIs` agreeing with the text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvLine, readCsv, type CsvRecord } from '../../shared/csv.ts';

const cellArb = fc.oneof(
  fc.nat({ max: 99999 }).map(String),
  fc.stringMatching(/^[0-9]{1,20}$/),
  fc.stringMatching(/^ ?[+-]?[0-9]{1,6}(\.[0-9]{1,3})? ?$/),
  fc.constantFrom('', ' ', '  ', '\t', '１２', '1,000', '"', 'a"b', '12 ', ' 12', '"7"', '合计', '\u3000', 'x\ny', 'U0001', '2024-01'),
  fc.string({ maxLength: 6 }),
);

/** What a cell's digits should be: its number when it is 1 to 15 ASCII digits, else -1. */
function expectedDigits(cell: string): number {
  return /^[0-9]{1,15}$/.test(cell) ? Number(cell) : -1;
}

function readAll(text: string): { cells: string[]; digits: number[]; same: boolean }[] {
  const out: { cells: string[]; digits: number[]; same: boolean }[] = [];
  const defect = readCsv(text, ',', (record: CsvRecord) => {
    const cells = record.cells();
    const digits = cells.map((_, i) => record.digits(i));
    const same = cells.every((c, i) => record.cellIs(i, c) && !record.cellIs(i, `${c}x`));
    out.push({ cells, digits, same });
  });
  expect(defect).toBeNull();
  return out;
}

describe('readCsv on wide rows', () => {
  it('reads back every cell that csvLine wrote, with its digits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(cellArb, { minLength: 2, maxLength: 12 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        (rows, eol, trailing) => {
          // A row of one empty cell is an empty line, which a reader cannot tell apart.
          const text = rows.map(csvLine).join(eol) + (trailing ? eol : '');
          const read = readAll(text);
          expect(read.map((r) => r.cells)).toEqual(rows);
          for (const [k, r] of read.entries()) {
            // Only a plain cell can be digits, and csvLine quotes no cell of digits.
            expect(r.digits).toEqual(rows[k]!.map(expectedDigits));
            expect(r.same).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads spaces before a quoted cell as part of nothing, and spaces before text as text', () => {
    const read = readAll(' "a", b ,  "c"  ,d\n');
    expect(read[0]!.cells).toEqual(['a', ' b ', 'c', 'd']);
  });
});
