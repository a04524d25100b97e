/**
 * The files the measurement sends: a typical monthly file is the long template filled in
 * (every value key of the catalogue, with its Chinese label, as the page hands it out); a
 * correction changes a few values; a rejected file has a value that is not a number.
 */
import { VALUE_KEYS } from '../../shared/catalogue.ts';

const HEADER = 'unit,period,metric,label,value,note';

/** A small value per key, the same for a seed; money with two decimals. */
function valueFor(key: string, index: number, seed: number): string {
  if (key === 'veteran_aid_yuan') return ((seed * 373) % 5000).toFixed(2);
  return String(((index + seed) * 7) % 13);
}

function rows(unit: string, period: string, value: (key: string, index: number) => string): string {
  const lines = VALUE_KEYS.map((k, i) => `${unit},${period},${k.key},${k.label}(${k.metric.unit}),${value(k.key, i)},`);
  return `${[HEADER, ...lines].join('\n')}\n`;
}

/** One unit's month, every value filled (the unit as a village writes it: its short code). */
export function typicalFile(unit: string, period: string, seed: number): string {
  return rows(unit, period, (key, i) => valueFor(key, i, seed));
}

/** The same month sent again with three values changed. */
export function correctedFile(unit: string, period: string, seed: number): string {
  return rows(unit, period, (key, i) => (i < 3 ? String(Number(valueFor(key, i, seed)) + 1) : valueFor(key, i, seed)));
}

/** The month with one value that is not a number (NOT_A_NUMBER rejects the whole file). */
export function rejectedFile(unit: string, period: string, seed: number): string {
  return rows(unit, period, (key, i) => (i === 4 ? 'abc' : valueFor(key, i, seed)));
}
