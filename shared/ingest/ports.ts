/**
 * The ports of the ingest: where objects are read and reports written, and the ledger of
 * uploads, submissions and rollups. Adapters for S3 and DynamoDB implement them
 * (shared/adapters); the use case knows only these shapes.
 */
import type { Month } from '../period.ts';
import type { Values } from '../rollup.ts';
import type { UploadIntent, UploadRecord, UploadStatus, SubmissionOutcome } from '../uploads.ts';
import type { Finding } from '../findings.ts';

export interface ObjectStore {
  /** The object's bytes, or undefined when there is no such object (or version). */
  get(key: string, versionId?: string): Promise<Uint8Array | undefined>;
  putJson(key: string, body: unknown): Promise<void>;
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** Every object under a prefix, page by page. */
  objects(prefix: string): AsyncIterable<ListedObject>;
}

export interface ListedObject {
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date;
}

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
