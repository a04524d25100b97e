/**
 * The ledger of uploads, submissions and rollups: what the ingest decides against and
 * writes to (DynamoDB: shared/adapters/dynamodb-ledger.ts). The use cases know only
 * these shapes; the table's keys are the adapter's (shared/adapters/dynamodb-keys.ts).
 */
import type { Uploader } from '../collector.ts';
import type { Change, Statement } from '../corrections.ts';
import type { Finding } from '../findings.ts';
import type { Month } from '../period.ts';
import type { Values } from '../rollup.ts';
import type { Review } from '../ports/reviews.ts';
import type { ReusedObject, SubmissionOutcome, UploadIntent, UploadRecord, UploadStatus } from '../uploads.ts';

/** A unit's month as it currently counts: the fold of its versions in upload order. */
export interface CurrentSubmission {
  readonly unit: string;
  readonly period: Month;
  readonly values: Values;
  /** The latest upload in upload order, and its order. */
  readonly uploadId: string;
  readonly order: string;
  readonly receivedAt: string;
  /** How many versions are folded in (the version people see: 第 n 版); guards every change. */
  readonly version: number;
  /** When the unit first sent this month (timeliness is judged by it). */
  readonly firstReceivedAt: string;
  /** The warnings its upload raised for this unit and month (shown in summaries). */
  readonly warnings?: readonly Finding[];
}

/** A unit's year: flows summed, stock metrics at their latest month; `rev` guards changes. */
export interface UnitYear {
  readonly unit: string;
  readonly year: string;
  readonly values: Values;
  readonly rev: number;
  /**
   * Each month's current version the year was computed from (absent: no submission). Written
   * with every month's change, so a read of the months can be checked against it (plan.ts);
   * years written before it was kept have none.
   */
  readonly months?: Readonly<Record<Month, number>>;
}

/** One accepted upload of a unit-month, as its history keeps it: what it stated and what that changed. */
export interface SubmissionVersion extends Statement {
  readonly unit: string;
  readonly period: Month;
  readonly uploadId: string;
  readonly order: string;
  readonly receivedAt: string;
  /** Its number in arrival order (1: the first that reached the ledger). */
  readonly version: number;
  readonly uploader?: Uploader;
  /** What it changed, against the fold of the versions before it in upload order. */
  readonly changes: readonly Change[];
  readonly unchanged: number;
  /** Written by the admin into a locked month (docs/DOMAIN.md#lock-day). */
  readonly overrideLock?: boolean;
  readonly warnings?: readonly Finding[];
}

/** A review event or a refused upload of a unit-month, for its audit trail. */
export interface AuditEntry {
  readonly unit: string;
  readonly period: Month;
  readonly kind: 'approve' | 'return' | 'reopen' | 'refused';
  readonly at: string;
  readonly by: string;
  readonly version: number;
  readonly reason?: string;
  readonly uploadId?: string;
}

/** What the ledger holds of one unit around the months a file touches. */
export interface UnitState {
  readonly current: Map<Month, CurrentSubmission>;
  readonly years: Map<string, UnitYear>;
  /** The last review decision of each month that has one. */
  readonly reviews: Map<Month, Review>;
}

/** One submission's effect, decided by the core, written by the ledger in one transaction. */
export interface SubmissionChange {
  readonly next: CurrentSubmission;
  /** The current submission this replaces (the write is conditional on its version). */
  readonly previous: CurrentSubmission | undefined;
  /** The version to add to the history (written once: a second write means it was written before). */
  readonly version: SubmissionVersion;
  /** The month's review as read (the write is conditional on it: an approval meanwhile locks the month). */
  readonly review: Review | undefined;
  readonly monthDeltas: Record<string, string>;
  /** The orgs whose month and year totals the deltas go to: the unit's town and the district. */
  readonly rollups: readonly string[];
  readonly unitYear: { readonly next: UnitYear; readonly expectedRev: number | null };
  readonly yearDeltas: Record<string, string>;
  /**
   * The unit's other months of that year as read (their version, or null: none), which the
   * write checks are unchanged: a Query is not a snapshot, and the year would be wrong. Empty
   * when the months read are those the year item says it was computed from (its `months`):
   * the write's condition on the year's `rev` then covers them.
   */
  readonly yearMonths: readonly { readonly period: Month; readonly current: CurrentSubmission | null }[];
}

export interface UploadOutcome {
  readonly uploadId: string;
  readonly status: Exclude<UploadStatus, 'pending'>;
  readonly key: string;
  /** The object version that was read (S3 versioning; absent locally). */
  readonly versionId?: string;
  readonly receivedAt: string;
  readonly processedAt: string;
  readonly errors: readonly Finding[];
  readonly warnings: readonly Finding[];
  readonly submissions: readonly SubmissionOutcome[];
}

/** `applied`: written; `conflict`: the unit changed meanwhile (re-read, retry); `done`: already written before. */
export type ApplyResult = 'applied' | 'conflict' | 'done';

/** A one-month file's change and its upload's outcome: written together, or not at all. */
export interface FinishingChange {
  readonly change: SubmissionChange;
  readonly outcome: UploadOutcome;
}

export interface Ledger {
  getUpload(uploadId: string): Promise<UploadRecord | undefined>;
  /** Many uploads at once, by id (absent: no record), each as current as getUpload's. */
  getUploads(uploadIds: readonly string[]): Promise<Map<string, UploadRecord>>;
  /** Statuses of many uploads at once (absent: no record). */
  uploadStatuses(uploadIds: readonly string[]): Promise<Map<string, UploadStatus>>;
  /** Records an intent; false when the id exists already. */
  putIntent(intent: UploadIntent): Promise<boolean>;
  /** Current months of a unit from `from` on, and its years up to `toYear`. */
  unitState(unit: string, from: Month, toYear: string): Promise<UnitState>;
  /** Writes a change; with `outcome`, finishes the upload in the same transaction. */
  apply(change: SubmissionChange, outcome?: UploadOutcome): Promise<ApplyResult>;
  /**
   * Writes many files' changes, each with its upload's outcome, in as few transactions as
   * the store allows (a file is never split between two). Says which were written: one not
   * written (a condition failed, a conflict, an error) wrote nothing, and is applied alone.
   */
  applyTogether(changes: readonly FinishingChange[]): Promise<boolean[]>;
  /** Finishes a pending upload; false when it was finished already. */
  finish(outcome: UploadOutcome): Promise<boolean>;
  /** Records an outcome for an object that had no intent (or an unusable key). */
  recordUnexpected(outcome: UploadOutcome): Promise<void>;
  /** Every version of a unit-month, in upload order. */
  versions(unit: string, period: Month): Promise<SubmissionVersion[]>;
  /** Records a second object under a finished upload (UPLOAD_REUSED); idempotent per object. */
  recordReused(uploadId: string, object: ReusedObject): Promise<void>;
  /** Records an entry of a unit-month's audit trail; idempotent per (kind, at, upload). */
  audit(entry: AuditEntry): Promise<void>;
}
