/**
 * Warnings: the file is accepted, but a person should look. They need the unit's other
 * months, so they take prior submissions as input (empty when a file is checked alone);
 * other months in the same file count too, and replace prior ones.
 */
import { VALUE_KEYS, valueKey } from './catalogue.ts';
import type { Draft } from './collector.ts';
import type { FindingCode, MessageFacts, Place } from './findings.ts';
import { formatValue } from './numbers.ts';
import { addMonths, chineseDeadline, chineseMonth, deadlineOf, type Month } from './period.ts';

/** A unit's values for one month, as stored: `code` or `code.category` → number. */
export interface Submission {
  readonly unit: string;
  readonly period: Month;
  readonly values: Readonly<Record<string, number>>;
}

type Report = (code: FindingCode, place: Place, value: string | null, facts: () => MessageFacts, about: { unit: string; period: string }) => void;

interface Balance {
  readonly code: 'CLOSED_EXCEEDS_RECEIVED' | 'RECTIFIED_EXCEEDS_FOUND';
  readonly done: number;
  readonly found: readonly number[];
}

const idx = (key: string) => valueKey(key)!.index;
// Year-to-date pairs of DOMAIN.md: what was closed or fixed cannot exceed what was found.
const BALANCES: readonly Balance[] = [
  { code: 'CLOSED_EXCEEDS_RECEIVED', done: idx('petitions_closed'), found: [idx('petitions_received')] },
  { code: 'RECTIFIED_EXCEEDS_FOUND', done: idx('hazards_rectified'), found: [idx('major_hazards_found'), idx('general_hazards_found')] },
  { code: 'RECTIFIED_EXCEEDS_FOUND', done: idx('road_hazards_fixed'), found: [idx('road_hazards_found')] },
  { code: 'RECTIFIED_EXCEEDS_FOUND', done: idx('food_hazards_closed'), found: [idx('food_hazards_found')] },
];

// OUTLIER: at least 3 of the previous 12 months known, and the value is more than five
// times their median and above it by a margin that matters (typing 300 for 30).
const OUTLIER_MONTHS = 12;
const OUTLIER_MIN_HISTORY = 3;
const OUTLIER_FACTOR = 5;
const OUTLIER_MARGIN = { count: 20, money: 2000 } as const;
const TOTAL_INDICES = VALUE_KEYS.filter((k) => k.category === null).map((k) => k.index);

export interface WarningInput {
  readonly drafts: readonly Draft[];
  readonly history: readonly Submission[];
  readonly receivedAt: Date;
  readonly deadlineDay: number;
  readonly placeOf: (draft: Draft, index: number) => Place;
  /** Facts are built lazily: past the findings limit they are never needed. */
  readonly report: Report;
}

export function toArray(values: Readonly<Record<string, number>>): number[] {
  const array = new Array<number>(VALUE_KEYS.length).fill(NaN);
  for (const [key, v] of Object.entries(values)) {
    const k = valueKey(key);
    if (k) array[k.index] = v;
  }
  return array;
}

export function raiseWarnings(input: WarningInput): void {
  const { drafts, receivedAt, deadlineDay, report } = input;
  const months = monthsByUnit(input);
  const priorCache = new Map<Month, Month[]>();
  for (const draft of drafts) {
    const about = { unit: draft.unit, period: draft.period };
    if (receivedAt.getTime() >= deadlineOf(draft.period, deadlineDay).getTime()) {
      report('LATE', draft.periodPlace, draft.period, () => ({ expected: chineseDeadline(draft.period, deadlineDay) }), about);
    }
    const own = months.get(draft.unit)!;
    checkBalances(draft, own, input, about);
    let prior = priorCache.get(draft.period);
    if (!prior) priorCache.set(draft.period, (prior = Array.from({ length: OUTLIER_MONTHS }, (_, k) => addMonths(draft.period, -k - 1))));
    checkOutliers(draft, prior.map((m) => own.get(m)).filter((v) => v !== undefined), input, about);
  }
}

