/** A conditional write whose failed condition is an answer, not an error. */
import { ConditionalCheckFailedException, type DynamoDBClient, type PutItemCommand, type UpdateItemCommand } from '@aws-sdk/client-dynamodb';

/** Sends a conditional Put or Update; false when its condition failed. */
export async function conditionally(client: DynamoDBClient, command: PutItemCommand | UpdateItemCommand): Promise<boolean> {
  try {
    await client.send(command as PutItemCommand);
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
