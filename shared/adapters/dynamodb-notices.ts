/**
 * The notices' claims (shared/ports/notices.ts) on the table: one item per notice and
 * channel, `sending` under a lease while a run sends it, `sent` once it went out (final),
 * `failed` with the last error (claimable again). Conditional writes decide between runs,
 * one request a claim.
 */
import { ConditionalCheckFailedException, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { ClaimResult, NoticeLog } from '../ports/notices.ts';
import { conditionally } from './dynamodb-conditional.ts';
import { key } from './dynamodb-keys.ts';

export class DynamoNotices implements NoticeLog {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  async claim(noticeId: string, channel: string, now: Date, leaseUntil: Date): Promise<ClaimResult> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: marshall(key.notice(noticeId, channel)),
          UpdateExpression: 'SET #s = :sending, leaseUntil = :lease, claimedAt = :now',
          ConditionExpression: 'attribute_not_exists(PK) OR #s = :failed OR (#s = :sending AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#s': 'state' },
          ExpressionAttributeValues: marshall({
            ':sending': 'sending',
            ':failed': 'failed',
            ':lease': leaseUntil.toISOString(),
            ':now': now.toISOString(),
          }),
          // A claim refused says why in the same request: sent already, or being sent.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return error.Item && unmarshall(error.Item)['state'] === 'sent' ? 'sent' : 'busy';
    }
  }

  async sent(noticeId: string, channel: string, at: Date, detail: { parts: number; mergedWith: number }): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.table,
        Key: marshall(key.notice(noticeId, channel)),
        UpdateExpression: 'SET #s = :sent, sentAt = :at, parts = :parts, mergedWith = :merged REMOVE leaseUntil',
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: marshall({
          ':sent': 'sent',
          ':at': at.toISOString(),
          ':parts': detail.parts,
          ':merged': detail.mergedWith,
        }),
      }),
    );
  }

  async failed(noticeId: string, channel: string, at: Date, error: string): Promise<void> {
    // Never over a sent one (a slow run whose lease ran out while another sent it).
    await conditionally(
      this.client,
      new UpdateItemCommand({
        TableName: this.table,
        Key: marshall(key.notice(noticeId, channel)),
        UpdateExpression:
          'SET #s = :failed, failedAt = :at, lastError = :error, attempts = if_not_exists(attempts, :zero) + :one REMOVE leaseUntil',
        ConditionExpression: 'attribute_exists(PK) AND #s <> :sent',
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: marshall({
          ':failed': 'failed',
          ':sent': 'sent',
          ':at': at.toISOString(),
          ':error': error.slice(0, 1000),
          ':zero': 0,
          ':one': 1,
        }),
      }),
    );
  }
}
