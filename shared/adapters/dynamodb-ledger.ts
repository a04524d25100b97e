/**
 * The ledger on DynamoDB: conditional puts and one transaction per submission, so that a
 * redelivered event, a correction and a concurrent upload never count twice. No Scan.
 */
import {
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
  type QueryCommandInput,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { convertToAttr, marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { Finding } from '../findings.ts';
import type { Month } from '../period.ts';
import type {
  ApplyResult,
  AuditEntry,
  CurrentSubmission,
  Ledger,
  SubmissionChange,
  SubmissionVersion,
  UnitState,
  UnitYear,
  UploadOutcome,
} from '../ports/ledger.ts';
import type { Review } from '../ports/reviews.ts';
import { shardOf, type Values } from '../rollup.ts';
import type { ReusedObject, UploadIntent, UploadRecord, UploadStatus } from '../uploads.ts';
import { conditionally, transactionally } from './dynamodb-conditional.ts';
import { queryAll } from './dynamodb-query.ts';
import {
  CHANGES_ATTRIBUTE,
  decodeReview,
  decodeShard,
  decodeSubmission,
  decodeVersion,
  decodeUnitYear,
  decodeUpload,
  decodeUploadStatus,
  GSI1,
  index,
  key,
  range,
  ROLLUP_ATTRIBUTE_PREFIX,
  UNEXPECTED,
  unitItemKind,
  type ItemKey,
} from './dynamodb-keys.ts';

type Item = Record<string, AttributeValue>;

/** Findings kept in an upload record (the S3 report has them all; items stop at 400 KB). */
const FINDINGS_IN_RECORD = 50;

export const toItem = (value: Record<string, unknown>): Item =>
  marshall(value, { removeUndefinedValues: true, convertClassInstanceToMap: true });

export class DynamoLedger implements Ledger {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  async getUpload(uploadId: string): Promise<UploadRecord | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: marshall(key.upload(uploadId)), ConsistentRead: true }),
    );
    return Item ? decodeUpload(unmarshall(Item)) : undefined;
  }

  async uploadStatuses(uploadIds: readonly string[]): Promise<Map<string, UploadStatus>> {
    const statuses = new Map<string, UploadStatus>();
    for (let i = 0; i < uploadIds.length; i += 100) {
      let keys: Item[] | undefined = [...new Set(uploadIds.slice(i, i + 100))].map((id) => marshall(key.upload(id)));
      // Unprocessed keys come back when DynamoDB is busy: ask again for those.
      for (let attempt = 0; keys?.length && attempt < 8; attempt++) {
        const out: BatchGetItemCommandOutput = await this.client.send(
          new BatchGetItemCommand({
            RequestItems: {
              [this.table]: {
                Keys: keys,
                ProjectionExpression: 'uploadId, #s',
                ExpressionAttributeNames: { '#s': 'status' },
                ConsistentRead: true,
              },
            },
          }),
        );
        for (const item of out.Responses?.[this.table] ?? []) {
          const { uploadId, status } = decodeUploadStatus(unmarshall(item));
          statuses.set(uploadId, status);
        }
        keys = out.UnprocessedKeys?.[this.table]?.Keys;
        if (keys?.length) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
    }
    return statuses;
  }

  async putIntent(intent: UploadIntent): Promise<boolean> {
    return conditionally(
      this.client,
      new PutItemCommand({
        TableName: this.table,
        Item: toItem({ ...key.upload(intent.uploadId), ...intent, status: 'pending' }),
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async unitState(unit: string, from: Month, toYear: string): Promise<UnitState> {
    const { PK, lo, hi } = range.unitState(unit, from, toYear);
    const items = await this.queryAll({
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :lo AND :hi',
      ExpressionAttributeValues: marshall({ ':pk': PK, ':lo': lo, ':hi': hi }),
      ConsistentRead: true,
    });
    const current = new Map<Month, CurrentSubmission>();
    const years = new Map<string, UnitYear>();
    const reviews = new Map<Month, Review>();
    for (const item of items) {
      const kind = unitItemKind(String(item['SK']));
      if (kind === 'current') {
        const submission = decodeSubmission(item);
        current.set(submission.period, submission);
      } else if (kind === 'unitYear') {
        const year = decodeUnitYear(item);
        years.set(year.year, year);
      } else if (kind === 'review') {
        const review = decodeReview(item);
        reviews.set(review.period, review);
      }
    }
    return { current, years, reviews };
  }

  async apply(change: SubmissionChange, outcome?: UploadOutcome): Promise<ApplyResult> {
    const items: TransactWriteItem[] = [];
    const { next, version, previous, unitYear } = change;
    const push = (item: TransactWriteItem) => items.push(item) - 1;
    const history = push({
      Put: {
        TableName: this.table,
        Item: toItem({ ...key.history(next.unit, next.period, version.order), ...version, type: 'history' }),
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    });
    const current = push({
      Put: {
        TableName: this.table,
        Item: toItem({ ...key.current(next.unit, next.period), ...next, type: 'current', ...index.current(next.unit, next.period) }),
        ...currentIs(previous),
      },
    });
    // The month's review as read: an approval meanwhile makes this write fail, and the ingest decide again.
    const review = push({
      ConditionCheck: { TableName: this.table, Key: marshall(key.review(next.unit, next.period)), ...reviewIs(change.review) },
    });
    const year = unitYear.next.year;
    const yearItem = push({
      Put: {
        TableName: this.table,
        Item: toItem({ ...key.unitYear(next.unit, year), ...unitYear.next, type: 'unitYear', ...index.unitYear(next.unit, year) }),
        ...(unitYear.expectedRev === null
          ? { ConditionExpression: 'attribute_not_exists(PK)' }
          : { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: marshall({ ':rev': unitYear.expectedRev }) }),
      },
    });
    // The other months of the year must still be what the year was computed from.
    const unchanged = change.yearMonths.map(({ period, current: read }) =>
      push({ ConditionCheck: { TableName: this.table, Key: marshall(key.current(next.unit, period)), ...currentIs(read ?? undefined) } }),
    );
    // Every level's totals in the same transaction: the town's and the district's.
    const shard = shardOf(next.unit);
    for (const org of change.rollups) {
      this.addTo(items, key.monthShard(org, next.period, shard), change.monthDeltas);
      this.addTo(items, key.yearShard(org, year, shard), change.yearDeltas);
    }
    const finish = outcome ? push({ Update: this.finishUpdate(outcome) }) : -1;
    const cancelled = await transactionally(this.client, new TransactWriteItemsCommand({ TransactItems: items }));
    if (!cancelled) return 'applied';
    const failed = (i: number) => cancelled.conditionFailed(i);
    // This version is in the history already, or the upload was finished: written before.
    if (failed(history) || (finish >= 0 && failed(finish))) return 'done';
    if ([current, review, yearItem, ...unchanged].some(failed) || cancelled.conflict) return 'conflict';
    throw cancelled.error;
  }

  async versions(unit: string, period: Month): Promise<SubmissionVersion[]> {
    const { PK, prefix } = range.history(unit, period);
    const items = await this.queryAll({
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: marshall({ ':pk': PK, ':prefix': prefix }),
      ConsistentRead: true,
    });
    // Sort keys end with the upload order: the Query reads them in upload order.
    return items.map((item, i) => decodeVersion(item, i + 1));
  }

  async recordReused(uploadId: string, object: ReusedObject): Promise<void> {
    // Once per object: a redelivered event of the same second object finds it listed.
    await conditionally(
      this.client,
      new UpdateItemCommand({
        TableName: this.table,
        Key: marshall(key.upload(uploadId)),
        UpdateExpression: 'SET reused = list_append(if_not_exists(reused, :none), :one) ADD reusedKeys :ids',
        ConditionExpression: 'attribute_exists(PK) AND NOT contains(reusedKeys, :id)',
        ExpressionAttributeValues: {
          ...toItem({ ':none': [], ':one': [{ ...object }], ':id': reusedId(object) }),
          ':ids': { SS: [reusedId(object)] },
        },
      }),
    );
  }

  async audit(entry: AuditEntry): Promise<void> {
    await conditionally(
      this.client,
      new PutItemCommand({
        TableName: this.table,
        Item: toItem({ ...key.audit(entry.unit, entry.period, entry.at, entry.uploadId ?? entry.kind), ...entry, type: 'audit' }),
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async finish(outcome: UploadOutcome): Promise<boolean> {
    return conditionally(this.client, new UpdateItemCommand(this.finishUpdate(outcome)));
  }

  async recordUnexpected(outcome: UploadOutcome): Promise<void> {
    // Recorded once: a redelivered event of the same object finds it there.
    await conditionally(
      this.client,
      new PutItemCommand({
        TableName: this.table,
        Item: toItem({ ...key.upload(outcome.uploadId), ...this.recordOf(outcome), ...UNEXPECTED }),
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  /** Sum of an org's rollup shards: one Query, at most SHARDS items. */
  async rollup(org: string, scope: 'month' | 'year', period: string): Promise<Values> {
    return (await this.rollupWithVersion(org, scope, period)).totals;
  }

  /** An org's rollup and its version (how many changes it has had), from the same Query. */
  async rollupWithVersion(org: string, scope: 'month' | 'year', period: string): Promise<{ totals: Values; version: number }> {
    const items = await this.queryAll({
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: marshall({ ':pk': range.rollup(org, scope, period) }),
      ConsistentRead: true,
    });
    const shards = items.map(decodeShard);
    return { totals: sumShards(shards), version: shards.reduce((n, shard) => n + shard.changes, 0) };
  }

  /** A unit's month as it currently counts (one consistent GetItem). */
  async currentSubmission(unit: string, period: Month): Promise<CurrentSubmission | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: marshall(key.current(unit, period)), ConsistentRead: true }),
    );
    return Item ? decodeSubmission(unmarshall(Item)) : undefined;
  }

  /**
   * A month's current submissions (GSI1) of a town, or of the district; O(units). Pages of 500: DynamoDB Local's cost of
   * a page grows with what remains of the partition (measured: 10 000 units in one page
   * took 6.8 s, in pages of 500 2.2 s); in AWS a page is 1 MB either way.
   */
  async currentOfMonth(period: Month, town?: string): Promise<CurrentSubmission[]> {
    const items = await this.queryAll({ ...this.unitsQuery(index.month(period), town), Limit: 500 });
    return items.map(decodeSubmission);
  }

  /** A year's unit totals (GSI1) of a town, or of the district; O(units). */
  async unitYears(year: string, town?: string): Promise<UnitYear[]> {
    const items = await this.queryAll(this.unitsQuery(index.year(year), town));
    return items.map(decodeUnitYear);
  }

  /** A month's review decisions (GSI1) of a town, or of the district; O(units). DynamoReviews reads them here too. */
  async reviewsOfMonth(period: Month, town?: string): Promise<Review[]> {
    const items = await this.queryAll(this.unitsQuery(index.reviewsOfMonth(period), town));
    return items.map(decodeReview);
  }

  /** A GSI1 month or year partition: every unit of the district, or one town's (its prefix). */
  private unitsQuery(partition: string, town: string | undefined): QueryCommandInput {
    return {
      TableName: this.table,
      IndexName: GSI1,
      KeyConditionExpression: town === undefined ? 'GSI1PK = :pk' : 'GSI1PK = :pk AND begins_with(GSI1SK, :town)',
      ExpressionAttributeValues: marshall({ ':pk': partition, ...(town === undefined ? {} : { ':town': index.unitsOf(town) }) }),
    };
  }

  /**
   * ADDs amounts to a rollup shard, and 1 to its `changes` counter: the sum of a rollup's
   * counters is its version, which tells a publisher whether the period changed.
   */
  private addTo(items: TransactWriteItem[], itemKey: ItemKey, amounts: Record<string, string>): void {
    const names: Record<string, string> = { '#changes': CHANGES_ATTRIBUTE };
    const values: Item = { ':one': { N: '1' } };
    const parts = Object.entries(amounts).map(([k, amount], i) => {
      names[`#a${i}`] = ROLLUP_ATTRIBUTE_PREFIX + k;
      values[`:a${i}`] = { N: amount };
      return `#a${i} :a${i}`;
    });
    parts.push('#changes :one');
    items.push({
      Update: {
        TableName: this.table,
        Key: marshall(itemKey),
        UpdateExpression: `ADD ${parts.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    });
  }

  private recordOf(outcome: UploadOutcome): Record<string, unknown> {
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

  private finishUpdate(outcome: UploadOutcome) {
    const record = this.recordOf(outcome);
    const fields = Object.keys(record).filter((k) => k !== 'uploadId');
    return {
      TableName: this.table,
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

  private queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
    return queryAll(this.client, input);
  }
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

/** One second object: its version, or its time and size where the bucket keeps no versions. */
function reusedId(object: ReusedObject): string {
  return object.versionId ?? `${object.receivedAt}#${object.size}`;
}

function sumShards(shards: readonly { readonly amounts: ReadonlyMap<string, number> }[]): Values {
  // Shards hold exact decimals; add them as cents to stay exact.
  const cents = new Map<string, number>();
  for (const { amounts } of shards) {
    for (const [k, v] of amounts) cents.set(k, (cents.get(k) ?? 0) + Math.round(v * 100));
  }
  return Object.fromEntries([...cents].map(([k, c]) => [k, c / 100]));
}
