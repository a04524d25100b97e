/**
 * A harness for driving the ingest use case against a real DynamoDB Local through the real
 * SDK: a fresh table per case, an honest in-memory object store, uploads as the API and S3
 * would make them (intent first, then the object, then its ObjectCreated event), and an
 * oracle that recomputes what the ledger must hold from the uploads alone, per town and for
 * the district. The registry is the sample district (config/district.json) unless a case
 * gives its own.
 */
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoLedger } from '../../shared/adapters/dynamodb-ledger.ts';
import { ensureTable } from '../../shared/adapters/dynamodb-table.ts';
import type { Submission } from '../../shared/check.ts';
import { DEFAULT_MAX_BYTES } from '../../shared/check.ts';
import { type BatchAnswer, ingestBatch } from '../../shared/ingest/batch.ts';
import { ingestObject, type IngestResult, type ObjectCreated } from '../../shared/ingest/ingest.ts';
import { foldAll } from '../../shared/corrections.ts';
import type {
  ApplyResult,
  AuditEntry,
  FinishingChange,
  Ledger,
  SubmissionChange,
  SubmissionVersion,
  UnitState,
  UploadOutcome,
} from '../../shared/ports/ledger.ts';
import type { ListedObject, ObjectStore } from '../../shared/ports/objects.ts';
import { lockOf, type Month } from '../../shared/period.ts';
import { sum, yearOf, type Values } from '../../shared/rollup.ts';
import { objectKey, type ReusedObject, type UploadIntent, type UploadRecord, type UploadStatus } from '../../shared/uploads.ts';
import { startDynamoLocal, type RunningDynamo } from '../../infra/local/dynamodb-local.ts';
import type { Uploader } from '../../shared/collector.ts';
import { townOf, type Registry } from '../../shared/registry.ts';
import { adminFor, district, NOW } from './core.ts';

export { NOW };
/** The clock of every case: 2025-04-03 09:00 in Asia/Shanghai (March 2025 is the last month). */
export const now = (): Date => NOW;

// ---------------------------------------------------------------------------------------
// The object store: bytes in memory, one version per put
// ---------------------------------------------------------------------------------------

interface StoredVersion {
  readonly versionId: string;
  readonly bytes: Uint8Array;
  readonly contentType: string;
  readonly lastModified: Date;
}

/** An honest in-memory ObjectStore: get returns the bytes put (of that version, if asked). */
export class MemoryObjectStore implements ObjectStore {
  private readonly versions = new Map<string, StoredVersion[]>();
  private counter = 0;

  async get(key: string, versionId?: string): Promise<Uint8Array | undefined> {
    const all = this.versions.get(key);
    const found = versionId === undefined ? all?.at(-1) : all?.find((v) => v.versionId === versionId);
    return found ? found.bytes.slice() : undefined;
  }

  async putJson(key: string, body: unknown): Promise<void> {
    await this.put(key, new TextEncoder().encode(JSON.stringify(body, null, 2)), 'application/json; charset=utf-8');
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    this.putVersion(key, bytes, contentType);
  }

  /** Like put, and returns the version id S3 would report in the event. */
  putVersion(key: string, bytes: Uint8Array, contentType: string): string {
    const versionId = `v${String(++this.counter).padStart(6, '0')}`;
    const list = this.versions.get(key) ?? [];
    list.push({ versionId, bytes: bytes.slice(), contentType, lastModified: new Date() });
    this.versions.set(key, list);
    return versionId;
  }

  async *objects(prefix: string): AsyncIterable<ListedObject> {
    for (const key of [...this.versions.keys()].sort()) {
      const latest = this.versions.get(key)!.at(-1)!;
      if (key.startsWith(prefix)) yield { key, size: latest.bytes.length, lastModified: latest.lastModified };
    }
  }

  async json(key: string): Promise<unknown> {
    const bytes = await this.get(key);
    return bytes ? JSON.parse(new TextDecoder().decode(bytes)) : undefined;
  }
}

// ---------------------------------------------------------------------------------------
// DynamoDB Local: one server per test file, one table per case
// ---------------------------------------------------------------------------------------

export interface DynamoServer {
  readonly client: DynamoDBClient;
  readonly running: RunningDynamo;
  stop(): Promise<void>;
}

