/**
 * Bytes → text. Village files come from Excel or WPS on Chinese Windows: UTF-8 with or
 * without BOM ("CSV UTF-8"), or GB18030/GBK ("CSV"). UTF-16 with a BOM (Excel's
 * "Unicode 文本") is read too. Everything else is UNDECODABLE, never guessed at.
 */

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030' | 'utf-16le' | 'utf-16be';

export type Decoded =
  | { readonly ok: true; readonly text: string; readonly encoding: TextEncoding }
  | { readonly ok: false; readonly reason: 'binary' | 'spreadsheet' | 'encoding' };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const gb18030 = new TextDecoder('gb18030', { fatal: true });

export function decodeText(bytes: Uint8Array): Decoded {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return attempt(bytes.subarray(3), utf8, 'utf-8-bom');
  if (b0 === 0xff && b1 === 0xfe) return attempt(bytes.subarray(2), new TextDecoder('utf-16le', { fatal: true }), 'utf-16le');
  if (b0 === 0xfe && b1 === 0xff) return attempt(bytes.subarray(2), new TextDecoder('utf-16be', { fatal: true }), 'utf-16be');
  // An .xlsx (a ZIP) or an old .xls (OLE2) saved under a .csv name: say so, precisely.
  if ((b0 === 0x50 && b1 === 0x4b && b2 === 0x03 && b3 === 0x04) || (b0 === 0xd0 && b1 === 0xcf && b2 === 0x11 && b3 === 0xe0)) {
    return { ok: false, reason: 'spreadsheet' };
  }
  const asUtf8 = attempt(bytes, utf8, 'utf-8');
  return asUtf8.ok ? asUtf8 : attempt(bytes, gb18030, 'gb18030');
}

function attempt(bytes: Uint8Array, decoder: InstanceType<typeof TextDecoder>, encoding: TextEncoding): Decoded {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { ok: false, reason: 'encoding' };
  }
  // Text files hold no NUL; one means a binary file (or a wrong guess at UTF-16).
  return text.includes('\0') ? { ok: false, reason: 'binary' } : { ok: true, text, encoding };
}
