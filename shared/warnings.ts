/**
 * Warnings: the file is accepted, but a person should look. They need the unit's other
 * months, so they take prior submissions as input (empty when a file is checked alone);
 * other months in the same file count too, and replace prior ones.
 */
import { VALUE_KEYS, valueKey } from './catalogue.ts';
import type { Draft } from './collector.ts';
import type { FindingCode, MessageFacts } from './findings.ts';
import { formatValue } from './numbers.ts';
import { addMonths, chineseDeadline, chineseMonth, deadlineOf, type Month } from './period.ts';

/** A unit's values for one month, as stored: `code` or `code.category` → number. */
export interface Submission {
  readonly unit: string;
  readonly period: Month;
  readonly values: Readonly<Record<string, number>>;
  /**
   * Keys the file stated blank (a long row with no value, a blank cell of a wide column,
   * JSON `null`): back to "not reported" (docs/DOMAIN.md#corrections). Omitted when none.
   */
  readonly cleared?: readonly string[];
  /**
   * Totals in `values` that the file did not state: the sum of its categories. A
   * correction recomputes them from the month's categories. Omitted when none.
   */
  readonly implied?: readonly string[];
}

/** Reports a warning about a draft's key (or period); facts are built only if it is kept. */
type Report = (code: FindingCode, draft: Draft, at: number | 'period', value: string, facts: () => MessageFacts) => void;

interface Balance {
  readonly code: 'CLOSED_EXCEEDS_RECEIVED' | 'RECTIFIED_EXCEEDS_FOUND';
  readonly done: number;
  readonly found: readonly number[];
}

const idx = (key: string) => valueKey(key)!.index;
// Year-to-date pairs (docs/DOMAIN.md#warning-rules): what was closed or fixed cannot exceed what was found.
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
const TOTAL_INDICES = Int32Array.from(
  VALUE_KEYS.filter((k) => k.category === null),
  (k) => k.index,
);
const MARGIN_OF = VALUE_KEYS.map((k) => OUTLIER_MARGIN[k.metric.valueType]);

export interface WarningInput {
  readonly drafts: readonly Draft[];
  readonly history: readonly Submission[];
  readonly receivedAt: Date;
  readonly deadlineDay: number;
  readonly report: Report;
}

function toArray(values: Readonly<Record<string, number>>): Float64Array {
  const array = new Float64Array(VALUE_KEYS.length).fill(NaN);
  for (const [key, v] of Object.entries(values)) {
    const k = valueKey(key);
    if (k) array[k.index] = v;
  }
  return array;
}

/** One unit's months in order (prior submissions replaced by this file's). */
interface Timeline {
  readonly months: Month[];
  readonly values: Float64Array[];
  /**
   * For each balance and month, [done, found] summed from January of its year: month k's
   * pairs start at k × 2 × BALANCES.length (one array per unit, not one per month).
   */
  readonly toDate: Float64Array;
  /** Per total's key, the smallest value of any month: the median of any window is at least that. */
  readonly floor: Float64Array;
}

/** Where each draft stands: its unit's timeline and its month's position there, by draft index. */
interface Timelines {
  readonly of: Timeline[];
  readonly at: Int32Array;
}

const PAIRS = 2 * BALANCES.length;

export function raiseWarnings(input: WarningInput): void {
  const { drafts, receivedAt, deadlineDay, report } = input;
  const timelines = timelinesByUnit(input);
  const scratch = new OutlierScratch();
  const deadlines = new Map<Month, Deadline>();
  for (let d = 0; d < drafts.length; d++) {
    const draft = drafts[d]!;
    let deadline = deadlines.get(draft.period);
    if (deadline === undefined) {
      deadline = deadlineFor(draft.period, deadlineDay);
      deadlines.set(draft.period, deadline);
    }
    if (receivedAt.getTime() >= deadline.time) report('LATE', draft, 'period', draft.period, deadline.facts);
    const timeline = timelines.of[d]!;
    const at = timelines.at[d]!;
    checkBalances(draft, timeline.toDate, at * PAIRS, report);
    checkOutliers(draft, timeline, at, scratch, report);
  }
}

/** A month's deadline, and the facts of its LATE warning: made once per month, not per draft. */
interface Deadline {
  readonly time: number;
  readonly facts: () => MessageFacts;
}

function deadlineFor(period: Month, deadlineDay: number): Deadline {
  return { time: deadlineOf(period, deadlineDay).getTime(), facts: () => ({ expected: chineseDeadline(period, deadlineDay) }) };
}

