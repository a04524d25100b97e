/**
 * A token's record by its id, and nothing else: one consistent GetItem. What the
 * authorizer verifies a token with, so that its role may read the table's token items and
 * do nothing more (infra/wiring.ts: its table actions are GetItem alone).
 */
import { GetItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { principalOf } from '../auth/principals.ts';
import type { TokenInfo, TokenRecord, TokenStore } from '../ports/tokens.ts';
import { decodeTokenItem, key } from './dynamodb-keys.ts';

type Item = Record<string, AttributeValue>;

export class DynamoTokenReader implements Pick<TokenStore, 'get'> {
  constructor(
    private readonly reader: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async get(tokenId: string): Promise<TokenRecord | undefined> {
    const { Item } = await this.reader.send(
      new GetItemCommand({ TableName: this.tableName, Key: marshall(key.token(tokenId)), ConsistentRead: true }),
    );
    return Item ? recordOf(Item) : undefined;
  }
}

/** A token item as a record (its hash required). */
export function recordOf(item: Item): TokenRecord {
  const info = infoFrom(item);
  const { hash } = decodeTokenItem(unmarshall(item));
  if (hash === undefined) throw new Error(`token ${info.tokenId}: stored without a hash`);
  return { ...info, hash };
}

/** A token item's fields without its hash (what the list shows). */
export function infoFrom(item: Item): TokenInfo {
  const { tokenId, role, unit, town, createdAt, expiresAt, revokedAt, note } = decodeTokenItem(unmarshall(item));
  const principal = principalOf({ role, unit, town });
  return {
    tokenId,
    role: principal.role,
    ...(principal.role === 'village' ? { unit: principal.unit } : {}),
    ...(principal.role === 'town' ? { town: principal.town } : {}),
    createdAt,
    expiresAt,
    ...(revokedAt ? { revokedAt } : {}),
    ...(note ? { note } : {}),
  };
}
