/**
 * The ingest use case: one object created under incoming/ → counted exactly once, or
 * rejected with its reasons. Redelivered events, corrections and concurrent uploads are
 * all decided here against what the ledger holds, and written conditionally.
 */
import { checkFile, type Submission } from '../check.ts';
import type { Finding } from '../findings.ts';
import { describe } from '../findings.ts';
import { addMonths, type Month } from '../period.ts';
import type { Registry } from '../registry.ts';
import { deltas, yearOf, type Values } from '../rollup.ts';
import { parseObjectKey, uploadOrder, type SubmissionOutcome, type UploadRecord } from '../uploads.ts';
import type { CurrentSubmission, Ledger, ObjectStore, SubmissionChange, UnitState, UploadOutcome } from './ports.ts';

/** What S3 says about a created object. */
export interface ObjectCreated {
  readonly key: string;
  readonly versionId?: string;
  readonly size: number;
  readonly eventTime: string;
  /** S3's sequencer, for the logs: it orders events of one key only, so not uploads. */
  readonly sequencer?: string;
}

export interface IngestDeps {
  readonly store: ObjectStore;
  readonly ledger: Ledger;
  readonly registry: Registry;
  readonly now: () => Date;
}

export type IngestResult =
  | { readonly outcome: 'accepted' | 'rejected'; readonly uploadId: string }
  | { readonly outcome: 'duplicate'; readonly uploadId: string }
  | { readonly outcome: 'unexpected'; readonly key: string };

/** Attempts per submission when concurrent writers keep changing the same unit. */
const MAX_ATTEMPTS = 8;

export class ConflictError extends Error {
  override readonly name = 'ConflictError';
  readonly code = 'CONFLICT';
}

export async function ingestObject(object: ObjectCreated, deps: IngestDeps): Promise<IngestResult> {
  // 1. The key must name an upload the system recorded an intent for.
  // 2. A finished upload is not processed again (a redelivered event).
  // 3. Read and check the file as its uploader; a rejected file gets a report in S3.
  // 4. Read the units' months, check again with them (year-to-date, outliers).
  // 5. Apply each submission in its own conditional transaction; finish the upload.
  const { ledger, store } = deps;
  const parsed = parseObjectKey(object.key);
  const upload = parsed ? await ledger.getUpload(parsed.uploadId) : undefined;
  if (!parsed || !upload) return unexpected(object, deps, parsed?.uploadId);
  if (upload.status !== 'pending') return { outcome: 'duplicate', uploadId: upload.uploadId };
  if (upload.unit !== parsed.unit || upload.period !== parsed.period || upload.ext !== parsed.ext) {
    const expected = `incoming/${upload.unit}/${upload.period}/${upload.uploadId}.${upload.ext}`;
    const finding = uploadFinding('KEY_MISMATCH', object.key, expected);
    return reject(upload, object, deps, [finding], []);
  }

  const bytes = await store.get(object.key, object.versionId);
  if (!bytes) throw new Error(`object ${object.key} not found (version ${object.versionId ?? 'latest'})`);
  const context = { registry: deps.registry, uploader: upload.uploader, now: deps.now(), receivedAt: new Date(object.eventTime), maxBytes: upload.maxBytes };
  const first = checkFile(bytes, context);
  if (first.status === 'rejected') return reject(upload, object, deps, first.errors, first.warnings);
  const outside = outsideIntent(upload, first.submissions);
  if (outside.length) return reject(upload, object, deps, outside, first.warnings);

  const states = await readStates(first.submissions, ledger);
  const history = [...states.values()].flatMap((s) => [...s.current.values()]);
  const check = checkFile(bytes, { ...context, history });
  const order = uploadOrder(object.eventTime, upload.uploadId);
  const outcomes: SubmissionOutcome[] = [];
  const outcome = (): UploadOutcome => ({
    uploadId: upload.uploadId,
    status: 'accepted',
    key: object.key,
    ...(object.versionId ? { versionId: object.versionId } : {}),
    receivedAt: object.eventTime,
    processedAt: deps.now().toISOString(),
    errors: [],
    warnings: check.warnings,
    submissions: outcomes,
  });
  let finished = false;
  for (const [i, submission] of check.submissions.entries()) {
    const last = i === check.submissions.length - 1;
    const own = check.warnings.filter((w) => w.unit === submission.unit && w.period === submission.period);
    const state = await applyWithRetry({ ...submission, warnings: own }, order, upload.uploadId, object.eventTime, states, ledger, last ? outcome : undefined, outcomes);
    finished ||= state === 'finished';
  }
  if (!finished) await ledger.finish(outcome());
  return { outcome: 'accepted', uploadId: upload.uploadId };
}

