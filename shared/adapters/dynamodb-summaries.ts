/**
 * The archive of published summaries: each revision's document in S3 (it grows with the
 * units; an item stops at 400 KB), its hash and version in DynamoDB, and a LATEST item
 * that says which revision is current and which was mailed.
 *
 * | item | PK | SK | GSI1PK / GSI1SK |
 * |---|---|---|---|
 * | a revision | `SUMMARY#{kind}#{period}` | `REV#{nnnn}` | |
 * | the latest revision | `SUMMARY#{kind}#{period}` | `LATEST` | `SUMMARIES#{kind}` / `{period}` |
 * | a reminder sent | `REMINDER#{yyyy-mm}` | `SENT` | |
 * | the scheduler's last run | `SCHEDULER` | `STATE` | |
 */
import {
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { ObjectStore } from '../ingest/ports.ts';
import type { LatestRevision, PublishedSummary, SummaryArchive, SummaryKind } from '../publish/ports.ts';
import { summaryKey } from '../publish/publish.ts';
import { conditionally } from './dynamodb-conditional.ts';

const pk = (kind: SummaryKind, period: string) => `SUMMARY#${kind}#${period}`;
const rev = (n: number) => `REV#${String(n).padStart(4, '0')}`;

export class DynamoSummaries implements SummaryArchive {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly store: ObjectStore,
  ) {}

  async latest(kind: SummaryKind, period: string): Promise<LatestRevision | undefined> {
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.table, Key: marshall({ PK: pk(kind, period), SK: 'LATEST' }), ConsistentRead: true }));
    if (!Item) return undefined;
    const { revision, version, hash, emailedRevision } = unmarshall(Item) as LatestRevision;
    return { revision, version, hash, emailedRevision: emailedRevision ?? 0 };
  }

  async revision(kind: SummaryKind, period: string, revision: number): Promise<PublishedSummary | undefined> {
    const bytes = await this.store.get(summaryKey(kind, period, revision));
    return bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as PublishedSummary) : undefined;
  }

  async save(summary: PublishedSummary, hash: string, previous: number): Promise<boolean> {
    const { kind, period, revision, version, publishedAt } = summary;
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: marshall({ PK: pk(kind, period), SK: rev(revision), kind, period, revision, version, hash, publishedAt, key: summaryKey(kind, period, revision) }),
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: marshall({ PK: pk(kind, period), SK: 'LATEST' }),
                // Names for all: revision, hash, period… are reserved words in expressions.
                UpdateExpression: 'SET #r = :r, #v = :v, #h = :h, #at = :at, #k = :k, #p = :p, GSI1PK = :g, GSI1SK = :p',
                ExpressionAttributeNames: { '#r': 'revision', '#v': 'version', '#h': 'hash', '#at': 'publishedAt', '#k': 'kind', '#p': 'period' },
                ConditionExpression: previous === 0 ? 'attribute_not_exists(PK)' : '#r = :previous',
                ExpressionAttributeValues: marshall({
                  ':r': revision,
                  ':v': version,
                  ':h': hash,
                  ':at': publishedAt,
                  ':k': kind,
                  ':p': period,
                  ':g': `SUMMARIES#${kind}`,
                  ...(previous === 0 ? {} : { ':previous': previous }),
                }),
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }

  async seen(kind: SummaryKind, period: string, revision: number, version: number): Promise<void> {
    await this.conditional(
      new UpdateItemCommand({
        TableName: this.table,
        Key: marshall({ PK: pk(kind, period), SK: 'LATEST' }),
        UpdateExpression: 'SET #v = :v',
        ConditionExpression: '#r = :r',
        ExpressionAttributeNames: { '#v': 'version', '#r': 'revision' },
        ExpressionAttributeValues: marshall({ ':v': version, ':r': revision }),
      }),
    );
  }

  async markEmailed(kind: SummaryKind, period: string, revision: number): Promise<void> {
    await this.conditional(
      new UpdateItemCommand({
        TableName: this.table,
        Key: marshall({ PK: pk(kind, period), SK: 'LATEST' }),
        UpdateExpression: 'SET emailedRevision = :r',
        ConditionExpression: 'attribute_not_exists(emailedRevision) OR emailedRevision < :r',
        ExpressionAttributeValues: marshall({ ':r': revision }),
      }),
    );
  }

  async published(kind: SummaryKind, limit: number): Promise<string[]> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :g',
        ExpressionAttributeValues: marshall({ ':g': `SUMMARIES#${kind}` }),
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((item) => unmarshall(item)['period'] as string);
  }

  async claimReminder(period: string): Promise<boolean> {
    return this.conditional(
      new PutItemCommand({
        TableName: this.table,
        Item: marshall({ PK: `REMINDER#${period}`, SK: 'SENT', period, sentAt: new Date().toISOString() }),
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async lastScheduleRun(): Promise<string | undefined> {
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.table, Key: marshall({ PK: 'SCHEDULER', SK: 'STATE' }), ConsistentRead: true }));
    return Item ? (unmarshall(Item)['lastRunAt'] as string) : undefined;
  }

  async saveScheduleRun(at: string): Promise<void> {
    // Never backwards: a late, slower run does not rewind the window.
    await this.conditional(
      new PutItemCommand({
        TableName: this.table,
        Item: marshall({ PK: 'SCHEDULER', SK: 'STATE', lastRunAt: at }),
        ConditionExpression: 'attribute_not_exists(PK) OR lastRunAt < :at',
        ExpressionAttributeValues: marshall({ ':at': at }),
      }),
    );
  }

  private conditional(command: UpdateItemCommand | PutItemCommand): Promise<boolean> {
    return conditionally(this.client, command);
  }
}
