/**
 * An .xlsx opened: its sheets (name, hidden or not, where the part is), its date system,
 * the number formats that show dates, and its shared strings. Sheets themselves are read
 * one at a time by sheet.ts. Every limit is applied by the Zip before any XML is parsed.
 */
import { isDateFormat } from './cells.ts';
import { readXml, XmlError, type Attributes } from './xml.ts';
import { Zip, ZipError, type ZipLimits } from './zip.ts';

export interface SheetInfo {
  readonly name: string;
  readonly hidden: boolean;
  readonly part: string;
}

export interface Workbook {
  readonly sheets: readonly SheetInfo[];
  readonly date1904: boolean;
  readonly sharedStrings: readonly string[];
  /** Per cell style index (the `s` of a cell): whether its number format shows a date. */
  readonly dateStyles: readonly boolean[];
  /** The XML text of a sheet's part. */
  xmlOf(sheet: SheetInfo): string;
}

export interface WorkbookLimits extends ZipLimits {
  readonly maxSheets: number;
}

/** Why a workbook cannot be read (the reader says it to people with UNREADABLE_WORKBOOK). */
export type WorkbookProblem =
  | { readonly kind: 'encrypted' | 'legacy-xls' | 'not-xlsx' }
  | { readonly kind: 'corrupt'; readonly detail: string }
  | { readonly kind: 'too-large'; readonly limit: number }
  | { readonly kind: 'too-many-sheets'; readonly count: number; readonly limit: number };

export class WorkbookError extends Error {
  constructor(readonly problem: WorkbookProblem) {
    super(problem.kind);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function openWorkbook(bytes: Uint8Array, limits: WorkbookLimits): Workbook {
  if (isOle(bytes)) throw new WorkbookError({ kind: containsUtf16(bytes, 'EncryptedPackage') ? 'encrypted' : 'legacy-xls' });
  try {
    const zip = new Zip(bytes, limits);
    const text = (part: string): string | undefined => {
      const data = zip.read(part);
      if (data === undefined) return undefined;
      try {
        return utf8.decode(data);
      } catch {
        throw new WorkbookError({ kind: 'corrupt', detail: `“${part}”不是 UTF-8 文本` });
      }
    };
    const root = officeDocument(text('_rels/.rels'));
    const workbookXml = text(root);
    if (workbookXml === undefined)
      throw new WorkbookError({ kind: zip.has('mimetype') || zip.has('content.xml') ? 'not-xlsx' : 'corrupt', detail: '没有工作簿内容' });
    const dir = root.slice(0, root.lastIndexOf('/') + 1);
    const rels = relationships(text(`${dir}_rels/${root.slice(dir.length)}.rels`), dir);
    const { sheets, date1904 } = sheetsOf(workbookXml, rels);
    if (sheets.length > limits.maxSheets)
      throw new WorkbookError({ kind: 'too-many-sheets', count: sheets.length, limit: limits.maxSheets });
    const typed = (type: string, fallback: string) => [...rels.values()].find((r) => r.type.endsWith(type))?.target ?? `${dir}${fallback}`;
    const stylesXml = text(typed('/styles', 'styles.xml'));
    const stringsXml = text(typed('/sharedStrings', 'sharedStrings.xml'));
    const parts = new Map<string, string>();
    return {
      sheets,
      date1904,
      dateStyles: stylesXml ? dateStylesOf(stylesXml) : [],
      sharedStrings: stringsXml ? sharedStringsOf(stringsXml) : [],
      // Kept once read: a sheet probed for its header and then read is inflated once.
      xmlOf: (sheet) => {
        let xml = parts.get(sheet.part);
        if (xml === undefined) {
          xml = text(sheet.part);
          if (xml === undefined) throw new WorkbookError({ kind: 'corrupt', detail: `工作表“${sheet.name}”的内容缺失` });
          parts.set(sheet.part, xml);
        }
        return xml;
      },
    };
  } catch (e) {
    throw asWorkbookError(e);
  }
}

/** Also for errors raised later while a sheet's XML is read. */
export function asWorkbookError(e: unknown): WorkbookError {
  if (e instanceof WorkbookError) return e;
  if (e instanceof ZipError) {
    const p = e.problem;
    return new WorkbookError(p.kind === 'encrypted' ? { kind: 'encrypted' } : p);
  }
  if (e instanceof XmlError) return new WorkbookError({ kind: 'corrupt', detail: `XML 格式错误（${e.message}）` });
  throw e;
}

/** OLE2 compound file: an encrypted .xlsx (an EncryptedPackage stream) or a legacy .xls. */
function isOle(b: Uint8Array): boolean {
  return b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;
}

function containsUtf16(bytes: Uint8Array, word: string): boolean {
  const needle = new Uint8Array(word.length * 2);
  for (let i = 0; i < word.length; i++) needle[i * 2] = word.charCodeAt(i);
  outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
    for (let k = 0; k < needle.length; k++) if (bytes[i + k] !== needle[k]) continue outer;
    return true;
  }
  return false;
}

/** Calls `open` for every element; text is not needed in these parts. */
function elements(xml: string, open: (name: string, a: Attributes) => void): void {
  readXml(xml, { open, close: () => {}, text: () => {} });
}

function officeDocument(relsXml: string | undefined): string {
  let target = 'xl/workbook.xml';
  if (relsXml)
    elements(relsXml, (name, a) => {
      if (name === 'Relationship' && a.Type?.endsWith('/officeDocument') && a.Target) target = resolve('', a.Target);
    });
  return target;
}

interface Relationship {
  readonly type: string;
  readonly target: string;
}

function relationships(xml: string | undefined, dir: string): Map<string, Relationship> {
  const found = new Map<string, Relationship>();
  if (xml)
    elements(xml, (name, a) => {
      if (name === 'Relationship' && a.Id && a.Target) found.set(a.Id, { type: a.Type ?? '', target: resolve(dir, a.Target) });
    });
  return found;
}

/** A relationship target as a part name: absolute (`/xl/…`) or relative to the source's folder. */
function resolve(dir: string, target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : dir + target).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.join('/');
}