/** The months a file's units need: 12 before its earliest month (outliers) to the end of its latest year. */
async function readStates(submissions: readonly Submission[], ledger: Ledger): Promise<Map<string, UnitState>> {
  const byUnit = new Map<string, Month[]>();
  for (const s of submissions) byUnit.set(s.unit, [...(byUnit.get(s.unit) ?? []), s.period]);
  const entries = await Promise.all(
    [...byUnit].map(async ([unit, months]) => {
      const sorted = months.sort();
      const state = await ledger.unitState(unit, addMonths(sorted[0]!, -12), sorted.at(-1)!.slice(0, 4));
      return [unit, state] as const;
    }),
  );
  return new Map(entries);
}

async function applyWithRetry(
  submission: Submission & { readonly warnings: readonly Finding[] },
  order: string,
  uploadId: string,
  receivedAt: string,
  states: Map<string, UnitState>,
  ledger: Ledger,
  outcome: (() => UploadOutcome) | undefined,
  outcomes: SubmissionOutcome[],
): Promise<'written' | 'finished'> {
  const { unit, period } = submission;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const state = states.get(unit)!;
    const change = planChange(state, submission, order, uploadId, receivedAt);
    if (!change) {
      outcomes.push({ unit, period, state: 'current' });
      return 'written';
    }
    const stateOutcome = change.kind === 'stale' ? 'superseded' : 'current';
    outcomes.push({ unit, period, state: stateOutcome });
    const result = await ledger.apply(change, outcome?.());
    if (result === 'applied') {
      applyToState(state, change);
      return outcome ? 'finished' : 'written';
    }
    outcomes.pop();
    if (result === 'done') {
      outcomes.push({ unit, period, state: stateOutcome });
      return 'written';
    }
    // Someone changed the unit meanwhile: read it again and decide again.
    states.set(unit, await ledger.unitState(unit, addMonths(period, -12), period.slice(0, 4)));
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
  }
  throw new ConflictError(`unit ${unit} ${period}: still conflicting after ${MAX_ATTEMPTS} attempts`);
}

/**
 * The effect of one submission on what the ledger holds: nothing (this upload already
 * counts), history only (a later upload counts), or a replacement with its deltas.
 */
