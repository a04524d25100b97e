/** The committed measurement (scripts/cost/measured.json) that `npm run cost` reads and `--measure` rewrites. */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Measured } from './usage.ts';

const MEASURED_FILE = fileURLToPath(new URL('./measured.json', import.meta.url));

export function readMeasured(): Measured {
  return JSON.parse(readFileSync(MEASURED_FILE, 'utf8')) as Measured;
}

export function saveMeasured(measured: Measured): string {
  writeFileSync(MEASURED_FILE, `${JSON.stringify(measured, null, 2)}\n`);
  return MEASURED_FILE;
}
