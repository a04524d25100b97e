/**
 * Minimal .xlsx files written part by part, so that a test can hold exactly the XML a
 * given program writes (missing `r` attributes, inline strings, 1904 dates, …) — not what
 * our own writer would make of it.
 */
import { strToU8, zipSync, type Zippable } from 'fflate';

export interface RawSheet {
  readonly name: string;
  /** The `<sheetData>` content (rows), or the whole part when it starts with `<?xml` or `<worksheet`. */
  readonly xml: string;
  readonly hidden?: boolean;
  /** `<mergeCell ref>`s after the sheet data. */
  readonly merges?: readonly string[];
}

export interface RawWorkbook {
  readonly sheets: readonly RawSheet[];
  readonly sharedStrings?: readonly string[];
  /** `<si>` contents as written (rich text, phonetic runs). */
  readonly sharedStringsXml?: string;
  /** numFmtId per cell style (cellXfs order); custom formats by id. */
  readonly styles?: { readonly xfs: readonly number[]; readonly formats?: Readonly<Record<number, string>> };
  readonly date1904?: boolean;
  /** Extra or replaced parts. */
  readonly parts?: Readonly<Record<string, string | Uint8Array>>;
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function rawWorkbook(spec: RawWorkbook): Uint8Array {
  const files: Zippable = {};
  const put = (name: string, text: string) => {
    files[name] = strToU8(text);
  };
  put(
    '[Content_Types].xml',
    `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
  );
  put(
    '_rels/.rels',
    `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  );
  const sheets = spec.sheets
    .map((s, i) => `<sheet name="${escapeXml(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"${s.hidden ? ' state="hidden"' : ''}/>`)
    .join('');
  put(
    'xl/workbook.xml',
    `<?xml version="1.0"?><workbook xmlns="${NS}" xmlns:r="${REL}"><workbookPr${spec.date1904 ? ' date1904="1"' : ''}/><sheets>${sheets}</sheets></workbook>`,
  );
  const rels = spec.sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`);
  rels.push(
    `<Relationship Id="rIdS" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>`,
    `<Relationship Id="rIdY" Type="${REL}/styles" Target="styles.xml"/>`,
  );
  put(
    'xl/_rels/workbook.xml.rels',
    `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`,
  );
  spec.sheets.forEach((s, i) => {
    const merges = s.merges?.length
      ? `<mergeCells count="${s.merges.length}">${s.merges.map((m) => `<mergeCell ref="${m}"/>`).join('')}</mergeCells>`
      : '';
    const whole = s.xml.startsWith('<?xml') || s.xml.startsWith('<worksheet');
    put(
      `xl/worksheets/sheet${i + 1}.xml`,
      whole ? s.xml : `<?xml version="1.0"?><worksheet xmlns="${NS}"><sheetData>${s.xml}</sheetData>${merges}</worksheet>`,
    );
  });
  const si =
    spec.sharedStringsXml ?? (spec.sharedStrings ?? []).map((t) => `<si><t xml:space="preserve">${escapeXml(t)}</t></si>`).join('');
  put('xl/sharedStrings.xml', `<?xml version="1.0"?><sst xmlns="${NS}">${si}</sst>`);
  const formats = Object.entries(spec.styles?.formats ?? {}).map(
    ([id, code]) => `<numFmt numFmtId="${id}" formatCode="${escapeXml(code)}"/>`,
  );
  const xfs = (spec.styles?.xfs ?? [0]).map((id) => `<xf numFmtId="${id}"/>`).join('');
  put(
    'xl/styles.xml',
    `<?xml version="1.0"?><styleSheet xmlns="${NS}"><numFmts>${formats.join('')}</numFmts><cellXfs>${xfs}</cellXfs></styleSheet>`,
  );
  for (const [name, content] of Object.entries(spec.parts ?? {})) files[name] = typeof content === 'string' ? strToU8(content) : content;
  return zipSync(files);
}

/** A row of inline-string and number cells: `row(3, ['V03', '2025-03', 5])` (strings inline, numbers as numbers). */
export function row(r: number, cells: readonly (string | number | null)[]): string {
  const xml = cells
    .map((c, i) => {
      if (c === null) return '';
      const ref = `${String.fromCharCode(65 + i)}${r}`;
      return typeof c === 'number' ? `<c r="${ref}"><v>${c}</v></c>` : `<c r="${ref}" t="inlineStr"><is><t>${escapeXml(c)}</t></is></c>`;
    })
    .join('');
  return `<row r="${r}">${xml}</row>`;
}
