/**
 * Review decisions on DynamoDB: one transaction per decision, conditional on the month's
 * version and its last decision as the reviewer saw them, with the decision's audit entry.
 */
import { GetItemCommand, TransactWriteItemsCommand, type DynamoDBClient, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { Month } from '../period.ts';
import type { AuditEntry } from '../ports/ledger.ts';
import type { ReviewedMonth, ReviewStore } from '../ports/reviews.ts';
import type { Review } from '../ports/reviews.ts';
import { transactionally } from './dynamodb-conditional.ts';
import { decodeAudit, decodeReview, decodeSubmission, decodeVersion, index, key, range } from './dynamodb-keys.ts';
import { currentIs, DynamoLedger, reviewIs, toItem } from './dynamodb-ledger.ts';
import { queryAll } from './dynamodb-query.ts';

export class DynamoReviews implements ReviewStore {
  /** The same table's ledger: the summaries read a month's decisions through it as well. */
  private readonly ledger: DynamoLedger;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {
    this.ledger = new DynamoLedger(client, table);
  }

  async month(unit: string, period: Month): Promise<ReviewedMonth> {
    const get = async (k: { PK: string; SK: string }) =>
      (await this.client.send(new GetItemCommand({ TableName: this.table, Key: marshall(k), ConsistentRead: true }))).Item;
    const [current, review] = await Promise.all([get(key.current(unit, period)), get(key.review(unit, period))]);
    return {
      current: current ? decodeSubmission(unmarshall(current)) : undefined,
      review: review ? decodeReview(unmarshall(review)) : undefined,
    };
  }

  async decide(next: Review, seen: ReviewedMonth, entry: AuditEntry): Promise<'applied' | 'conflict'> {
    const { unit, period } = next;
    const cancelled = await transactionally(
      this.client,
      new TransactWriteItemsCommand({
        TransactItems: [
          { ConditionCheck: { TableName: this.table, Key: marshall(key.current(unit, period)), ...currentIs(seen.current) } },
          {
            Put: {
              TableName: this.table,
              Item: toItem({ ...key.review(unit, period), ...next, type: 'review', ...index.review(unit, period) }),
              ...reviewIs(seen.review),
            },
          },
          {
            Put: {
              TableName: this.table,
              Item: toItem({ ...key.audit(unit, period, entry.at, `${entry.kind}-${next.rev}`), ...entry, type: 'audit' }),
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        ],
      }),
    );
    if (!cancelled) return 'applied';
    if ([0, 1, 2].some((i) => cancelled.conditionFailed(i)) || cancelled.conflict) return 'conflict';
    throw cancelled.error;
  }

  async reviewsOfMonth(period: Month, town?: string): Promise<Review[]> {
    return this.ledger.reviewsOfMonth(period, town);
  }

  async unitMonths(unit: string, from: Month, to: Month) {
    const between = ({ PK, lo, hi }: { PK: string; lo: string; hi: string }): QueryCommandInput => ({
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :lo AND :hi',
      ExpressionAttributeValues: marshall({ ':pk': PK, ':lo': lo, ':hi': hi }),
      ConsistentRead: true,
    });
    const [current, reviews] = await Promise.all([
      queryAll(this.client, between(range.months(unit, from, to))),
      queryAll(this.client, between(range.reviews(unit, from, to))),
    ]);
    return { current: current.map(decodeSubmission), reviews: reviews.map(decodeReview) };
  }

  async trail(unit: string, period: Month) {
    const prefixed = ({ PK, prefix }: { PK: string; prefix: string }): QueryCommandInput => ({
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: marshall({ ':pk': PK, ':prefix': prefix }),
      ConsistentRead: true,
    });
    const [versions, entries, month] = await Promise.all([
      queryAll(this.client, prefixed(range.history(unit, period))),
      queryAll(this.client, prefixed(range.audit(unit, period))),
      this.month(unit, period),
    ]);
    return { versions: versions.map((item, i) => decodeVersion(item, i + 1)), entries: entries.map(decodeAudit), ...month };
  }
}
