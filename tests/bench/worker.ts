/** One bench contender in a process of its own: `worker.ts SUITE CONTENDER RUNS` prints its times. */
import { timed } from './measure.ts';
import { parseContenders } from './parse.ts';

const SUITES: Record<string, () => Record<string, () => void>> = { parse: parseContenders };

const [suite = '', contender = '', runs = '5'] = process.argv.slice(2);
const work = SUITES[suite]?.()[contender];
if (!work) throw new Error(`unknown bench ${suite}/${contender}`);
const WARM_UP = 2;
for (let i = 0; i < WARM_UP; i++) work();
const times = Array.from({ length: Number(runs) }, () => timed(work));
process.stdout.write(JSON.stringify(times));
