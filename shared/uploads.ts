/**
 * Uploads: the intent recorded before a file is sent (who, for which unit and month),
 * the object key it must land under, and the outcome recorded when it is processed.
 */
import type { Uploader } from './collector.ts';
import type { Finding } from './findings.ts';
import type { Month } from './period.ts';

export type UploadStatus = 'pending' | 'accepted' | 'rejected';

/** What an uploader was allowed to send; the ingest trusts nothing else about an object. */
export interface UploadIntent {
  readonly uploadId: string;
  readonly uploader: Uploader;
  /** The unit and period of the object key (`ALL` / `unknown` when the file holds several). */
  readonly unit: string;
  readonly period: string;
  readonly ext: 'csv' | 'json';
  readonly createdAt: string;
  readonly maxBytes: number;
}

export interface SubmissionOutcome {
  readonly unit: string;
  readonly period: Month;
  /** 'current': now the unit's month; 'superseded': a later upload had already replaced it. */
  readonly state: 'current' | 'superseded';
}

export interface UploadRecord extends UploadIntent {
  readonly status: UploadStatus;
  readonly key?: string;
  readonly receivedAt?: string;
  readonly processedAt?: string;
  readonly errors?: readonly Finding[];
  readonly warnings?: readonly Finding[];
  readonly submissions?: readonly SubmissionOutcome[];
}

const KEY = /^incoming\/([A-Za-z0-9_]+)\/([0-9]{4}-[0-9]{2}|unknown)\/([a-z0-9-]{8,64})\.(csv|json)$/;

export function objectKey(intent: Pick<UploadIntent, 'unit' | 'period' | 'uploadId' | 'ext'>): string {
  return `incoming/${intent.unit}/${intent.period}/${intent.uploadId}.${intent.ext}`;
}

export function parseObjectKey(key: string): { unit: string; period: string; uploadId: string; ext: 'csv' | 'json' } | undefined {
  const m = KEY.exec(key);
  return m ? { unit: m[1]!, period: m[2]!, uploadId: m[3]!, ext: m[4] as 'csv' | 'json' } : undefined;
}

/** Time-ordered, unguessable upload ids: `{ms in base 36}-{random}`. */
export function newUploadId(now: Date): string {
  const random = crypto.randomUUID().replace(/-/g, '').slice(0, 16);
  return `${now.getTime().toString(36)}-${random}`;
}

/** The order of uploads: S3's creation time, then its sequencer, then the id (a total order). */
export function uploadOrder(eventTime: string, sequencer: string, uploadId: string): string {
  return `${eventTime}#${sequencer.padStart(20, '0')}#${uploadId}`;
}
