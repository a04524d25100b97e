/**
 * The three speed targets of the bench in one place (`speed` in `npm run bench -- --json`):
 * each ratio with the figures and the baseline it is taken against, and its target.
 */
import type { BundleFigures } from './bundles.ts';
import type { IngestFigures } from './ingest.ts';
import type { BenchFigures } from './measure.ts';

interface Target {
  readonly ratio: number;
  readonly target: string;
  readonly met: boolean;
}

export function speedTargets(parse: BenchFigures, ingest: IngestFigures, bundles: BundleFigures) {
  const atLeast = (ratio: number, target: number): Target => ({ ratio, target: `≥ ${target}×`, met: ratio >= target });
  const atMost = (ratio: number, target: number): Target => ({ ratio, target: `≤ ${target}×`, met: ratio <= target });
  return {
    ingestVsBare: {
      ...atLeast(ingest.ratio, 0.8),
      filesPerSecond: ingest.perRun.ingest,
      bareFilesPerSecond: ingest.perRun.bare,
      runs: ingest.ratios.length,
    },
    parseVsUdsv: { ...atLeast(Number(parse.udsvRatio), 0.7), cunbaoMiBps: parse.cunbaoMiBps, udsvMiBps: parse.udsvMiBps, runs: parse.runs },
    parseVsCsvParse: {
      ...atLeast(Number(parse.ratio), 4),
      cunbaoMiBps: parse.cunbaoMiBps,
      csvParseMiBps: parse.csvParseMiBps,
      runs: parse.runs,
    },
    coldImport: Object.fromEntries(
      Object.entries(bundles.functions).map(([name, f]) => [
        name,
        { ...atMost(f.importRatio, 1.25), importMs: f.importMs, baselineImportMs: f.baselineImportMs, samples: bundles.samples },
      ]),
    ),
  };
}
