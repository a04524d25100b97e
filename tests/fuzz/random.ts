/**
 * A seeded pseudo-random source for the fuzzer (mulberry32): the same seed makes the same
 * cases, so that a failure found once is replayed with `--seed`.
 */
export class Random {
  private state: number;

  /** `maxSize` caps `size()`: the quick run in `npm test` keeps its cases small. */
  constructor(
    readonly seed: number,
    readonly maxSize = Number.POSITIVE_INFINITY,
  ) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.below(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from nothing');
    return items[this.below(items.length)]!;
  }

  /** A size in [1, max] skewed towards small ones: most cases stay fast, some reach `max` (or `maxSize`). */
  size(max: number): number {
    return Math.max(1, Math.floor(Math.min(max, this.maxSize) ** this.next()));
  }
}

/** A fresh seed, for a run that was not given one. */
export function newSeed(): number {
  return Math.floor(Math.random() * 2 ** 32);
}
