/**
 * The transaction items of a submission's change: its own (history, current month, the
 * review as read, the unit's year, the year's other months as read, the upload's outcome)
 * and the rollup shards it adds to. One change writes them in one transaction; changes of
 * several files share one, their additions to a shard summed into one item (a transaction
 * may not touch an item twice), so that a batch of files costs one request, not one each.
 */
import type { AttributeValue, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { convertToAttr, marshall } from '@aws-sdk/util-dynamodb';
import type { Finding } from '../findings.ts';
import type { CurrentSubmission, SubmissionChange, UploadOutcome } from '../ports/ledger.ts';
import type { Review } from '../ports/reviews.ts';
import { addDeltas, shardOf } from '../rollup.ts';
import { CHANGES_ATTRIBUTE, index, key, ROLLUP_ATTRIBUTE_PREFIX, type ItemKey } from './dynamodb-keys.ts';

type Item = Record<string, AttributeValue>;

/** DynamoDB's limit of items in one TransactWriteItems. */
export const MAX_TRANSACTION_ITEMS = 100;

/** Findings kept in an upload record (the S3 report has them all; items stop at 400 KB). */
const FINDINGS_IN_RECORD = 50;

export const toItem = (value: Record<string, unknown>): Item =>
  marshall(value, { removeUndefinedValues: true, convertClassInstanceToMap: true });

/** A change's own items, and where each condition sits (to read a cancellation's reasons). */
export interface OwnItems {
  readonly items: TransactWriteItem[];
  readonly history: number;
  readonly current: number;
  readonly review: number;
  readonly year: number;
  readonly unchanged: readonly number[];
  /** -1: the change does not finish its upload. */
  readonly finish: number;
}

/** One rollup shard's addition: its key and the deltas added to it. */
export interface ShardAddition {
  readonly key: ItemKey;
  readonly deltas: Readonly<Record<string, string>>;
}

export function ownItems(table: string, change: SubmissionChange, outcome?: UploadOutcome): OwnItems {
  const items: TransactWriteItem[] = [];
  const { next, version, previous, unitYear } = change;
  const push = (item: TransactWriteItem) => items.push(item) - 1;
  const history = push({
    Put: {
      TableName: table,
      Item: toItem({ ...key.history(next.unit, next.period, version.order), ...version, type: 'history' }),
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  });
  const current = push({
    Put: {
      TableName: table,
      Item: toItem({ ...key.current(next.unit, next.period), ...next, type: 'current', ...index.current(next.unit, next.period) }),
      ...currentIs(previous),
    },
  });
  // The month's review as read: an approval meanwhile makes this write fail, and the ingest decide again.
  const review = push({
    ConditionCheck: { TableName: table, Key: marshall(key.review(next.unit, next.period)), ...reviewIs(change.review) },
  });
  const year = unitYear.next.year;
  const yearItem = push({
    Put: {
      TableName: table,
      Item: toItem({ ...key.unitYear(next.unit, year), ...unitYear.next, type: 'unitYear', ...index.unitYear(next.unit, year) }),
      ...(unitYear.expectedRev === null
        ? { ConditionExpression: 'attribute_not_exists(PK)' }
        : { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: marshall({ ':rev': unitYear.expectedRev }) }),
    },
  });
  // The other months of the year must still be what the year was computed from.
  const unchanged = change.yearMonths.map(({ period, current: read }) =>
    push({ ConditionCheck: { TableName: table, Key: marshall(key.current(next.unit, period)), ...currentIs(read ?? undefined) } }),
  );
  const finish = outcome ? push({ Update: finishUpdate(table, outcome) }) : -1;
  return { items, history, current, review, year: yearItem, unchanged, finish };
}

/** Every level's totals a change adds to (the town's and the district's), month and year, in the unit's shard. */
export function shardAdditions(change: SubmissionChange): ShardAddition[] {
  const shard = shardOf(change.next.unit);
  const year = change.unitYear.next.year;
  return change.rollups.flatMap((org) => [
    { key: key.monthShard(org, change.next.period, shard), deltas: change.monthDeltas },
    { key: key.yearShard(org, year, shard), deltas: change.yearDeltas },
  ]);
}

/**
 * ADDs the summed deltas to a rollup shard, and the number of changes to its `changes`
 * counter: the sum of a rollup's counters is its version, which tells a publisher whether
 * the period changed.
 */
export function addItem(table: string, itemKey: ItemKey, additions: readonly Readonly<Record<string, string>>[]): TransactWriteItem {
  const names: Record<string, string> = { '#changes': CHANGES_ATTRIBUTE };
  const values: Item = { ':n': { N: String(additions.length) } };
  const amounts = additions.length === 1 ? additions[0]! : addDeltas(additions);
  const parts = Object.entries(amounts).map(([k, amount], i) => {
    names[`#a${i}`] = ROLLUP_ATTRIBUTE_PREFIX + k;
    values[`:a${i}`] = { N: amount };
    return `#a${i} :a${i}`;
  });
  parts.push('#changes :n');
  return {
    Update: {
      TableName: table,
      Key: marshall(itemKey),
      UpdateExpression: `ADD ${parts.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** An upload's record as kept: its findings capped, with their counts. */
export function recordOf(outcome: UploadOutcome): Record<string, unknown> {
  const keep = (findings: readonly Finding[]) => findings.slice(0, FINDINGS_IN_RECORD).map((f) => ({ ...f }));
  return {
    ...outcome,
    errors: keep(outcome.errors),
    warnings: keep(outcome.warnings),
    errorCount: outcome.errors.length,
    warningCount: outcome.warnings.length,
    submissions: outcome.submissions.map((s) => ({ ...s })),
  };
}

/** Writes an upload's outcome, on condition that it is still pending (a second finish is refused). */
export function finishUpdate(table: string, outcome: UploadOutcome) {
  const record = recordOf(outcome);
  const fields = Object.keys(record).filter((k) => k !== 'uploadId');
  return {
    TableName: table,
    Key: marshall(key.upload(outcome.uploadId)),
    UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :f${i}`).join(', ')}`,
    ConditionExpression: '#status = :pending',
    ExpressionAttributeNames: { ...Object.fromEntries(fields.map((f, i) => [`#f${i}`, f])), '#status': 'status' },
    ExpressionAttributeValues: {
      ...Object.fromEntries(
        fields.map((f, i) => [`:f${i}`, convertToAttr(record[f], { removeUndefinedValues: true, convertClassInstanceToMap: true })]),
      ),
      ':pending': { S: 'pending' },
    },
  };
}

/** A condition that a unit's month is still as read: its version (an item from before versions were counted: its upload). */
export function currentIs(read: CurrentSubmission | undefined) {
  if (!read) return { ConditionExpression: 'attribute_not_exists(PK)' };
  return {
    ConditionExpression: '#version = :version OR (attribute_not_exists(#version) AND uploadId = :upload)',
    ExpressionAttributeNames: { '#version': 'version' },
    ExpressionAttributeValues: marshall({ ':version': read.version, ':upload': read.uploadId }),
  };
}

/** A condition that a month's review decision is still as read (none: still none). */
export function reviewIs(read: Review | undefined) {
  if (!read) return { ConditionExpression: 'attribute_not_exists(PK)' };
  return { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: marshall({ ':rev': read.rev }) };
}

/** Some files' changes in one transaction: which changes (their indexes) and its items. */
export interface PackedTransaction {
  readonly changes: readonly number[];
  readonly items: readonly TransactWriteItem[];
}

/**
 * Packs changes, in order, into transactions of at most MAX_TRANSACTION_ITEMS items, each
 * change whole in one. A change that would touch an item an earlier change touches (a
 * unit's month twice) is left out of every one: it was decided against what the earlier
 * change replaces, so it is decided again alone.
 */
export function packChanges(table: string, changes: readonly { change: SubmissionChange; outcome: UploadOutcome }[]): PackedTransaction[] {
  const packed: PackedTransaction[] = [];
  let members: number[] = [];
  let own: TransactWriteItem[] = [];
  let shards = new Map<string, { key: ItemKey; deltas: Readonly<Record<string, string>>[] }>();
  const close = () => {
    if (members.length)
      packed.push({ changes: members, items: [...own, ...[...shards.values()].map((s) => addItem(table, s.key, s.deltas))] });
    [members, own, shards] = [[], [], new Map()];
  };
  const touched = new Set<string>();
  for (const [i, { change, outcome }] of changes.entries()) {
    const mine = ownItems(table, change, outcome).items;
    const keys = mine.map(itemKeyOf);
    if (keys.some((k) => touched.has(k))) continue;
    const additions = shardAdditions(change);
    const newShards = new Set(additions.map((a) => keyText(a.key)).filter((k) => !shards.has(k))).size;
    if (own.length + shards.size + mine.length + newShards > MAX_TRANSACTION_ITEMS) close();
    for (const k of keys) touched.add(k);
    members.push(i);
    own.push(...mine);
    for (const a of additions) {
      const text = keyText(a.key);
      shards.set(text, { key: a.key, deltas: [...(shards.get(text)?.deltas ?? []), a.deltas] });
    }
  }
  close();
  return packed;
}

const keyText = (k: ItemKey) => `${k.PK}\u0000${k.SK}`;

/** The key of the item a transaction item writes or checks. */
function itemKeyOf(item: TransactWriteItem): string {
  const k = item.Put?.Item ?? item.Update?.Key ?? item.ConditionCheck?.Key ?? item.Delete?.Key ?? {};
  return `${k['PK']?.S}\u0000${k['SK']?.S}`;
}
