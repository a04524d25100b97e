/**
 * A SpreadsheetML package (.xlsx) from a `Workbook`: the parts and their relationships,
 * zipped with fflate. The same workbook gives the same bytes (fixed zip timestamps, no
 * clock read), so that a served file's ETag is stable.
 */
import { strToU8, zipSync } from 'fflate';
import type { Sheet, Workbook } from './model.ts';
import { SharedStrings, sheetXml } from './sheet.ts';
import { StyleTable } from './styles.ts';
import { attr, tElement, text, XML_HEAD } from './xml.ts';

const NS = {
  main: 'http://schemas.openxmlformats.org/spreadsheetml/2006/main',
  rel: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
  pkg: 'http://schemas.openxmlformats.org/package/2006/relationships',
};

/** DOS time of the zip entries: 1980-01-01 00:00 in whatever zone the process runs (fflate reads local fields). */
const ZIP_TIME = new Date(1980, 0, 1, 0, 0, 0);

function checkName(sheet: Sheet, seen: Set<string>): void {
  const name = sheet.name;
  if (!name || name.length > 31 || /[[\]:*?/\\]/.test(name) || /^'|'$/.test(name))
    throw new Error(`xlsx: invalid sheet name ${JSON.stringify(name)}`);
  if (seen.has(name.toLowerCase())) throw new Error(`xlsx: duplicate sheet name ${JSON.stringify(name)}`);
  seen.add(name.toLowerCase());
}

function contentTypes(sheets: number): string {
  const part = (name: string, type: string) => `<Override PartName="${name}" ContentType="${type}"/>`;
  const ooxml = 'application/vnd.openxmlformats-officedocument';
  return [
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">',
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
    '<Default Extension="xml" ContentType="application/xml"/>',
    part('/xl/workbook.xml', `${ooxml}.spreadsheetml.sheet.main+xml`),
    ...Array.from({ length: sheets }, (_, i) => part(`/xl/worksheets/sheet${i + 1}.xml`, `${ooxml}.spreadsheetml.worksheet+xml`)),
    part('/xl/styles.xml', `${ooxml}.spreadsheetml.styles+xml`),
    part('/xl/sharedStrings.xml', `${ooxml}.spreadsheetml.sharedStrings+xml`),
    part('/docProps/core.xml', 'application/vnd.openxmlformats-package.core-properties+xml'),
    part('/docProps/app.xml', `${ooxml}.extended-properties+xml`),
    '</Types>',
  ].join('');
}

const relationships = (rels: readonly [type: string, target: string][]) =>
  `<Relationships xmlns="${NS.pkg}">${rels.map(([type, target], i) => `<Relationship Id="rId${i + 1}" Type="${type}" Target="${target}"/>`).join('')}</Relationships>`;

function coreXml(book: Workbook): string {
  const when = book.created ? `${book.created.toISOString().replace(/\.\d{3}Z$/, 'Z')}` : undefined;
  return [
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    `<dc:title>${text(book.title)}</dc:title><dc:creator>村报</dc:creator>`,
    when
      ? `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified>`
      : '',
    '</cp:coreProperties>',
  ].join('');
}

function workbookXml(book: Workbook): string {
  const sheets = book.sheets.map((s, i) => `<sheet name="${attr(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
  const names = Object.entries(book.names ?? {});
  const defined = names.length
    ? `<definedNames>${names.map(([name, ref]) => `<definedName name="${attr(name)}">${text(ref)}</definedName>`).join('')}</definedNames>`
    : '';
  return [
    `<workbook xmlns="${NS.main}" xmlns:r="${NS.rel}">`,
    '<workbookPr/>',
    '<bookViews><workbookView activeTab="0"/></bookViews>',
    `<sheets>${sheets}</sheets>`,
    defined,
    // Formulas without a cached value are computed on opening.
    '<calcPr calcId="191029" fullCalcOnLoad="1"/>',
    '</workbook>',
  ].join('');
}

/** The .xlsx bytes of a workbook. */
export function writeWorkbook(book: Workbook): Uint8Array {
  if (book.sheets.length === 0) throw new Error('xlsx: a workbook needs a sheet');
  const seen = new Set<string>();
  for (const sheet of book.sheets) checkName(sheet, seen);
  const styles = new StyleTable();
  const strings = new SharedStrings();
  const sheets = book.sheets.map((sheet, i) => sheetXml(sheet, styles, strings, i === 0));
  const sst = `<sst xmlns="${NS.main}" count="${strings.count}" uniqueCount="${strings.items.length}">${strings.items.map((s) => `<si>${tElement(s)}</si>`).join('')}</sst>`;
  const rel = `${NS.rel}/`;
  const parts: Record<string, string> = {
    '[Content_Types].xml': contentTypes(sheets.length),
    '_rels/.rels': relationships([
      [`${rel}officeDocument`, 'xl/workbook.xml'],
      ['http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties', 'docProps/core.xml'],
      [`${rel}extended-properties`, 'docProps/app.xml'],
    ]),
    'docProps/core.xml': coreXml(book),
    'docProps/app.xml': `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>cunbao</Application></Properties>`,
    'xl/workbook.xml': workbookXml(book),
    'xl/_rels/workbook.xml.rels': relationships([
      ...sheets.map((_, i): [string, string] => [`${rel}worksheet`, `worksheets/sheet${i + 1}.xml`]),
      [`${rel}styles`, 'styles.xml'],
      [`${rel}sharedStrings`, 'sharedStrings.xml'],
    ]),
    ...Object.fromEntries(sheets.map((xml, i) => [`xl/worksheets/sheet${i + 1}.xml`, xml])),
    'xl/styles.xml': styles.xml(),
    'xl/sharedStrings.xml': sst,
  };
  return zipSync(Object.fromEntries(Object.entries(parts).map(([name, xml]) => [name, strToU8(XML_HEAD + xml)])), {
    level: 6,
    mtime: ZIP_TIME,
  });
}
