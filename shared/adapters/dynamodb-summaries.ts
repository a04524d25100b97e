/**
 * The archive of published summaries: each revision's document in S3 (it grows with the
 * units; an item stops at 400 KB), its hash and version in DynamoDB, and a LATEST item
 * that says which revision is current and which was notified; with the scheduler's last
 * run (the items: dynamodb-keys.ts; the S3 keys: shared/layout.ts). The notices' claims
 * are shared/adapters/dynamodb-notices.ts.
 */
import {
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { summaryKey } from '../layout.ts';
import type { ObjectStore } from '../ports/objects.ts';
import type { LatestRevision, PublishedSummary, SummaryArchive, SummaryKind } from '../ports/summaries.ts';
import { conditionally, transactionally } from './dynamodb-conditional.ts';
import { decodeLatest, decodePublishedPeriod, decodeSchedulerRun, GSI1, index, key } from './dynamodb-keys.ts';

export class DynamoSummaries implements SummaryArchive {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly store: ObjectStore,
  ) {}

  async latest(org: string, kind: SummaryKind, period: string): Promise<LatestRevision | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: marshall(key.summaryLatest(org, kind, period)), ConsistentRead: true }),
    );
    return Item ? decodeLatest(unmarshall(Item)) : undefined;
  }

  async revision(org: string, kind: SummaryKind, period: string, revision: number): Promise<PublishedSummary | undefined> {
    const bytes = await this.store.get(summaryKey(org, kind, period, revision));
    return bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as PublishedSummary) : undefined;
  }

  async save(summary: PublishedSummary, hash: string, previous: number): Promise<boolean> {
    const { org, kind, period, revision, version, publishedAt } = summary;
    const fields = Object.entries({ revision, version, hash, publishedAt, org, kind, period, ...index.summaryLatest(org, kind, period) });
    const cancelled = await transactionally(
      this.client,
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.table,
              Item: marshall({
                ...key.summaryRevision(org, kind, period, revision),
                org,
                kind,
                period,
                revision,
                version,
                hash,
                publishedAt,
                key: summaryKey(org, kind, period, revision),
              }),
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          {
            Update: {
              TableName: this.table,
              Key: marshall(key.summaryLatest(org, kind, period)),
              // Names for all: revision, hash, period… are reserved words in expressions.
              UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :f${i}`).join(', ')}`,
              ExpressionAttributeNames: {
                ...Object.fromEntries(fields.map(([name], i) => [`#f${i}`, name])),
                ...(previous === 0 ? {} : { '#previous': 'revision' }),
              },
              ConditionExpression: previous === 0 ? 'attribute_not_exists(PK)' : '#previous = :previous',
              ExpressionAttributeValues: marshall({
                ...Object.fromEntries(fields.map(([, value], i) => [`:f${i}`, value])),
                ...(previous === 0 ? {} : { ':previous': previous }),
              }),
            },
          },
        ],
      }),
    );
    // Another publisher stored this revision first.
    return cancelled === undefined;
  }

  async seen(org: string, kind: SummaryKind, period: string, revision: number, version: number): Promise<void> {
    await this.conditional(
      new UpdateItemCommand({
        TableName: this.table,
        Key: marshall(key.summaryLatest(org, kind, period)),
        UpdateExpression: 'SET #v = :v',
        ConditionExpression: '#r = :r',
        ExpressionAttributeNames: { '#v': 'version', '#r': 'revision' },
        ExpressionAttributeValues: marshall({ ':v': version, ':r': revision }),
      }),
    );
  }

  async markEmailed(org: string, kind: SummaryKind, period: string, revision: number): Promise<void> {
    await this.conditional(
      new UpdateItemCommand({
        TableName: this.table,
        Key: marshall(key.summaryLatest(org, kind, period)),
        UpdateExpression: 'SET emailedRevision = :r',
        ConditionExpression: 'attribute_not_exists(emailedRevision) OR emailedRevision < :r',
        ExpressionAttributeValues: marshall({ ':r': revision }),
      }),
    );
  }

  async published(org: string, kind: SummaryKind, limit: number): Promise<string[]> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: GSI1,
        KeyConditionExpression: 'GSI1PK = :g',
        ExpressionAttributeValues: marshall({ ':g': index.summaries(org, kind) }),
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((item) => decodePublishedPeriod(unmarshall(item)));
  }

  async lastScheduleRun(): Promise<string | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: marshall(key.scheduler()), ConsistentRead: true }),
    );
    return Item ? decodeSchedulerRun(unmarshall(Item)) : undefined;
  }

  async saveScheduleRun(at: string): Promise<void> {
    // Never backwards: a late, slower run does not rewind the window.
    await this.conditional(
      new PutItemCommand({
        TableName: this.table,
        Item: marshall({ ...key.scheduler(), lastRunAt: at }),
        ConditionExpression: 'attribute_not_exists(PK) OR lastRunAt < :at',
        ExpressionAttributeValues: marshall({ ':at': at }),
      }),
    );
  }

  private conditional(command: UpdateItemCommand | PutItemCommand): Promise<boolean> {
    return conditionally(this.client, command);
  }
}
