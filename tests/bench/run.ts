/**
 * `npm run bench` — performance figures, never assertions (those would flake on a busy
 * machine). Each suite compares against a baseline measured in the same run.
 * `npm run bench -- --json` prints one JSON object; later suites add their keys.
 */
import { benchParse } from './parse.ts';

const json = process.argv.includes('--json');
// Each contender: BENCH_PROCESSES fresh processes × BENCH_RUNS timed runs (after warm-up).
const processes = Number(process.env.BENCH_PROCESSES ?? 3);
const runs = Number(process.env.BENCH_RUNS ?? 5);

const figures = { parse: benchParse(processes, runs) };

if (json) {
  process.stdout.write(JSON.stringify(figures) + '\n');
} else {
  const p = figures.parse;
  process.stdout.write(
    [
      `parse+validate, wide CSV ${p.fileMiB} MiB (${p.rows} rows × ${p.columns} columns), median of ${p.runs} runs each, in separate processes:`,
      `  cunbao checkFile        ${p.cunbaoMiBps} MiB/s`,
      `  csv-parse/sync (typed)  ${p.csvParseMiBps} MiB/s`,
      `  ratio                   ${p.ratio}× (target ≥ 3×)`,
    ].join('\n') + '\n',
  );
}
