/**
 * The ingest use case: one object created under incoming/ (shared/layout.ts) → counted exactly once, or
 * rejected with its reasons. Redelivered events, corrections and concurrent uploads are
 * all decided here against what the ledger holds, and written conditionally.
 */
import { principalLabel } from '../auth/principals.ts';
import { readFile, type FileCheck, type Submission } from '../check.ts';
import type { Finding } from '../findings.ts';
import { workbookReaderFor } from '../formats/workbook.ts';
import { objectKey, parseObjectKey, reportKey, unexpectedReportKey } from '../layout.ts';
import { addMonths, type Month } from '../period.ts';
import type { Ledger, SubmissionChange, UnitState, UploadOutcome } from '../ports/ledger.ts';
import { lockOf, plan, type Planned } from './plan.ts';
import { type EarlyState, monthsNeeded, type ReadAhead, readAhead } from './read-ahead.ts';
import { lockedFinding, outsideIntent, uploadFinding } from './upload-findings.ts';
import type { ObjectStore } from '../ports/objects.ts';
import { townOf, type Registry } from '../registry.ts';
import { uploadOrder, type SubmissionOutcome, type UploadRecord } from '../uploads.ts';

/** What S3 says about a created object. */
export interface ObjectCreated {
  readonly key: string;
  readonly versionId?: string;
  readonly size: number;
  /** The object's ETag (of its bytes): a second object under a counted key has another. */
  readonly etag?: string;
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
  | {
      readonly outcome: 'accepted' | 'rejected';
      readonly uploadId: string;
      /** The codes found, each once: an accepted file’s warnings (LATE: it came late) and refused months, a rejected file’s errors. */
      readonly codes: readonly string[];
    }
  | { readonly outcome: 'duplicate' | 'reused'; readonly uploadId: string }
  | { readonly outcome: 'unexpected'; readonly key: string };

/** Attempts per submission when concurrent writers keep changing the same unit. */
const MAX_ATTEMPTS = 8;

export class ConflictError extends Error {
  override readonly name = 'ConflictError';
  readonly code = 'CONFLICT';
}

export async function ingestObject(object: ObjectCreated, deps: IngestDeps): Promise<IngestResult> {
  const parsed = parseObjectKey(object.key);
  const ahead = parsed ? readAhead(object, parsed, deps.store, deps.ledger) : undefined;
  try {
    return await ingestParsed(object, parsed, ahead, deps);
  } finally {
    // A read ahead nobody needed ends here, not in the next invocation (a frozen Lambda) or after the servers.
    if (ahead) await Promise.allSettled([ahead.bytes, ahead.state?.state]);
  }
}

async function ingestParsed(
  object: ObjectCreated,
  parsed: ReturnType<typeof parseObjectKey>,
  ahead: ReadAhead | undefined,
  deps: IngestDeps,
): Promise<IngestResult> {
  const { ledger, store } = deps;
  // 1. The key must name an upload the system recorded an intent for.
  const upload = parsed ? await ledger.getUpload(parsed.uploadId) : undefined;
  if (!parsed || !upload) return unexpected(object, deps, parsed?.uploadId);
  // 2. A finished upload is not processed again: a redelivered event, or a second object (reused form).
  if (upload.status !== 'pending') return finished(upload, object, deps);
  if (upload.unit !== parsed.unit || upload.period !== parsed.period || upload.ext !== parsed.ext) {
    return reject(upload, object, deps, [uploadFinding('KEY_MISMATCH', object.key, objectKey(upload))], []);
  }
  // 3. Read and check the file as its uploader; a rejected file gets a report in S3.
  const bytes = await (ahead?.bytes ?? store.get(object.key, object.versionId));
  if (!bytes) throw new Error(`object ${object.key} not found (version ${object.versionId ?? 'latest'})`);
  const file = readFile(bytes, {
    workbook: await workbookReaderFor(bytes),
    registry: deps.registry,
    uploader: upload.uploader,
    now: deps.now(),
    receivedAt: new Date(object.eventTime),
    maxBytes: upload.maxBytes,
  });
  if (file.status === 'rejected') {
    const check = file.warn([]);
    return reject(upload, object, deps, check.errors, check.warnings);
  }
  const outside = outsideIntent(upload, file.submissions, deps.registry, (s) => file.placeOf(s));
  if (outside.length) return reject(upload, object, deps, outside, file.warn([]).warnings);
  // 4. Read the units' months; a month locked for its uploader refuses the file (it counts whole or not at all),
  // unless a delivery that died mid-way wrote some of it: then only the locked months are refused (step 6).
  const states = await readStates(file.submissions, ledger, ahead?.state);
  const locked = lockedMonths(file.submissions, states, upload, object, deps);
  if (locked.length && !(await partlyWritten(file.submissions, upload.uploadId, states, ledger)))
    return refuse(upload, object, deps, locked, states, file.warn([]).warnings);
  // 5. Warn with the months read (year-to-date, outliers).
  const check = file.warn([...states.values()].flatMap((s) => [...s.current.values()]));
  // 6. Apply each submission in its own conditional transaction; the last one finishes the upload.
  return applyAll(check, upload, object, states, deps);
}

/** Each code once, in the order found. */
const codesOf = (findings: readonly Finding[]): string[] => [...new Set(findings.map((f) => f.code))];

/** Applies a checked file's submissions one by one; the upload is finished with the last. */
async function applyAll(
  check: FileCheck,
  upload: UploadRecord,
  object: ObjectCreated,
  states: Map<string, UnitState>,
  deps: IngestDeps,
): Promise<IngestResult> {
  const order = uploadOrder(object.eventTime, upload.uploadId);
  const refused: Finding[] = [];
  const outcome = (submissions: readonly SubmissionOutcome[]): UploadOutcome => ({
    uploadId: upload.uploadId,
    status: 'accepted',
    key: object.key,
    ...(object.versionId ? { versionId: object.versionId } : {}),
    ...(object.etag ? { etag: object.etag } : {}),
    receivedAt: object.eventTime,
    processedAt: deps.now().toISOString(),
    errors: refused,
    warnings: check.warnings,
    submissions,
  });
  const done: SubmissionOutcome[] = [];
  let finished = false;
  for (const [i, submission] of check.submissions.entries()) {
    const own = check.warnings.filter((w) => w.unit === submission.unit && w.period === submission.period);
    const last = i === check.submissions.length - 1;
    const planned = { ...plannedOf(submission, upload, object, deps), submission: { ...submission, warnings: own }, order };
    const applied = await applyWithRetry(
      planned,
      states,
      deps.ledger,
      [townOf(submission.unit), deps.registry.district.code],
      last ? (self) => outcome([...done, self]) : undefined,
    );
    // Locked between the file's check and its write (an approval meanwhile): that month is refused.
    if (applied.outcome.state === 'locked') {
      refused.push(lockedFinding(deps.registry, submission, 'approved'));
      const version = states.get(submission.unit)?.current.get(submission.period)?.version ?? 0;
      const entry = { unit: submission.unit, period: submission.period, at: object.eventTime, version, uploadId: upload.uploadId };
      await deps.ledger.audit({ ...entry, kind: 'refused', by: principalLabel(upload.uploader) });
    }
    done.push(applied.outcome);
    finished ||= applied.finished;
  }
  // Every month locked meanwhile: the file counts for none, so it is rejected as a whole.
  if (!finished && done.length > 0 && done.every((d) => d.state === 'locked')) return reject(upload, object, deps, refused, check.warnings);
  if (!finished) await deps.ledger.finish(outcome(done));
  return { outcome: 'accepted', uploadId: upload.uploadId, codes: codesOf([...refused, ...check.warnings]) };
}

/** What every submission of an upload shares: who sent it, when, and the month's lock day. */
function plannedOf(submission: Submission, upload: UploadRecord, object: ObjectCreated, deps: IngestDeps) {
  return {
    submission: { ...submission, warnings: [] },
    order: uploadOrder(object.eventTime, upload.uploadId),
    uploadId: upload.uploadId,
    receivedAt: object.eventTime,
    uploader: upload.uploader,
    lockDay: deps.registry.lockDay,
  };
}

/** The months a file's units need: 12 before its earliest month (outliers) to the end of its latest year. */
async function readStates(
  submissions: readonly Submission[],
  ledger: Ledger,
  early: EarlyState | undefined,
): Promise<Map<string, UnitState>> {
  const byUnit = new Map<string, Month[]>();
  for (const s of submissions) byUnit.set(s.unit, [...(byUnit.get(s.unit) ?? []), s.period]);
  const entries = await Promise.all(
    [...byUnit].map(async ([unit, months]) => {
      const [first, last] = [months.sort()[0], months.at(-1)];
      if (first === undefined || last === undefined) throw new Error(`unit ${unit}: no months`);
      const { from, toYear } = monthsNeeded(first, last);
      // The months read ahead serve when they are the very range needed (a unit's file of the key's month).
      if (early?.unit === unit && early.from === from && early.toYear === toYear) return [unit, await early.state] as const;
      return [unit, await ledger.unitState(unit, from, toYear)] as const;
    }),
  );
  return new Map(entries);
}

/** Whether an earlier delivery of this upload, which died mid-way, wrote some of its months (as current, or folded in its place). */
async function partlyWritten(
  submissions: readonly Submission[],
  uploadId: string,
  states: Map<string, UnitState>,
  ledger: Ledger,
): Promise<boolean> {
  for (const { unit, period } of submissions) {
    if (states.get(unit)?.current.get(period)?.uploadId === uploadId) return true;
    if ((await ledger.versions(unit, period)).some((v) => v.uploadId === uploadId)) return true;
  }
  return false;
}

/** What writing a submission came to: its outcome, and whether the upload was finished with it. */
interface Applied {
  readonly outcome: SubmissionOutcome;
  readonly finished: boolean;
}

/**
 * Writes one submission, deciding again against a fresh read when another writer changed
 * the unit meanwhile. With `finish`, the upload's outcome (given this submission's) is
 * written in the same transaction. `states` is kept up to date for the file's next submissions.
 */
async function applyWithRetry(
  planned: Planned,
  states: Map<string, UnitState>,
  ledger: Ledger,
  rollups: readonly string[],
  finish: ((self: SubmissionOutcome) => UploadOutcome) | undefined,
): Promise<Applied> {
  const { unit, period } = planned.submission;
  const read = () => ledger.unitState(unit, addMonths(period, -12), period.slice(0, 4));
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const state = states.get(unit) ?? (await read());
    let decided = plan(state, planned, rollups);
    // An older upload than the month's latest: fold it in its place among every version.
    if (decided.kind === 'refold') decided = plan(state, planned, rollups, await ledger.versions(unit, period));
    if (decided.kind === 'done') return { outcome: await writtenBefore(ledger, planned), finished: false };
    if (decided.kind === 'locked') return { outcome: { unit, period, state: 'locked' }, finished: false };
    if (decided.kind === 'refold') throw new Error(`unit ${unit} ${period}: refold without versions`);
    const { change } = decided;
    const outcome: SubmissionOutcome = {
      unit,
      period,
      state: change.next.uploadId === planned.uploadId ? 'current' : 'superseded',
      version: change.version.version,
      changes: change.version.changes,
      unchanged: change.version.unchanged,
    };
    const result = await ledger.apply(change, finish?.(outcome));
    if (result === 'applied') {
      states.set(unit, applyToState(state, change));
      return { outcome, finished: finish !== undefined };
    }
    // Another delivery of this upload wrote it first, perhaps on a fresher read: its version is the one kept.
    if (result === 'done') return { outcome: await writtenBefore(ledger, planned), finished: false };
    // Someone changed the unit meanwhile: read it again and decide again.
    states.set(unit, await read());
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
  }
  throw new ConflictError(`unit ${unit} ${period}: still conflicting after ${MAX_ATTEMPTS} attempts`);
}

