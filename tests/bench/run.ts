/**
 * `npm run bench` — performance figures, never assertions (those would flake on a busy
 * machine). Each suite compares against a baseline measured in the same run.
 * `npm run bench -- --json` prints one JSON object; later suites add their keys.
 */
import { apiLines, benchApi } from './api.ts';
import { benchBundles, bundleLines } from './bundles.ts';
import { benchCharts, chartsLines } from './charts.ts';
import { bareLines, benchIngest } from './ingest.ts';
import { benchIngestCold, ingestColdLines } from './ingest-cold.ts';
import { benchPage, pageLines } from './page.ts';
import { benchParse } from './parse.ts';
import { benchParseXlsx } from './parse-xlsx.ts';
import { benchPublish, publishLines } from './publish.ts';
import { speedTargets } from './speed.ts';
import { benchTowns, townsLines } from './towns.ts';

const json = process.argv.includes('--json');
// Each contender: BENCH_PROCESSES fresh processes × BENCH_RUNS timed runs (after warm-up).
const processes = Number(process.env.BENCH_PROCESSES ?? 3);
const runs = Number(process.env.BENCH_RUNS ?? 5);
// The ingest burst: BENCH_INGEST_RUNS fresh processes (each its own stack, ~25 s) at 1 000
// units, and one at 100; 3, so that the ingest/bare ratio is a median of three paired runs.
const ingestRuns = Number(process.env.BENCH_INGEST_RUNS ?? 3);
// Publishing a monthly summary at 9, 1 000 and 10 000 units, one fresh process (~55 s):
// BENCH_PUBLISH_RUNS publications per size (BENCH_PUBLISH_PAGED_RUNS: a cross-check, off by default).
const publishRuns = Number(process.env.BENCH_PUBLISH_RUNS ?? 5);

// The API under autocannon: BENCH_API_RUNS rounds of 4 × 5 s (baseline, cached, uncached, 304).
const apiRuns = Number(process.env.BENCH_API_RUNS ?? 3);

// The Lambda bundles: size, and cold import in BENCH_BUNDLE_SAMPLES fresh processes each (~30 s).
const bundleSamples = Number(process.env.BENCH_BUNDLE_SAMPLES ?? 15);

const figures = {
  parse: benchParse(processes, runs),
  parseXlsx: benchParseXlsx(processes, runs),
  ingest: benchIngest(ingestRuns),
  // DynamoDB requests per accepted file at 1, 30 and 300 towns × 9 units (~25 s each, fresh processes).
  towns: benchTowns(),
  publish: benchPublish(publishRuns),
  api: await benchApi(apiRuns),
  bundles: await benchBundles(bundleSamples),
  // The ingest's cold start with a CSV or a workbook in its first batch (~15 s).
  ingestCold: await benchIngestCold(Number(process.env.BENCH_COLD_SAMPLES ?? 11)),
  // The chart route's rendering at 30 towns, against a 304's cost (~5 s).
  charts: await benchCharts(Number(process.env.BENCH_CHART_RUNS ?? 15)),
  // The page in Chromium at 30 towns: first render, the district's desk, a chart (~20 s).
  page: await benchPage(Number(process.env.BENCH_PAGE_RUNS ?? 7)),
};

if (json) {
  process.stdout.write(JSON.stringify({ ...figures, speed: speedTargets(figures.parse, figures.ingest, figures.bundles) }) + '\n');
} else {
  const p = figures.parse;
  const i = figures.ingest;
  const [small, large] = Object.entries(i.requestsPerFile);
  process.stdout.write(
    [
      `parse+validate, wide CSV ${p.fileMiB} MiB (${p.rows} rows × ${p.columns} columns), median of ${p.runs} runs each, in separate processes:`,
      `  cunbao checkFile        ${p.cunbaoMiBps} MiB/s`,
      `  uDSV typedObjs          ${p.udsvMiBps} MiB/s`,
      `  csv-parse/sync (typed)  ${p.csvParseMiBps} MiB/s`,
      `  ratio to uDSV           ${p.udsvRatio}× (target ≥ 0.7×)`,
      `  ratio to csv-parse      ${p.ratio}× (target ≥ 4×)`,
      `parse+validate, wide xlsx ${figures.parseXlsx.fileMiB} MiB (${figures.parseXlsx.rows} rows), median of ${figures.parseXlsx.runs} runs each, in separate processes:`,
      `  cunbao checkFile        ${figures.parseXlsx.cunbaoMiBps} MiB/s (${figures.parseXlsx.cunbaoSeconds} s)`,
      `  fflate unzipSync (bare) ${figures.parseXlsx.fflateUnzipMiBps} MiB/s`,
      `  ratio                   ${figures.parseXlsx.ratio}× of the bare unzip`,
      `ingest end to end on the local stack, ${i.files} single-month files from ${i.files} units uploaded at once (${i.uploaders} uploaders, ${i.concurrency} batches at a time), median of ${i.runs} runs, each a fresh process:`,
      `  throughput              ${i.filesPerSecond} files/s (first PUT → last rollup ${i.seconds} s; the uploads took ${i.uploadSeconds} s)`,
      `  latency PUT → rollup    p50 ${i.p50Ms} ms, p99 ${i.p99Ms} ms (${i.small.files} files at once: ${i.small.filesPerSecond} files/s, p50 ${i.small.p50Ms} ms, p99 ${i.small.p99Ms} ms)`,
      `  DynamoDB requests/file  ${large![1]} with ${large![0]} units, ${small![1]} with ${small![0]} units (${Object.entries(
        i.requestsPerFileByCommand,
      )
        .map(([name, n]) => `${name} ${n}`)
        .join(', ')})`,
      ...bareLines(i),
    ].join('\n') + '\n',
  );
  process.stdout.write(townsLines(figures.towns).join('\n') + '\n');
  process.stdout.write(publishLines(figures.publish).join('\n') + '\n');
  process.stdout.write(apiLines(figures.api).join('\n') + '\n');
  process.stdout.write(bundleLines(figures.bundles).join('\n') + '\n');
  process.stdout.write(ingestColdLines(figures.ingestCold).join('\n') + '\n');
  process.stdout.write(chartsLines(figures.charts).join('\n') + '\n');
  process.stdout.write(pageLines(figures.page).join('\n') + '\n');
}
