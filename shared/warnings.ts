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
  /** Where a key of a draft (or its period) stands in the file. */
  readonly placeOf: (draft: Draft, index: number | 'period') => Place;
  /** Facts are built lazily: past the findings limit they are never needed. */
  readonly report: Report;
}

export function toArray(values: Readonly<Record<string, number>>): Float64Array {
  const array = new Float64Array(VALUE_KEYS.length).fill(NaN);
  for (const [key, v] of Object.entries(values)) {
    const k = valueKey(key);
    if (k) array[k.index] = v;
  }
  return array;
}

/** One unit's months in order (prior submissions replaced by this file's), with year-to-date sums. */
interface Timeline {
  readonly months: Month[];
  readonly values: Float64Array[];
  readonly position: Map<Month, number>;
  /** Per month: for each balance, [done, found] summed from January of its year. */
  readonly toDate: number[][];
}

export function raiseWarnings(input: WarningInput): void {
  const { drafts, receivedAt, deadlineDay, report } = input;
  const timelines = timelinesByUnit(input);
  const scratch = new OutlierScratch();
  for (const draft of drafts) {
    const about = { unit: draft.unit, period: draft.period };
    if (receivedAt.getTime() >= deadlineOf(draft.period, deadlineDay).getTime()) {
      report('LATE', input.placeOf(draft, 'period'), draft.period, () => ({ expected: chineseDeadline(draft.period, deadlineDay) }), about);
    }
    const timeline = timelines.get(draft.unit)!;
    const at = timeline.position.get(draft.period)!;
    checkBalances(draft, timeline.toDate[at]!, input, about);
    checkOutliers(draft, scratch.prior(timeline, at, addMonths(draft.period, -OUTLIER_MONTHS)), scratch, input, about);
  }
}

function timelinesByUnit({ drafts, history }: WarningInput): Map<string, Timeline> {
  const byUnit = new Map<string, Map<Month, Float64Array>>();
  for (const d of drafts) if (!byUnit.has(d.unit)) byUnit.set(d.unit, new Map());
  for (const s of history) byUnit.get(s.unit)?.set(s.period, toArray(s.values));
  for (const d of drafts) byUnit.get(d.unit)!.set(d.period, d.values);
  const timelines = new Map<string, Timeline>();
  for (const [unit, byMonth] of byUnit) {
    const months = [...byMonth.keys()].sort();
    const values = months.map((m) => byMonth.get(m)!);
    const toDate: number[][] = [];
    let running = BALANCES.flatMap(() => [0, 0]);
    months.forEach((m, k) => {
      if (k === 0 || months[k - 1]!.slice(0, 4) !== m.slice(0, 4)) running = running.map(() => 0);
      const v = values[k]!;
      running = running.slice();
      BALANCES.forEach((b, j) => {
        running[2 * j]! += known(v[b.done]);
        for (const f of b.found) running[2 * j + 1]! += known(v[f]);
      });
      toDate.push(running);
    });
    timelines.set(unit, { months, values, position: new Map(months.map((m, k) => [m, k])), toDate });
  }
  return timelines;
}

const known = (v: number | undefined): number => (v === undefined || v !== v ? 0 : v);

function checkBalances(draft: Draft, toDate: readonly number[], input: WarningInput, about: { unit: string; period: string }): void {
  BALANCES.forEach((b, j) => {
    const done = toDate[2 * j]!;
    const found = toDate[2 * j + 1]!;
    if (done <= found) return;
    // Only a month that reports one side of the balance is answerable for it.
    const givenDone = !Number.isNaN(draft.values[b.done]!);
    const givenFound = b.found.find((f) => !Number.isNaN(draft.values[f]!));
    if (!givenDone && givenFound === undefined) return;
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
    input.report(b.code, input.placeOf(draft, givenDone ? b.done : givenFound!), String(done), facts, about);
  });
}

/** Arrays reused from one draft to the next: outlier checks run on every row of a file. */
class OutlierScratch {
  readonly months: Float64Array[] = [];
  readonly mins = new Array<number>(VALUE_KEYS.length).fill(Infinity);
  readonly counts = new Array<number>(VALUE_KEYS.length).fill(0);

  /** The unit's known months in [from, this month), newest first. */
  prior(timeline: Timeline, at: number, from: Month): Float64Array[] {
    this.months.length = 0;
    for (let j = at - 1; j >= 0 && timeline.months[j]! >= from; j--) this.months.push(timeline.values[j]!);
    return this.months;
  }

  /** Smallest known value and count per key over `prior`, in one pass. */
  smallest(prior: readonly Float64Array[]): void {
    this.mins.fill(Infinity);
    this.counts.fill(0);
    for (const values of prior) {
      for (let i = 0; i < values.length; i++) {
        const x = values[i]!;
        if (x !== x) continue; // NaN: not reported
        this.counts[i]!++;
        if (x < this.mins[i]!) this.mins[i] = x;
      }
    }
  }
}

function checkOutliers(draft: Draft, prior: Float64Array[], scratch: OutlierScratch, input: WarningInput, about: { unit: string; period: string }): void {
  if (prior.length < OUTLIER_MIN_HISTORY) return;
  // The median is at least the smallest month: a value within 5× of it is never an outlier.
  let measured = false;
  for (const i of TOTAL_INDICES) {
    const v = draft.values[i]!;
    const { metric } = VALUE_KEYS[i]!;
    const margin = OUTLIER_MARGIN[metric.valueType];
    if (!(v >= margin)) continue;
    if (!measured) {
      scratch.smallest(prior);
      measured = true;
    }
    if (scratch.counts[i]! < OUTLIER_MIN_HISTORY || v <= scratch.mins[i]! * OUTLIER_FACTOR) continue;
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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
