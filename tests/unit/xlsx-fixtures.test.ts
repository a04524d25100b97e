/**
 * The workbook fixtures of tests/fixtures/xlsx/ are well-formed: every expectations file parses,
 * names its workbook, and states figures of the registry's units in months that can be sent; every
 * workbook is a ZIP, or an OLE compound file where it is meant to be (encrypted, Excel 97); the seed
 * year's workbooks are all there. Whether a reader counts those figures is the reader's own test.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const DIR = new URL('../fixtures/xlsx/', import.meta.url);
const SEED = new URL('seed/', DIR);
const ZIP = [0x50, 0x4b, 0x03, 0x04]; // PK\3\4
const OLE = [0xd0, 0xcf, 0x11, 0xe0];
// The two workbooks that are not ZIP: a password-protected .xlsx, and Excel 97-2003.
const OLE_FILES = new Set(['lo-encrypted.xlsx', 'lo-legacy.xls']);

interface Expectation {
  file: string;
  madeBy: string;
  layout: 'long' | 'wide';
  status: 'accepted' | 'rejected';
  sheet: string | null;
  submissions: { unit: string; period: string; values: Record<string, number>; cleared?: string[]; implied?: string[] }[];
  errors: { code: string; cell: string | null }[];
  warnings: { code: string; cell: string | null }[];
  notes: string;
}

const names = readdirSync(DIR);
const expectations = names.filter((n) => n.endsWith('.expect.json'));
const workbooks = names.filter((n) => /\.xlsx?$/.test(n));
const read = (name: string, dir = DIR) => readFileSync(new URL(name, dir));
const parse = (name: string) => JSON.parse(read(name).toString('utf8')) as Expectation;
const startsWith = (bytes: Buffer, magic: number[]) => magic.every((b, i) => bytes[i] === b);
const units = new Set(
  (JSON.parse(readFileSync(new URL('../../config/units.json', import.meta.url), 'utf8')) as { units: { code: string }[] }).units.map(
    (u) => u.code,
  ),
);
const CELL = /^[^!]+![A-Z]{1,3}[1-9]\d*$/;

describe('the workbook fixtures', () => {
  it('have one expectations file per workbook, named after it', () => {
    // Prepare
    const stems = (list: string[], ext: RegExp) => list.map((n) => n.replace(ext, '')).sort();

    // Assess
    expect(workbooks.length).toBeGreaterThanOrEqual(20);
    expect(stems(expectations, /\.expect\.json$/)).toEqual(stems(workbooks, /\.xlsx?$/));
  });

  it.each(expectations)('%s parses and names an existing workbook', (name) => {
    // Act
    const e = parse(name);

    // Assess
    expect(e.file.replace(/\.xlsx?$/, '.expect.json')).toBe(name);
    expect(existsSync(new URL(e.file, DIR))).toBe(true);
    expect(e.madeBy).toMatch(/^(LibreOffice|openpyxl) \d+\.\d+/);
    expect(['long', 'wide']).toContain(e.layout);
    expect(e.notes.length).toBeGreaterThan(20);
  });

  it.each(expectations)('%s states an outcome a reader can be held to', (name) => {
    // Act
    const e = parse(name);

    // Assess: accepted files count something and have no errors; rejected ones the reverse.
    if (e.status === 'accepted') {
      expect(e.errors).toEqual([]);
      expect(e.submissions.length).toBeGreaterThan(0);
      expect(e.sheet).toEqual(expect.any(String));
    } else {
      expect(e.status).toBe('rejected');
      expect(e.submissions).toEqual([]);
      expect(e.errors.length).toBeGreaterThan(0);
    }
    for (const f of [...e.errors, ...e.warnings]) {
      expect(f.code).toMatch(/^[A-Z_]+$/);
      if (f.cell !== null) expect(f.cell).toMatch(CELL);
    }
  });

  it.each(expectations)('%s counts units of the registry in months 2025-01 to 2025-03, as numbers', (name) => {
    // Act
    const e = parse(name);

    // Assess
    for (const s of e.submissions) {
      expect(units.has(s.unit), s.unit).toBe(true);
      expect(s.period).toMatch(/^2025-0[1-3]$/);
      for (const v of Object.values(s.values)) expect(Number.isFinite(v) && v >= 0 && Math.round(v * 100) === v * 100).toBe(true);
    }
  });

  it.each(workbooks)('%s is a ZIP, or an OLE compound file where it is meant to be, and small', (name) => {
    // Act
    const bytes = read(name);

    // Assess
    expect(startsWith(bytes, OLE_FILES.has(name) ? OLE : ZIP)).toBe(true);
    expect(statSync(new URL(name, DIR)).size).toBeLessThan(64 * 1024);
  });
});

describe('the seed year as workbooks', () => {
  const manifest = JSON.parse(read('manifest.json', SEED).toString('utf8')) as {
    year: string;
    files: { file: string; unit: string; period: string; layout: string; headers: string; values: Record<string, number> }[];
  };

  it('has one workbook per unit and month of the year, each listed in the manifest', () => {
    // Prepare
    const months = Array.from({ length: 12 }, (_, i) => `${manifest.year}-${String(i + 1).padStart(2, '0')}`);
    const expected = months.flatMap((m) => [...units].map((u) => `${m}-${u}.xlsx`)).sort();

    // Assess
    expect(manifest.files.map((f) => f.file).sort()).toEqual(expected);
    expect(
      readdirSync(SEED)
        .filter((n) => n.endsWith('.xlsx'))
        .sort(),
    ).toEqual(expected);
    for (const f of manifest.files) expect(f.file).toBe(`${f.period}-${f.unit}.xlsx`);
  });

  it('holds only ZIP workbooks with figures', () => {
    // Assess
    for (const f of manifest.files) {
      expect(startsWith(read(f.file, SEED), ZIP), f.file).toBe(true);
      expect(Object.keys(f.values).length, f.file).toBeGreaterThan(30);
    }
  });
});
