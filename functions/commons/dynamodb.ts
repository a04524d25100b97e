/** The DynamoDB client, once per container (endpoint, region, credentials from the environment). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export const dynamodb = new DynamoDBClient({});
