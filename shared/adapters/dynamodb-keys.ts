/**
 * The single table: every item kind, its keys, its index keys, and the decoders of the
 * items read back. The adapters build keys only here; nothing else knows the layout.
 *
 * | item                        | PK                               | SK                       | GSI1PK                    | GSI1SK                  |
 * |-----------------------------|----------------------------------|--------------------------|---------------------------|-------------------------|
 * | upload (intent, outcome)    | `UPLOAD#{uploadId}`              | `UPLOAD`                 |                           |                         |
 * | current submission          | `UNIT#{town}/{unit}`             | `MONTH#{yyyy-mm}`        | `MONTH#{yyyy-mm}`         | `UNIT#{town}/{unit}`    |
 * | history (every version)     | `UNIT#{town}/{unit}`             | `HIST#{yyyy-mm}#{order}` |                           |                         |
 * | audit entry (review, refusal)| `UNIT#{town}/{unit}`            | `AUDIT#{yyyy-mm}#{at}#{id}`|                         |                         |
 * | month's last review decision| `UNIT#{town}/{unit}`             | `REVIEW#{yyyy-mm}`       | `REVIEW#{yyyy-mm}`        | `UNIT#{town}/{unit}`    |
 * | unit's year                 | `UNIT#{town}/{unit}`             | `YEAR#{yyyy}`            | `YEAR#{yyyy}`             | `UNIT#{town}/{unit}`    |
 * | month rollup shard          | `ROLLUP#{org}#MONTH#{yyyy-mm}`   | `SHARD#{00..15}`         |                           |                         |
 * | year rollup shard           | `ROLLUP#{org}#YEAR#{yyyy}`       | `SHARD#{00..15}`         |                           |                         |
 * | summary revision            | `SUMMARY#{org}#{kind}#{period}`  | `REV#{nnnn}`             |                           |                         |
 * | summary latest revision     | `SUMMARY#{org}#{kind}#{period}`  | `LATEST`                 | `SUMMARIES#{org}#{kind}`  | `{period}`              |
 * | notice sent to a channel    | `NOTICE#{noticeId}`              | `TO#{channel}`           |                           |                         |
 * | scheduler's last run        | `SCHEDULER`                      | `STATE`                  |                           |                         |
 * | credential (hash only)      | `TOKEN#{tokenId}`                | `TOKEN`                  | `TOKENS`                  | `{createdAt}#{tokenId}` |
 *
 * Units are named by their full code `{town}/{unit}` (unique in the deployment). `{org}`
 * is a town's code or the district's: the ingest adds a submission's deltas to its
 * town's shards and to the district's in the same transaction, so every level's totals
 * are one Query of 16 items, whatever the number of towns. A town's months and years on
 * GSI1 are the district partition's sort-key prefix `UNIT#{town}/`: one Query reads a
 * town's units or (without the prefix) the district's.
 *
 * `AUDIT#` < `HIST#` < `MONTH#` < `REVIEW#` < `YEAR#`: one Query of a unit from `MONTH#{from}`
 * to `YEAR#{year}` reads its current months, its review decisions and its years, without
 * its history: what the ingest decides on, in one request. A month's review decisions of a
 * town are one GSI1 Query (`REVIEW#{yyyy-mm}`, prefix `UNIT#{town}/`). GSI1 (projection ALL)
 * answers a month's or a year's units, the published periods newest first, and the token
 * list in creation order: O(units), never a Scan. Rollup shards keep one number
 * attribute per value key (`v:{key}`), so that ADD can create it, and a `changes` counter.
 */
import * as z from 'zod/mini';
import { ERROR_CODES, UPLOAD_ERROR_CODES, WARNING_CODES, type Finding } from '../findings.ts';
import { UPLOAD_FORMATS } from '../layout.ts';
import { once } from '../once.ts';
import type { AuditEntry, CurrentSubmission, SubmissionVersion, UnitYear } from '../ports/ledger.ts';
import type { Review } from '../ports/reviews.ts';
import type { LatestRevision, SummaryKind } from '../ports/summaries.ts';
import type { UploadRecord, UploadStatus } from '../uploads.ts';

