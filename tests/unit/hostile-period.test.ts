/**
 * Issue 13, hole 2: a long month cell took time quadratic in its length (a regex with two
 * quantifiers over the same blanks). A month cell longer than any month is written is
 * now BAD_PERIOD at once, shown by its start (docs/DOMAIN.md#hostile-input).
 */
import { describe, expect, it } from 'vitest';
import type { FileCheck } from '../../shared/check.ts';
import { readMonthCell } from '../../shared/period.ts';
import { check } from '../support/core.ts';

const village = { uploader: { role: 'village', unit: 'EC/V03' } } as const;
const LONG_CELL = `2025-3-1${' '.repeat(200_000)}x`;
const where = (result: FileCheck) => result.errors.map((e) => ({ code: e.code, row: e.row, column: e.column }));

describe('a long month cell', () => {
  it('is BAD_PERIOD in a CSV file, at its row and column, shown by its start', () => {
    // Act
    const result = check(`unit,period,general_hazards_found\nV03,${LONG_CELL},3\n`, village);

    // Assess
    expect(where(result)).toEqual([{ code: 'BAD_PERIOD', row: 2, column: 'period' }]);
    expect(result.errors[0]?.value).toBe(`${LONG_CELL.slice(0, 100)}…`);
    expect(result.errors[0]?.message.length).toBeLessThan(200);
  });

  it('is BAD_PERIOD in a JSON file, at its record', () => {
    // Act
    const result = check(`{"unit":"V03","period":"${LONG_CELL}","values":{"general_hazards_found":3}}`, village);

    // Assess
    expect(where(result)).toEqual([{ code: 'BAD_PERIOD', row: 1, column: 'period' }]);
  });

  it.each([
    ['a month past 64 characters', `2025-03${' '.repeat(60)}份`],
    ['blanks and no time of day', `2025-3-1${' '.repeat(50)}x`],
    ['a time of day too long', `2025/3/3 20:00:00.${'0'.repeat(60)}`],
  ])('refuses %s', (_what, cell) => {
    expect(readMonthCell(cell)).toEqual({ ok: false, reason: 'invalid' });
  });

  it.each([
    ['2025/3/3 20:00', '2025-03'],
    ['2025-03-31T23:59:59.999', '2025-03'],
    ['2025年3月31日 8:05', '2025-03'],
    ['２０２５－０３', '2025-03'],
    ['Ｍａｒ－２５', '2025-03'],
    [`  2025-03${' '.repeat(100)}`, '2025-03'],
  ])('still reads %j as %s', (cell, month) => {
    expect(readMonthCell(cell)).toMatchObject({ ok: true, month });
  });

  it('does not read odd Unicode digits in a month', () => {
    expect(readMonthCell('2025-0③')).toEqual({ ok: false, reason: 'invalid' });
    expect(readMonthCell('2025-0³')).toEqual({ ok: false, reason: 'invalid' });
  });
});
