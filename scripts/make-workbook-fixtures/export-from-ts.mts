/**
 * What the Python generators take from the TypeScript sources, so that the workbooks use the
 * project's own catalogue and seed year rather than copies of them:
 *
 *   tsx export-from-ts.mts <outDir> [year]
 *
 * writes <outDir>/catalogue.json (every value key with its label and unit of measure) and
 * <outDir>/seed/*.csv (the seed year, one file per unit and month, as `writeSubmissions`
 * writes them) with <outDir>/seed/manifest.json, which make.sh converts with LibreOffice.
 *
 * An .mts run by tsx, not part of the project graph (knip's project is *.ts and *.mjs).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VALUE_KEYS } from '../../shared/catalogue.ts';
import { writeSubmissions, type WrittenFormat } from '../../shared/write.ts';
import { seedYear } from '../../tests/support/seed-year.ts';

const [outDir, year = '2008'] = process.argv.slice(2);
if (!outDir) throw new Error('usage: tsx export-from-ts.mts <outDir> [year]');

const catalogue = VALUE_KEYS.map((k) => ({
  key: k.key,
  label: k.label,
  unit: k.metric.unit,
  valueType: k.metric.valueType,
  labelWithUnit: `${k.label}(${k.metric.unit})`,
}));
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'catalogue.json'), JSON.stringify(catalogue, null, 2) + '\n');

// The rotation of tests/support/publish-harness.ts (monthFile), with wide code headers where it sends JSON.
const LAYOUTS: readonly { format: WrittenFormat; headers: 'code' | 'label' }[] = [
  { format: 'wide', headers: 'label' },
  { format: 'long', headers: 'code' },
  { format: 'wide', headers: 'code' },
  { format: 'long', headers: 'label' },
];

const seedDir = join(outDir, 'seed');
mkdirSync(seedDir, { recursive: true });
const shortCode = (fullCode: string) => fullCode.slice(fullCode.indexOf('/') + 1);
// Month by month, units in registry order: the order year.test.ts sends them in.
const units = [...new Set(seedYear(year).map((s) => s.unit))];
const submissions = seedYear(year).sort((a, b) => a.period.localeCompare(b.period) || units.indexOf(a.unit) - units.indexOf(b.unit));
const manifest = submissions.map((s, i) => {
  const layout = LAYOUTS[i % LAYOUTS.length]!;
  const name = `${s.period}-${shortCode(s.unit)}`;
  // Short codes in the file, as a village of the town writes them.
  const text = writeSubmissions([{ ...s, unit: shortCode(s.unit) }], { ...layout, newline: '\r\n' });
  writeFileSync(join(seedDir, `${name}.csv`), text);
  // soffice names the sheet after the CSV file.
  const entry = {
    file: `${name}.xlsx`,
    sheet: name,
    unit: shortCode(s.unit),
    period: s.period,
    layout: layout.format,
    headers: layout.headers,
    values: s.values,
  };
  return JSON.stringify(entry);
});
// One file per line: 108 entries stay readable in a diff.
const madeBy = process.env['CUNBAO_LO_VERSION'] ?? 'LibreOffice';
const head = JSON.stringify({ year, madeBy, source: `seedYear('${year}') in tests/support/seed-year.ts` }).slice(0, -1);
writeFileSync(join(seedDir, 'manifest.json'), `${head},"files":[\n${manifest.join(',\n')}\n]}\n`);
