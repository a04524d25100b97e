/**
 * One bench contender in a process of its own: `worker.ts SUITE CONTENDER RUNS` prints its
 * times; `worker.ts ingest UNITS [first|after]` prints the figures of one ingest run (ingest.ts, with the bare path),
 * `worker.ts towns TOWNS` the requests per file at that many towns (towns.ts).
 */
import { timed } from './measure.ts';
import { parseContenders } from './parse.ts';
import { xlsxContenders } from './parse-xlsx.ts';

const SUITES: Record<string, () => Record<string, () => void>> = { parse: parseContenders, parseXlsx: xlsxContenders };

const [suite = '', contender = '', runs = '5'] = process.argv.slice(2);
if (suite === 'ingest') {
  const { ingestRun } = await import('./ingest.ts');
  // A third argument runs the bare path too, `first` or `after` the ingest's burst.
  const bare = runs === 'first' || runs === 'after' ? runs : undefined;
  const figures = await ingestRun(Number(contender), bare);
  // The stack is stopped; SDK sockets may linger: leave once the figures are written.
  process.stdout.write(JSON.stringify(figures), () => process.exit(0));
} else if (suite === 'towns') {
  const { townsRun } = await import('./towns.ts');
  const figures = await townsRun(Number(contender));
  process.stdout.write(JSON.stringify(figures), () => process.exit(0));
} else {
  const work = SUITES[suite]?.()[contender];
  if (!work) throw new Error(`unknown bench ${suite}/${contender}`);
  const WARM_UP = 2;
  for (let i = 0; i < WARM_UP; i++) work();
  const times = Array.from({ length: Number(runs) }, () => timed(work));
  process.stdout.write(JSON.stringify(times));
}