/** A unit's months while they are gathered: this file's drafts (by index) and prior submissions. */
interface Gathering {
  readonly months: Month[];
  readonly values: Float64Array[];
  /** The draft at each month, or -1 for a prior submission. */
  readonly drafts: number[];
  /** The latest month so far: a later one cannot be there yet. */
  latest: Month;
}

function timelinesByUnit({ drafts, history }: WarningInput): Timelines {
  const byUnit = new Map<string, Gathering>();
  // Indexed loops over the drafts: a for-of allocates a step object per draft until optimised.
  for (let d = 0; d < drafts.length; d++) {
    const unit = drafts[d]!.unit;
    if (!byUnit.has(unit)) byUnit.set(unit, { months: [], values: [], drafts: [], latest: '' });
  }
  // History first, then the file's drafts replacing the same months: a month's last word counts.
  for (const s of history) {
    const g = byUnit.get(s.unit);
    if (g) gather(g, s.period, toArray(s.values), -1);
  }
  for (let d = 0; d < drafts.length; d++) gather(byUnit.get(drafts[d]!.unit)!, drafts[d]!.period, drafts[d]!.values, d);
  const of = new Array<Timeline | undefined>(drafts.length).fill(undefined);
  const at = new Int32Array(drafts.length);
  const byTimeline = new Map<string, Timeline>();
  const slabs = new TimelineSlabs(byUnit);
  for (const [unit, g] of byUnit) {
    const timeline = timelineOf(inOrder(g), slabs);
    byTimeline.set(unit, timeline);
    for (let k = 0; k < g.drafts.length; k++) {
      const d = g.drafts[k]!;
      if (d >= 0) {
        of[d] = timeline;
        at[d] = k;
      }
    }
  }
  // A draft whose month a later one replaced (the readers make none) stands where that one does.
  for (let d = 0; d < drafts.length; d++) {
    if (of[d]) continue;
    const timeline = byTimeline.get(drafts[d]!.unit)!;
    of[d] = timeline;
    at[d] = timeline.months.indexOf(drafts[d]!.period);
  }
  return { of: of as Timeline[], at };
}

/** Adds a month to a unit's, replacing one already there (the newest word counts). */
function gather(g: Gathering, period: Month, values: Float64Array, draft: number): void {
  // Months mostly come in order and once: a month after the latest is not there yet.
  const same = period > g.latest ? -1 : g.months.indexOf(period);
  if (same >= 0) {
    g.values[same] = values;
    g.drafts[same] = draft;
    return;
  }
  g.months.push(period);
  g.values.push(values);
  g.drafts.push(draft);
  if (period > g.latest) g.latest = period;
}

/** The gathered months sorted (in place, with their values and drafts), when they are not already. */
function inOrder(g: Gathering): Gathering {
  let sorted = true;
  for (let k = 1; k < g.months.length && sorted; k++) sorted = g.months[k - 1]! < g.months[k]!;
  if (sorted) return g;
  const order = g.months.map((_, k) => k).sort((a, b) => (g.months[a]! < g.months[b]! ? -1 : 1));
  const [months, values, drafts] = [order.map((k) => g.months[k]!), order.map((k) => g.values[k]!), order.map((k) => g.drafts[k]!)];
  for (let k = 0; k < order.length; k++) [g.months[k], g.values[k], g.drafts[k]] = [months[k]!, values[k]!, drafts[k]!];
  return g;
}

/**
 * The timelines' numbers, in two arrays for all units: one small typed array per unit
 * would each have its own buffer outside the heap, made and freed thousands of times.
 */
class TimelineSlabs {
  private readonly toDate: Float64Array;
  private readonly floor: Float64Array;
  private toDateUsed = 0;
  private floorUsed = 0;

  constructor(units: ReadonlyMap<string, Gathering>) {
    let months = 0;
    for (const g of units.values()) months += g.months.length;
    this.toDate = new Float64Array(months * PAIRS);
    this.floor = new Float64Array(units.size * VALUE_KEYS.length).fill(Infinity);
  }

  /** A unit's year-to-date pairs (zeros) and floors (Infinity), for `months` months. */
  next(months: number): { toDate: Float64Array; floor: Float64Array } {
    const toDateFrom = this.toDateUsed;
    const floorFrom = this.floorUsed;
    this.toDateUsed += months * PAIRS;
    this.floorUsed += VALUE_KEYS.length;
    return { toDate: this.toDate.subarray(toDateFrom, this.toDateUsed), floor: this.floor.subarray(floorFrom, this.floorUsed) };
  }
}

