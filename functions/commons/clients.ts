/**
 * AWS SDK clients, created once per container. Endpoints, region and credentials come
 * from the environment (AWS_ENDPOINT_URL_S3 / _DYNAMODB locally), so there is no local
 * branch here. Checksums only when required: s3rver would store aws-chunked framing.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';

export const dynamodb = new DynamoDBClient({});
export const s3 = new S3Client({ requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED', forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined });
