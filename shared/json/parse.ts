/**
 * A JSON reader for files people upload: RFC 8259 exactly (it refuses what JSON.parse
 * refuses and reads the same values), but it sees what JSON.parse hides. Duplicate keys
 * are reported with their path (JSON.parse keeps the last silently), numbers keep their
 * source text, and a syntax error says its line. Iterative over an explicit stack, with
 * a nesting limit (RFC 8259 §9 allows one): no input can overflow the call stack.
 */
import { type DuplicateKey, JsonArray, JsonNumber, JsonObject, type JsonValue } from './value.ts';

/** More arrays and objects inside one another than this is refused; a cunbao file needs 4 (array, record, values, categories). */
export const MAX_DEPTH = 64;

export type JsonParse =
  | { readonly ok: true; readonly value: JsonValue; readonly duplicates: readonly DuplicateKey[] }
  | { readonly ok: false; readonly reason: 'syntax' | 'depth'; readonly line: number; readonly position: number };

class Refused {
  constructor(
    readonly reason: 'syntax' | 'depth',
    readonly position: number,
  ) {}
}

const QUOTE = 34;
const BACKSLASH = 92;
const ESCAPED: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export function parseJson(source: string): JsonParse {
  try {
    return new Parser(source).document();
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    const { reason, position } = error;
    return { ok: false, reason, position, line: lineAt(source, position) };
  }
}

function lineAt(source: string, position: number): number {
  let line = 1;
  for (let i = source.indexOf('\n'); i !== -1 && i < position; i = source.indexOf('\n', i + 1)) line++;
  return line;
}

class Parser {
  private i = 0;
  /** Open arrays and objects, outermost first; `keys` holds each object's current key. */
  private readonly open: (JsonArray | JsonObject)[] = [];
  private readonly keys: string[] = [];
  private readonly duplicates: DuplicateKey[] = [];

  constructor(private readonly s: string) {}

  document(): JsonParse {
    let value = this.value();
    for (;;) {
      const top = this.open[this.open.length - 1];
      if (top === undefined) break;
      // Place the value just read in its container, then read what follows it.
      const c = this.next();
      if (top.kind === 'array') {
        top.items.push(value);
        if (c === 44 /* , */) {
          this.i++;
          value = this.value();
          continue;
        }
        if (c !== 93 /* ] */) throw this.refuse();
      } else {
        const key = this.keys[this.open.length - 1]!;
        if (top.members.has(key)) this.duplicates.push({ path: this.path(), value });
        else top.members.set(key, value);
        if (c === 44 /* , */) {
          this.i++;
          this.member();
          value = this.value();
          continue;
        }
        if (c !== 125 /* } */) throw this.refuse();
      }
      top.end = ++this.i;
      this.open.pop();
      this.keys.pop();
      value = top;
    }
    if (this.next() !== -1) throw this.refuse();
    return { ok: true, value, duplicates: this.duplicates };
  }

  /**
   * Reads a value; an array or object that is not empty is opened (pushed) instead, and
   * its first element or member is read: the caller's loop closes it.
   */
  private value(): JsonValue {
    for (;;) {
      const c = this.next();
      const start = this.i;
      if (c === QUOTE) return this.string();
      if (c === 45 /* - */ || (c >= 48 && c <= 57)) return this.number();
      if (c === 123 /* { */ || c === 91 /* [ */) {
        if (this.open.length >= MAX_DEPTH) throw new Refused('depth', start);
        this.i++;
        const close = c === 123 ? 125 : 93;
        const container = c === 123 ? new JsonObject(start) : new JsonArray(start);
        if (this.next() === close) {
          container.end = ++this.i;
          return container;
        }
        this.open.push(container);
        this.keys.push('');
        if (c === 123) this.member();
        continue;
      }
      if (this.s.startsWith('true', start)) return this.literal(4, true);
      if (this.s.startsWith('false', start)) return this.literal(5, false);
      if (this.s.startsWith('null', start)) return this.literal(4, null);
      throw this.refuse();
    }
  }

  /** Reads `"key" :` of the innermost object, before its value. */
  private member(): void {
    if (this.next() !== QUOTE) throw this.refuse();
    this.keys[this.keys.length - 1] = this.string();
    if (this.next() !== 58 /* : */) throw this.refuse();
    this.i++;
  }

  private literal<T>(length: number, value: T): T {
    this.i += length;
    return value;
  }

  /** The char code at the next non-blank position (-1 at the end); blanks are RFC 8259's four. */
  private next(): number {
    const s = this.s;
    let i = this.i;
    let c = s.charCodeAt(i);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = s.charCodeAt(++i);
    this.i = i;
    return i < s.length ? c : -1;
  }

  private string(): string {
    const s = this.s;
    let i = this.i + 1;
    let start = i;
    let out = '';
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        out += s.slice(start, i);
        const e = s[i + 1];
        if (e === 'u') {
          const hex = s.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.refuse(i);
          out += String.fromCharCode(Number.parseInt(hex, 16));
          i += 6;
        } else {
          const escaped = e === undefined ? undefined : ESCAPED[e];
          if (escaped === undefined) throw this.refuse(i);
          out += escaped;
          i += 2;
        }
        start = i;
        continue;
      }
      // Control characters must be escaped; NaN is the end of the text.
      if (c < 32 || Number.isNaN(c)) throw this.refuse(i);
      i++;
    }
    this.i = i + 1;
    return out + s.slice(start, i);
  }

  /** `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, kept as written. */
  private number(): JsonNumber {
    const s = this.s;
    const start = this.i;
    let i = start;
    if (s.charCodeAt(i) === 45) i++;
    if (s.charCodeAt(i) === 48) i++;
    else if (isDigit(s.charCodeAt(i))) while (isDigit(s.charCodeAt(i))) i++;
    else throw this.refuse(i);
    if (s.charCodeAt(i) === 46 /* . */) {
      if (!isDigit(s.charCodeAt(++i))) throw this.refuse(i);
      while (isDigit(s.charCodeAt(i))) i++;
    }
    if ((s.charCodeAt(i) | 0x20) === 101 /* e */) {
      const sign = s.charCodeAt(++i);
      if (sign === 43 || sign === 45) i++;
      if (!isDigit(s.charCodeAt(i))) throw this.refuse(i);
      while (isDigit(s.charCodeAt(i))) i++;
    }
    this.i = i;
    return new JsonNumber(s.slice(start, i));
  }

  /** Where a duplicate stands: each open container's current key or index, then its own key. */
  private path(): (string | number)[] {
    return this.open.map((container, depth) => (container.kind === 'array' ? container.items.length : this.keys[depth]!));
  }

  private refuse(at = this.i): Refused {
    return new Refused('syntax', at);
  }
}

const isDigit = (c: number) => c >= 48 && c <= 57;