/** The outcome of a submission written before a crash: its version as the history keeps it. */
async function writtenBefore(ledger: Ledger, planned: Planned): Promise<SubmissionOutcome> {
  const { unit, period } = planned.submission;
  const versions = await ledger.versions(unit, period);
  const own = versions.find((v) => v.uploadId === planned.uploadId);
  const latest = versions.at(-1);
  if (!own) return { unit, period, state: 'current' };
  return {
    unit,
    period,
    state: latest?.uploadId === own.uploadId ? 'current' : 'superseded',
    version: own.version,
    changes: own.changes,
    unchanged: own.unchanged,
  };
}

/** What the ledger holds of the unit once a change is written. */
function applyToState(state: UnitState, change: SubmissionChange): UnitState {
  state.current.set(change.next.period, change.next);
  state.years.set(change.unitYear.next.year, change.unitYear.next);
  return state;
}

/** The file's unit-months its uploader may no longer change, as findings (none: all open). */
function lockedMonths(
  submissions: readonly Submission[],
  states: Map<string, UnitState>,
  upload: UploadRecord,
  object: ObjectCreated,
  deps: IngestDeps,
): Finding[] {
  return submissions.flatMap((s) => {
    const lock = lockOf(states.get(s.unit)!, plannedOf(s, upload, object, deps));
    return lock ? [lockedFinding(deps.registry, s, lock)] : [];
  });
}

