/**
 * Property tests of the CSV reader on the cells a wide file holds: what csvLine writes,
 * quoted or not, with spaces, signs, decimals, full-width digits or huge numbers, is read
 * back cell for cell, with the digits of a plain count and `cellIs` agreeing with the text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvLine, readCsv, type CsvDefect, type CsvRecord } from '../../shared/csv.ts';
import { DecodedText } from '../../shared/decode.ts';

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

/** Every record as [row, cells], and the defect: what a reader of the text must agree on. */
function transcript(text: string | DecodedText): { records: [number, string[]][]; defect: CsvDefect | null } {
  const records: [number, string[]][] = [];
  const defect = readCsv(text, ',', (record, row) => {
    records.push([row, record.cells()]);
  });
  return { records, defect };
}

describe('readCsv piece by piece', () => {
  const encoder = new TextEncoder();

  it('reads the same records, rows and defect from pieces as from the whole text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(cellArb, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 12 }),
        fc.constantFrom('\n', '\r\n'),
        // A stray quote somewhere (an unclosed cell, or text after a quote), or none.
        fc.option(fc.tuple(fc.nat(), fc.constantFrom('"', 'x"', '"x')), { nil: undefined }),
        fc.integer({ min: 1, max: 40 }),
        (rows, eol, stray, pieceBytes) => {
          // Prepare
          let text = rows.map(csvLine).join(eol) + eol;
          if (stray) {
            const at = stray[0] % (text.length + 1);
            text = text.slice(0, at) + stray[1] + text.slice(at);
          }

          // Act
          const whole = transcript(text);
          const pieces = transcript(DecodedText.ofUtf8(encoder.encode(text), pieceBytes));

          // Assess
          expect(pieces).toEqual(whole);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('reads a quoted cell with line breaks that spans pieces as one cell of its row', () => {
    // Prepare: the second record's cell runs over three pieces of 8 bytes.
    const text = 'a,b\n1,"第一行\n第二行\n第三行"\n2,x\n';

    // Act
    const got = transcript(DecodedText.ofUtf8(encoder.encode(text), 8));

    // Assess
    expect(got.defect).toBeNull();
    expect(got.records).toEqual([
      [1, ['a', 'b']],
      [2, ['1', '第一行\n第二行\n第三行']],
      [3, ['2', 'x']],
    ]);
  });

  it('says which row holds a quote left open in a later piece', () => {
    const text = `${'U0001,1\n'.repeat(50)}U0002,"未闭合\nU0003,3\n`;
    const got = transcript(DecodedText.ofUtf8(encoder.encode(text), 16));
    expect(got.defect).toEqual({ row: 51, reason: 'unclosed-quote' });
    expect(got.records).toHaveLength(50);
  });

  it('stops when told to, in any piece', () => {
    const text = 'r,1\n'.repeat(100);
    let seen = 0;
    const defect = readCsv(DecodedText.ofUtf8(encoder.encode(text), 10), ',', (_, row) => {
      seen = row;
      return row === 37 ? 'stop' : undefined;
    });
    expect(defect).toBeNull();
    expect(seen).toBe(37);
  });
});
