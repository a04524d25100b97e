/**
 * The S3 client, once per container. Checksums only when required: s3rver would store
 * aws-chunked framing. Path-style addressing when an endpoint is given (local S3).
 */
import { S3Client } from '@aws-sdk/client-s3';
import type { Environment } from './environment.ts';

export function s3Client(env: Environment<'AWS_ENDPOINT_URL_S3'>): S3Client {
  return new S3Client({
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    forcePathStyle: env.AWS_ENDPOINT_URL_S3 !== undefined,
  });
}
