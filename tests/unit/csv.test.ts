import { describe, expect, it } from 'vitest';
import { columnLetter, csvLine, readCsv, sniffDelimiter } from '../../shared/csv.ts';

function rows(text: string, delimiter: ',' | '\t' = ','): { rows: [number, string[]][]; defect: unknown } {
  const out: [number, string[]][] = [];
  const defect = readCsv(text, delimiter, (record, row) => {
    out.push([row, record.cells()]);
  });
  return { rows: out, defect };
}

describe('readCsv', () => {
  it('reads LF and CRLF lines, quoted cells, escaped quotes and empty cells', () => {
    // Act
    const { rows: read, defect } = rows('a,b,c\r\n"1,000","say ""hi""",\n,,\n');

    // Assess
    expect(defect).toBeNull();
    expect(read).toEqual([
      [1, ['a', 'b', 'c']],
      [2, ['1,000', 'say "hi"', '']],
      [3, ['', '', '']],
    ]);
  });

  it('numbers rows as a spreadsheet does: a quoted line break stays in one row', () => {
    const { rows: read } = rows('h1,h2\n"two\nlines",x\nnext,y');
    expect(read).toEqual([
      [1, ['h1', 'h2']],
      [2, ['two\nlines', 'x']],
      [3, ['next', 'y']],
    ]);
  });

  it('reports an unclosed quote at the row where it opened', () => {
    expect(rows('a,b\n1,2\n"3,4\n5,6\n').defect).toEqual({ row: 3, reason: 'unclosed-quote' });
  });

  it('reports text after a closing quote', () => {
    expect(rows('a,b\n"1"x,2\n').defect).toEqual({ row: 2, reason: 'text-after-quote' });
  });

  it('reads digits without a string and says -1 for anything else', () => {
    // Prepare
    const found: number[] = [];

    // Act
    readCsv('12,007, 3,x,,1234567890123456\n', ',', (record) => {
      for (let i = 0; i < record.count; i++) found.push(record.digits(i));
    });

    // Assess
    expect(found).toEqual([12, 7, -1, -1, -1, -1]);
  });

  it('takes tabs as the delimiter only when the header has tabs and no commas', () => {
    expect(sniffDelimiter('单位代码\t月份\nV01\t2025-03')).toBe('\t');
    expect(sniffDelimiter('a,b\tc\n')).toBe(',');
    expect(rows('a\tb\n1\t2\n', '\t').rows).toEqual([
      [1, ['a', 'b']],
      [2, ['1', '2']],
    ]);
  });
});

describe('writing CSV', () => {
  it('quotes only the cells that need it', () => {
    expect(csvLine(['V01', '1,000', 'say "hi"', 'two\nlines'])).toBe('V01,"1,000","say ""hi""","two\nlines"');
  });

  it('names columns with Excel letters', () => {
    expect([1, 5, 26, 27, 44, 702].map(columnLetter)).toEqual(['A', 'E', 'Z', 'AA', 'AR', 'ZZ']);
  });
});
