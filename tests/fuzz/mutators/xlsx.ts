/**
 * Workbook edits that know the shape of an .xlsx: the ZIP is opened, one part is changed
 * (a cell's value, type or reference, a row repeated, a merge, XML broken or nested deep,
 * a part dropped or blown up) and the ZIP is written again, so that the reader's checks
 * past the ZIP layer are reached. Bytes that are not a ZIP are left as they are; byte
 * edits (bytes.ts) break the ZIP itself.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { Random } from '../random.ts';
import { longRun, type Mutator, ODD_DIGITS, repeated, replaceOne } from './mutator.ts';

type Parts = Record<string, Uint8Array>;

function openZip(bytes: Uint8Array): Parts | undefined {
  try {
    return unzipSync(bytes);
  } catch {
    return undefined;
  }
}

/** A mutator over the workbook's parts: `edit` changes them in place; a file that is no ZIP stays as it is. */
function onParts(name: string, edit: (parts: Parts, random: Random) => void): Mutator {
  return {
    name,
    formats: ['xlsx'],
    mutate(bytes, random) {
      const parts = openZip(bytes);
      if (!parts) return bytes;
      edit(parts, random);
      return zipSync(parts, { level: random.chance(0.5) ? 6 : 0 });
    },
  };
}

/** The sheets and the shared strings: where a village's figures are. */
function dataParts(parts: Parts): string[] {
  return Object.keys(parts)
    .filter((p) => /^xl\/(worksheets\/sheet\d+|sharedStrings)\.xml$/.test(p))
    .sort();
}

/** A mutator over the text of one data part, picked at random. */
function onPartText(name: string, edit: (xml: string, random: Random) => string): Mutator {
  return onParts(name, (parts, random) => {
    const names = dataParts(parts);
    if (names.length === 0) return;
    const part = random.pick(names);
    parts[part] = strToU8(edit(strFromU8(parts[part]!), random));
  });
}

const TYPES = ['s', 'str', 'inlineStr', 'n', 'b', 'e', 'd', 'x', ''];
const REFS = ['A0', 'XFE1', 'A1048577', '', 'ZZZZZZZZ9999999999999', '9A', 'a1', 'E9E9', 'A-1', '𝟓5'];
const VALUES = ['', '-1', '1e309', 'NaN', '99999999999999999999', '0x10', '1,000', '4.5e-7', ' 3 ', '2147483648', '-0'];

export const XLSX_MUTATORS: readonly Mutator[] = [
  onPartText('xlsx.cell-value', (xml, r) =>
    replaceOne(xml, /<(v|t)( [^>]*)?>[^<]*<\/\1>/g, r, (cell) => {
      const tag = cell.slice(1, 2) === 'v' ? 'v' : 't';
      const value = r.pick([r.pick(VALUES), r.pick(ODD_DIGITS), longRun(r, r.size(1 << 20)), String(r.below(1_000_000))]);
      return `<${tag}>${value}</${tag}>`;
    }),
  ),
  onPartText('xlsx.cell-type', (xml, r) =>
    replaceOne(xml, /<c [^>]*>/g, r, (open) => {
      const bare = open.replace(/ t="[^"]*"/, '');
      const type = r.pick(TYPES);
      return type === '' ? bare : bare.replace('<c ', `<c t="${type}" `);
    }),
  ),
  onPartText('xlsx.cell-ref', (xml, r) => replaceOne(xml, / r="[A-Z]+\d+"/g, r, () => ` r="${r.pick(REFS)}"`)),
  onPartText('xlsx.shared-index', (xml, r) =>
    replaceOne(xml, /<c [^>]*t="s"[^>]*><v>\d+<\/v>/g, r, (cell) =>
      cell.replace(/<v>\d+<\/v>/, `<v>${r.pick(['-1', '999999999', '1.5', '', '__proto__', 'constructor'])}</v>`),
    ),
  ),
  onPartText('xlsx.repeat-row', (xml, r) => replaceOne(xml, /<row [^>]*>.*?<\/row>/gs, r, (row) => repeated(row, r.size(20_000) + 1))),
  onPartText('xlsx.break-xml', (xml, r) => {
    const at = r.below(xml.length + 1);
    return r.pick([
      () => xml.slice(0, at),
      () => xml.slice(0, at) + r.pick(['<', '>', '&', '&bogus;', '</row>', '<c r="A1">', '<!DOCTYPE x>', ']]>', '\u0000']) + xml.slice(at),
      () => xml.replace(/<\/sheetData>/, ''),
    ])();
  }),
  onPartText('xlsx.deep-xml', (xml, r) => {
    const depth = r.size(200_000);
    return xml.replace(/<sheetData>|<sst[^>]*>/, (open) => open + repeated('<x>', depth) + repeated('</x>', depth));
  }),
  onPartText('xlsx.merge', (xml, r) => {
    const range = r.pick(['A1:XFD1048576', 'A1:A1048576', 'E9:A1', 'A1:', 'B2:B3', 'A1:ZZZZZZ1']);
    const merges = `<mergeCells count="1">${repeated(`<mergeCell ref="${range}"/>`, r.size(10_000))}</mergeCells>`;
    return xml.replace(/<\/sheetData>/, `</sheetData>${merges}`);
  }),
  onParts('xlsx.drop-part', (parts, r) => {
    const names = Object.keys(parts).sort();
    if (names.length > 0) delete parts[r.pick(names)];
  }),
  onParts('xlsx.blow-up', (parts, r) => {
    // Compresses well: a small file whose parts inflate to a lot (the zip bomb's shape).
    const names = [...dataParts(parts), 'xl/styles.xml', 'xl/workbook.xml'];
    parts[r.pick(names)] = strToU8(repeated(r.pick([' ', '<x/>', '0']), r.size(60 << 20)));
  }),
  onParts('xlsx.many-sheets', (parts, r) => {
    const sheet = parts['xl/worksheets/sheet1.xml'];
    if (!sheet) return;
    for (let n = 2 + r.size(1500); n > 1; n--) parts[`xl/worksheets/sheet${n + 100}.xml`] = sheet;
  }),
];
