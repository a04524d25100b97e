/**
 * `npm run cost`: the monthly cost of 1 town, a district of 30 and a province of 10 000,
 * in us-east-1 (USD) and AWS China Ningxia (CNY), from the wiring, the measured per-action
 * figures (scripts/cost/measured.json) and the workload's assumptions.
 *
 *   npm run cost                   the tables, from the committed measurement
 *   npm run cost -- --measure      measure again on the local stack (~20 s), save, then print
 *   npm run cost -- --free-tier    with the commercial free tier subtracted (not by default)
 */
import { WIRING } from '../../infra/wiring.ts';
import { deploymentOf } from './deployment.ts';
import { costTable, pricesTable, usageTable } from './format.ts';
import { measureInChild } from './measure.ts';
import { readMeasured, saveMeasured } from './measured-file.ts';
import { estimate, type ModelInput } from './model.ts';
import { FREE_TIER, PRICE_TABLES } from './prices.ts';
import type { Measured } from './usage.ts';
import { SCALES, WORKLOAD } from './workload.ts';

function report(measured: Measured, freeTier: boolean): string[] {
  const input: ModelInput = { measured, workload: WORKLOAD, deployment: deploymentOf(WIRING) };
  const out: string[] = [];
  const [commercial] = PRICE_TABLES;
  out.push(
    `Per month, in month ${WORKLOAD.ageMonths} of operation (storage grows), ${freeTier ? 'commercial free tier subtracted (none for China)' : 'free tier NOT applied'}.`,
    `Prices as of ${commercial!.asOf}, taken from AWS's public pricing pages as known on that date, NOT re-checked online from this machine; ≈ marks China estimates (see scripts/cost/prices.ts).`,
    `Per-action figures measured on the local stack on ${measured.measuredAt} (scripts/cost/measured.json); durations × ${WORKLOAD.durationFactor} for Lambda.`,
    '',
  );
  for (const table of PRICE_TABLES) {
    const free = freeTier ? FREE_TIER[table.region] : undefined;
    const estimates = SCALES.map((s) => ({ label: s.label, estimate: estimate(input, table, s.towns, free) }));
    out.push(...costTable(table, estimates), '');
  }
  const usage = SCALES.map((s) => ({ label: s.label, estimate: estimate(input, commercial!, s.towns) }));
  out.push(...usageTable(usage), '', ...pricesTable());
  return out;
}

const args = process.argv.slice(2);
let measured: Measured;
if (args.includes('--measure')) {
  measured = measureInChild();
  console.log(`measured: ${saveMeasured(measured)}\n`);
} else measured = readMeasured();
console.log(report(measured, args.includes('--free-tier')).join('\n'));
