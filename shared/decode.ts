/**
 * Bytes → text. Village files come from Excel or WPS on Chinese Windows: UTF-8 with or
 * without BOM ("CSV UTF-8"), or GB18030/GBK ("CSV"). UTF-16 with a BOM (Excel's
 * "Unicode 文本") is read too. Everything else is UNDECODABLE, never guessed at.
 */
import { isUtf8 } from 'node:buffer';

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030' | 'utf-16le' | 'utf-16be';

export type Decoded =
  | { readonly ok: true; readonly text: DecodedText; readonly encoding: TextEncoding }
  | { readonly ok: false; readonly reason: 'binary' | 'spreadsheet' | 'encoding' };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const gb18030 = new TextDecoder('gb18030', { fatal: true });

const LF = 10;
/**
 * A piece's size, about: a 10 MiB file decoded at once is one 10 MiB string, made where
 * large objects go (39 ms on the bench's machine); in pieces of 64 KiB, each dropped once
 * read, the same bytes decode in 10 ms. Pieces of 256 KiB are large objects again.
 */
export const PIECE_BYTES = 64 * 1024;

/**
 * A file's text, whole (a JSON file) or piece by piece (a CSV file, read line by line).
 * A piece of UTF-8 ends after a line feed (or at the end): no UTF-8 character but the line
 * feed holds the byte 0x0A, so a piece is text on its own. Text decoded otherwise (GB18030,
 * UTF-16) is one piece.
 */
export class DecodedText {
  /** The byte (UTF-8) or character (decoded) offset of the next piece. */
  private at = 0;

  private constructor(
    private readonly utf8Bytes: Uint8Array | undefined,
    private readonly decoded: string,
    private readonly pieceBytes: number,
  ) {}

  /** Valid UTF-8 (checked by the caller); `pieceBytes` other than PIECE_BYTES only in tests, to cut small files. */
  static ofUtf8(bytes: Uint8Array, pieceBytes = PIECE_BYTES): DecodedText {
    return new DecodedText(bytes, '', Math.max(1, pieceBytes));
  }

  static of(text: string): DecodedText {
    return new DecodedText(undefined, text, PIECE_BYTES);
  }

  /** All of the text, as one string. */
  whole(): string {
    return this.utf8Bytes ? utf8.decode(this.utf8Bytes) : this.decoded;
  }

  /** The next piece, or undefined after the last. */
  next(): string | undefined {
    const [piece, end] = this.pieceAt(this.at);
    this.at = end;
    return piece;
  }

  /** What the pieces have not given yet, as one string. */
  rest(): string {
    const from = this.at;
    this.at = this.length;
    return this.utf8Bytes ? utf8.decode(this.utf8Bytes.subarray(from)) : this.decoded.slice(from);
  }

  /** The first character that is not white space (\S), looked for without giving any piece. */
  firstVisible(): string | undefined {
    for (let at = 0; at < this.length; ) {
      const [piece, end] = this.pieceAt(at);
      const found = /\S/.exec(piece ?? '')?.[0];
      if (found !== undefined) return found;
      at = end;
    }
    return undefined;
  }

  /** The first piece (its first line whole, which the delimiter is sniffed from). */
  head(): string {
    return this.pieceAt(0)[0] ?? '';
  }

  private get length(): number {
    return this.utf8Bytes ? this.utf8Bytes.length : this.decoded.length;
  }

  private pieceAt(at: number): [string | undefined, number] {
    const bytes = this.utf8Bytes;
    if (at >= this.length) return [undefined, at];
    if (!bytes) return [this.decoded.slice(at), this.decoded.length];
    const lf = bytes.indexOf(LF, Math.min(bytes.length, at + this.pieceBytes) - 1);
    const end = lf < 0 ? bytes.length : lf + 1;
    return [utf8.decode(bytes.subarray(at, end)), end];
  }
}

export function decodeText(bytes: Uint8Array): Decoded {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return attempt(bytes.subarray(3), 'utf-8-bom');
  if (b0 === 0xff && b1 === 0xfe) return decoded(bytes.subarray(2), new TextDecoder('utf-16le', { fatal: true }), 'utf-16le');
  if (b0 === 0xfe && b1 === 0xff) return decoded(bytes.subarray(2), new TextDecoder('utf-16be', { fatal: true }), 'utf-16be');
  // An .xlsx (a ZIP) or an old .xls (OLE2) saved under a .csv name: say so, precisely.
  if ((b0 === 0x50 && b1 === 0x4b && b2 === 0x03 && b3 === 0x04) || (b0 === 0xd0 && b1 === 0xcf && b2 === 0x11 && b3 === 0xe0)) {
    return { ok: false, reason: 'spreadsheet' };
  }
  const asUtf8 = attempt(bytes, 'utf-8');
  return asUtf8.ok || asUtf8.reason === 'binary' ? asUtf8 : decoded(bytes, gb18030, 'gb18030');
}

/**
 * UTF-8, checked whole before a piece is decoded (so that a bad byte late in the file
 * makes it GB18030 from the start). Text files hold no NUL; one means a binary file (in
 * UTF-8, the byte 0 is U+0000 and nothing else).
 */
function attempt(bytes: Uint8Array, encoding: 'utf-8' | 'utf-8-bom'): Decoded {
  if (!isUtf8(bytes)) return { ok: false, reason: 'encoding' };
  return bytes.indexOf(0) >= 0 ? { ok: false, reason: 'binary' } : { ok: true, text: DecodedText.ofUtf8(bytes), encoding };
}

function decoded(bytes: Uint8Array, decoder: InstanceType<typeof TextDecoder>, encoding: TextEncoding): Decoded {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { ok: false, reason: 'encoding' };
  }
  // One NUL means a binary file (or a wrong guess at UTF-16).
  return text.includes('\0') ? { ok: false, reason: 'binary' } : { ok: true, text: DecodedText.of(text), encoding };
}
