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
  const checked = await checkObject(object, deps);
  return 'result' in checked ? checked.result : applyChecked(checked.file, deps);
}

/** A file that passed every check, with what its writes are decided on. */
export interface CheckedFile {
  readonly check: FileCheck;
  readonly upload: UploadRecord;
  readonly object: ObjectCreated;
  /** Its units' months as read (kept up to date as its submissions are written). */
  readonly states: Map<string, UnitState>;
}

/** An object's check: the answer already (recorded: unexpected, finished, rejected), or a file to write. */
export type Checked = { readonly result: IngestResult } | { readonly file: CheckedFile };

/** Reads an upload's record; a batch reads its intents together and answers from that read. */
export type UploadReader = (uploadId: string) => Promise<UploadRecord | undefined>;

/**
 * Steps 1–5 of the ingest: everything up to the file's writes. `readUpload` answers step 1
 * (by default, a read of the ledger).
 */
export async function checkObject(object: ObjectCreated, deps: IngestDeps, readUpload?: UploadReader): Promise<Checked> {
  const parsed = parseObjectKey(object.key);
  const ahead = parsed ? readAhead(object, parsed, deps.store, deps.ledger) : undefined;
  try {
    return await checkParsed(object, parsed, ahead, deps, readUpload ?? ((id) => deps.ledger.getUpload(id)));
  } finally {
    // A read ahead nobody needed ends here, not in the next invocation (a frozen Lambda) or after the servers.
    if (ahead) await Promise.allSettled([ahead.bytes, ahead.state?.state]);
  }
}

async function checkParsed(
  object: ObjectCreated,
  parsed: ReturnType<typeof parseObjectKey>,
  ahead: ReadAhead | undefined,
  deps: IngestDeps,
  readUpload: UploadReader,
): Promise<Checked> {
  const { ledger, store } = deps;
  const answered = async (result: Promise<IngestResult>): Promise<Checked> => ({ result: await result });
  // 1. The key must name an upload the system recorded an intent for.
  const upload = parsed ? await readUpload(parsed.uploadId) : undefined;
  if (!parsed || !upload) return answered(unexpected(object, deps, parsed?.uploadId));
  // 2. A finished upload is not processed again: a redelivered event, or a second object (reused form).
  if (upload.status !== 'pending') return answered(finished(upload, object, deps));
  if (upload.unit !== parsed.unit || upload.period !== parsed.period || upload.ext !== parsed.ext) {
    return answered(reject(upload, object, deps, [uploadFinding('KEY_MISMATCH', object.key, objectKey(upload))], []));
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
    return answered(reject(upload, object, deps, check.errors, check.warnings));
  }
  const outside = outsideIntent(upload, file.submissions, deps.registry, (s) => file.placeOf(s));
  if (outside.length) return answered(reject(upload, object, deps, outside, file.warn([]).warnings));
  // 4. Read the units' months; a month locked for its uploader refuses the file (it counts whole or not at all),
  // unless a delivery that died mid-way wrote some of it: then only the locked months are refused (step 6).
  const states = await readStates(file.submissions, ledger, ahead?.state);
  const locked = lockedMonths(file.submissions, states, upload, object, deps);
  if (locked.length && !(await partlyWritten(file.submissions, upload.uploadId, states, ledger)))
    return answered(refuse(upload, object, deps, locked, states, file.warn([]).warnings));
  // 5. Warn with the months read (year-to-date, outliers).
  const check = file.warn([...states.values()].flatMap((s) => [...s.current.values()]));
  return { file: { check, upload, object, states } };
}

/** 6. Applies each submission of a checked file in its own conditional transaction; the last one finishes the upload. */
export async function applyChecked(file: CheckedFile, deps: IngestDeps): Promise<IngestResult> {
  const { check, upload, object, states } = file;
  const refused: Finding[] = [];
  const done: SubmissionOutcome[] = [];
  let finished = false;
  for (const [i, submission] of check.submissions.entries()) {
    const last = i === check.submissions.length - 1;
    const applied = await applyWithRetry(
      plannedIn(file, submission, deps),
      states,
      deps.ledger,
      rollupsOf(submission, deps),
      last ? (self) => acceptedOutcome(file, deps, refused, [...done, self]) : undefined,
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
  if (!finished) await deps.ledger.finish(acceptedOutcome(file, deps, refused, done));
  return acceptedResult(file, refused);
}

/** What an accepted file answers: the codes of its refused months and its warnings. */
export function acceptedResult(file: CheckedFile, refused: readonly Finding[] = []): IngestResult {
  return { outcome: 'accepted', uploadId: file.upload.uploadId, codes: codesOf([...refused, ...file.check.warnings]) };
}

/** An accepted upload's record: its months' outcomes, its refused months and its warnings. */
export function acceptedOutcome(
  file: CheckedFile,
  deps: IngestDeps,
  refused: readonly Finding[],
  submissions: readonly SubmissionOutcome[],
): UploadOutcome {
  const { object, upload, check } = file;
  return {
    ...processedObject(upload, object, deps),
    status: 'accepted',
    errors: refused,
    warnings: check.warnings,
    submissions,
  };
}

/** What every finished upload's record says of its object: which one was read, when it came, when it was processed. */
function processedObject(upload: UploadRecord, object: ObjectCreated, deps: IngestDeps) {
  return {
    uploadId: upload.uploadId,
    key: object.key,
    ...(object.versionId ? { versionId: object.versionId } : {}),
    ...(object.etag ? { etag: object.etag } : {}),
    receivedAt: object.eventTime,
    processedAt: deps.now().toISOString(),
  };
}

/** The totals a unit's submission adds to: its town's and the district's. */
export const rollupsOf = (submission: Submission, deps: IngestDeps): string[] => [townOf(submission.unit), deps.registry.district.code];

/** One submission of a checked file as it is to be written, with the warnings about its month. */
export function plannedIn(file: CheckedFile, submission: Submission, deps: IngestDeps): Planned {
  const own = file.check.warnings.filter((w) => w.unit === submission.unit && w.period === submission.period);
  return { ...plannedOf(submission, file.upload, file.object, deps), submission: { ...submission, warnings: own } };
}

/** A written change's outcome for its submission: current, or folded in its place before a newer one. */
export function changeOutcome(planned: Planned, change: SubmissionChange): SubmissionOutcome {
  const { unit, period } = planned.submission;
  return {
    unit,
    period,
    state: change.next.uploadId === planned.uploadId ? 'current' : 'superseded',
    version: change.version.version,
    changes: change.version.changes,
    unchanged: change.version.unchanged,
  };
}

/** Each code once, in the order found. */
const codesOf = (findings: readonly Finding[]): string[] => [...new Set(findings.map((f) => f.code))];

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
    const outcome = changeOutcome(planned, change);
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
    ...processedObject(upload, object, deps),
    status: 'rejected',
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
