/**
 * The credential store on DynamoDB, in the single table (its items: dynamodb-keys.ts).
 * Verification is one consistent GetItem by id; the list is one Query of GSI1 (no Scan),
 * which never reads the hash out (a projection). Writes are conditional: an issued id is
 * never overwritten, and only an existing token can be revoked.
 *
 * GSI1 is eventually consistent in AWS: a token just issued may be missing from a list for
 * a moment (it verifies at once: that read is on the table).
 */
import {
  ConditionalCheckFailedException,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { decodeCursor, encodeCursor, infoOf, listKey, pageLimit, tokenErrors } from '../auth/tokens.ts';
import type { Revocation, TokenPage, TokenRecord, TokenStore } from '../ports/tokens.ts';
import { conditionally, transactionally } from './dynamodb-conditional.ts';
import { DynamoTokenReader, infoFrom, recordOf } from './dynamodb-token-reader.ts';
import { GSI1, index, key } from './dynamodb-keys.ts';

// Names for every attribute: role, hash, unit, note… may be reserved words in expressions.
const INFO_NAMES = {
  '#id': 'tokenId',
  '#role': 'role',
  '#unit': 'unit',
  '#town': 'town',
  '#c': 'createdAt',
  '#e': 'expiresAt',
  '#r': 'revokedAt',
  '#n': 'note',
};
const INFO_PROJECTION = Object.keys(INFO_NAMES).join(', ');

/** The whole store: the reader's GetItem, and the admin's issue, list and revoke. */
export class DynamoTokens extends DynamoTokenReader implements TokenStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {
    super(client, table);
  }

  async put(record: TokenRecord, minter?: string): Promise<boolean> {
    const put = {
      TableName: this.table,
      Item: marshall({ ...key.token(record.tokenId), ...index.token(listKey(record)), ...record }, { removeUndefinedValues: true }),
      ConditionExpression: 'attribute_not_exists(PK)',
    };
    if (minter === undefined) return conditionally(this.client, new PutItemCommand(put));
    // The new token and its minter's standing in one transaction: a revocation cannot land in between.
    const cancelled = await transactionally(
      this.client,
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: put },
          {
            ConditionCheck: {
              TableName: this.table,
              Key: marshall(key.token(minter)),
              ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(#r)',
              ExpressionAttributeNames: { '#r': 'revokedAt' },
            },
          },
        ],
      }),
    );
    if (!cancelled) return true;
    if (cancelled.conditionFailed(1)) throw tokenErrors.revoked();
    if (cancelled.conditionFailed(0)) return false;
    throw cancelled.error;
  }

  async list(page: { readonly limit?: number; readonly cursor?: string } = {}): Promise<TokenPage> {
    const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
    if (page.cursor !== undefined && !after) throw new RangeError(`not a token list cursor: ${page.cursor}`);
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: GSI1,
        KeyConditionExpression: 'GSI1PK = :p',
        ExpressionAttributeValues: marshall({ ':p': index.tokens() }),
        ProjectionExpression: INFO_PROJECTION,
        ExpressionAttributeNames: INFO_NAMES,
        Limit: pageLimit(page.limit),
        ...(after ? { ExclusiveStartKey: marshall({ ...key.token(after.tokenId), ...index.token(listKey(after)) }) } : {}),
      }),
    );
    const tokens = (out.Items ?? []).map(infoFrom);
    const last = tokens.at(-1);
    // The cursor is ours (the last token's list key), not DynamoDB's key: callers see no table layout.
    return { tokens, ...(out.LastEvaluatedKey && last ? { cursor: encodeCursor(last) } : {}) };
  }

  async revoke(tokenId: string, at: string): Promise<Revocation> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: marshall(key.token(tokenId)),
          // The first revocation's time stays: revoking twice is harmless, and says so.
          UpdateExpression: 'SET #r = if_not_exists(#r, :at)',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: { '#r': 'revokedAt' },
          ExpressionAttributeValues: marshall({ ':at': at }),
          ReturnValues: 'ALL_OLD',
        }),
      );
      if (!Attributes) throw tokenErrors.unknown('no-such-token');
      const before = infoOf(recordOf(Attributes));
      return before.revokedAt === undefined
        ? { info: { ...before, revokedAt: at }, alreadyRevoked: false }
        : { info: before, alreadyRevoked: true };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw tokenErrors.unknown('no-such-token');
      throw error;
    }
  }
}

/** A stored item as a record; a damaged one throws (it must never authorise anyone). */
