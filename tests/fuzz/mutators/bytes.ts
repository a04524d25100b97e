/**
 * Byte edits, for every format: a flipped bit, bytes inserted, a range deleted, a range
 * copied elsewhere (the edits of tests/support/arbitraries.ts, driven by a seed).
 */
import { applyMutation, type Mutation } from '../../support/arbitraries.ts';
import type { Random } from '../random.ts';
import type { Mutator } from './mutator.ts';

// Bytes that matter to the readers: delimiters, quotes, brackets, digits, line ends, and
// lead bytes of UTF-8 and GB18030 sequences.
const TELLING = [...',;\t"\'\r\n{}[]:-+.eE0123456789 ']
  .map((c) => c.charCodeAt(0))
  .concat([0x00, 0x80, 0xa1, 0xc3, 0xe4, 0xef, 0xfe, 0xff]);

function byte(random: Random): number {
  return random.chance(0.7) ? random.pick(TELLING) : random.below(256);
}

function edit(kind: Mutation['kind'], make: (bytes: Uint8Array, random: Random) => Mutation): Mutator {
  return { name: `bytes.${kind}`, formats: 'any', mutate: (bytes, random) => applyMutation(bytes, make(bytes, random)) };
}

const at = (bytes: Uint8Array, random: Random) => random.below(bytes.length + 1);

export const BYTE_MUTATORS: readonly Mutator[] = [
  edit('flip', (b, r) => ({ kind: 'flip', at: at(b, r), bit: r.below(8) })),
  edit('replace', (b, r) => ({ kind: 'replace', at: at(b, r), byte: byte(r) })),
  edit('insert', (b, r) => ({ kind: 'insert', at: at(b, r), bytes: Array.from({ length: r.between(1, 8) }, () => byte(r)) })),
  edit('delete', (b, r) => ({ kind: 'delete', at: at(b, r), length: r.size(256) + 1 })),
  edit('truncate', (b, r) => ({ kind: 'truncate', at: at(b, r) })),
  edit('duplicate', (b, r) => ({ kind: 'duplicate', at: at(b, r), length: r.size(4096) + 1, to: at(b, r) })),
];
