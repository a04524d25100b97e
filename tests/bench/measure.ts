/** Timing helpers for `npm run bench`: wall time in seconds, medians of several runs. */
import { performance } from 'node:perf_hooks';

export type BenchFigures = Record<string, number | string>;

export function timed(work: () => void): number {
  const start = performance.now();
  work();
  return (performance.now() - start) / 1000;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