export function planChange(state: UnitState, submission: Submission & { readonly warnings?: readonly Finding[] }, order: string, uploadId: string, receivedAt: string): SubmissionChange | undefined {
  const { unit, period, values } = submission;
  const previous = state.current.get(period);
  if (previous?.uploadId === uploadId) return undefined;
  const firstReceivedAt = previous && previous.firstReceivedAt < receivedAt ? previous.firstReceivedAt : receivedAt;
  const warnings = submission.warnings?.length ? { warnings: submission.warnings.slice(0, 20) } : {};
  const next: CurrentSubmission = { unit, period, values, uploadId, order, receivedAt, firstReceivedAt, ...warnings };
  if (previous && previous.order > order) return { kind: 'stale', next, firstReceivedAt };

  const year = period.slice(0, 4);
  const months = new Map<Month, Values>();
  for (const [m, s] of state.current) if (m.startsWith(year)) months.set(m, s.values);
  const before = yearOf(months);
  months.set(period, values);
  const after = yearOf(months);
  const unitYear = state.years.get(year);
  return {
    kind: 'replace',
    next,
    previous,
    monthDeltas: deltas(previous?.values, values),
    unitYear: { next: { unit, year, values: after, rev: (unitYear?.rev ?? 0) + 1 }, expectedRev: unitYear?.rev ?? null },
    yearDeltas: deltas(before, after),
    yearMonths: Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`)
      .filter((m) => m !== period)
      .map((m) => ({ period: m, uploadId: state.current.get(m)?.uploadId ?? null })),
  };
}

function applyToState(state: UnitState, change: SubmissionChange): void {
  if (change.kind !== 'replace') return;
  state.current.set(change.next.period, change.next);
  state.years.set(change.unitYear.next.year, change.unitYear.next);
}


async function reject(upload: UploadRecord, object: ObjectCreated, deps: IngestDeps, errors: readonly Finding[], warnings: readonly Finding[]): Promise<IngestResult> {
  const outcome: UploadOutcome = {
    uploadId: upload.uploadId,
    status: 'rejected',
    key: object.key,
    ...(object.versionId ? { versionId: object.versionId } : {}),
    receivedAt: object.eventTime,
    processedAt: deps.now().toISOString(),
    errors,
    warnings,
    submissions: [],
  };
  // The report first: if the record then fails, a retry writes the same report again.
  await deps.store.putJson(reportKey(upload.unit, upload.period, upload.uploadId), { ...outcome, file: object.key });
  await deps.ledger.finish(outcome);
  return { outcome: 'rejected', uploadId: upload.uploadId };
}

export function reportKey(unit: string, period: string, uploadId: string): string {
  return `reports/${unit}/${period}/${uploadId}.json`;
}

/** An object nobody announced: recorded and reported, counted nowhere. */
async function unexpected(object: ObjectCreated, deps: IngestDeps, uploadId: string | undefined): Promise<IngestResult> {
  const id = uploadId ?? `unexpected-${object.key.replace(/[^A-Za-z0-9]+/g, '-').slice(-80)}`;
  const outcome: UploadOutcome = {
    uploadId: id,
    status: 'rejected',
    key: object.key,
    receivedAt: object.eventTime,
    processedAt: deps.now().toISOString(),
    errors: [uploadFinding('NO_UPLOAD_INTENT', object.key)],
    warnings: [],
    submissions: [],
  };
  await deps.store.putJson(reportKey('_unexpected', 'unknown', id), outcome);
  await deps.ledger.recordUnexpected(outcome);
  return { outcome: 'unexpected', key: object.key };
}

/**
 * Submissions of months or units other than the upload was asked for (`unknown` and `ALL`
 * ask for none in particular): what a secretary picked on the page is what counts.
 */
function outsideIntent(upload: UploadRecord, submissions: readonly Submission[]): Finding[] {
  const place = { row: null, column: null, kind: 'file' } as const;
  const findings: Finding[] = [];
  const periods = new Set(submissions.map((s) => s.period));
  const units = new Set(submissions.map((s) => s.unit));
  if (upload.period !== 'unknown') {
    for (const period of [...periods].filter((p) => p !== upload.period).sort()) {
      findings.push({ code: 'PERIOD_MISMATCH', row: null, column: null, value: period, period, message: describe('PERIOD_MISMATCH', place, period, { expected: upload.period }) });
    }
  }
  if (upload.unit !== 'ALL') {
    for (const unit of [...units].filter((u) => u !== upload.unit).sort()) {
      findings.push({ code: 'UNIT_MISMATCH', row: null, column: null, value: unit, unit, message: describe('UNIT_MISMATCH', place, unit, { expected: upload.unit }) });
    }
  }
  return findings;
}

function uploadFinding(code: 'NO_UPLOAD_INTENT' | 'KEY_MISMATCH', key: string, expected?: string): Finding {
  const place = { row: null, column: null, kind: 'file' } as const;
  return { code, row: null, column: null, value: key, message: describe(code, place, key, expected ? { expected } : {}) };
}
