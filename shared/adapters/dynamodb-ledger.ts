/**
 * The ledger on DynamoDB: conditional puts and one transaction per submission (or per batch
 * of one-month files, their items packed by dynamodb-change-items.ts), so that a redelivered
 * event, a correction and a concurrent upload never count twice. No Scan.
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
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { Month } from '../period.ts';
import type {
  ApplyResult,
  AuditEntry,
  CurrentSubmission,
  FinishingChange,
  Ledger,
  SubmissionChange,
  SubmissionVersion,
  UnitState,
  UnitYear,
  UploadOutcome,
} from '../ports/ledger.ts';
import type { Review } from '../ports/reviews.ts';
import type { Values } from '../rollup.ts';
import type { ReusedObject, UploadIntent, UploadRecord, UploadStatus } from '../uploads.ts';
import { conditionally, transactionally } from './dynamodb-conditional.ts';
import { queryAll } from './dynamodb-query.ts';
import { addItem, finishUpdate, ownItems, packChanges, recordOf, shardAdditions, toItem } from './dynamodb-change-items.ts';

export { currentIs, reviewIs, toItem } from './dynamodb-change-items.ts';
import {
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
  UNEXPECTED,
  unitItemKind,
} from './dynamodb-keys.ts';

type Item = Record<string, AttributeValue>;

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

  async getUploads(uploadIds: readonly string[]): Promise<Map<string, UploadRecord>> {
    const items = await this.uploadItems(uploadIds);
    return new Map(items.map((item) => [String(item['uploadId']), decodeUpload(item)]));
  }

  async uploadStatuses(uploadIds: readonly string[]): Promise<Map<string, UploadStatus>> {
    const items = await this.uploadItems(uploadIds, { ProjectionExpression: 'uploadId, #s', ExpressionAttributeNames: { '#s': 'status' } });
    return new Map(items.map((item) => [String(item['uploadId']), decodeUploadStatus(item).status]));
  }

  /** Upload records by id: consistent BatchGetItems of 100 keys, unprocessed keys asked again. */
  private async uploadItems(
    uploadIds: readonly string[],
    projection: { ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> } = {},
  ): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    const ids = [...new Set(uploadIds)];
    for (let i = 0; i < ids.length; i += 100) {
      let keys: Item[] | undefined = ids.slice(i, i + 100).map((id) => marshall(key.upload(id)));
      // Unprocessed keys come back when DynamoDB is busy: ask again for those.
      for (let attempt = 0; keys?.length && attempt < 8; attempt++) {
        const out: BatchGetItemCommandOutput = await this.client.send(
          new BatchGetItemCommand({ RequestItems: { [this.table]: { Keys: keys, ...projection, ConsistentRead: true } } }),
        );
        for (const item of out.Responses?.[this.table] ?? []) found.push(unmarshall(item));
        keys = out.UnprocessedKeys?.[this.table]?.Keys;
        if (keys?.length) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
      if (keys?.length) throw new Error(`${keys.length} upload records still unprocessed after 8 attempts`);
    }
    return found;
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
    const own = ownItems(this.table, change, outcome);
    const adds = shardAdditions(change).map((a) => addItem(this.table, a.key, [a.deltas]));
    const cancelled = await transactionally(this.client, new TransactWriteItemsCommand({ TransactItems: [...own.items, ...adds] }));
    if (!cancelled) return 'applied';
    const failed = (i: number) => cancelled.conditionFailed(i);
    // This version is in the history already, or the upload was finished: written before.
    if (failed(own.history) || (own.finish >= 0 && failed(own.finish))) return 'done';
    if ([own.current, own.review, own.year, ...own.unchanged].some(failed) || cancelled.conflict) return 'conflict';
    throw cancelled.error;
  }

  async applyTogether(changes: readonly FinishingChange[]): Promise<boolean[]> {
    const written = changes.map(() => false);
    // One transaction after another: side by side, they would conflict on their shared rollup shards.
    for (const pack of packChanges(this.table, changes)) {
      try {
        const cancelled = await transactionally(this.client, new TransactWriteItemsCommand({ TransactItems: [...pack.items] }));
        if (!cancelled) for (const i of pack.changes) written[i] = true;
      } catch {
        // Not written as far as we know (a written one is found so when applied alone); applied alone, its error is the file's.
      }
    }
    return written;
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
    return conditionally(this.client, new UpdateItemCommand(finishUpdate(this.table, outcome)));
  }

  async recordUnexpected(outcome: UploadOutcome): Promise<void> {
    // Recorded once: a redelivered event of the same object finds it there.
    await conditionally(
      this.client,
      new PutItemCommand({
        TableName: this.table,
        Item: toItem({ ...key.upload(outcome.uploadId), ...recordOf(outcome), ...UNEXPECTED }),
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

  private queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
    return queryAll(this.client, input);
  }
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
