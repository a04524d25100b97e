/**
 * The table's billed size, from its items: DynamoDB bills an item as its attribute names'
 * and values' UTF-8 bytes plus 100 bytes of overhead, and an item projected into GSI1
 * (projection ALL) a second time. DynamoDB Local does not report TableSizeBytes, so the
 * items are read back (by the measuring code's own client: this Scan is not metered).
 */
import { type AttributeValue, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { TABLE_KEYS } from '../../shared/adapters/dynamodb-keys.ts';

const ITEM_OVERHEAD = 100;

function valueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  // A number is stored in about one byte per two significant digits, plus one.
  if (value.N !== undefined) return Math.ceil(value.N.replace(/[-.]/g, '').length / 2) + 1;
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS) return value.SS.reduce((n, s) => n + Buffer.byteLength(s), 0);
  if (value.NS) return value.NS.reduce((n, s) => n + s.length, 0);
  if (value.L) return 3 + value.L.reduce((n, v) => n + 1 + valueBytes(v), 0);
  if (value.M) return 3 + mapBytes(value.M);
  return 0;
}

function mapBytes(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce((n, [name, value]) => n + Buffer.byteLength(name) + valueBytes(value), 0);
}

/** Billed bytes of one item, its GSI1 copy included. */
function itemBytes(item: Record<string, AttributeValue>): number {
  const base = mapBytes(item) + ITEM_OVERHEAD;
  return item[TABLE_KEYS.gsi1.partitionKey] ? 2 * base : base;
}

export async function tableBytes(client: DynamoDBClient, table: string): Promise<number> {
  let total = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ...(start ? { ExclusiveStartKey: start } : {}) }));
    for (const item of page.Items ?? []) total += itemBytes(item);
    start = page.LastEvaluatedKey;
  } while (start);
  return total;
}
