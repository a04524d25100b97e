/**
 * A JSON document as shared/json/parse.ts reads it: like JSON.parse's values, except that
 * a number keeps its source text (so that `1e309` is shown and judged as written), and
 * arrays and objects know where they stand in the source (so that a finding can quote
 * them without walking them).
 */

export type JsonValue = string | boolean | null | JsonNumber | JsonArray | JsonObject;

export class JsonNumber {
  readonly kind = 'number';
  constructor(readonly text: string) {}
}

export class JsonArray {
  readonly kind = 'array';
  readonly items: JsonValue[] = [];
  /** Offset past the closing `]`. */
  end = 0;
  constructor(readonly start: number) {}
}

/** An object's members in source order; a key met again is not here (see `DuplicateKey`). */
export class JsonObject {
  readonly kind = 'object';
  readonly members = new Map<string, JsonValue>();
  /** Offset past the closing `}`. */
  end = 0;
  constructor(readonly start: number) {}
}

/** A key met a second time in one object: where (keys and array indices from the root), and its value. */
export interface DuplicateKey {
  readonly path: readonly (string | number)[];
  readonly value: JsonValue;
}

/** A value as the file wrote it, for a finding (the collector shortens what is long). */
export function writtenText(value: JsonValue, source: string): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (value.kind === 'number') return value.text;
  return source.slice(value.start, value.end);
}
