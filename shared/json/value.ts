/**
 * A JSON document as shared/json/parse.ts reads it: like JSON.parse's values, except that
 * a number keeps its source text (so that `1e309` is shown and judged as written: a
 * plain integer is a `number`, whose text is `String(n)`, any other a JsonNumber), and
 * arrays and objects know where they stand in the source (so that a finding can quote
 * them without walking them).
 */

export type JsonValue = string | number | boolean | null | JsonNumber | JsonArray | JsonObject;

/** A number written other than as a plain integer (`1.5`, `1e2`, `-0`, `1e309`), as written. */
export class JsonNumber {
  declare readonly kind: 'number';
  constructor(readonly text: string) {}
}

/**
 * An array. `hollow`: it was deeper than the reader was asked to build, so it was
 * checked (syntax, duplicate keys) but its items were not kept.
 */
export class JsonArray {
  declare readonly kind: 'array';
  constructor(
    readonly start: number,
    /** Offset past the closing `]`. */
    readonly end: number,
    readonly items: readonly JsonValue[],
    readonly hollow = false,
  ) {}
}

/** An object's members in source order; a key met again is not here (see `DuplicateKey`). */
export class JsonObject {
  declare readonly kind: 'object';
  constructor(
    readonly start: number,
    /** Offset past the closing `}`. */
    readonly end: number,
    readonly keys: readonly string[],
    readonly values: readonly JsonValue[],
    readonly hollow = false,
  ) {}

  get(key: string): JsonValue | undefined {
    const i = this.keys.indexOf(key);
    return i < 0 ? undefined : this.values[i];
  }
}

// On the prototypes, not on each of a million instances.
Object.defineProperty(JsonNumber.prototype, 'kind', { value: 'number' });
Object.defineProperty(JsonArray.prototype, 'kind', { value: 'array' });
Object.defineProperty(JsonObject.prototype, 'kind', { value: 'object' });

/** A key met a second time in one object: where (keys and array indices from the root), and its value. */
export interface DuplicateKey {
  readonly path: readonly (string | number)[];
  readonly value: JsonValue;
}

/** A value as the file wrote it, for a finding (the collector shortens what is long). */
export function writtenText(value: JsonValue, source: string): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (value.kind === 'number') return value.text;
  return source.slice(value.start, value.end);
}
