import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { check } from '../support/core.ts';
import { rawWorkbook, row } from '../support/raw-workbook.ts';

const header = row(1, ['unit', 'period', 'general_hazards_found']);
const good = () => rawWorkbook({ sheets: [{ name: 'S', xml: header + row(2, ['V03', '2025-03', 5]) }] });

function expectUnreadable(bytes: Uint8Array, ...mentions: string[]): void {
  const result = check(bytes);
  expect(result.status).toBe('rejected');
  expect(result.submissions).toEqual([]);
  expect(result.errors).toEqual([expect.objectContaining({ code: 'UNREADABLE_WORKBOOK', row: null, column: null, value: null })]);
  for (const m of mentions) expect(result.errors[0]!.message).toContain(m);
}

/** Sets the uncompressed size that the central directory declares for every entry named `name`. */
function declareSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  const target = strToU8(name);
  for (let at = 0; at + 46 < out.length; at++) {
    if (view.getUint32(at, true) !== 0x02014b50) continue;
    const length = view.getUint16(at + 28, true);
    if (length === target.length && out.subarray(at + 46, at + 46 + length).every((b, i) => b === target[i]))
      view.setUint32(at + 24, size, true);
  }
  return out;
}

describe('readWorkbookFile: workbooks that cannot be read', () => {
  it('refuses a truncated workbook as corrupt', () => {
    // Prepare
    const bytes = good().subarray(0, 300);

    // Act, Assess
    expectUnreadable(bytes, '损坏', '另存为');
  });

  it('refuses an encrypted workbook (an OLE file holding an EncryptedPackage stream), saying to remove the password', () => {
    // Prepare: the OLE signature, then the stream's name in UTF-16LE as the directory holds it
    const name = [...'EncryptedPackage'].flatMap((c) => [c.charCodeAt(0), 0]);
    const bytes = new Uint8Array([
      0xd0,
      0xcf,
      0x11,
      0xe0,
      0xa1,
      0xb1,
      0x1a,
      0xe1,
      ...new Array(504).fill(0),
      ...name,
      ...new Array(64).fill(0),
    ]);

    // Act, Assess
    expectUnreadable(bytes, '密码');
  });

  it('refuses a legacy .xls (OLE without an encrypted package), saying to save it as .xlsx', () => {
    // Prepare
    const bytes = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(1024).fill(0)]);

    // Act, Assess
    expectUnreadable(bytes, '.xls', 'Excel 工作簿(*.xlsx)');
  });

  it('refuses a ZIP entry marked encrypted (ZIP password)', () => {
    // Prepare: general purpose flag bit 0 on every central directory entry
    const bytes = good().slice();
    const view = new DataView(bytes.buffer);
    for (let at = 0; at + 46 < bytes.length; at++) if (view.getUint32(at, true) === 0x02014b50) view.setUint16(at + 8, 1, true);

    // Act, Assess
    expectUnreadable(bytes, '密码');
  });

  it('refuses an OpenDocument spreadsheet (a ZIP without a workbook) as not an Excel workbook', () => {
    // Prepare
    const bytes = zipSync({ mimetype: strToU8('application/vnd.oasis.opendocument.spreadsheet'), 'content.xml': strToU8('<x/>') });

    // Act, Assess
    expectUnreadable(bytes, '不是 Excel 工作簿');
  });

  it('refuses a sheet with a DOCTYPE (no entity is ever expanded: no XXE, no billion laughs)', () => {
    // Prepare
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>';
    const bytes = rawWorkbook({ sheets: [{ name: 'S', xml: laughs }] });

    // Act, Assess
    expectUnreadable(bytes, 'XML');
  });

  it('refuses a workbook of 21 sheets (the limit is 20), before reading any of them', () => {
    // Prepare
    const sheets = Array.from({ length: 21 }, (_, i) => ({ name: `S${i + 1}`, xml: header }));

    // Act, Assess
    expectUnreadable(rawWorkbook({ sheets }), '21 个工作表', '20');
  });

  it('refuses a zip bomb whose sheet inflates past 50 MiB', () => {
    // Prepare: 60 MiB of spaces compress to about 60 KiB
    const padding = ' '.repeat(60 * 1024 * 1024);
    const bytes = rawWorkbook({ sheets: [{ name: 'S', xml: `${header}${padding}` }] });
    expect(bytes.length).toBeLessThan(1024 * 1024);

    // Act, Assess
    expectUnreadable(bytes, '50 MB');
  });

  it('refuses a zip bomb that declares a small size and inflates to more, without inflating the rest', () => {
    // Prepare: the sheet really holds 20 MiB but its header says 1 KiB
    const bytes = declareSize(
      rawWorkbook({ sheets: [{ name: 'S', xml: `${header}${' '.repeat(20 * 1024 * 1024)}` }] }),
      'xl/worksheets/sheet1.xml',
      1024,
    );

    // Act, Assess
    expectUnreadable(bytes);
  });

  it('refuses a ZIP of thousands of entries before inflating any', () => {
    // Prepare
    const parts = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`xl/media/p${i}.bin`, new Uint8Array(1)]));
    const bytes = rawWorkbook({ sheets: [{ name: 'S', xml: header }], parts });

    // Act, Assess
    expectUnreadable(bytes);
  });

  it('reads the same workbook when it is whole (the cases above differ from it only in what is named)', () => {
    // Act
    const result = check(good());

    // Assess
    expect(result.status).toBe('accepted');
    expect(result.submissions).toEqual([{ unit: 'EC/V03', period: '2025-03', values: { general_hazards_found: 5 } }]);
  });
});

describe('readWorkbookFile: rows whose numbers are broken', () => {
  it.each([
    ['not a number', '8row'],
    ['out of order', '1'],
    ['past Excel’s last row', '1048577'],
    ['a fraction', '2.5'],
  ])('numbers a row whose r is %s as the row after the last one', (_what, r) => {
    // Prepare: the value row's number broken, its value's cell not a number, to get a finding with a row
    const bad = row(2, ['V03', '2025-03', 'x']).replace('<row r="2">', `<row r="${r}">`);
    const bytes = rawWorkbook({ sheets: [{ name: 'S', xml: header + bad }] });

    // Act
    const result = check(bytes);

    // Assess
    expect(result.errors).toEqual([expect.objectContaining({ code: 'NOT_A_NUMBER', row: 2, cell: 'S!C2' })]);
  });
});