/** A file refused for locked months: rejected, and the refusal kept in each month's audit trail. */
async function refuse(
  upload: UploadRecord,
  object: ObjectCreated,
  deps: IngestDeps,
  locked: readonly Finding[],
  states: Map<string, UnitState>,
  warnings: readonly Finding[],
): Promise<IngestResult> {
  const by = principalLabel(upload.uploader);
  for (const { unit, period } of locked) {
    if (unit === undefined || period === undefined) continue;
    const version = states.get(unit)?.current.get(period)?.version ?? 0;
    await deps.ledger.audit({ unit, period, kind: 'refused', at: object.eventTime, by, version, uploadId: upload.uploadId });
  }
  return reject(upload, object, deps, locked, warnings);
}

/**
 * An event for an upload already finished: the same object again (a redelivery, nothing
 * to do), or a second object under its key (a form posted twice): recorded, counted nowhere.
 */
async function finished(upload: UploadRecord, object: ObjectCreated, deps: IngestDeps): Promise<IngestResult> {
  const differs = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && a !== b;
  if (differs(upload.versionId, object.versionId) || differs(upload.etag, object.etag)) {
    await deps.ledger.recordReused(upload.uploadId, {
      key: object.key,
      ...(object.versionId ? { versionId: object.versionId } : {}),
      receivedAt: object.eventTime,
      size: object.size,
    });
    return { outcome: 'reused', uploadId: upload.uploadId };
  }
  return { outcome: 'duplicate', uploadId: upload.uploadId };
}

async function reject(
  upload: UploadRecord,
  object: ObjectCreated,
  deps: IngestDeps,
  errors: readonly Finding[],
  warnings: readonly Finding[],
): Promise<IngestResult> {
  const outcome: UploadOutcome = {
    uploadId: upload.uploadId,
    status: 'rejected',
    key: object.key,
    ...(object.versionId ? { versionId: object.versionId } : {}),
    ...(object.etag ? { etag: object.etag } : {}),
    receivedAt: object.eventTime,
    processedAt: deps.now().toISOString(),
    errors,
    // A rejected file counts for no month, so it is not late for one either.
    warnings: warnings.filter((w) => w.code !== 'LATE'),
    submissions: [],
  };
  // The report first: if the record then fails, a retry writes the same report again.
  await deps.store.putJson(reportKey(upload.unit, upload.period, upload.uploadId), { ...outcome, file: object.key });
  await deps.ledger.finish(outcome);
  return { outcome: 'rejected', uploadId: upload.uploadId, codes: codesOf(errors) };
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
  await deps.store.putJson(unexpectedReportKey(id), outcome);
  await deps.ledger.recordUnexpected(outcome);
  return { outcome: 'unexpected', key: object.key };
}
