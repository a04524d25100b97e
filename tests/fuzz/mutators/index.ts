/** Every mutator of the fuzzer, in one list: a new format registers its own here. */
import { BYTE_MUTATORS } from './bytes.ts';
import { CSV_MUTATORS } from './csv.ts';
import { JSON_MUTATORS } from './json.ts';
import type { Format, Mutator } from './mutator.ts';
import { XLSX_MUTATORS } from './xlsx.ts';

export type { Format, Mutator } from './mutator.ts';

export const MUTATORS: readonly Mutator[] = [...BYTE_MUTATORS, ...JSON_MUTATORS, ...CSV_MUTATORS, ...XLSX_MUTATORS];

export function mutatorsFor(format: Format): Mutator[] {
  return MUTATORS.filter((m) => m.formats === 'any' || m.formats.includes(format));
}
