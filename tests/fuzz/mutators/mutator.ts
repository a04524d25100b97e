/**
 * What the fuzzer changes a valid file with. A mutator names the formats it applies to;
 * all of them are registered in one list (mutators/index.ts), so that a new format (the
 * Excel workbook) brings its seeds and its mutators and nothing else changes.
 */
import { decodeText } from '../../../shared/decode.ts';
import type { Random } from '../random.ts';

/** The formats of seed files, by what the file is. */
export type Format = 'csv' | 'json' | 'xlsx';

export interface Mutator {
  readonly name: string;
  /** The formats it makes sense on; `any` for byte edits. */
  readonly formats: readonly Format[] | 'any';
  mutate(bytes: Uint8Array, random: Random): Uint8Array;
}

const encoder = new TextEncoder();

/**
 * A mutator over the file's text: the bytes are decoded as the check decodes them and the
 * result is written back as UTF-8. Bytes that do not decode are left as they are.
 */
export function onText(name: string, formats: readonly Format[], edit: (text: string, random: Random) => string): Mutator {
  return {
    name,
    formats,
    mutate(bytes, random) {
      const decoded = decodeText(bytes);
      return decoded.ok ? encoder.encode(edit(decoded.text.whole(), random)) : bytes;
    },
  };
}

/** Replaces one match of `pattern` (global) in `text`, picked at random; the text as it is without a match. */
export function replaceOne(text: string, pattern: RegExp, random: Random, by: (match: string) => string): string {
  const matches = [...text.matchAll(pattern)];
  if (matches.length === 0) return text;
  const m = random.pick(matches);
  return text.slice(0, m.index) + by(m[0]) + text.slice(m.index + m[0].length);
}

/** Digits and signs people's software and keyboards make, the odd ones included. */
export const ODD_DIGITS = [
  '²',
  '³',
  '¹',
  '①',
  '⑩',
  '㊿',
  '𝟓',
  '𝟎',
  '٣',
  '۵',
  '０',
  '９',
  '１',
  '₂',
  'Ⅻ',
  '〇',
  '五',
  '－',
  '−',
  '，',
  '．',
];

/** What a mutation may add at most: past the 5 MiB limit a file is TOO_LARGE anyway. */
const MAX_ADDED = 6 * 1024 * 1024;

/** `count` times `unit`, fewer when that would add more than MAX_ADDED characters. */
export function repeated(unit: string, count: number, join = ''): string {
  const most = Math.max(1, Math.floor(MAX_ADDED / Math.max(1, unit.length + join.length)));
  return Array.from({ length: Math.min(count, most) }, () => unit).join(join);
}

/** A run of `length` characters, from one of the shapes that broke readers. */
export function longRun(random: Random, length: number): string {
  const unit = random.pick([' ', '9', '0', 'a', '村', '①', '\t', ',', '"', '[', '\u3000', '😀', '9,99']);
  return repeated(unit, Math.max(1, Math.ceil(length / unit.length)));
}
