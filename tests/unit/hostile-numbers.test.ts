/**
 * Issue 13, holes 4 to 6: odd Unicode digits, the cap written with decimals, and JSON
 * numbers judged and shown as written (docs/DOMAIN.md#hostile-input).
 */
import { describe, expect, it } from 'vitest';
import type { FileCheck } from '../../shared/check.ts';
import { MAX_VALUE } from '../../shared/numbers.ts';
import { check } from '../support/core.ts';

const village = { uploader: { role: 'village', unit: 'EC/V03' } } as const;
const COLUMN = 'values.general_hazards_found';

/** A village's JSON file with one value, written exactly as given (a JSON number or a string). */
function json(value: string, key = 'general_hazards_found'): FileCheck {
  return check(`{"unit":"V03","period":"2025-03","values":{"${key}":${value}}}`, village);
}

/** A village's wide CSV with one value cell, quoted. */
function csv(cell: string, header = 'general_hazards_found'): FileCheck {
  return check(`unit,period,${header}\nV03,2025-03,"${cell}"\n`, village);
}

const where = (result: FileCheck) => result.errors.map((e) => ({ code: e.code, row: e.row, column: e.column, value: e.value }));

describe('odd Unicode digits', () => {
  it.each(['1²', '①', '㊿', '𝟓', '²', '٣', '1₂', 'Ⅻ'])('refuses %j as NOT_A_NUMBER, in a CSV cell and in a JSON string', (written) => {
    // Act
    const fromCsv = csv(written);
    const fromJson = json(JSON.stringify(written));

    // Assess
    expect(where(fromCsv)).toEqual([{ code: 'NOT_A_NUMBER', row: 2, column: 'general_hazards_found', value: written }]);
    expect(where(fromJson)).toEqual([{ code: 'NOT_A_NUMBER', row: 1, column: COLUMN, value: written }]);
  });

  it.each([
    ['１２', 12],
    ['１，０００', 1000],
    ['1，000', 1000],
    ['　８　', 8],
  ])('still reads the full-width %j as %d', (written, value) => {
    // Act
    const fromCsv = csv(written);
    const fromJson = json(JSON.stringify(written));

    // Assess
    expect(fromCsv.submissions[0]?.values.general_hazards_found).toBe(value);
    expect(fromJson.submissions[0]?.values.general_hazards_found).toBe(value);
  });

  it('still reads full-width money with its full-width point', () => {
    // Act
    const result = csv('１，２３４．５０', 'veteran_aid_yuan');

    // Assess
    expect(result.submissions[0]?.values.veteran_aid_yuan).toBe(1234.5);
  });
});

describe('the cap on values', () => {
  it.each([
    '9999999999999',
    '9999999999999.0',
    '9,999,999,999,999',
    '9,999,999,999,999.00',
    '９９９９９９９９９９９９９．０',
    '9007199254741',
    '9007199254740.5',
    '0009007199254741.0',
  ])('refuses %j in a CSV cell and in a JSON string as NOT_A_NUMBER', (written) => {
    // Act
    const fromCsv = csv(written, 'veteran_aid_yuan');
    const fromJson = json(JSON.stringify(written), 'veteran_aid_yuan');

    // Assess
    expect(where(fromCsv)).toEqual([{ code: 'NOT_A_NUMBER', row: 2, column: 'veteran_aid_yuan', value: written }]);
    expect(where(fromJson)).toEqual([{ code: 'NOT_A_NUMBER', row: 1, column: 'values.veteran_aid_yuan', value: written }]);
  });

  it.each(['9999999999999', '9999999999999.0', '9.999999999999e12', '9007199254740.01', '1e13', '1e309', '-1e309'])(
    'refuses the JSON number %s as NOT_A_NUMBER, shown as written',
    (written) => {
      // Act
      const result = json(written, 'veteran_aid_yuan');

      // Assess
      expect(where(result)).toEqual([{ code: 'NOT_A_NUMBER', row: 1, column: 'values.veteran_aid_yuan', value: written }]);
    },
  );

  it('accepts the cap itself however it is written', () => {
    // Prepare
    const cap = String(MAX_VALUE);

    // Act
    const results = [csv(cap), csv(`${cap}.00`), json(cap), json(`${cap}.0`), json(`${cap.slice(0, 1)}.${cap.slice(1)}e12`)];

    // Assess
    for (const result of results) expect(result.submissions[0]?.values.general_hazards_found).toBe(MAX_VALUE);
  });
});

describe('JSON numbers judged by their decimal value', () => {
  it.each([
    ['1e2', 100],
    ['1E+2', 100],
    ['1.50e1', 15],
    ['0.1e1', 1],
    ['150e-1', 15],
    ['-0', 0],
    ['0e5', 0],
  ])('reads the count %s as %d', (written, value) => {
    // Act
    const result = json(written);

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.submissions[0]?.values.general_hazards_found).toBe(value);
  });

  it.each([
    ['1.5e0', 'NOT_INTEGER'],
    ['15e-1', 'NOT_INTEGER'],
    ['1.0000000000000000001', 'NOT_INTEGER'],
    ['1e-400', 'NOT_INTEGER'],
    ['-1e0', 'NEGATIVE'],
    ['-0.5e1', 'NEGATIVE'],
  ])('names the problem of the count %s: %s, with the number as written', (written, code) => {
    // Act
    const result = json(written);

    // Assess
    expect(where(result)).toEqual([{ code, row: 1, column: COLUMN, value: written }]);
  });

  it('reads money to the cent whatever the exponent, and refuses a third decimal', () => {
    // Act
    const cents = json('1.2345e2', 'veteran_aid_yuan');
    const thirdDecimal = json('1.23456e2', 'veteran_aid_yuan');

    // Assess
    expect(cents.submissions[0]?.values.veteran_aid_yuan).toBe(123.45);
    expect(where(thirdDecimal)).toEqual([{ code: 'TOO_MANY_DECIMALS', row: 1, column: 'values.veteran_aid_yuan', value: '1.23456e2' }]);
  });

  it('reads a JSON string like a CSV cell: an exponent there is not a number', () => {
    // Act
    const result = json('"1e2"');

    // Assess
    expect(where(result)).toEqual([{ code: 'NOT_A_NUMBER', row: 1, column: COLUMN, value: '1e2' }]);
  });
});
