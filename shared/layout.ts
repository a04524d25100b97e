/**
 * The bucket's layout: every prefix and every key the system writes or reads, in one
 * place. The wiring grants access by these prefixes (infra/wiring.ts), the functions
 * and the local runtime read and write by these keys.
 *
 * | what                          | key                                                  |
 * |-------------------------------|------------------------------------------------------|
 * | an uploaded file, as sent     | `incoming/{town}/{unit}/{period}/{uploadId}.{csv,json}` |
 * | why a file was rejected       | `reports/{town}/{unit}/{period}/{uploadId}.json`        |
 * | an object nobody announced    | `reports/_unexpected/unknown/{id}.json`                 |
 * | the unit registry             | `config/units.json`                                     |
 * | a summary's revision n        | `summaries/{org}/{monthly,annual}/{period}.v{n}.json`   |
 * | a summary's latest revision   | `summaries/{org}/{monthly,annual}/{period}.latest.json` |
 *
 * `{town}/{unit}` is the upload's unit as a full code (`EC/V01`); `EC/ALL` is a file of
 * several units of one town, `ALL/ALL` one of any units (the admin's). `{org}` is a town's
 * code or the district's.
 */
import type { SummaryKind } from './ports/summaries.ts';
import type { UploadIntent } from './uploads.ts';

export const BUCKET_PREFIXES = {
  /** Uploaded files, as sent. */
  incoming: 'incoming/',
  /** Why a file was rejected. */
  reports: 'reports/',
  /** Configuration a town edits without a deploy (the unit registry). */
  config: 'config/',
  /** Published summaries, every revision and the latest. */
  summaries: 'summaries/',
} as const;

/** The unit registry (the functions' default UNITS_KEY). */
export const UNITS_KEY = `${BUCKET_PREFIXES.config}units.json`;

type ObjectName = Pick<UploadIntent, 'unit' | 'period' | 'uploadId' | 'ext'>;

/** An upload's unit when the file may hold several: one town's (`EC/ALL`) or any (`ALL/ALL`). */
export const ANY_UNIT = 'ALL';
export const anyUnitOf = (town?: string): string => `${town ?? ANY_UNIT}/${ANY_UNIT}`;

/** The formats a file may be uploaded in (its key's extension), and the Content-Type its presigned form requires. */
export const UPLOAD_FORMATS = ['csv', 'json', 'xlsx'] as const;
export type UploadFormat = (typeof UPLOAD_FORMATS)[number];
export const CONTENT_TYPES: Readonly<Record<UploadFormat, string>> = {
  csv: 'text/csv',
  json: 'application/json',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

const INCOMING =
  /^incoming\/([A-Z][A-Z0-9_]{1,15}\/[A-Z][A-Z0-9_]{1,15})\/([0-9]{4}-[0-9]{2}|unknown)\/([a-z0-9-]{8,64})\.(csv|json|xlsx)$/;

/** Where an upload's file must land (its presigned POST allows only this key). */
export function objectKey(intent: ObjectName): string {
  return `${BUCKET_PREFIXES.incoming}${intent.unit}/${intent.period}/${intent.uploadId}.${intent.ext}`;
}

/** The upload an incoming key names; undefined for a key no upload could have. */
export function parseObjectKey(key: string): { unit: string; period: string; uploadId: string; ext: UploadFormat } | undefined {
  const m = INCOMING.exec(key);
  if (!m) return undefined;
  const [, unit, period, uploadId, ext] = m;
  if (unit === undefined || period === undefined || uploadId === undefined || !isUploadFormat(ext)) return undefined;
  return { unit, period, uploadId, ext };
}

function isUploadFormat(ext: string | undefined): ext is UploadFormat {
  return (UPLOAD_FORMATS as readonly (string | undefined)[]).includes(ext);
}

/** The report of a rejected upload. */
export function reportKey(unit: string, period: string, uploadId: string): string {
  return `${BUCKET_PREFIXES.reports}${unit}/${period}/${uploadId}.json`;
}

/** The report of an object no upload announced (its unit and month are not trusted). */
export function unexpectedReportKey(id: string): string {
  return `${BUCKET_PREFIXES.reports}_unexpected/unknown/${id}.json`;
}

/** A summary's revision, or the stable copy of its latest one, of a town or the district. */
export function summaryKey(org: string, kind: SummaryKind, period: string, revision: number | 'latest'): string {
  return `${BUCKET_PREFIXES.summaries}${org}/${kind}/${period}.${revision === 'latest' ? 'latest' : `v${revision}`}.json`;
}
