/**
 * Uploads: the intent recorded before a file is sent (who, for which unit and month),
 * the object key it must land under, and the outcome recorded when it is processed.
 */
import type { Uploader } from './collector.ts';
import type { Change } from './corrections.ts';
import type { Finding } from './findings.ts';
import type { UploadFormat } from './layout.ts';
import type { Month } from './period.ts';

export type UploadStatus = 'pending' | 'accepted' | 'rejected';

/** What an uploader was allowed to send; the ingest trusts nothing else about an object. */
export interface UploadIntent {
  readonly uploadId: string;
  readonly uploader: Uploader;
  /**
   * The unit and period of the object key: a full code (`EC/V01`), or one town's units
   * (`EC/ALL`) or any (`ALL/ALL`) when the file holds several; `unknown`: any month.
   */
  readonly unit: string;
  readonly period: string;
  readonly ext: UploadFormat;
  readonly createdAt: string;
  readonly maxBytes: number;
}

export interface SubmissionOutcome {
  readonly unit: string;
  readonly period: Month;
  /**
   * 'current': folded in as the latest version; 'superseded': folded in its place, before a
   * later upload that arrived first; 'locked': refused, the month was locked meanwhile.
   */
  readonly state: 'current' | 'superseded' | 'locked';
  /** The version it became (1: the first upload of the month). */
  readonly version?: number;
  /** What it changed in the month, and how many reported values it left as they were. */
  readonly changes?: readonly Change[];
  readonly unchanged?: number;
}

/** A second object under a finished upload (a presigned form posted twice): recorded, counted nowhere. */
export interface ReusedObject {
  readonly key: string;
  readonly versionId?: string;
  readonly receivedAt: string;
  readonly size: number;
}

export interface UploadRecord extends UploadIntent {
  readonly status: UploadStatus;
  readonly key?: string;
  /** The object version that was read (S3 versioning; absent locally). */
  readonly versionId?: string;
  readonly receivedAt?: string;
  readonly processedAt?: string;
  readonly errors?: readonly Finding[];
  readonly warnings?: readonly Finding[];
  /** How many findings there were: the record keeps the first 50 of each (the report has all). */
  readonly errorCount?: number;
  readonly warningCount?: number;
  readonly submissions?: readonly SubmissionOutcome[];
  /** The object's S3 ETag when it was counted: a second object under the same key differs. */
  readonly etag?: string;
  readonly reused?: readonly ReusedObject[];
}

// The key builders are the bucket layout's (shared/layout.ts); kept here for importers
// outside this branch (shared/api/app.ts, cli/), which the coordinator points there.
export { objectKey } from './layout.ts';

let sequence = 0;

/**
 * Unguessable upload ids that sort in the order they were made (in one process; across
 * processes, to the millisecond): `{ms in base 36}-{sequence}{random}`. Real time, not
 * the business clock: two ids made under a fixed CUNBAO_NOW still sort.
 */
export function newUploadId(): string {
  sequence = (sequence + 1) % 36 ** 4;
  const random = crypto.randomUUID().replace(/-/g, '').slice(0, 12);
  return `${Date.now().toString(36)}-${sequence.toString(36).padStart(4, '0')}${random}`;
}

/**
 * The order of uploads for the same unit and month: the second S3 created the object in
 * (all that S3 tells of an object found by listing, when its event was lost), then the
 * upload id, which sorts by when its intent was made. S3's sequencer is not used: it
 * orders events of one key only, and every upload has its own key.
 */
export function uploadOrder(eventTime: string, uploadId: string): string {
  return `${new Date(eventTime).toISOString().slice(0, 19)}Z#${uploadId}`;
}