/** unit → month → values, prior submissions first, replaced by this file's. */
function monthsByUnit({ drafts, history }: WarningInput): Map<string, Map<Month, number[]>> {
  const units = new Map<string, Map<Month, number[]>>();
  for (const d of drafts) if (!units.has(d.unit)) units.set(d.unit, new Map());
  for (const s of history) units.get(s.unit)?.set(s.period, toArray(s.values));
  for (const d of drafts) units.get(d.unit)!.set(d.period, d.values);
  return units;
}

const known = (v: number | undefined): number => (v === undefined || Number.isNaN(v) ? 0 : v);

function checkBalances(draft: Draft, own: Map<Month, number[]>, input: WarningInput, about: { unit: string; period: string }): void {
  // The unit's months of this year up to this one (this file's and earlier ones).
  const year = draft.period.slice(0, 4);
  const toDate: number[][] = [];
  for (const [period, values] of own) if (period.startsWith(year) && period <= draft.period) toDate.push(values);
  for (const b of BALANCES) {
    const givenDone = !Number.isNaN(draft.values[b.done]!);
    const givenFound = b.found.find((f) => !Number.isNaN(draft.values[f]!));
    if (!givenDone && givenFound === undefined) continue;
    let done = 0;
    let found = 0;
    for (const values of toDate) {
      done += known(values[b.done]);
      for (const f of b.found) found += known(values[f]);
    }
    if (done <= found) continue;
    const facts = (): MessageFacts => {
      const doneKey = VALUE_KEYS[b.done]!;
      const u = doneKey.metric.unit;
      const until = `（截至${chineseMonth(draft.period)}）`;
      const foundLabels = b.found.map((f) => VALUE_KEYS[f]!.label).join('+');
      const detail =
        b.code === 'CLOSED_EXCEEDS_RECEIVED'
          ? `${done} ${u}，多于累计受理 ${found} ${u}${until}`
          : `为 ${done} ${u}，多于累计“${foundLabels}” ${found} ${u}${until}`;
      return { metricLabel: doneKey.label, detail };
    };
    const place = input.placeOf(draft, givenDone ? b.done : givenFound!);
    input.report(b.code, place, String(done), facts, about);
  }
}

function checkOutliers(draft: Draft, prior: number[][], input: WarningInput, about: { unit: string; period: string }): void {
  if (prior.length < OUTLIER_MIN_HISTORY) return;
  // Smallest known value and count per key over the prior months, in one pass: the median
  // is at least the smallest, so a value within 5× of it is never an outlier.
  let mins: number[] | undefined;
  let counts: number[] | undefined;
  for (const i of TOTAL_INDICES) {
    const v = draft.values[i]!;
    const { metric } = VALUE_KEYS[i]!;
    const margin = OUTLIER_MARGIN[metric.valueType];
    if (!(v >= margin)) continue;
    if (!mins || !counts) [mins, counts] = smallest(prior);
    if (counts[i]! < OUTLIER_MIN_HISTORY || v <= mins[i]! * OUTLIER_FACTOR) continue;
    const history = prior.map((p) => p[i]!).filter((x) => !Number.isNaN(x));
    const med = median(history);
    if (v > med * OUTLIER_FACTOR && v - med >= margin) {
      const facts = (): MessageFacts => {
        const times = med > 0 ? `${formatValue(Math.round((v / med) * 10) / 10)} 倍` : '很多倍';
        return { metricLabel: metric.label, detail: `是本单位近${history.length}个月中位数 ${formatValue(med)} 的 ${times}` };
      };
      input.report('OUTLIER', input.placeOf(draft, i), formatValue(v), facts, about);
    }
  }
}

function smallest(prior: readonly number[][]): [mins: number[], counts: number[]] {
  const mins = new Array<number>(VALUE_KEYS.length).fill(Infinity);
  const counts = new Array<number>(VALUE_KEYS.length).fill(0);
  for (const values of prior) {
    for (let i = 0; i < values.length; i++) {
      const x = values[i]!;
      if (x !== x) continue; // NaN: not reported
      counts[i]!++;
      if (x < mins[i]!) mins[i] = x;
    }
  }
  return [mins, counts];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
