/**
 * The local S3 gate in front of s3rver: browser uploads (POST Object from the SDK's
 * createPresignedPost, sent with fetch + FormData) are checked as S3 checks them, and
 * every other request reaches s3rver unchanged. Its own s3rver in a temp dir, not the
 * shared stack.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost, type PresignedPost } from '@aws-sdk/s3-presigned-post';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Gate, type RunningS3Gate } from '../../infra/local/s3-gate.ts';
import { startS3Local, type RunningS3, type S3EventRecord } from '../../infra/local/s3-local.ts';

const BUCKET = 'cunbao-local';
const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const MAX = 1024;
const ORIGIN = 'http://127.0.0.1:5173';
const CSV = new TextEncoder().encode('指标,数值\n人民调解成功件数,12\n');

let directory: string;
let s3rver: RunningS3;
let gate: RunningS3Gate;
let s3: S3Client;
const created: S3EventRecord[] = [];
let sequence = 0;

const clientFor = (options: { secretAccessKey?: string; accessKeyId?: string; systemClockOffset?: number } = {}) =>
  new S3Client({
    region: REGION,
    endpoint: gate.endpoint,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: {
      accessKeyId: options.accessKeyId ?? CREDENTIALS.accessKeyId,
      secretAccessKey: options.secretAccessKey ?? CREDENTIALS.secretAccessKey,
    },
    ...(options.systemClockOffset === undefined ? {} : { systemClockOffset: options.systemClockOffset }),
  });

/** A key of its own for each test, under a prefix of its own (so "nothing stored" can be listed). */
function freshKey(unit = 'V03'): { prefix: string; key: string } {
  const prefix = `gate-${++sequence}/`;
  return { prefix, key: `${prefix}incoming/${unit}/2025-03/报表.csv` };
}

/** What the API hands a browser: a POST policy for one key, 1..MAX bytes of text/csv. */
function presign(
  key: string,
  options: { client?: S3Client; expires?: number; fields?: Record<string, string> } = {},
): Promise<PresignedPost> {
  return createPresignedPost(options.client ?? s3, {
    Bucket: BUCKET,
    Key: key,
    Conditions: [
      ['content-length-range', 1, MAX],
      ['eq', '$Content-Type', 'text/csv'],
    ],
    Fields: { 'Content-Type': 'text/csv', ...options.fields },
    Expires: options.expires ?? 600,
  });
}

interface Answer {
  status: number;
  headers: Headers;
  body: string;
  code: string | undefined;
  message: string | undefined;
}

/** The browser's upload: the fields in order, then the file (FormData + fetch). */
async function upload(
  post: { url: string; fields: Record<string, string> },
  file: Uint8Array = CSV,
  options: { extra?: [string, string][]; after?: [string, string][] } = {},
): Promise<Answer> {
  const form = new FormData();
  for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
  for (const [name, value] of options.extra ?? []) form.append(name, value);
  form.append('file', new Blob([file], { type: 'text/csv' }), '报表.csv');
  for (const [name, value] of options.after ?? []) form.append(name, value);
  const response = await fetch(post.url, { method: 'POST', body: form, headers: { Origin: ORIGIN } });
  const body = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body,
    code: /<Code>([^<]*)<\/Code>/.exec(body)?.[1],
    message: /<Message>([^<]*)<\/Message>/.exec(body)?.[1],
  };
}

/** Nothing under the prefix in s3rver (HeadObject 404, empty listing) and no ObjectCreated event. */
async function expectNothingStored(prefix: string, key: string): Promise<void> {
  const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })).then(
    () => 200,
    (error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode,
  );
  expect(head).toBe(404);
  const listing = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  expect(listing.KeyCount ?? 0).toBe(0);
  expect(created.filter((record) => decodeURIComponent(record.s3.object.key.replace(/\+/g, ' ')).startsWith(prefix))).toEqual([]);
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'cunbao-s3-gate-'));
  s3rver = await startS3Local(join(directory, 's3'), BUCKET);
  s3rver.onObjectCreated((record) => created.push(record));
  gate = await startS3Gate({ upstream: s3rver.endpoint, credentials: CREDENTIALS, region: REGION });
  s3 = clientFor();
});

