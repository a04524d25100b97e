/**
 * AWS SDK clients, created once per container. Endpoints, region and credentials come
 * from the environment (AWS_ENDPOINT_URL_S3 / _DYNAMODB locally), so there is no local
 * branch here. Each client has its own module, so that a function bundles only those it
 * imports (the authorizer: DynamoDB alone).
 */
export { dynamodb } from './dynamodb.ts';
export { s3Client } from './s3.ts';
