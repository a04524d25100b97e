/** The seed year as 108 workbooks LibreOffice made (tests/fixtures/xlsx/seed/), with what each one states. */
import { readFileSync } from 'node:fs';

export interface SeedWorkbook {
  readonly file: string;
  /** A short code of 鹅池镇 (V01 … TOWN). */
  readonly unit: string;
  readonly period: string;
  readonly layout: 'wide' | 'long';
  readonly headers: 'code' | 'label';
  readonly values: Readonly<Record<string, number>>;
  readonly bytes: Uint8Array;
}

const SEED = new URL('../fixtures/xlsx/seed/', import.meta.url);

/** The workbooks in the manifest's order (month by month, the units of a month together). */
export function seedWorkbooks(): SeedWorkbook[] {
  const manifest = JSON.parse(readFileSync(new URL('manifest.json', SEED), 'utf8')) as { files: Omit<SeedWorkbook, 'bytes'>[] };
  return manifest.files.map((f) => ({ ...f, bytes: new Uint8Array(readFileSync(new URL(f.file, SEED))) }));
}