function sheetsOf(xml: string, rels: Map<string, Relationship>): { sheets: SheetInfo[]; date1904: boolean } {
  const sheets: SheetInfo[] = [];
  let date1904 = false;
  elements(xml, (name, a) => {
    if (name === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true';
    if (name !== 'sheet') return;
    const rel = a.id ? rels.get(a.id) : undefined;
    // Chart sheets and dialog sheets are not worksheets: nothing to read in them.
    if (rel && !rel.type.endsWith('/worksheet')) return;
    sheets.push({
      name: a.name ?? `Sheet${sheets.length + 1}`,
      hidden: a.state === 'hidden' || a.state === 'veryHidden',
      part: rel?.target ?? `xl/worksheets/sheet${sheets.length + 1}.xml`,
    });
  });
  return { sheets, date1904 };
}

/** For each cell style (cellXfs order), whether it shows a date. */
function dateStylesOf(xml: string): boolean[] {
  const codes = new Map<number, string>();
  const styles: boolean[] = [];
  let inCellXfs = false;
  readXml(xml, {
    open: (name, a) => {
      if (name === 'numFmt' && a.numFmtId !== undefined) codes.set(Number(a.numFmtId), a.formatCode ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) {
        const id = Number(a.numFmtId ?? 0);
        styles.push(isDateFormat(id, codes.get(id)));
      }
    },
    close: (name) => {
      if (name === 'cellXfs') inCellXfs = false;
    },
    text: () => {},
  });
  return styles;
}

/** Each `<si>`'s text: its `<t>`, or its rich-text runs' `<t>`s, without phonetic guides (`<rPh>`). */
function sharedStringsOf(xml: string): string[] {
  const strings: string[] = [];
  let current = '';
  let inT = false;
  let inPhonetic = false;
  readXml(xml, {
    open: (name) => {
      if (name === 'si') current = '';
      else if (name === 'rPh') inPhonetic = true;
      else if (name === 't') inT = true;
    },
    close: (name) => {
      if (name === 'si') strings.push(unescapeOoxml(current));
      else if (name === 'rPh') inPhonetic = false;
      else if (name === 't') inT = false;
    },
    text: (value) => {
      if (inT && !inPhonetic) current += value;
    },
  });
  return strings;
}

/** OOXML writes characters XML cannot hold as `_xHHHH_` (Excel: a line break in a cell is _x000D_). */
export function unescapeOoxml(s: string): string {
  if (!s.includes('_x')) return s;
  return s.replace(/_x([0-9a-fA-F]{4})_/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}
