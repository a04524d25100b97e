/**
 * Fuzz cases: a seed file (a good fixture, or a file of the hostile corpus) changed by one
 * to three mutators of its format. Case `i` of a run depends only on the run's seed and
 * `i`, so that any case is replayed alone (`npm run fuzz -- --seed S --case I`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { DEFAULT_MAX_BYTES } from '../../shared/limits.ts';
import { corpusFiles } from './corpus.ts';
import { type Format, mutatorsFor } from './mutators/index.ts';
import { Random } from './random.ts';

export interface SeedFile {
  readonly name: string;
  readonly format: Format;
  readonly bytes: Uint8Array;
  /** From the hostile corpus (rejected already), not a good fixture. */
  readonly hostile: boolean;
}

export interface FuzzCase {
  readonly index: number;
  readonly seed: string;
  readonly mutators: readonly string[];
  readonly bytes: Uint8Array;
}

/** The format of a seed file by its extension; files of other formats are not seeds (yet). */
const FORMAT_OF: Readonly<Record<string, Format>> = { csv: 'csv', txt: 'csv', json: 'json', xlsx: 'xlsx' };
const GOOD = new URL('../fixtures/good/', import.meta.url);
/** Workbooks made by LibreOffice and openpyxl; those their expectation rejects are hostile seeds. */
const WORKBOOKS = new URL('../fixtures/xlsx/', import.meta.url);

function formatOf(name: string): Format | undefined {
  return FORMAT_OF[name.slice(name.lastIndexOf('.') + 1)];
}

export function seedFiles(): SeedFile[] {
  const good = readdirSync(GOOD)
    .sort()
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(new URL(name, GOOD))) }));
  const hostile = corpusFiles().map((file) => ({ ...file, hostile: true }));
  return [...good.map((file) => ({ ...file, hostile: false })), ...workbooks(), ...hostile].flatMap(({ name, bytes, hostile }) => {
    const format = formatOf(name);
    return format ? [{ name, format, bytes, hostile }] : [];
  });
}

function workbooks(): { name: string; bytes: Uint8Array; hostile: boolean }[] {
  return readdirSync(WORKBOOKS)
    .filter((name) => name.endsWith('.xlsx'))
    .sort()
    .map((name) => {
      const expect = JSON.parse(readFileSync(new URL(name.replace(/\.xlsx$/, '.expect.json'), WORKBOOKS), 'utf8')) as { status: string };
      return { name, bytes: new Uint8Array(readFileSync(new URL(name, WORKBOOKS))), hostile: expect.status !== 'accepted' };
    });
}

/** The seed of case `index` in a run: mixed, so neighbouring cases differ. */
function caseSeed(runSeed: number, index: number): number {
  let h = (runSeed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}

/** `maxSize` bounds what a mutator adds (long cells, repeats, nesting): the quick run keeps it small. */
export function makeCase(seeds: readonly SeedFile[], runSeed: number, index: number, maxSize?: number): FuzzCase {
  const random = new Random(caseSeed(runSeed, index), maxSize);
  // Mostly a good file changed once, so that many cases are still accepted and reach
  // the checks past the reader; sometimes a hostile one, or several changes.
  const good = seeds.filter((s) => !s.hostile);
  const seed = random.pick(random.chance(0.75) && good.length > 0 ? good : seeds);
  const usable = mutatorsFor(seed.format);
  const mutators: string[] = [];
  let bytes = seed.bytes;
  for (let n = random.chance(0.5) ? 1 : random.between(2, 3); n > 0; n--) {
    const mutator = random.pick(usable);
    mutators.push(mutator.name);
    bytes = mutator.mutate(bytes, random);
    // Past the upload limit a file is TOO_LARGE before it is read: growing it more tests nothing.
    if (bytes.length > DEFAULT_MAX_BYTES) break;
  }
  return { index, seed: seed.name, mutators, bytes };
}
