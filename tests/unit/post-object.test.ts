/**
 * A POST Object's fields checked as S3 checks them (infra/local/s3-gate/post-object.ts),
 * without a server: the fields the SDK's createPresignedPost hands out, signed by the
 * SDK and verified by the gate's signature check (the SDK's signer too), then the policy,
 * then the key; and the order in which S3 names what is missing.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPostObject } from '../../infra/local/s3-gate/post-object.ts';
import type { FormFields } from '../../infra/local/s3-gate/post-policy.ts';
import { signatureVerifier } from '../../infra/local/s3-gate/signature.ts';

const BUCKET = 'cunbao-local';
const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const KEY = 'incoming/V03/2025-03/报表.csv';
const verify = signatureVerifier(CREDENTIALS, REGION);
const clients: S3Client[] = [];

afterAll(() => {
  for (const client of clients) client.destroy();
});

/** What the API hands a browser: a POST policy for one key, 1..1024 bytes of text/csv. */
async function presigned(
  options: { key?: string; secretAccessKey?: string; fields?: Record<string, string> } = {},
): Promise<Record<string, string>> {
  const client = new S3Client({
    region: REGION,
    endpoint: 'http://127.0.0.1:1',
    forcePathStyle: true,
    credentials: { ...CREDENTIALS, ...(options.secretAccessKey ? { secretAccessKey: options.secretAccessKey } : {}) },
  });
  clients.push(client);
  const post = await createPresignedPost(client, {
    Bucket: BUCKET,
    Key: options.key ?? KEY,
    Conditions: [
      ['content-length-range', 1, 1024],
      ['eq', '$Content-Type', 'text/csv'],
    ],
    Fields: { 'Content-Type': 'text/csv', ...options.fields },
    Expires: 600,
  });
  return post.fields;
}

const without = (fields: Record<string, string>, name: string) =>
  Object.fromEntries(Object.entries(fields).filter(([field]) => field !== name));

const form = (fields: Record<string, string>): FormFields =>
  new Map(Object.entries(fields).map(([name, value]) => [name.toLowerCase(), { name, value }]));

const checkFields = (fields: Record<string, string>) =>
  checkPostObject({ bucket: BUCKET, fields: form(fields), now: new Date(), maxFileBytes: 100 * 1024 * 1024 }, verify);

const codeOf = (checked: Awaited<ReturnType<typeof checkFields>>) =>
  checked.ok ? undefined : [checked.refusal.status, checked.refusal.code, checked.refusal.message];

describe('checkPostObject', () => {
  it('accepts the fields the SDK signed: the key, its Content-Type, the size range and a 204 answer', async () => {
    const fields = await presigned({ fields: { 'x-amz-meta-unit': 'V03' } });

    const checked = await checkFields(fields);

    expect(checked).toEqual({
      ok: true,
      value: {
        key: KEY,
        contentType: 'text/csv',
        size: { min: 1, max: 1024 },
        headers: { 'x-amz-meta-unit': 'V03' },
        successStatus: 204,
        redirect: undefined,
      },
    });
  });

  it('answers 201 when success_action_status 201 is signed', async () => {
    const fields = await presigned({ fields: { success_action_status: '201' } });

    const checked = await checkFields(fields);

    expect(checked.ok && checked.value.successStatus).toBe(201);
  });

  it('refuses fields signed with another secret: 403 SignatureDoesNotMatch', async () => {
    const fields = await presigned({ secretAccessKey: 'not-the-secret' });

    const checked = await checkFields(fields);

    expect(codeOf(checked)?.slice(0, 2)).toEqual([403, 'SignatureDoesNotMatch']);
  });

  it('checks the signature before the policy: a changed policy is SignatureDoesNotMatch, not a policy refusal', async () => {
    const fields = await presigned();

    const checked = await checkFields({
      ...fields,
      Policy: Buffer.from('{"expiration": "2000-01-01T00:00:00Z", "conditions": []}').toString('base64'),
    });

    expect(codeOf(checked)?.slice(0, 2)).toEqual([403, 'SignatureDoesNotMatch']);
  });

  it('refuses a key the policy does not sign: 403 AccessDenied', async () => {
    const fields = await presigned();

    const checked = await checkFields({ ...fields, key: KEY.replace('/V03/', '/V04/') });

    expect(codeOf(checked)).toEqual([
      403,
      'AccessDenied',
      `Invalid according to Policy: Policy Condition failed: ["eq", "$key", "${KEY}"]`,
    ]);
  });

  it('refuses a form without a key first, then one without a policy (anonymous)', async () => {
    const fields = await presigned();

    const noKey = await checkFields(without(fields, 'key'));
    const anonymous = await checkFields(without(fields, 'Policy'));

    expect(codeOf(noKey)).toEqual([
      400,
      'InvalidArgument',
      "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
    ]);
    expect(codeOf(anonymous)).toEqual([403, 'AccessDenied', 'Access Denied']);
  });

  it.each(['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Signature'])(
    'refuses a form without %s: 400 InvalidArgument naming it',
    async (name) => {
      const fields = await presigned();

      const checked = await checkFields(without(fields, name));

      expect(codeOf(checked)?.slice(0, 2)).toEqual([400, 'InvalidArgument']);
      expect(codeOf(checked)?.[2]).toContain(`'${name.toLowerCase()}'`);
    },
  );

  it('refuses a credential for another region: 400 InvalidArgument', async () => {
    const fields = await presigned();
    const credential = fields['X-Amz-Credential'] ?? '';

    const checked = await checkFields({ ...fields, 'X-Amz-Credential': credential.replace(`/${REGION}/`, '/cn-north-1/') });

    expect(codeOf(checked)?.slice(0, 2)).toEqual([400, 'InvalidArgument']);
  });

  it('answers 501 NotImplemented for a signed key with ${filename}, which the gate does not substitute', async () => {
    const key = 'incoming/V03/2025-03/${filename}';
    const fields = await presigned({ key });

    const checked = await checkFields(fields);

    expect(codeOf(checked)?.slice(0, 2)).toEqual([501, 'NotImplemented']);
  });
});
