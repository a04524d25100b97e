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

export interface ParseOptions {
  /**
   * Arrays and objects nested deeper than this are checked (syntax, duplicate keys) but
   * left hollow, their contents not kept: a reader that looks no deeper need not pay
   * memory for a million arrays it would only quote. Default: build everything.
   */
  readonly buildDepth?: number;
}

export function parseJson(source: string, options: ParseOptions = {}): JsonParse {
  try {
    return new Parser(source, options.buildDepth ?? MAX_DEPTH).document();
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

/** The contents of every empty or hollow container: one array, not one each. */
const NONE: readonly never[] = Object.freeze([]);
const ARRAY = 0;
const OBJECT = 1;
/** An object with this many keys finds its duplicates in a set, a smaller one by looking. */
const SET_FROM = 16;

/**
 * The parser's state is a stack of open containers (one entry per level in each of the
 * `frame*` arrays) over two scratch stacks holding the values and keys read so far in
 * them; a container closed takes its own part of the scratch as exact-size arrays, as
 * JSON.parse does, so that memory stays in proportion to the document.
 */
class Parser {
  private i = 0;
  private readonly frameKind: number[] = [];
  private readonly frameStart: number[] = [];
  /** Children read so far: the next array index. */
  private readonly frameCount: number[] = [];
  private readonly frameValues: number[] = [];
  private readonly frameKeys: number[] = [];
  /** Each big object's keys as a set (made once it has SET_FROM keys). */
  private readonly frameSet: (Set<string> | undefined)[] = [];
  /** The key whose value is being read, per open object. */
  private readonly frameKey: string[] = [];
  private readonly values: JsonValue[] = [];
  private readonly keys: string[] = [];
  private readonly duplicates: DuplicateKey[] = [];
  private readonly keyNames = new Map<string, string>();

  constructor(
    private readonly s: string,
    private readonly buildDepth: number,
  ) {}

  document(): JsonParse {
    let value = this.value();
    for (let top = this.frameKind.length - 1; top >= 0; top = this.frameKind.length - 1) {
      // Place the value just read in its container, then read what follows it.
      const c = this.next();
      const built = top < this.buildDepth;
      if (this.frameKind[top] === ARRAY) {
        this.frameCount[top]!++;
        if (built) this.values.push(value);
        if (c === 44 /* , */) {
          this.i++;
          value = this.value();
          continue;
        }
        if (c !== 93 /* ] */) throw this.refuse();
      } else {
        const key = this.frameKey[top]!;
        if (this.has(top, key)) {
          this.duplicates.push({ path: this.path(), value });
        } else {
          this.keys.push(key);
          this.frameSet[top]?.add(key);
          if (built) this.values.push(value);
        }
        if (c === 44 /* , */) {
          this.i++;
          this.member();
          value = this.value();
          continue;
        }
        if (c !== 125 /* } */) throw this.refuse();
      }
      this.i++;
      value = this.close(top, built);
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
        const depth = this.frameKind.length;
        if (depth >= MAX_DEPTH) throw new Refused('depth', start);
        this.i++;
        const close = c === 123 ? 125 : 93;
        if (this.next() === close) {
          this.i++;
          const hollow = depth >= this.buildDepth;
          return c === 123 ? new JsonObject(start, this.i, NONE, NONE, hollow) : new JsonArray(start, this.i, NONE, hollow);
        }
        this.open(c === 123 ? OBJECT : ARRAY, start);
        if (c === 123) this.member();
        continue;
      }
      if (this.s.startsWith('true', start)) return this.literal(4, true);
      if (this.s.startsWith('false', start)) return this.literal(5, false);
      if (this.s.startsWith('null', start)) return this.literal(4, null);
      throw this.refuse();
    }
  }

  private open(kind: number, start: number): void {
    this.frameKind.push(kind);
    this.frameStart.push(start);
    this.frameCount.push(0);
    this.frameValues.push(this.values.length);
    this.frameKeys.push(this.keys.length);
    this.frameSet.push(undefined);
    this.frameKey.push('');
  }

  /** Closes the innermost container (its end is `this.i`), taking its part of the scratch. */
  private close(top: number, built: boolean): JsonArray | JsonObject {
    const start = this.frameStart[top]!;
    const valuesFrom = this.frameValues[top]!;
    const keysFrom = this.frameKeys[top]!;
    const items = built ? this.values.slice(valuesFrom) : NONE;
    const container =
      this.frameKind[top] === ARRAY
        ? new JsonArray(start, this.i, items, !built)
        : new JsonObject(start, this.i, built ? this.keys.slice(keysFrom) : NONE, items, !built);
    this.values.length = valuesFrom;
    this.keys.length = keysFrom;
    this.frameKind.pop();
    this.frameStart.pop();
    this.frameCount.pop();
    this.frameValues.pop();
    this.frameKeys.pop();
    this.frameSet.pop();
    this.frameKey.pop();
    return container;
  }

  /** Whether the object open at `top` has `key` already. */
  private has(top: number, key: string): boolean {
    const from = this.frameKeys[top]!;
    const keys = this.keys;
    let set = this.frameSet[top];
    if (set === undefined && keys.length - from >= SET_FROM) {
      set = new Set(keys.slice(from));
      this.frameSet[top] = set;
    }
    if (set !== undefined) return set.has(key);
    for (let k = from; k < keys.length; k++) if (keys[k] === key) return true;
    return false;
  }

  /** Reads `"key" :` of the innermost object, before its value. */
  private member(): void {
    if (this.next() !== QUOTE) throw this.refuse();
    const key = this.string();
    this.frameKey[this.frameKey.length - 1] = key.length > 32 ? key : this.known(key);
    if (this.next() !== 58 /* : */) throw this.refuse();
    this.i++;
  }

  /**
   * A short key as met before: records repeat the same few keys, and one string for each
   * leaves the young generation fewer objects to copy (JSON.parse interns keys too).
   */
  private known(key: string): string {
    const seen = this.keyNames.get(key);
    if (seen !== undefined) return seen;
    if (this.keyNames.size < 4096) this.keyNames.set(key, key);
    return key;
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

  /**
   * `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`. A plain integer of up to 15
   * digits is a JS number (its text is `String(n)`, exactly); any other spelling keeps its
   * text, so that `1e2`, `1.50` or `1e309` are judged and shown as written.
   */
  private number(): number | JsonNumber {
    const s = this.s;
    const start = this.i;
    let i = start;
    if (s.charCodeAt(i) === 45) i++;
    let plain = i === start;
    if (s.charCodeAt(i) === 48) i++;
    else if (isDigit(s.charCodeAt(i))) while (isDigit(s.charCodeAt(i))) i++;
    else throw this.refuse(i);
    if (s.charCodeAt(i) === 46 /* . */) {
      plain = false;
      if (!isDigit(s.charCodeAt(++i))) throw this.refuse(i);
      while (isDigit(s.charCodeAt(i))) i++;
    }
    if ((s.charCodeAt(i) | 0x20) === 101 /* e */) {
      plain = false;
      const sign = s.charCodeAt(++i);
      if (sign === 43 || sign === 45) i++;
      if (!isDigit(s.charCodeAt(i))) throw this.refuse(i);
      while (isDigit(s.charCodeAt(i))) i++;
    }
    this.i = i;
    if (plain && i - start <= 15) {
      let n = 0;
      for (let k = start; k < i; k++) n = n * 10 + s.charCodeAt(k) - 48;
      return n;
    }
    return new JsonNumber(s.slice(start, i));
  }

  /** Where a duplicate stands: each open container's current key, or index (the children it has closed). */
  private path(): (string | number)[] {
    return this.frameKind.map((kind, depth) => (kind === ARRAY ? this.frameCount[depth]! : this.frameKey[depth]!));
  }

  private refuse(at = this.i): Refused {
    return new Refused('syntax', at);
  }
}

const isDigit = (c: number) => c >= 48 && c <= 57;
