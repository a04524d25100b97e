/**
 * What one submission of an upload does to a unit's month, decided on what the ledger
 * holds (pure): nothing (it counts already), a refusal (the month is locked), or a new
 * fold of the month's versions with its deltas for every level's totals.
 */
import type { Uploader } from '../collector.ts';
import { changesBetween, foldAll, foldStatement, unchangedCount } from '../corrections.ts';
import type { Finding } from '../findings.ts';
import type { Month } from '../period.ts';
import type { CurrentSubmission, SubmissionChange, SubmissionVersion, UnitState } from '../ports/ledger.ts';
import { boundByLocks, lockReason, type LockReason } from '../review/review.ts';
import { deltas, yearOf, type Values } from '../rollup.ts';
import type { Submission } from '../warnings.ts';

/** One submission of an upload, as it is to be written. */
export interface Planned {
  readonly submission: Submission & { readonly warnings: readonly Finding[] };
  readonly order: string;
  readonly uploadId: string;
  readonly receivedAt: string;
  readonly uploader: Uploader;
  readonly lockDay: number;
}

export type Plan =
  | { readonly kind: 'done' }
  | { readonly kind: 'locked'; readonly reason: LockReason }
  /** An older upload than the month's latest: fold again with every version (read them, then plan again). */
  | { readonly kind: 'refold' }
  | { readonly kind: 'change'; readonly change: SubmissionChange };

/** The lock that refuses this submission, if its uploader is bound by locks. */
export function lockOf(state: UnitState, planned: Planned): LockReason | undefined {
  const { period } = planned.submission;
  const lock = lockReason(period, new Date(planned.receivedAt), planned.lockDay, state.reviews.get(period));
  return lock && boundByLocks(planned.uploader) ? lock : undefined;
}

/**
 * Plans a submission. `versions` (every version of the month, as read) is needed only when
 * the upload is older than the month's latest: it is then folded in its place.
 */
export function plan(state: UnitState, planned: Planned, rollups: readonly string[], versions?: readonly SubmissionVersion[]): Plan {
  const { submission, order, uploadId, receivedAt } = planned;
  const { unit, period } = submission;
  const previous = state.current.get(period);
  if (previous?.uploadId === uploadId || versions?.some((v) => v.uploadId === uploadId)) return { kind: 'done' };
  // An older upload reads the versions before a lock decides: a delivery that died may have written it already.
  const late = previous !== undefined && previous.order > order;
  if (late && !versions) return { kind: 'refold' };
  const lock = lockOf(state, planned);
  if (lock) return { kind: 'locked', reason: lock };

  // The month after this version, and what this version changed where it stands in upload order.
  const earlier = late ? versions!.filter((v) => v.order < order) : [];
  const before = late ? foldAll(earlier) : previous?.values;
  const own = foldStatement(before, submission);
  const values = late ? foldAll([...earlier, submission, ...versions!.filter((v) => v.order > order)]) : own;
  const changes = changesBetween(before, own);
  const number = (previous?.version ?? 0) + 1;
  const warnings = submission.warnings.length ? { warnings: submission.warnings.slice(0, 20) } : {};
  const firstReceivedAt = previous && previous.firstReceivedAt < receivedAt ? previous.firstReceivedAt : receivedAt;
  const latest = late ? previous! : { uploadId, order, receivedAt, ...warnings };
  const next: CurrentSubmission = { ...latest, unit, period, values, firstReceivedAt, version: number };
  const version: SubmissionVersion = {
    unit,
    period,
    uploadId,
    order,
    receivedAt,
    version: number,
    uploader: planned.uploader,
    values: submission.values,
    ...(submission.cleared?.length ? { cleared: submission.cleared } : {}),
    ...(submission.implied?.length ? { implied: submission.implied } : {}),
    changes,
    unchanged: unchangedCount(own, changes),
    ...(lockReason(period, new Date(receivedAt), planned.lockDay, state.reviews.get(period)) ? { overrideLock: true } : {}),
    ...warnings,
  };
  return { kind: 'change', change: { ...yearChange(state, next, rollups), next, previous, version, review: state.reviews.get(period) } };
}

/** The month's and the year's deltas of a new current month, and what the year was computed from. */
function yearChange(state: UnitState, next: CurrentSubmission, rollups: readonly string[]) {
  const { unit, period } = next;
  const year = period.slice(0, 4);
  const months = new Map<Month, Values>();
  const versions: Record<Month, number> = {};
  for (const [m, s] of state.current) {
    if (!m.startsWith(year)) continue;
    months.set(m, s.values);
    versions[m] = s.version;
  }
  const before = yearOf(months);
  months.set(period, next.values);
  const after = yearOf(months);
  const unitYear = state.years.get(year);
  const others = monthsOfYear(year).filter((m) => m !== period);
  return {
    monthDeltas: deltas(state.current.get(period)?.values, next.values),
    rollups,
    unitYear: {
      next: { unit, year, values: after, rev: (unitYear?.rev ?? 0) + 1, months: { ...versions, [period]: next.version } },
      expectedRev: unitYear?.rev ?? null,
    },
    yearDeltas: deltas(before, after),
    // The write's condition on the year's rev covers the other months when they were read as the year has them.
    yearMonths: readAsTheYearHas(state, year, others) ? [] : others.map((m) => ({ period: m, current: state.current.get(m) ?? null })),
  };
}

const monthsOfYear = (year: string): Month[] => Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);

/**
 * Whether the months read are those the year item was computed from. Every change of a month
 * rewrites the year (its `rev` and `months`) in the same transaction, so a write conditional
 * on that `rev` finds the months as read. No year read: none of its months may have been read.
 * A year written before `months` was kept cannot say: the write checks each month instead.
 */
function readAsTheYearHas(state: UnitState, year: string, months: readonly Month[]): boolean {
  const unitYear = state.years.get(year);
  if (!unitYear) return months.every((m) => !state.current.has(m));
  const had = unitYear.months;
  return had !== undefined && months.every((m) => state.current.get(m)?.version === had[m]);
}
