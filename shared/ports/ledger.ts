/**
 * The ledger of uploads, submissions and rollups: what the ingest decides against and
 * writes to (DynamoDB: shared/adapters/dynamodb-ledger.ts). The use cases know only
 * these shapes; the table's keys are the adapter's (shared/adapters/dynamodb-keys.ts).
 */
import type { Finding } from '../findings.ts';
import type { Month } from '../period.ts';
import type { Values } from '../rollup.ts';
import type { SubmissionOutcome, UploadIntent, UploadRecord, UploadStatus } from '../uploads.ts';

/** A unit's month as it currently counts. */
export interface CurrentSubmission {
  readonly unit: string;
  readonly period: Month;
  readonly values: Values;
  readonly uploadId: string;
  readonly order: string;
  readonly receivedAt: string;
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
}

/** What the ledger holds of one unit around the months a file touches. */
export interface UnitState {
  readonly current: Map<Month, CurrentSubmission>;
  readonly years: Map<string, UnitYear>;
}

/** One submission's effect, decided by the core, written by the ledger in one transaction. */
export type SubmissionChange =
  | {
      readonly kind: 'replace';
      readonly next: CurrentSubmission;
      /** The current submission this replaces (the write is conditional on it). */
      readonly previous: CurrentSubmission | undefined;
      readonly monthDeltas: Record<string, string>;
      /** The orgs whose month and year totals the deltas go to: the unit's town and the district. */
      readonly rollups: readonly string[];
      readonly unitYear: { readonly next: UnitYear; readonly expectedRev: number | null };
      readonly yearDeltas: Record<string, string>;
      /**
       * The unit's other months of that year as read (upload id, or null: none). A Query is
       * not a snapshot: the write checks they are unchanged, or the year would be wrong.
       */
      readonly yearMonths: readonly { readonly period: Month; readonly uploadId: string | null }[];
    }
  | {
      /** A later upload already counts for this month: kept as history only. */
      readonly kind: 'stale';
      readonly next: CurrentSubmission;
      /** The month was first received then: the current submission's firstReceivedAt is lowered to it. */
      readonly firstReceivedAt: string;
    };

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

export interface Ledger {
  getUpload(uploadId: string): Promise<UploadRecord | undefined>;
  /** Statuses of many uploads at once (absent: no record). */
  uploadStatuses(uploadIds: readonly string[]): Promise<Map<string, UploadStatus>>;
  /** Records an intent; false when the id exists already. */
  putIntent(intent: UploadIntent): Promise<boolean>;
  /** Current months of a unit from `from` on, and its years up to `toYear`. */
  unitState(unit: string, from: Month, toYear: string): Promise<UnitState>;
  /** Writes a change; with `outcome`, finishes the upload in the same transaction. */
  apply(change: SubmissionChange, outcome?: UploadOutcome): Promise<ApplyResult>;
  /** Finishes a pending upload; false when it was finished already. */
  finish(outcome: UploadOutcome): Promise<boolean>;
  /** Records an outcome for an object that had no intent (or an unusable key). */
  recordUnexpected(outcome: UploadOutcome): Promise<void>;
}