export async function startDynamo(): Promise<DynamoServer> {
  const running = await startDynamoLocal(null);
  const client = new DynamoDBClient({
    endpoint: running.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    client,
    running,
    stop: async () => {
      client.destroy();
      await running.stop();
    },
  };
}

let tables = 0;

/** A fresh table (so that cases are independent) and the ledger on it. */
export async function freshLedger(
  server: Pick<DynamoServer, 'client'>,
  label = 'case',
): Promise<{ ledger: DynamoLedger; table: string; drop(): Promise<void> }> {
  const table = `ingest-${label}-${process.pid}-${++tables}-${Math.random().toString(36).slice(2, 8)}`;
  await ensureTable(server.client, table);
  return {
    ledger: new DynamoLedger(server.client, table),
    table,
    drop: async () => {
      await server.client.send(new DeleteTableCommand({ TableName: table }));
    },
  };
}

// ---------------------------------------------------------------------------------------
// Uploads as the API and S3 make them
// ---------------------------------------------------------------------------------------

export interface Deps {
  readonly store: MemoryObjectStore;
  readonly ledger: DynamoLedger;
  /** Default: the sample district (3 towns × 9 units). */
  readonly registry?: Registry;
}

export interface UploadSpec {
  readonly uploadId: string;
  /** The key's unit and period: one unit (full code) and month, or `EC/ALL` / `ALL/ALL` and `unknown` for files of several. */
  readonly unit: string;
  readonly period: string;
  readonly ext: 'csv' | 'json';
  readonly bytes: Uint8Array;
  readonly eventTime: string;
  readonly sequencer: string;
  /** false: the object is put without an intent (nobody announced it). */
  readonly intent?: boolean;
  /** Default: the admin naming the key's town (`adminFor`). */
  readonly uploader?: Uploader;
}

/** Records the intent, puts the object, and returns S3's ObjectCreated for it. */
export async function upload(deps: Deps, spec: UploadSpec): Promise<ObjectCreated> {
  const intent: UploadIntent = {
    uploadId: spec.uploadId,
    uploader: spec.uploader ?? adminFor(spec.unit),
    unit: spec.unit,
    period: spec.period,
    ext: spec.ext,
    createdAt: spec.eventTime,
    maxBytes: DEFAULT_MAX_BYTES,
  };
  if (spec.intent !== false && !(await deps.ledger.putIntent(intent))) throw new Error(`upload id ${spec.uploadId} exists`);
  const key = objectKey(intent);
  const versionId = deps.store.putVersion(key, spec.bytes, spec.ext === 'json' ? 'application/json' : 'text/csv');
  return { key, versionId, size: spec.bytes.length, eventTime: spec.eventTime, sequencer: spec.sequencer };
}

/** Runs the ingest on one event, with the real ledger or a decorated one (faults). */
export function deliver(deps: Deps, event: ObjectCreated, ledger: Ledger = deps.ledger): Promise<IngestResult> {
  return ingestObject(event, { store: deps.store, ledger, registry: deps.registry ?? district, now });
}

/** Delivers events as one queue batch (shared/ingest/batch.ts), as the ingest handler does. */
export function deliverBatch(deps: Deps, events: readonly ObjectCreated[], ledger: Ledger = deps.ledger): Promise<BatchAnswer[]> {
  return ingestBatch(events, { store: deps.store, ledger, registry: deps.registry ?? district, now });
}

// ---------------------------------------------------------------------------------------
// Faults the emulator cannot produce, injected around the real ledger (never the SDK)
// ---------------------------------------------------------------------------------------

/** The function died: after its `writes`-th write committed, or (0) just before its first. */
export class CrashError extends Error {
  override readonly name = 'CrashError';
  constructor(
    readonly writes: number,
    /** The write that committed last also finished the upload (a redelivery will be a duplicate). */
    readonly finished: boolean,
  ) {
    super(`injected crash after ${writes} write(s)${finished ? ', upload finished' : ''}`);
  }
}

/** Delegates every call to the real ledger. */
class LedgerDecorator implements Ledger {
  constructor(protected readonly inner: Ledger) {}
  getUpload(uploadId: string): Promise<UploadRecord | undefined> {
    return this.inner.getUpload(uploadId);
  }
  getUploads(uploadIds: readonly string[]): Promise<Map<string, UploadRecord>> {
    return this.inner.getUploads(uploadIds);
  }
  uploadStatuses(uploadIds: readonly string[]): Promise<Map<string, UploadStatus>> {
    return this.inner.uploadStatuses(uploadIds);
  }
  putIntent(intent: UploadIntent): Promise<boolean> {
    return this.inner.putIntent(intent);
  }
  unitState(unit: string, from: Month, toYear: string): Promise<UnitState> {
    return this.inner.unitState(unit, from, toYear);
  }
  apply(change: SubmissionChange, outcome?: UploadOutcome): Promise<ApplyResult> {
    return this.inner.apply(change, outcome);
  }
  applyTogether(changes: readonly FinishingChange[]): Promise<boolean[]> {
    return this.inner.applyTogether(changes);
  }
  finish(outcome: UploadOutcome): Promise<boolean> {
    return this.inner.finish(outcome);
  }
  recordUnexpected(outcome: UploadOutcome): Promise<void> {
    return this.inner.recordUnexpected(outcome);
  }
  versions(unit: string, period: Month): Promise<SubmissionVersion[]> {
    return this.inner.versions(unit, period);
  }
  recordReused(uploadId: string, object: ReusedObject): Promise<void> {
    return this.inner.recordReused(uploadId, object);
  }
  audit(entry: AuditEntry): Promise<void> {
    return this.inner.audit(entry);
  }
}

/** Counts how changes are written: files a batch wrote together, and attempts to apply one alone. */
export class WriteCounter extends LedgerDecorator {
  together = 0;
  alone = 0;
  override async applyTogether(changes: readonly FinishingChange[]): Promise<boolean[]> {
    const written = await this.inner.applyTogether(changes);
    this.together += written.filter(Boolean).length;
    return written;
  }
  override apply(change: SubmissionChange, outcome?: UploadOutcome): Promise<ApplyResult> {
    this.alone++;
    return this.inner.apply(change, outcome);
  }
}

/**
 * A process that dies mid-ingest (Lambda timeout, out of memory): the writes before the
 * crash are committed, nothing after. Writes are `apply` (unless it reports a conflict),
 * `applyTogether` (when it wrote any) and `finish`. With `after` = 0 it dies at its first write, before it; a delivery with
 * fewer writes completes normally.
 */
export class CrashingLedger extends LedgerDecorator {
  private writes = 0;
  constructor(
    inner: Ledger,
    private readonly after: number,
  ) {
    super(inner);
  }
  override async apply(change: SubmissionChange, outcome?: UploadOutcome): Promise<ApplyResult> {
    if (this.after === 0) throw new CrashError(0, false);
    const result = await this.inner.apply(change, outcome);
    if (result !== 'conflict' && ++this.writes === this.after) throw new CrashError(this.writes, outcome !== undefined);
    return result;
  }
  /** A batch's transactions are one write, when any of them committed (it dies after them all). */
  override async applyTogether(changes: readonly FinishingChange[]): Promise<boolean[]> {
    if (this.after === 0) throw new CrashError(0, false);
    const written = await this.inner.applyTogether(changes);
    if (written.some(Boolean) && ++this.writes === this.after) throw new CrashError(this.writes, true);
    return written;
  }
  override async finish(outcome: UploadOutcome): Promise<boolean> {
    if (this.after === 0) throw new CrashError(0, false);
    const finished = await this.inner.finish(outcome);
    if (++this.writes === this.after) throw new CrashError(this.writes, true);
    return finished;
  }
}

/**
 * What a Query may return on real DynamoDB, whose Query is read-committed per item, not a
 * snapshot: the unit's MONTH# items (read first, in key order) from before a concurrent
 * transaction, its YEAR# item from after it. `between` runs that transaction, once.
 */
export class TornReadLedger extends LedgerDecorator {
  private torn = false;
  constructor(
    inner: Ledger,
    private readonly between: () => Promise<unknown>,
  ) {
    super(inner);
  }
  override async unitState(unit: string, from: Month, toYear: string): Promise<UnitState> {
    const before = await this.inner.unitState(unit, from, toYear);
    if (this.torn) return before;
    this.torn = true;
    await this.between();
    const after = await this.inner.unitState(unit, from, toYear);
    return { current: before.current, years: after.years, reviews: after.reviews };
  }
}

// ---------------------------------------------------------------------------------------
// The oracle: what the ledger must hold, recomputed from the accepted uploads alone
// ---------------------------------------------------------------------------------------

/** An accepted upload as the oracle sees it: its place in the order of PUTs, and its submissions. */
export interface AcceptedUpload {
  readonly uploadId: string;
  /** Position in the sequence of PUTs (eventTime non-decreasing, sequencer increasing). */
  readonly order: number;
  readonly submissions: readonly Submission[];
}

export const slotOf = (unit: string, period: string): string => `${unit}|${period}`;

/**
 * The current submission of every unit and month: the fold of its accepted versions in
 * upload order (docs/DOMAIN.md#corrections), named by the latest of them.
 */
export function expectedCurrent(
  accepted: Iterable<AcceptedUpload>,
): Map<string, { uploadId: string; order: number; submission: Submission }> {
  const versions = new Map<string, { uploadId: string; order: number; submission: Submission }[]>();
  for (const u of accepted) {
    for (const s of u.submissions) {
      const slot = slotOf(s.unit, s.period);
      versions.set(slot, [...(versions.get(slot) ?? []), { uploadId: u.uploadId, order: u.order, submission: s }]);
    }
  }
  const current = new Map<string, { uploadId: string; order: number; submission: Submission }>();
  for (const [slot, all] of versions) {
    const ordered = all.sort((a, b) => a.order - b.order);
    const latest = ordered.at(-1)!;
    const values = foldAll(ordered.map((v) => v.submission));
    current.set(slot, { ...latest, submission: { unit: latest.submission.unit, period: latest.submission.period, values } });
  }
  return current;
}

type Current = ReturnType<typeof expectedCurrent>;

/** Whether a unit (full code) is counted in a town's totals (town undefined: the district's, every unit). */
const within = (unit: string, town: string | undefined): boolean => town === undefined || townOf(unit) === town;

/** A month's totals of a town, or (town undefined) of the district. */
export function expectedMonth(current: Current, month: Month, town?: string): Record<string, number> {
  return sum(
    [...current.values()].filter((c) => c.submission.period === month && within(c.submission.unit, town)).map((c) => c.submission.values),
  );
}

/** Each unit's year (flows summed, stock metrics at their latest month), of a town or the district. */
export function expectedUnitYears(current: Current, year: string, town?: string): Map<string, Record<string, number>> {
  const months = new Map<string, Map<Month, Values>>();
  for (const { submission: s } of current.values()) {
    if (!s.period.startsWith(year) || !within(s.unit, town)) continue;
    const m = months.get(s.unit) ?? new Map<Month, Values>();
    m.set(s.period, s.values);
    months.set(s.unit, m);
  }
  return new Map([...months].map(([unit, m]) => [unit, yearOf(m)]));
}

/** A year's totals of a town, or (town undefined) of the district: the sum of its units' years. */
export function expectedYear(current: Current, year: string, town?: string): Record<string, number> {
  return sum(expectedUnitYears(current, year, town).values());
}

/**
 * Values as integer cents per key, zeros left out: rollups keep a key that went back to 0
 * after a correction, and omit keys never touched; both mean 0.
 */
export function cents(values: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const c = Math.round(v * 100);
    if (c !== 0) out[k] = c;
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Sequencers and event times
// ---------------------------------------------------------------------------------------

/** S3 sequencers: hex, increasing with each PUT; short ones check the padding, long ones look real. */
export function sequencer(style: 'short' | 'long', index: number): string {
  if (style === 'short') return (9 + index * 7).toString(16).toUpperCase();
  return (0x0062a1b3c4d5e6f0n + BigInt(index) * 0x1000n).toString(16).toUpperCase().padStart(18, '0');
}

/** The first PUT of a case: 2025-04-02 08:00 in Asia/Shanghai, before NOW. */
export const FIRST_EVENT_MS = Date.parse('2025-04-02T00:00:00.000Z');

// ---------------------------------------------------------------------------------------
// The review oracle: which decision a version or a read of a month met
// ---------------------------------------------------------------------------------------

/** A review decision as the month's audit trail keeps it. */
export type Decision = AuditEntry & { readonly kind: 'approve' | 'return' | 'reopen' };

export const isDecision = (entry: AuditEntry): entry is Decision => entry.kind !== 'refused';

/**
 * Whether a month's last decision (undefined: none) keeps its unit and town out of it at
 * `at` (docs/DOMAIN.md#review, #lock-day): an approval, or the lock day passed and the last
 * decision is neither a reopening nor a return (a returned month waits for its correction).
 */
export function locksOut(decision: Decision | undefined, period: Month, at: string, lockDay: number): boolean {
  if (decision?.kind === 'approve') return true;
  return Date.parse(at) >= lockOf(period, lockDay).getTime() && decision?.kind !== 'reopen' && decision?.kind !== 'return';
}

/*
 * A month's versions and decisions are each written conditionally on the month's version
 * as read (a version as the next number, a decision at the number it read) and on its last
 * decision as read. So versions are numbered in commit order, and a decision made at
 * version a committed after version a and before version a + 1. Decisions of one month
 * commit one after another; given in commit order (`decisions`), the two below follow.
 */

/** The decision in force when version n committed: the last one made below n. */
export function inForceAt(decisions: readonly Decision[], n: number): Decision | undefined {
  return decisions.filter((d) => d.version < n).at(-1);
}

/**
 * The decisions a read that saw version c may have met: the one in force when c committed
 * (undefined: none), or any made at c (after c committed, maybe before the read).
 */
export function metAt(decisions: readonly Decision[], c: number): (Decision | undefined)[] {
  return [inForceAt(decisions, c), ...decisions.filter((d) => d.version === c)];
}
