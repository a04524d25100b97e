/**
 * A short run of the fuzzer (tests/fuzz/): a few hundred mutated files, kept small, each
 * answered soundly (property.ts). Its seed is printed first; `FUZZ_SEED=S` replays it,
 * and `npm run fuzz -- --seed S` runs the long version with the same cases and more.
 */
import { describe, expect, it } from 'vitest';
import { makeCase, seedFiles } from '../fuzz/generate.ts';
import { MUTATORS } from '../fuzz/mutators/index.ts';
import { judge, UPLOADERS } from '../fuzz/property.ts';
import { newSeed } from '../fuzz/random.ts';

const CASES = 300;
const MAX_SIZE = 64 * 1024;

describe('the quick fuzz run', () => {
  it(`answers ${CASES} mutated files with known codes, Chinese messages, and submissions when accepted`, () => {
    // Prepare
    const seed = process.env.FUZZ_SEED === undefined ? newSeed() : Number(process.env.FUZZ_SEED);
    console.log(`fuzz-quick seed ${seed} (replay: FUZZ_SEED=${seed})`);
    const seeds = seedFiles();
    const failures: string[] = [];
    const statuses = new Set<string>();

    // Act
    for (let index = 0; index < CASES; index++) {
      const c = makeCase(seeds, seed, index, MAX_SIZE);
      const verdict = judge(c.bytes, UPLOADERS[index % UPLOADERS.length]!);
      if (verdict.result) statuses.add(verdict.result.status);
      for (const problem of verdict.problems)
        failures.push(`seed ${seed} case ${index} (${c.seed} + ${c.mutators.join(', ')}): ${problem}`);
    }

    // Assess
    expect(failures).toEqual([]);
    expect([...statuses].sort()).toEqual(['accepted', 'rejected']);
  });

  it('makes the same case from the same seed and index', () => {
    // Prepare
    const seeds = seedFiles();

    // Act
    const first = makeCase(seeds, 42, 7);
    const again = makeCase(seeds, 42, 7);

    // Assess
    expect(again).toEqual(first);
  });

  it('has mutators for every format of its seed files', () => {
    // Act
    const formats = new Set(seedFiles().map((s) => s.format));

    // Assess
    for (const format of formats)
      expect(MUTATORS.filter((m) => m.formats !== 'any' && m.formats.includes(format)).length, format).toBeGreaterThan(0);
  });
});
