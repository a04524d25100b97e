/** The table's schema, for the local stack and tests (the CDK stack declares the same from TABLE_KEYS). */
import { CreateTableCommand, DescribeTableCommand, ResourceInUseException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TABLE_KEYS } from './dynamodb-keys.ts';

// The CDK stacks import the schema from here (infra/cdk); its one definition is dynamodb-keys.ts.
export { TABLE_KEYS };

/** Creates the table if it does not exist (on-demand, with GSI1). */
export async function ensureTable(client: DynamoDBClient, table: string): Promise<void> {
  const { partitionKey, sortKey, gsi1 } = TABLE_KEYS;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [partitionKey, sortKey, gsi1.partitionKey, gsi1.sortKey].map((name) => ({
          AttributeName: name,
          AttributeType: 'S',
        })),
        KeySchema: [
          { AttributeName: partitionKey, KeyType: 'HASH' },
          { AttributeName: sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: gsi1.name,
            KeySchema: [
              { AttributeName: gsi1.partitionKey, KeyType: 'HASH' },
              { AttributeName: gsi1.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await client.send(new DescribeTableCommand({ TableName: table }));
}
