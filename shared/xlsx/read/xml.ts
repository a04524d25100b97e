/**
 * A small pull reader for the XML parts of a workbook: elements, attributes and text, in
 * one pass whose time is linear in the input. Only what SpreadsheetML uses is read: no
 * DTD (a DOCTYPE is refused, so no entity can expand), the five predefined entities and
 * character references. Element and attribute names lose their namespace prefix
 * (`x:row` is `row`): writers differ in prefixes, never in local names.
 */

export class XmlError extends Error {}

export type Attributes = Readonly<Record<string, string>>;

export interface XmlHandler {
  open(name: string, attributes: Attributes): void;
  /** Also called right after `open` for an empty element (`<c/>`). */
  close(name: string): void;
  text(value: string): void;
}

const GT = 62;
const SLASH = 47;
const QUESTION = 63;
const BANG = 33;

export function readXml(xml: string, handler: XmlHandler): void {
  const n = xml.length;
  let i = 0;
  while (i < n) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) {
      emitText(xml, i, n, handler);
      return;
    }
    if (lt > i) emitText(xml, i, lt, handler);
    const c = xml.charCodeAt(lt + 1);
    if (c === QUESTION) i = after(xml, '?>', lt);
    else if (c === BANG) i = special(xml, lt, handler);
    else if (c === SLASH) {
      const gt = xml.indexOf('>', lt);
      if (gt < 0) throw new XmlError('unclosed end tag');
      handler.close(localName(xml.slice(lt + 2, gt).trim()));
      i = gt + 1;
    } else i = element(xml, lt, handler);
  }
}

function after(xml: string, end: string, from: number): number {
  const at = xml.indexOf(end, from);
  if (at < 0) throw new XmlError(`missing ${end}`);
  return at + end.length;
}

/** Comments, CDATA; a DOCTYPE is refused. */
function special(xml: string, lt: number, handler: XmlHandler): number {
  if (xml.startsWith('<!--', lt)) return after(xml, '-->', lt + 4);
  if (xml.startsWith('<![CDATA[', lt)) {
    const end = after(xml, ']]>', lt + 9);
    handler.text(xml.slice(lt + 9, end - 3));
    return end;
  }
  throw new XmlError('DTD or declaration not allowed');
}

/** A start tag with its attributes; quotes are honoured, so `>` inside a value is text. */
function element(xml: string, lt: number, handler: XmlHandler): number {
  const n = xml.length;
  let i = lt + 1;
  while (i < n && !isSpace(xml.charCodeAt(i)) && xml.charCodeAt(i) !== GT && xml.charCodeAt(i) !== SLASH) i++;
  const name = localName(xml.slice(lt + 1, i));
  if (name === '') throw new XmlError('empty tag name');
  const attributes: Record<string, string> = {};
  for (;;) {
    while (i < n && isSpace(xml.charCodeAt(i))) i++;
    if (i >= n) throw new XmlError('unclosed tag');
    const c = xml.charCodeAt(i);
    if (c === GT) {
      handler.open(name, attributes);
      return i + 1;
    }
    if (c === SLASH) {
      if (xml.charCodeAt(i + 1) !== GT) throw new XmlError('bad empty tag');
      handler.open(name, attributes);
      handler.close(name);
      return i + 2;
    }
    const eq = xml.indexOf('=', i);
    if (eq < 0) throw new XmlError('attribute without value');
    const key = localName(xml.slice(i, eq).trim());
    let q = eq + 1;
    while (q < n && isSpace(xml.charCodeAt(q))) q++;
    const quote = xml[q];
    if (quote !== '"' && quote !== "'") throw new XmlError('unquoted attribute');
    const close = xml.indexOf(quote, q + 1);
    if (close < 0) throw new XmlError('unclosed attribute');
    // The first of two same-named attributes is kept (xmlns:x and x stay apart: prefixes go).
    if (!(key in attributes)) attributes[key] = decodeEntities(xml.slice(q + 1, close));
    i = close + 1;
  }
}

function emitText(xml: string, from: number, to: number, handler: XmlHandler): void {
  handler.text(decodeEntities(xml.slice(from, to)));
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon < 0 ? qualified : qualified.slice(colon + 1);
}

const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The predefined entities and character references; anything else is left as written. */
function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/g, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED[ref] ?? whole;
    const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
