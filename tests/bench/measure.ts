/**
 * Timing helpers for `npm run bench`. Each contender runs in a fresh Node process of its
 * own (alternating with the others), warms up, then is timed on a collected heap: run
 * in one process, each contender's leftovers slowed the other by up to 40% here.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

export type BenchFigures = Record<string, number | string>;

/** Wall time of `work` in seconds, from a collected heap when run with --expose-gc. */
export function timed(work: () => void): number {
  (globalThis as { gc?: () => void }).gc?.();
  const start = performance.now();
  work();
  return (performance.now() - start) / 1000;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

/**
 * Times each contender of a suite in `processes` fresh processes each, alternating, and
 * returns per contender the median over all timed runs (seconds).
 */
export function isolated(suite: string, contenders: readonly string[], processes: number, runs: number): Record<string, number> {
  const times: Record<string, number[]> = Object.fromEntries(contenders.map((c) => [c, []]));
  for (let p = 0; p < processes; p++) {
    for (const contender of contenders) {
      const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', WORKER, suite, contender, String(runs)], {
        encoding: 'utf8',
      });
      times[contender]!.push(...(JSON.parse(out) as number[]));
    }
  }
  return Object.fromEntries(contenders.map((c) => [c, median(times[c]!)]));
}
