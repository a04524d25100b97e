/**
 * Workbooks made by real programs (LibreOffice Calc, openpyxl: tests/fixtures/xlsx/, each with
 * what a secretary would expect counted in its .expect.json) read by the workbook reader; and
 * the seed year as 108 LibreOffice workbooks, read back to the seed's figures.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { byUnitAndPeriod } from '../support/arbitraries.ts';
import { check } from '../support/core.ts';
import { seedYear } from '../support/seed-year.ts';

const DIR = new URL('../fixtures/xlsx/', import.meta.url);

interface Expectation {
  readonly file: string;
  readonly status: 'accepted' | 'rejected';
  readonly sheet: string | null;
  readonly submissions: { unit: string; period: string; values: Record<string, number>; cleared?: string[]; implied?: string[] }[];
  readonly errors: { code: string; cell: string | null; value?: string }[];
  readonly warnings: { code: string; cell: string | null }[];
}

const expectations = readdirSync(DIR)
  .filter((n) => n.endsWith('.expect.json'))
  .map((n) => JSON.parse(readFileSync(new URL(n, DIR), 'utf8')) as Expectation);

describe('readWorkbookFile: workbooks made by LibreOffice and openpyxl', () => {
  it.each(expectations.map((e) => [e.file, e] as const))('reads %s as its expectations say', (_, e) => {
    // Act
    const result = check(readFileSync(new URL(e.file, DIR)));

    // Assess
    expect(result.status).toBe(e.status);
    expect(
      result.errors.map((f) => ({
        code: f.code,
        cell: f.cell ?? null,
        ...(e.errors.some((x) => x.value !== undefined) ? { value: f.value } : {}),
      })),
    ).toEqual(e.errors.map((f) => ({ code: f.code, cell: f.cell, ...(f.value !== undefined ? { value: f.value } : {}) })));
    expect(result.warnings.map((f) => ({ code: f.code, cell: f.cell ?? null }))).toEqual(e.warnings);
    if (e.status === 'accepted') expect(result.sheet).toBe(e.sheet);
    const full = e.submissions.map((s) => ({ ...s, unit: `EC/${s.unit}` }));
    expect(byUnitAndPeriod(result.submissions)).toEqual(byUnitAndPeriod(full));
  });
});

describe('the seed year as workbooks made by LibreOffice', () => {
  it('reads the 108 monthly workbooks back to the seed year’s figures, unit by unit and month by month', () => {
    // Prepare
    const seed = new URL('seed/', DIR);
    const files = readdirSync(seed).filter((n) => n.endsWith('.xlsx'));

    // Act
    const read = files.flatMap((f) => {
      const result = check(readFileSync(new URL(f, seed)));
      expect(result.errors, f).toEqual([]);
      return result.submissions.map((s) => ({ unit: s.unit, period: s.period, values: s.values }));
    });

    // Assess
    expect(files).toHaveLength(108);
    expect(byUnitAndPeriod(read)).toEqual(
      byUnitAndPeriod(seedYear('2008').map((s) => ({ unit: s.unit, period: s.period, values: s.values }))),
    );
  });
});