export const TABLE_KEYS = { partitionKey: 'PK', sortKey: 'SK', gsi1: { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' } } as const;
/** The one secondary index's name, for Query's IndexName. */
export const GSI1 = TABLE_KEYS.gsi1.name;

export interface ItemKey {
  readonly PK: string;
  readonly SK: string;
}

const shard = (n: number) => `SHARD#${String(n).padStart(2, '0')}`;
const summary = (org: string, kind: SummaryKind, period: string) => `SUMMARY#${org}#${kind}#${period}`;

/** Primary keys, by item kind. */
export const key = {
  upload: (id: string) => ({ PK: `UPLOAD#${id}`, SK: 'UPLOAD' }),
  current: (unit: string, period: string) => ({ PK: `UNIT#${unit}`, SK: `MONTH#${period}` }),
  history: (unit: string, period: string, order: string) => ({ PK: `UNIT#${unit}`, SK: `HIST#${period}#${order}` }),
  audit: (unit: string, period: string, at: string, id: string) => ({ PK: `UNIT#${unit}`, SK: `AUDIT#${period}#${at}#${id}` }),
  review: (unit: string, period: string) => ({ PK: `UNIT#${unit}`, SK: `REVIEW#${period}` }),
  unitYear: (unit: string, year: string) => ({ PK: `UNIT#${unit}`, SK: `YEAR#${year}` }),
  monthShard: (org: string, period: string, n: number) => ({ PK: `ROLLUP#${org}#MONTH#${period}`, SK: shard(n) }),
  yearShard: (org: string, year: string, n: number) => ({ PK: `ROLLUP#${org}#YEAR#${year}`, SK: shard(n) }),
  summaryRevision: (org: string, kind: SummaryKind, period: string, revision: number) => ({
    PK: summary(org, kind, period),
    SK: `REV#${String(revision).padStart(4, '0')}`,
  }),
  summaryLatest: (org: string, kind: SummaryKind, period: string) => ({ PK: summary(org, kind, period), SK: 'LATEST' }),
  notice: (noticeId: string, channel: string) => ({ PK: `NOTICE#${noticeId}`, SK: `TO#${channel}` }),
  scheduler: () => ({ PK: 'SCHEDULER', SK: 'STATE' }),
  token: (tokenId: string) => ({ PK: `TOKEN#${tokenId}`, SK: 'TOKEN' }),
} as const satisfies Record<string, (...args: never[]) => ItemKey>;

/** What a Query of a key range reads: a partition, and a sort-key prefix or range. */
export const range = {
  /** A unit's history of one month, oldest first. */
  history: (unit: string, period: string) => ({ PK: `UNIT#${unit}`, prefix: `HIST#${period}#` }),
  /** A unit-month's audit entries, oldest first. */
  audit: (unit: string, period: string) => ({ PK: `UNIT#${unit}`, prefix: `AUDIT#${period}#` }),
  /** A unit's current months, or its review decisions, from one month to another. */
  months: (unit: string, from: string, to: string) => ({
    PK: `UNIT#${unit}`,
    lo: key.current(unit, from).SK,
    hi: key.current(unit, to).SK,
  }),
  reviews: (unit: string, from: string, to: string) => ({ PK: `UNIT#${unit}`, lo: key.review(unit, from).SK, hi: key.review(unit, to).SK }),
  /** A unit's current months from `from` on and its years up to `toYear` (not its history). */
  unitState: (unit: string, from: string, toYear: string) => ({
    PK: `UNIT#${unit}`,
    lo: key.current(unit, from).SK,
    hi: key.unitYear(unit, toYear).SK,
  }),
  /** Every shard of an org's rollup. */
  rollup: (org: string, scope: 'month' | 'year', period: string) =>
    (scope === 'month' ? key.monthShard(org, period, 0) : key.yearShard(org, period, 0)).PK,
} as const;

/** GSI1's keys of the items it indexes, and the partitions Queries read. */
export const index = {
  current: (unit: string, period: string) => ({ GSI1PK: `MONTH#${period}`, GSI1SK: `UNIT#${unit}` }),
  unitYear: (unit: string, year: string) => ({ GSI1PK: `YEAR#${year}`, GSI1SK: `UNIT#${unit}` }),
  review: (unit: string, period: string) => ({ GSI1PK: `REVIEW#${period}`, GSI1SK: `UNIT#${unit}` }),
  reviewsOfMonth: (period: string) => index.review('', period).GSI1PK,
  summaryLatest: (org: string, kind: SummaryKind, period: string) => ({ GSI1PK: `SUMMARIES#${org}#${kind}`, GSI1SK: period }),
  /** The token list's order is the core's (listKey in shared/auth/tokens.ts). */
  token: (listKey: string) => ({ GSI1PK: 'TOKENS', GSI1SK: listKey }),
  month: (period: string) => index.current('', period).GSI1PK,
  year: (year: string) => index.unitYear('', year).GSI1PK,
  /** The GSI1SK prefix of a town's units (`UNIT#EC/`); the district's: every unit (`UNIT#`). */
  unitsOf: (town: string | undefined) => index.current(town === undefined ? '' : `${town}/`, '').GSI1SK,
  summaries: (org: string, kind: SummaryKind) => index.summaryLatest(org, kind, '').GSI1PK,
  tokens: () => index.token('').GSI1PK,
} as const;

/** Which kind a unit partition's item is, by its sort key. */
export function unitItemKind(sk: string): 'current' | 'history' | 'unitYear' | 'review' | undefined {
  if (sk.startsWith('MONTH#')) return 'current';
  if (sk.startsWith('REVIEW#')) return 'review';
  if (sk.startsWith('HIST#')) return 'history';
  if (sk.startsWith('YEAR#')) return 'unitYear';
  return undefined;
}

/** Rollup shards keep one top-level number attribute per value key, so ADD can create it. */
export const ROLLUP_ATTRIBUTE_PREFIX = 'v:';
/** …and a counter of the changes applied to them (summed over shards: the rollup's version). */
export const CHANGES_ATTRIBUTE = 'changes';

// ---------------------------------------------------------------------------------------
// Decoders: an item read back is checked against what the adapters write, never cast.
// ---------------------------------------------------------------------------------------

/** An item that is not what the adapters write (a manual edit, a bug): never used as if it were. */
class DamagedItemError extends Error {
  override readonly name = 'DamagedItemError';
  readonly code = 'DAMAGED_ITEM';
}

/**
 * A decoder whose schema is made with its first item, not at import: each function reads
 * a few of these kinds, and making a zod schema at a cold start costs about a tenth of a
 * millisecond (the authorizer reads tokens only; 60 schemas were 8 ms of every cold start).
 */
function decoder<T>(what: string, schema: () => z.ZodMiniType<T>): (item: Record<string, unknown>) => T {
  const made = once(schema);
  return (item) => {
    const parsed = made().safeParse(item);
    if (parsed.success) return parsed.data;
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new DamagedItemError(`${what} item ${String(item['PK'])} ${String(item['SK'])}: ${issues}`);
  };
}

/** The schemas several decoders share (FindingItem, Uploader, …). */
const parts = once(() => {
  const Values = z.record(z.string(), z.number());
  const FindingItem = z.object({
    code: z.enum([...ERROR_CODES, ...UPLOAD_ERROR_CODES, ...WARNING_CODES]),
    row: z.nullable(z.number()),
    column: z.nullable(z.string()),
    value: z.nullable(z.string()),
    message: z.string(),
    unit: z.optional(z.string()),
    period: z.optional(z.string()),
    cell: z.optional(z.string()),
  }) satisfies z.ZodMiniType<Finding>;
  const Status = z.enum(['pending', 'accepted', 'rejected']) satisfies z.ZodMiniType<UploadStatus>;
  const Uploader = z.union([
    z.object({ role: z.literal('admin'), town: z.optional(z.string()) }),
    z.object({ role: z.literal('town'), town: z.string() }),
    z.object({ role: z.literal('village'), unit: z.string() }),
    z.object({ role: z.literal('district') }),
  ]);

  const Change = z.object({ key: z.string(), from: z.nullable(z.number()), to: z.nullable(z.number()) });

  /** An upload's outcome, as finished by the ingest (absent while pending). */
  const outcomeFields = {
    status: Status,
    key: z.optional(z.string()),
    versionId: z.optional(z.string()),
    receivedAt: z.optional(z.string()),
    processedAt: z.optional(z.string()),
    errors: z.optional(z.array(FindingItem)),
    warnings: z.optional(z.array(FindingItem)),
    errorCount: z.optional(z.number()),
    warningCount: z.optional(z.number()),
    submissions: z.optional(
      z.array(
        z.object({
          unit: z.string(),
          period: z.string(),
          state: z.enum(['current', 'superseded', 'locked']),
          version: z.optional(z.number()),
          changes: z.optional(z.array(Change)),
          unchanged: z.optional(z.number()),
        }),
      ),
    ),
    etag: z.optional(z.string()),
    reused: z.optional(z.array(z.object({ key: z.string(), versionId: z.optional(z.string()), receivedAt: z.string(), size: z.number() }))),
  };
  const UploadItem = z.object({
    uploadId: z.string(),
    uploader: Uploader,
    unit: z.string(),
    period: z.string(),
    ext: z.enum(UPLOAD_FORMATS),
    createdAt: z.string(),
    maxBytes: z.number(),
    ...outcomeFields,
  }) satisfies z.ZodMiniType<UploadRecord>;
  return { Values, FindingItem, Status, Uploader, Change, outcomeFields, UploadItem };
});

/** Where an object no upload announced is recorded: its outcome only (ledger.recordUnexpected). */
export const UNEXPECTED = { unit: '_unexpected', period: 'unknown' } as const;
const decodeAnnounced = decoder('upload', () => parts().UploadItem);
const decodeUnexpected = decoder('unexpected upload', () =>
  z.object({ uploadId: z.string(), unit: z.literal(UNEXPECTED.unit), period: z.string(), ...parts().outcomeFields }),
);

/**
 * An upload's record. One of an object nobody announced has no intent: it is shown as
 * the system's own (an admin's, of no bytes, made when it was recorded), so that no unit
 * owns it and nothing can be sent under it.
 */
export function decodeUpload(item: Record<string, unknown>): UploadRecord {
  if (item['unit'] !== UNEXPECTED.unit) return decodeAnnounced(item);
  const record = decodeUnexpected(item);
  // Its format as its key's extension says (an unannounced workbook is an xlsx, not a CSV).
  const ext = UPLOAD_FORMATS.find((f) => record.key?.endsWith(`.${f}`)) ?? 'csv';
  return { ...record, uploader: { role: 'admin' }, ext, createdAt: record.processedAt ?? record.receivedAt ?? '', maxBytes: 0 };
}

export const decodeUploadStatus = decoder('upload status', () => z.object({ uploadId: z.string(), status: parts().Status }));

const uploaded = once(() => ({
  unit: z.string(),
  period: z.string(),
  values: parts().Values,
  uploadId: z.string(),
  order: z.string(),
  receivedAt: z.string(),
  warnings: z.optional(z.array(parts().FindingItem)),
}));

const decodeCurrentItem = decoder('submission', () =>
  z.object({ ...uploaded(), firstReceivedAt: z.string(), version: z.optional(z.number()) }),
);

/** A current submission; one written before versions were counted is version 1. */
export function decodeSubmission(item: Record<string, unknown>): CurrentSubmission {
  const { warnings, version, ...rest } = decodeCurrentItem(item);
  return { ...rest, version: version ?? 1, ...(warnings ? { warnings } : {}) };
}

const decodeVersionItem = decoder('history', () =>
  z.object({
    ...uploaded(),
    version: z.optional(z.number()),
    uploader: z.optional(parts().Uploader),
    cleared: z.optional(z.array(z.string())),
    implied: z.optional(z.array(z.string())),
    changes: z.optional(z.array(parts().Change)),
    unchanged: z.optional(z.number()),
    overrideLock: z.optional(z.boolean()),
  }),
);

/**
 * A history item: one version as uploaded. One written before corrections were folded
 * held the whole month and no change list: it reads as a statement of its values.
 */
export function decodeVersion(item: Record<string, unknown>, position: number): SubmissionVersion {
  const { warnings, version, changes, unchanged, ...rest } = decodeVersionItem(item);
  return {
    ...rest,
    version: version ?? position,
    changes: changes ?? [],
    unchanged: unchanged ?? 0,
    ...(warnings ? { warnings } : {}),
  };
}

export const decodeReview = decoder('review', () =>
  z.object({
    unit: z.string(),
    period: z.string(),
    state: z.enum(['approved', 'returned', 'reopened']),
    version: z.number(),
    reason: z.optional(z.string()),
    by: z.string(),
    at: z.string(),
    rev: z.number(),
  }),
) satisfies (item: Record<string, unknown>) => Review;

export const decodeAudit = decoder('audit', () =>
  z.object({
    unit: z.string(),
    period: z.string(),
    kind: z.enum(['approve', 'return', 'reopen', 'refused']),
    at: z.string(),
    by: z.string(),
    version: z.number(),
    reason: z.optional(z.string()),
    uploadId: z.optional(z.string()),
  }),
) satisfies (item: Record<string, unknown>) => AuditEntry;

export const decodeUnitYear = decoder('unit year', () =>
  z.object({
    unit: z.string(),
    year: z.string(),
    values: parts().Values,
    rev: z.number(),
    months: z.optional(z.record(z.string(), z.number())),
  }),
) satisfies (item: Record<string, unknown>) => UnitYear;

const decodeLatestItem = decoder('summary latest', () =>
  z.object({
    revision: z.number(),
    version: z.number(),
    hash: z.string(),
    publishedAt: z.optional(z.string()),
    emailedRevision: z.optional(z.number()),
  }),
);

/** A summary's latest revision; `emailedRevision` 0 until one is mailed. */
export function decodeLatest(item: Record<string, unknown>): LatestRevision {
  const latest = decodeLatestItem(item);
  return { ...latest, emailedRevision: latest.emailedRevision ?? 0 };
}

const decodePeriodItem = decoder('summary latest', () => z.object({ period: z.string() }));
const decodeSchedulerItem = decoder('scheduler', () => z.object({ lastRunAt: z.string() }));
export const decodePublishedPeriod = (item: Record<string, unknown>): string => decodePeriodItem(item).period;
export const decodeSchedulerRun = (item: Record<string, unknown>): string => decodeSchedulerItem(item).lastRunAt;

/**
 * A token item's fields, as stored (the list reads them without the hash). The role is
 * checked by the core (principalOf), which refuses one it does not know.
 */
export const decodeTokenItem = decoder('token', () =>
  z.object({
    tokenId: z.string().check(z.minLength(1)),
    role: z.string(),
    unit: z.optional(z.string()),
    town: z.optional(z.string()),
    createdAt: z.string().check(z.minLength(1)),
    expiresAt: z.string().check(z.minLength(1)),
    revokedAt: z.optional(z.string()),
    note: z.optional(z.string()),
    hash: z.optional(z.string()),
  }),
);

/** A rollup shard's amounts by value key, and its change counter. */
export function decodeShard(item: Record<string, unknown>): { readonly amounts: Map<string, number>; readonly changes: number } {
  const amounts = new Map<string, number>();
  for (const [name, v] of Object.entries(item)) {
    if (!name.startsWith(ROLLUP_ATTRIBUTE_PREFIX)) continue;
    if (typeof v !== 'number')
      throw new DamagedItemError(`rollup shard ${String(item['PK'])} ${String(item['SK'])}: ${name} is not a number`);
    amounts.set(name.slice(ROLLUP_ATTRIBUTE_PREFIX.length), v);
  }
  const changes = item[CHANGES_ATTRIBUTE] ?? 0;
  if (typeof changes !== 'number')
    throw new DamagedItemError(`rollup shard ${String(item['PK'])} ${String(item['SK'])}: ${CHANGES_ATTRIBUTE} is not a number`);
  return { amounts, changes };
}