function timelineOf({ months, values }: Gathering, slabs: TimelineSlabs): Timeline {
  const { toDate, floor } = slabs.next(months.length);
  for (let k = 0; k < months.length; k++) {
    const v = values[k]!;
    const o = k * PAIRS;
    // Year-to-date: start again in January (or at a unit's first month of a year).
    if (k > 0 && sameYear(months[k - 1]!, months[k]!)) for (let j = 0; j < PAIRS; j++) toDate[o + j] = toDate[o - PAIRS + j]!;
    for (let j = 0; j < BALANCES.length; j++) {
      const b = BALANCES[j]!;
      toDate[o + 2 * j]! += known(v[b.done]);
      for (const f of b.found) toDate[o + 2 * j + 1]! += known(v[f]);
    }
    // Only totals are tested for outliers (checkOutliers): the floor of a category is never read.
    for (let t = 0; t < TOTAL_INDICES.length; t++) {
      const i = TOTAL_INDICES[t]!;
      if (v[i]! < floor[i]!) floor[i] = v[i]!; // NaN never compares less
    }
  }
  return { months, values, toDate, floor };
}

/** `YYYY-MM` months of the same year, compared without slicing strings. */
function sameYear(a: Month, b: Month): boolean {
  for (let i = 0; i < 4; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false;
  return true;
}

const known = (v: number | undefined): number => (v === undefined || Number.isNaN(v) ? 0 : v);

/** The balances to date of a draft's month, whose pairs start at `o` in `toDate`. */
function checkBalances(draft: Draft, toDate: Float64Array, o: number, report: Report): void {
  for (let j = 0; j < BALANCES.length; j++) {
    const done = toDate[o + 2 * j]!;
    const found = toDate[o + 2 * j + 1]!;
    if (done > found) reportBalance(draft, BALANCES[j]!, done, found, report);
  }
}

function reportBalance(draft: Draft, b: Balance, done: number, found: number, report: Report): void {
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
  report(b.code, draft, givenDone ? b.done : givenFound!, String(done), facts);
}

/** Arrays reused from one draft to the next: outlier checks run on every row of a file. */
class OutlierScratch {
  readonly months: Float64Array[] = [];
  readonly mins = new Float64Array(VALUE_KEYS.length);
  readonly counts = new Int32Array(VALUE_KEYS.length);

  /** The unit's known months in the 12 before this one, newest first. */
  prior(timeline: Timeline, at: number, period: Month): Float64Array[] {
    const from = addMonths(period, -OUTLIER_MONTHS);
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
        if (Number.isNaN(x)) continue; // NaN: not reported
        this.counts[i]!++;
        if (x < this.mins[i]!) this.mins[i] = x;
      }
    }
  }
}

function checkOutliers(draft: Draft, timeline: Timeline, at: number, scratch: OutlierScratch, report: Report): void {
  if (at < OUTLIER_MIN_HISTORY) return;
  let prior: Float64Array[] | undefined;
  for (let t = 0; t < TOTAL_INDICES.length; t++) {
    const i = TOTAL_INDICES[t]!;
    const v = draft.values[i]!;
    const margin = MARGIN_OF[i]!;
    // Cheap tests first: a small value, or one within 5× of the unit's smallest month
    // (the median of any window is at least that), is never an outlier.
    if (!(v >= margin) || v <= timeline.floor[i]! * OUTLIER_FACTOR) continue;
    if (!prior) {
      prior = scratch.prior(timeline, at, draft.period);
      if (prior.length < OUTLIER_MIN_HISTORY) return;
      scratch.smallest(prior);
    }
    if (scratch.counts[i]! < OUTLIER_MIN_HISTORY || v <= scratch.mins[i]! * OUTLIER_FACTOR) continue;
    const history = prior.map((p) => p[i]!).filter((x) => !Number.isNaN(x));
    const med = median(history);
    if (v > med * OUTLIER_FACTOR && v - med >= margin) {
      const facts = (): MessageFacts => {
        const times = med > 0 ? `${formatValue(Math.round((v / med) * 10) / 10)} 倍` : '很多倍';
        return {
          metricLabel: VALUE_KEYS[i]!.metric.label,
          detail: `是本单位近${history.length}个月中位数 ${formatValue(med)} 的 ${times}`,
        };
      };
      report('OUTLIER', draft, i, formatValue(v), facts);
    }
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
