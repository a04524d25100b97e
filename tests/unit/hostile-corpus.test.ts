/**
 * The hostile corpus (tests/fuzz/corpus.ts): each committed file gives what it must, and
 * each big hostile file, built at the 5 MiB upload limit, is answered with its code. How
 * fast is measured by `npm run fuzz`, not asserted here.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BYTES } from '../../shared/limits.ts';
import { BIG, corpusFiles, mismatch, SMALL } from '../fuzz/corpus.ts';
import { judge, UPLOADERS } from '../fuzz/property.ts';

const village = UPLOADERS[1]!;

describe('the committed hostile files', () => {
  it('all have an expectation, and every expectation a file', () => {
    // Act
    const names = corpusFiles().map((f) => f.name);

    // Assess
    expect(names).toEqual(Object.keys(SMALL).sort());
  });

  it.each(corpusFiles())('answers $name as expected', ({ name, bytes }) => {
    // Act
    const verdict = judge(bytes, village);

    // Assess
    expect(verdict.problems).toEqual([]);
    expect(verdict.result && mismatch(verdict.result, SMALL[name]!)).toBeUndefined();
  });
});

describe('hostile files at the upload limit', () => {
  it.each(BIG.map((c) => [c.name, c] as const))('answers %s with its code', (_name, hostile) => {
    // Prepare
    const bytes = hostile.build(DEFAULT_MAX_BYTES);

    // Act
    const verdict = judge(bytes, village);

    // Assess
    expect(bytes.length).toBeGreaterThan(DEFAULT_MAX_BYTES - 1024);
    expect(bytes.length).toBeLessThanOrEqual(DEFAULT_MAX_BYTES);
    expect(verdict.problems).toEqual([]);
    expect(verdict.result && mismatch(verdict.result, hostile.expected)).toBeUndefined();
  });
});
