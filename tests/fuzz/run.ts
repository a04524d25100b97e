/**
 * `npm run fuzz [-- --cases N --seed S --case I]`: the hostile corpus, each big hostile
 * file at the 5 MiB upload limit, the JSON reader against JSON.parse, then N mutated
 * files. A file that breaks the property (property.ts) or takes more than a second per
 * MiB (at least a second) is a failure; failing files are saved to replay. Prints its
 * seed first, so that a run stopped halfway can be replayed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DEFAULT_MAX_BYTES } from '../../shared/limits.ts';
import { BIG, corpusFiles, mismatch, SMALL } from './corpus.ts';
import { type FuzzCase, makeCase, seedFiles } from './generate.ts';
import { jsonReaderBench } from './json-bench.ts';
import { allowedMs, judge, UPLOADERS } from './property.ts';
import { newSeed } from './random.ts';

const { values: options } = parseArgs({
  options: { cases: { type: 'string', default: '2000' }, seed: { type: 'string' }, case: { type: 'string' } },
});
const seed = options.seed === undefined ? newSeed() : Number(options.seed);
const OUT = join(tmpdir(), 'cunbao-fuzz');
const failures: string[] = [];
const MiB = (bytes: number) => bytes / 1024 / 1024;

function fail(what: string, bytes?: Uint8Array, name?: string): void {
  failures.push(what);
  console.log(`  FAIL ${what}`);
  if (bytes && name) {
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, name), bytes);
    console.log(`       saved as ${join(OUT, name)}`);
  }
}

function corpus(): void {
  console.log('hostile corpus (committed files):');
  for (const { name, bytes } of corpusFiles()) {
    const expected = SMALL[name];
    const verdict = judge(bytes, UPLOADERS[1]!);
    const wrong = expected ? verdict.result && mismatch(verdict.result, expected) : 'no expectation in SMALL';
    for (const p of [...verdict.problems, ...(wrong ? [wrong] : [])]) fail(`${name}: ${p}`);
  }
}

function big(): void {
  console.log(`hostile files at ${MiB(DEFAULT_MAX_BYTES)} MiB (limit: 1 s per MiB):`);
  for (const hostile of BIG) {
    const bytes = hostile.build(DEFAULT_MAX_BYTES);
    const verdict = judge(bytes, UPLOADERS[1]!);
    console.log(`  ${(verdict.ms / 1000).toFixed(3)} s  ${MiB(bytes.length).toFixed(2)} MiB  ${hostile.name}`);
    const wrong = verdict.result && mismatch(verdict.result, hostile.expected);
    for (const p of [...verdict.problems, ...(wrong ? [wrong] : [])]) fail(`${hostile.name}: ${p}`);
    if (verdict.ms > allowedMs(bytes.length)) fail(`${hostile.name}: ${verdict.ms.toFixed(0)} ms`);
  }
}

function mutated(count: number, only: number | undefined): void {
  const seeds = seedFiles();
  const indices = only === undefined ? Array.from({ length: count }, (_, i) => i) : [only];
  console.log(`${indices.length} mutated files (seed ${seed}):`);
  let slowest = { perMiB: 0, c: undefined as FuzzCase | undefined, ms: 0 };
  const started = performance.now();
  const statuses = { accepted: 0, rejected: 0 };
  for (const index of indices) {
    const c = makeCase(seeds, seed, index);
    const verdict = judge(c.bytes, UPLOADERS[index % UPLOADERS.length]!);
    if (verdict.result) statuses[verdict.result.status]++;
    const perMiB = verdict.ms / Math.max(MiB(c.bytes.length), 1 / 1024);
    if (verdict.ms > slowest.ms) slowest = { perMiB, c, ms: verdict.ms };
    const what = `case ${index} (${c.seed} + ${c.mutators.join(', ')}, ${c.bytes.length} bytes)`;
    for (const p of verdict.problems) fail(`${what}: ${p}`, c.bytes, `case-${seed}-${index}`);
    if (verdict.ms > allowedMs(c.bytes.length)) fail(`${what}: ${verdict.ms.toFixed(0)} ms`, c.bytes, `case-${seed}-${index}`);
  }
  const s = slowest.c;
  console.log(`  ${statuses.accepted} accepted, ${statuses.rejected} rejected in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (s)
    console.log(
      `  slowest: case ${s.index} (${s.seed} + ${s.mutators.join(', ')}), ${slowest.ms.toFixed(0)} ms for ${MiB(s.bytes.length).toFixed(2)} MiB`,
    );
}

console.log(`fuzz seed ${seed} (replay: npm run fuzz -- --seed ${seed} [--case I])`);
const only = options.case === undefined ? undefined : Number(options.case);
if (only === undefined) {
  corpus();
  big();
  const bench = jsonReaderBench();
  console.log(
    `JSON reader on ${bench.mib.toFixed(2)} MiB of records: parseJson ${bench.parseJson.toFixed(0)} ms, JSON.parse ${bench.jsonParse.toFixed(0)} ms (median of ${bench.runs})`,
  );
}
mutated(Number(options.cases), only);
console.log(failures.length === 0 ? 'fuzz: no failure' : `fuzz: ${failures.length} failure(s)`);
process.exitCode = failures.length === 0 ? 0 : 1;
