/** Conditional writes whose failed condition is an answer, not an error. */
import {
  ConditionalCheckFailedException,
  PutItemCommand,
  TransactionCanceledException,
  type DynamoDBClient,
  type TransactWriteItemsCommand,
  type UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';

/** Sends a conditional Put or Update; false when its condition failed. */
export async function conditionally(client: DynamoDBClient, command: PutItemCommand | UpdateItemCommand): Promise<boolean> {
  try {
    await (command instanceof PutItemCommand ? client.send(command) : client.send(command));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Why a transaction was cancelled: which of its items' conditions failed, and whether another transaction was in the way. */
export interface Cancellation {
  conditionFailed(item: number): boolean;
  readonly conflict: boolean;
  /** The SDK's error, for a cancellation the caller has no answer for. */
  readonly error: Error;
}

/** Sends a transaction; its cancellation as a value (any other error is thrown). */
export async function transactionally(client: DynamoDBClient, command: TransactWriteItemsCommand): Promise<Cancellation | undefined> {
  try {
    await client.send(command);
    return undefined;
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    return {
      conditionFailed: (i) => reasons[i]?.Code === 'ConditionalCheckFailed',
      conflict: reasons.some((r) => r.Code === 'TransactionConflict'),
      error,
    };
  }
}