afterAll(async () => {
  s3?.destroy();
  await gate?.stop();
  await s3rver?.stop();
  await rm(directory, { recursive: true, force: true });
});

describe('a signed browser upload', () => {
  it('is stored and answered 204 with ETag and Location; s3rver fires ObjectCreated', async () => {
    const { prefix, key } = freshKey();
    const post = await presign(key);
    expect(post.url).toBe(`${gate.endpoint}/${BUCKET}`);

    const answer = await upload(post);

    expect(answer.status).toBe(204);
    expect(answer.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect(answer.headers.get('location')).toBe(
      `${gate.endpoint}/${BUCKET}/${prefix}incoming/V03/2025-03/${encodeURIComponent('报表.csv')}`,
    );
    expect(answer.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(object.ContentType).toBe('text/csv');
    expect(await object.Body!.transformToByteArray()).toEqual(CSV);
    expect(object.ETag).toBe(answer.headers.get('etag'));
    const events = created.filter((record) => record.s3.object.key.startsWith(prefix));
    expect(events).toHaveLength(1);
    expect(events[0]!.eventName).toMatch(/^ObjectCreated:/);
    expect(events[0]!.s3.object.size).toBe(CSV.length);
  });

  it('answers 201 with a PostResponse when the policy signs success_action_status 201', async () => {
    const { key } = freshKey();
    const post = await presign(key, { fields: { success_action_status: '201' } });

    const answer = await upload(post);

    expect(answer.status).toBe(201);
    expect(answer.body).toContain(`<Key>${key}</Key>`);
    expect(answer.body).toContain(`<Bucket>${BUCKET}</Bucket>`);
    expect(answer.body).toContain(`<ETag>${answer.headers.get('etag')}</ETag>`);
  });

  it('ignores fields after the file, as S3 does (they are neither checked nor used)', async () => {
    const { key } = freshKey();
    const post = await presign(key);

    const answer = await upload(post, CSV, { after: [['x-amz-meta-later', 'ignored']] });

    expect(answer.status).toBe(204);
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(head.Metadata?.later).toBeUndefined();
  });
});

describe('what the policy refuses (nothing is stored)', () => {
  it('refuses a key changed with ../ to another unit: 403 AccessDenied, condition failed', async () => {
    const { prefix, key } = freshKey();
    const post = await presign(key);
    const changed = `${prefix}incoming/V03/../V04/2025-03/报表.csv`;

    const answer = await upload({ url: post.url, fields: { ...post.fields, key: changed } });

    expect(answer.status).toBe(403);
    expect(answer.code).toBe('AccessDenied');
    expect(answer.message).toBe(`Invalid according to Policy: Policy Condition failed: ["eq", "$key", "${key}"]`);
    await expectNothingStored(prefix, changed);
    await expectNothingStored(prefix, key);
  });

  it("refuses another unit's key: 403", async () => {
    const { prefix, key } = freshKey('V03');
    const post = await presign(key);
    const other = key.replace('/V03/', '/V04/');

    const answer = await upload({ url: post.url, fields: { ...post.fields, key: other } });

    expect([answer.status, answer.code]).toEqual([403, 'AccessDenied']);
    await expectNothingStored(prefix, other);
  });

  it('refuses a file over the maximum: 400 EntityTooLarge', async () => {
    const { prefix, key } = freshKey();
    const post = await presign(key);

    const answer = await upload(post, new Uint8Array(MAX + 1).fill(0x41));

    expect([answer.status, answer.code]).toEqual([400, 'EntityTooLarge']);
    expect(answer.body).toContain(`<MaxSizeAllowed>${MAX}</MaxSizeAllowed>`);
    await expectNothingStored(prefix, key);
  });

  it('answers a much larger file (8 MiB) with EntityTooLarge as soon as it passes the maximum, and the client reads the answer', async () => {
    const { prefix, key } = freshKey();
    const post = await presign(key);

    const answer = await upload(post, new Uint8Array(8 * 1024 * 1024).fill(0x41));

    expect([answer.status, answer.code]).toEqual([400, 'EntityTooLarge']);
    // Reading stopped near the maximum, not at 8 MiB.
    expect(Number(/<ProposedSize>(\d+)<\/ProposedSize>/.exec(answer.body)?.[1])).toBeLessThan(1024 * 1024);
    await expectNothingStored(prefix, key);
  });

  it('refuses an empty file when the minimum is 1: 400 EntityTooSmall', async () => {
    const { prefix, key } = freshKey();
    const post = await presign(key);

    const answer = await upload(post, new Uint8Array(0));

    expect([answer.status, answer.code]).toEqual([400, 'EntityTooSmall']);
    await expectNothingStored(prefix, key);
  });

  it('refuses another Content-Type: 403 AccessDenied', async () => {
    const { prefix, key } = freshKey();
    const post = await presign(key);

    const answer = await upload({ url: post.url, fields: { ...post.fields, 'Content-Type': 'application/x-msdownload' } });

    expect([answer.status, answer.code]).toEqual([403, 'AccessDenied']);
    expect(answer.message).toContain('Policy Condition failed: ["eq", "$Content-Type", "text/csv"]');
    await expectNothingStored(prefix, key);
  });

  it('refuses a field the policy does not cover: 403 Extra input fields', async () => {
    const { prefix, key } = freshKey();
    const post = await presign(key);

    const answer = await upload(post, CSV, { extra: [['x-amz-meta-unit', 'V04']] });

    expect([answer.status, answer.code]).toEqual([403, 'AccessDenied']);
    expect(answer.message).toBe('Invalid according to Policy: Extra input fields: x-amz-meta-unit');
    await expectNothingStored(prefix, key);
  });

  it('lets x-ignore-* fields through without a condition', async () => {
    const { key } = freshKey();
    const post = await presign(key);

    const answer = await upload(post, CSV, { extra: [['x-ignore-note', 'anything']] });

    expect(answer.status).toBe(204);
  });

  it('refuses a second key field (the one checked would not be the one stored): 400 InvalidArgument', async () => {
    const { prefix, key } = freshKey();
    const post = await presign(key);
    const other = key.replace('/V03/', '/V04/');

    const answer = await upload(post, CSV, { extra: [['key', other]] });

    expect([answer.status, answer.code]).toEqual([400, 'InvalidArgument']);
    await expectNothingStored(prefix, other);
    await expectNothingStored(prefix, key);
  });

  it('refuses a form without a file: 400 InvalidArgument', async () => {
    const { prefix, key } = freshKey();
    const post = await presign(key);
    const form = new FormData();
    for (const [name, value] of Object.entries(post.fields)) form.append(name, value);

    const response = await fetch(post.url, { method: 'POST', body: form });

    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>InvalidArgument</Code>');
    await expectNothingStored(prefix, key);
  });
});

describe('signature and expiry', () => {
  it('refuses a policy re-encoded with a bigger maximum: 403 SignatureDoesNotMatch', async () => {
    const { prefix, key } = freshKey();
    const post = await presign(key);
    const policy = JSON.parse(Buffer.from(post.fields.Policy!, 'base64').toString('utf8')) as { conditions: unknown[] };
    policy.conditions = policy.conditions.map((condition) =>
      Array.isArray(condition) && condition[0] === 'content-length-range' ? ['content-length-range', 1, 10 * MAX] : condition,
    );
    const tampered = Buffer.from(JSON.stringify(policy)).toString('base64');

    const answer = await upload({ url: post.url, fields: { ...post.fields, Policy: tampered } }, new Uint8Array(5 * MAX).fill(0x41));

    expect([answer.status, answer.code]).toEqual([403, 'SignatureDoesNotMatch']);
    await expectNothingStored(prefix, key);
  });

  it('refuses a policy signed with another secret: 403 SignatureDoesNotMatch', async () => {
    const { prefix, key } = freshKey();
    const impostor = clientFor({ secretAccessKey: 'not-the-secret' });
    const post = await presign(key, { client: impostor });
    impostor.destroy();

    const answer = await upload(post);

    expect([answer.status, answer.code]).toEqual([403, 'SignatureDoesNotMatch']);
    await expectNothingStored(prefix, key);
  });

  it('refuses a policy signed by an unknown access key: 403 InvalidAccessKeyId', async () => {
    const { prefix, key } = freshKey();
    const stranger = clientFor({ accessKeyId: 'AKIASTRANGER' });
    const post = await presign(key, { client: stranger });
    stranger.destroy();

    const answer = await upload(post);

    expect([answer.status, answer.code]).toEqual([403, 'InvalidAccessKeyId']);
    await expectNothingStored(prefix, key);
  });

  it('refuses an expired policy: 403 AccessDenied, Policy expired', async () => {
    const { prefix, key } = freshKey();
    // Signed two hours ago with ten minutes to live.
    const past = clientFor({ systemClockOffset: -2 * 3600_000 });
    const post = await presign(key, { client: past, expires: 600 });
    past.destroy();

    const answer = await upload(post);

    expect(answer.status).toBe(403);
    expect(answer.code).toBe('AccessDenied');
    expect(answer.message).toBe('Invalid according to Policy: Policy expired.');
    await expectNothingStored(prefix, key);
  });

  it('refuses a POST without a policy (anonymous): 403 AccessDenied', async () => {
    const { prefix, key } = freshKey();

    const answer = await upload({ url: `${gate.endpoint}/${BUCKET}`, fields: { key, 'Content-Type': 'text/csv' } });

    expect([answer.status, answer.code]).toEqual([403, 'AccessDenied']);
    await expectNothingStored(prefix, key);
  });
});

describe('CORS for browser uploads', () => {
  it('answers a preflight for POST on the bucket from any origin', async () => {
    const response = await fetch(`${gate.endpoint}/${BUCKET}`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://cunbao.example.cn',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://cunbao.example.cn');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type');
    expect(response.headers.get('access-control-expose-headers')).toBe('ETag, Location');
  });

  it('lets the browser read refusals too (CORS headers on errors)', async () => {
    const { key } = freshKey();
    const post = await presign(key);

    const answer = await upload(post, new Uint8Array(0));

    expect(answer.status).toBe(400);
    expect(answer.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(answer.headers.get('access-control-expose-headers')).toBe('ETag, Location');
  });
});

describe('every other request goes to s3rver unchanged', () => {
  it('puts, heads, gets, lists and deletes a key with Chinese characters and a space', async () => {
    const prefix = `gate-proxy-${++sequence}/`;
    const key = `${prefix}报表 2025/三月 数据.csv`;
    const body = new Uint8Array(3 * 1024 * 1024).map((_, i) => i % 251);

    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentType: 'text/csv', Metadata: { unit: 'V03' } }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const bytes = await object.Body!.transformToByteArray();
    const listing = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));

    expect(head.ContentLength).toBe(body.length);
    expect(head.Metadata).toEqual({ unit: 'V03' });
    expect(Buffer.from(bytes).equals(Buffer.from(body))).toBe(true);
    expect(listing.Contents?.map((entry) => entry.Key)).toEqual([key]);
    expect(created.some((record) => decodeURIComponent(record.s3.object.key.replace(/\+/g, ' ')) === key)).toBe(true);

    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
    const after = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
    expect(after.KeyCount ?? 0).toBe(0);
  });

  it("passes s3rver's own errors through (NoSuchKey)", async () => {
    const error = await s3
      .send(new GetObjectCommand({ Bucket: BUCKET, Key: 'gate-none/absent.csv' }))
      .catch((e: unknown) => e as { name: string; $metadata: { httpStatusCode: number } });

    expect(error).toMatchObject({ name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
  });
});
