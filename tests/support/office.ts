/**
 * Reading a workbook back as other programs do: openpyxl (python3-openpyxl) for values,
 * styles, freeze panes, protection and validations, and LibreOffice headless for what a
 * spreadsheet shows (its first sheet as CSV). Both are Debian packages that
 * scripts/ensure-tools.sh installs; a missing one fails the test saying what to install.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The first python3 that has openpyxl (pyenv's may not: Debian's /usr/bin/python3 has the package). */
function pythonWithOpenpyxl(): string {
  const candidates = [process.env.CUNBAO_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p);
  const found = candidates.find((p) => spawnSync(p, ['-c', 'import openpyxl'], { stdio: 'ignore' }).status === 0);
  if (!found)
    throw new Error(
      `openpyxl is missing (tried ${candidates.join(', ')}): apt-get install -y python3-openpyxl (scripts/ensure-tools.sh installs it)`,
    );
  return found;
}

let python: string | undefined;

/** A temporary .xlsx of `bytes`, removed after `use`. */
function withFile<T>(bytes: Uint8Array, use: (file: string, dir: string) => T, name = 'book.xlsx'): T {
  const dir = mkdtempSync(join(tmpdir(), 'cunbao-xlsx-'));
  try {
    const file = join(dir, name);
    writeFileSync(file, bytes);
    return use(file, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What openpyxl reads of each sheet: its cells' values and styles, the pane, the protection, the validations. */
export interface ReadSheet {
  readonly title: string;
  readonly freeze: string | null;
  readonly protected: boolean;
  readonly merged: string[];
  /** Row by row from A1, as openpyxl gives them (None → null; dates as ISO text). */
  readonly values: (string | number | boolean | null)[][];
  /** By A1 reference, cells that have a value or a style other than the default. */
  readonly cells: Record<string, { format: string; locked: boolean; bold: boolean; fill: string | null }>;
  readonly validations: { type: string; operator: string | null; formula1: string | null; sqref: string; prompt: string | null }[];
  readonly widths: Record<string, number>;
}

export interface ReadBook {
  /** Each part of the package, and why it is not well-formed XML (null when it is). */
  readonly parts: Record<string, string | null>;
  readonly sheets: ReadSheet[];
  readonly title: string | null;
  readonly names: Record<string, string>;
}

const READ = `
import json, sys, datetime, zipfile, xml.etree.ElementTree as ET, openpyxl
def well_formed(data):
    try:
        ET.fromstring(data)
        return None
    except ET.ParseError as e:
        return str(e)
with zipfile.ZipFile(sys.argv[1]) as z:
    parts = {n: well_formed(z.read(n)) for n in z.namelist()}
wb = openpyxl.load_workbook(sys.argv[1])
def val(v):
    if isinstance(v, (datetime.datetime, datetime.date)): return v.isoformat()
    return v
def sheet(ws):
    cells = {}
    for row in ws.iter_rows():
        for c in row:
            if c.value is not None or c.has_style:
                fill = c.fill.fgColor.rgb if c.fill and c.fill.fill_type == 'solid' else None
                cells[c.coordinate] = {'format': c.number_format, 'locked': c.protection.locked, 'bold': bool(c.font.b), 'fill': fill}
    return {
        'title': ws.title, 'freeze': ws.freeze_panes, 'protected': bool(ws.protection.sheet),
        'merged': [str(r) for r in ws.merged_cells.ranges],
        'values': [[val(v) for v in r] for r in ws.iter_rows(values_only=True)],
        'cells': cells,
        'validations': [{'type': v.type, 'operator': v.operator, 'formula1': v.formula1, 'sqref': str(v.sqref), 'prompt': v.prompt} for v in ws.data_validations.dataValidation],
        'widths': {k: d.width for k, d in ws.column_dimensions.items() if d.customWidth},
    }
names = {}
try:
    for n in wb.defined_names.values(): names[n.name] = n.attr_text
except AttributeError:
    for n in wb.defined_names.definedName: names[n.name] = n.attr_text
print(json.dumps({'parts': parts, 'sheets': [sheet(ws) for ws in wb.worksheets], 'title': wb.properties.title, 'names': names}))
`;

/** The workbook as openpyxl reads it. */
export function openpyxl(bytes: Uint8Array): ReadBook {
  python ??= pythonWithOpenpyxl();
  const py = python;
  return withFile(bytes, (file) => JSON.parse(execFileSync(py, ['-c', READ, file], { encoding: 'utf8' })) as ReadBook);
}

/** LibreOffice's soffice, or an error saying how to install it. */
function sofficePath(): string {
  const soffice = ['soffice', '/usr/bin/soffice'].find((s) => spawnSync(s, ['--version'], { stdio: 'ignore' }).status === 0);
  if (!soffice)
    throw new Error(
      'LibreOffice is missing: apt-get install -y libreoffice-calc-nogui libreoffice-writer-nogui (scripts/ensure-tools.sh installs them)',
    );
  return soffice;
}

/** The first sheet as LibreOffice shows it, converted headless to UTF-8 CSV (its own profile, so runs do not collide). */
export function libreOfficeCsv(bytes: Uint8Array): string {
  const soffice = sofficePath();
  return withFile(bytes, (file, dir) => {
    execFileSync(
      soffice,
      [
        `-env:UserInstallation=file://${join(dir, 'profile')}`,
        '--headless',
        '--convert-to',
        'csv:Text - txt - csv (StarCalc):44,34,76,1',
        '--outdir',
        dir,
        file,
      ],
      { stdio: 'ignore', timeout: 120_000 },
    );
    return readFileSync(join(dir, 'book.csv'), 'utf8');
  });
}

/** A Word document's text as LibreOffice Writer reads it, converted headless to UTF-8 text. */
export function libreOfficeText(docx: Uint8Array): string {
  const soffice = sofficePath();
  return withFile(
    docx,
    (file, dir) => {
      execFileSync(
        soffice,
        [
          `-env:UserInstallation=file://${join(dir, 'profile')}`,
          '--headless',
          '--convert-to',
          'txt:Text (encoded):UTF8',
          '--outdir',
          dir,
          file,
        ],
        { stdio: 'ignore', timeout: 120_000 },
      );
      return readFileSync(join(dir, 'report.txt'), 'utf8');
    },
    'report.docx',
  );
}
