/**
 * Presigned POSTs on S3: a form that can create exactly one key, of one content type, of
 * at most `maxBytes` bytes, until it expires. S3 enforces the policy (locally, the gate in
 * front of s3rver does: infra/local/s3-gate.ts).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { UploadPresigner } from '../ports/api.ts';

export class S3Presigner implements UploadPresigner {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async presign(input: {
    key: string;
    contentType: string;
    maxBytes: number;
    expiresInSeconds: number;
  }): Promise<{ url: string; fields: Record<string, string> }> {
    return createPresignedPost(this.client, {
      Bucket: this.bucket,
      Key: input.key,
      Conditions: [
        ['content-length-range', 1, input.maxBytes],
        ['eq', '$Content-Type', input.contentType],
      ],
      Fields: { 'Content-Type': input.contentType },
      Expires: input.expiresInSeconds,
    });
  }
}
