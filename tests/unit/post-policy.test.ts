/**
 * The POST policy (infra/local/s3-gate/post-policy.ts), as S3 reads it and without a
 * server: the base64 document decoded and its shape checked, expiry against a given clock,
 * every kind of condition against the form's fields (field names without case, values
 * exactly), the fields a condition must cover, and the file's size against
 * content-length-range at its edges. Malformed policies are refusals with S3's code, never
 * exceptions.
 */
import { describe, expect, it } from 'vitest';
import { checkFileSize, checkPolicy, decodePolicy, type FormFields, type PostPolicy } from '../../infra/local/s3-gate/post-policy.ts';
import type { Checked } from '../../infra/local/s3-gate/refusal.ts';

const BUCKET = 'cunbao-local';
const NOW = new Date('2026-03-01T12:00:00.000Z');
const IN_TEN_MINUTES = '2026-03-01T12:10:00.000Z';
const MAX_FILE_BYTES = 100 * 1024 * 1024;
const KEY = 'incoming/V03/2025-03/报表.csv';

const encode = (document: unknown) => Buffer.from(JSON.stringify(document), 'utf8').toString('base64');

/** The fields as the gate's reader keeps them: by lower-case name, the name as written beside the value. */
const form = (fields: Record<string, string>): FormFields =>
  new Map(Object.entries(fields).map(([name, value]) => [name.toLowerCase(), { name, value }]));

function policyOf(conditions: unknown[], expiration = IN_TEN_MINUTES): PostPolicy {
  const decoded = decodePolicy(encode({ expiration, conditions }));
  if (!decoded.ok) throw new Error(`a test policy did not decode: ${decoded.refusal.message}`);
  return decoded.value;
}

function check(conditions: unknown[], fields: Record<string, string>, options: { expiration?: string; now?: Date; bucket?: string } = {}) {
  return checkPolicy(policyOf(conditions, options.expiration), {
    bucket: options.bucket ?? BUCKET,
    fields: form(fields),
    now: options.now ?? NOW,
    maxFileBytes: MAX_FILE_BYTES,
  });
}

/** The refusal's status, code and message (undefined when the check passed). */
const refusalOf = <T>(checked: Checked<T>) =>
  checked.ok ? undefined : { status: checked.refusal.status, code: checked.refusal.code, message: checked.refusal.message };

const conditionFailed = (text: string) => ({
  status: 403,
  code: 'AccessDenied',
  message: `Invalid according to Policy: Policy Condition failed: ${text}`,
});
const invalidPolicy = (message: string) => ({ status: 400, code: 'InvalidPolicyDocument', message: `Invalid Policy: ${message}` });

describe('decodePolicy', () => {
  it('reads the expiration and the three forms of condition', () => {
    const base64 = encode({
      expiration: IN_TEN_MINUTES,
      conditions: [
        { bucket: BUCKET },
        ['eq', '$Content-Type', 'text/csv'],
        ['starts-with', '$key', 'incoming/'],
        ['content-length-range', 1, '1024'],
      ],
    });

    const decoded = decodePolicy(base64);

    expect(decoded).toEqual({
      ok: true,
      value: {
        expiration: new Date(IN_TEN_MINUTES),
        conditions: [
          { kind: 'eq', field: 'bucket', value: BUCKET, text: `["eq", "$bucket", "${BUCKET}"]` },
          // The field is compared without case; S3 quotes it as the policy wrote it.
          { kind: 'eq', field: 'content-type', value: 'text/csv', text: '["eq", "$Content-Type", "text/csv"]' },
          { kind: 'starts-with', field: 'key', value: 'incoming/', text: '["starts-with", "$key", "incoming/"]' },
          { kind: 'content-length-range', min: 1, max: 1024 },
        ],
      },
    });
  });

  it('accepts an expiration without milliseconds', () => {
    const decoded = decodePolicy(encode({ expiration: '2026-03-01T12:10:00Z', conditions: [] }));

    expect(decoded.ok && decoded.value.expiration.toISOString()).toBe(IN_TEN_MINUTES);
  });

  it.each([
    ['text that is not base64', '%%%not-base64%%%'],
    ['base64 of text that is not JSON', Buffer.from('{"expiration": ').toString('base64')],
    ['the empty string', ''],
    ['a JSON array', encode([IN_TEN_MINUTES, []])],
    ['a JSON string', encode('policy')],
    ['JSON null', encode(null)],
    ['an expiration that is not a string', encode({ expiration: 1_772_366_400_000, conditions: [] })],
    ['conditions that are not a list', encode({ expiration: IN_TEN_MINUTES, conditions: { key: KEY } })],
  ])('refuses %s as InvalidPolicyDocument (Invalid JSON)', (_, base64) => {
    const decoded = decodePolicy(base64);

    expect(refusalOf(decoded)).toEqual(invalidPolicy('Invalid JSON.'));
  });

  it('refuses a policy without an expiration, or without conditions, saying which', () => {
    const withoutExpiration = decodePolicy(encode({ conditions: [] }));
    const withoutConditions = decodePolicy(encode({ expiration: IN_TEN_MINUTES }));

    expect(refusalOf(withoutExpiration)).toEqual(invalidPolicy('Policy missing expiration.'));
    expect(refusalOf(withoutConditions)).toEqual(invalidPolicy('Policy missing conditions.'));
  });

  it.each(['2026-03-01 12:10:00', '2026-03-01T12:10:00+08:00', '2026-13-01T00:00:00Z', 'tomorrow', ''])(
    'refuses the expiration %j: not an ISO 8601 UTC time',
    (expiration) => {
      const decoded = decodePolicy(encode({ expiration, conditions: [] }));

      expect(refusalOf(decoded)).toEqual(invalidPolicy(`Invalid 'expiration' value: '${expiration}'`));
    },
  );

  it.each<[string, unknown]>([
    ['a list of two', ['eq', '$key']],
    ['a list of four', ['eq', '$key', KEY, 'extra']],
    ['a field without $', ['eq', 'key', KEY]],
    ['a value that is not a string', ['eq', '$key', 5]],
    ['an unknown operator', ['matches', '$key', 'incoming/.*']],
    ['an operator that is not a string', [1, '$key', KEY]],
    ['an object of two fields', { key: KEY, acl: 'private' }],
    ['an object whose value is not a string', { acl: 5 }],
    ['an empty object', {}],
    ['a number', 42],
    ['null', null],
    ['a negative size', ['content-length-range', -1, 1024]],
    ['a fractional size', ['content-length-range', 1.5, 1024]],
    ['a size written as a decimal string', ['content-length-range', '1.5', 1024]],
    ['a size that is not a number', ['content-length-range', 1, 'big']],
  ])('refuses a condition that is %s, quoting it', (_, condition) => {
    const decoded = decodePolicy(encode({ expiration: IN_TEN_MINUTES, conditions: [['eq', '$key', KEY], condition] }));

    expect(refusalOf(decoded)).toEqual(invalidPolicy(`Invalid Condition: ${JSON.stringify(condition)}`));
  });
});

describe('checkPolicy: expiry', () => {
  it('accepts a policy until its expiration', () => {
    const checked = check([], {}, { expiration: IN_TEN_MINUTES, now: new Date(Date.parse(IN_TEN_MINUTES) - 1) });

    expect(checked.ok).toBe(true);
  });

  it('refuses a policy from its expiration on: 403 Policy expired', () => {
    const atExpiry = check([], {}, { expiration: IN_TEN_MINUTES, now: new Date(IN_TEN_MINUTES) });
    const after = check([], {}, { expiration: IN_TEN_MINUTES, now: new Date('2026-03-02T00:00:00Z') });

    const expired = { status: 403, code: 'AccessDenied', message: 'Invalid according to Policy: Policy expired.' };
    expect(refusalOf(atExpiry)).toEqual(expired);
    expect(refusalOf(after)).toEqual(expired);
  });

  it('says expired before any condition is checked', () => {
    const checked = check([['eq', '$key', KEY]], { key: 'elsewhere.csv' }, { now: new Date('2026-03-02T00:00:00Z') });

    expect(refusalOf(checked)?.message).toBe('Invalid according to Policy: Policy expired.');
  });
});

describe('checkPolicy: exact matches', () => {
  it('accepts a field equal to the value, in both forms', () => {
    const checked = check([['eq', '$Content-Type', 'text/csv'], { acl: 'private' }], { 'Content-Type': 'text/csv', acl: 'private' });

    expect(checked.ok).toBe(true);
  });

  it('refuses another value, quoting the condition', () => {
    const checked = check([['eq', '$Content-Type', 'text/csv']], { 'Content-Type': 'application/x-msdownload' });

    expect(refusalOf(checked)).toEqual(conditionFailed('["eq", "$Content-Type", "text/csv"]'));
  });

  it('refuses a value that differs only in case (values are compared exactly)', () => {
    const checked = check([{ acl: 'private' }], { acl: 'Private' });

    expect(refusalOf(checked)).toEqual(conditionFailed('["eq", "$acl", "private"]'));
  });

  it('refuses a key changed with ../, though it would name the same path once normalised', () => {
    const checked = check([['eq', '$key', KEY]], { key: 'incoming/V03/../V03/2025-03/报表.csv' });

    expect(refusalOf(checked)).toEqual(conditionFailed(`["eq", "$key", "${KEY}"]`));
  });

  it('refuses when the field the condition names is not in the form', () => {
    const checked = check([['eq', '$Content-Type', 'text/csv']], {});

    expect(refusalOf(checked)).toEqual(conditionFailed('["eq", "$Content-Type", "text/csv"]'));
  });

  it('compares field names without case, in the policy and in the form', () => {
    const checked = check(
      [
        ['eq', '$CONTENT-TYPE', 'text/csv'],
        ['eq', '$key', KEY],
      ],
      { 'content-type': 'text/csv', Key: KEY },
    );

    expect(checked.ok).toBe(true);
  });

  it('reports the first condition that fails, in the policy’s order', () => {
    const checked = check(
      [
        ['eq', '$key', KEY],
        ['eq', '$Content-Type', 'text/csv'],
      ],
      { key: 'other.csv', 'Content-Type': 'image/png' },
    );

    expect(refusalOf(checked)).toEqual(conditionFailed(`["eq", "$key", "${KEY}"]`));
  });
});

describe('checkPolicy: starts-with', () => {
  it('accepts a key under the prefix ($key starts-with)', () => {
    const checked = check([['starts-with', '$key', 'incoming/V03/']], { key: KEY });

    expect(checked.ok).toBe(true);
  });

  it.each(['incoming/V04/2025-03/报表.csv', 'Incoming/V03/2025-03/报表.csv', 'incoming/V03', 'x/incoming/V03/2025-03/报表.csv'])(
    'refuses the key %j: not under the prefix',
    (key) => {
      const checked = check([['starts-with', '$key', 'incoming/V03/']], { key });

      expect(refusalOf(checked)).toEqual(conditionFailed('["starts-with", "$key", "incoming/V03/"]'));
    },
  );

  it('accepts any value with an empty prefix, but not a missing field', () => {
    const anything = check([['starts-with', '$x-amz-meta-note', '']], { 'x-amz-meta-note': 'anything' });
    const empty = check([['starts-with', '$x-amz-meta-note', '']], { 'x-amz-meta-note': '' });
    const missing = check([['starts-with', '$x-amz-meta-note', '']], {});

    expect([anything.ok, empty.ok]).toEqual([true, true]);
    expect(refusalOf(missing)).toEqual(conditionFailed('["starts-with", "$x-amz-meta-note", ""]'));
  });

  it('reads the operator without case', () => {
    const checked = check([['Starts-With', '$key', 'incoming/']], { key: KEY });

    expect(checked.ok).toBe(true);
  });

  it('holds a Content-Type list to the prefix in each of its types', () => {
    const images = check([['starts-with', '$Content-Type', 'image/']], { 'Content-Type': 'image/jpeg, image/png' });
    const mixed = check([['starts-with', '$Content-Type', 'image/']], { 'Content-Type': 'image/jpeg,text/html' });

    expect(images.ok).toBe(true);
    expect(refusalOf(mixed)).toEqual(conditionFailed('["starts-with", "$Content-Type", "image/"]'));
  });
});

describe('checkPolicy: the bucket', () => {
  it('accepts the bucket the POST is addressed to', () => {
    const checked = check([{ bucket: BUCKET }], {});

    expect(checked.ok).toBe(true);
  });

  it('refuses a policy for another bucket, whatever a bucket field says', () => {
    const checked = check([{ bucket: 'another-bucket' }], { bucket: 'another-bucket' });

    expect(refusalOf(checked)).toEqual(conditionFailed('["eq", "$bucket", "another-bucket"]'));
  });

  it('checks starts-with on the bucket too', () => {
    const ours = check([['starts-with', '$bucket', 'cunbao-']], {});
    const theirs = check([['starts-with', '$bucket', 'cunbao-']], {}, { bucket: 'elsewhere' });

    expect(ours.ok).toBe(true);
    expect(refusalOf(theirs)).toEqual(conditionFailed('["starts-with", "$bucket", "cunbao-"]'));
  });
});

describe('checkPolicy: every field covered', () => {
  const signing = { Policy: 'eyJ9', 'X-Amz-Signature': 'abc', file: 'content' };

  it('accepts a form whose every field has a condition; policy, signature, file and x-ignore-* need none', () => {
    const checked = check([['eq', '$key', KEY]], { key: KEY, ...signing, 'x-ignore-note': 'anything', 'X-Ignore-Other': 'too' });

    expect(checked.ok).toBe(true);
  });

  it('refuses a field no condition covers, naming it as the form wrote it', () => {
    const checked = check([['eq', '$key', KEY]], { key: KEY, 'X-Amz-Meta-Unit': 'V04' });

    expect(refusalOf(checked)).toEqual({
      status: 403,
      code: 'AccessDenied',
      message: 'Invalid according to Policy: Extra input fields: X-Amz-Meta-Unit',
    });
  });

  it('names every extra field, in the form’s order', () => {
    const checked = check([], { 'x-amz-meta-unit': 'V04', success_action_status: '201' });

    expect(refusalOf(checked)?.message).toBe('Invalid according to Policy: Extra input fields: x-amz-meta-unit, success_action_status');
  });

  it('counts a bucket field as extra unless a condition covers it', () => {
    const uncovered = check([], { bucket: BUCKET });
    const covered = check([{ bucket: BUCKET }], { bucket: BUCKET });

    expect(refusalOf(uncovered)?.message).toBe('Invalid according to Policy: Extra input fields: bucket');
    expect(covered.ok).toBe(true);
  });

  it('reports a failed condition before extra fields', () => {
    const checked = check([['eq', '$key', KEY]], { key: 'other.csv', 'x-amz-meta-unit': 'V04' });

    expect(refusalOf(checked)).toEqual(conditionFailed(`["eq", "$key", "${KEY}"]`));
  });
});

describe('checkPolicy: content-length-range', () => {
  it('yields the range the policy sets', () => {
    const checked = check([['content-length-range', 1, 1024]], {});

    expect(checked).toEqual({ ok: true, value: { min: 1, max: 1024 } });
  });

  it('yields 0..maxFileBytes without a range, and never more than maxFileBytes', () => {
    const without = check([], {});
    const wider = check([['content-length-range', 0, 10 * MAX_FILE_BYTES]], {});

    expect(without).toEqual({ ok: true, value: { min: 0, max: MAX_FILE_BYTES } });
    expect(wider).toEqual({ ok: true, value: { min: 0, max: MAX_FILE_BYTES } });
  });

  it('applies every range: their intersection', () => {
    const checked = check(
      [
        ['content-length-range', 1, 1024],
        ['content-length-range', '10', '2048'],
      ],
      {},
    );

    expect(checked).toEqual({ ok: true, value: { min: 10, max: 1024 } });
  });
});

describe('checkFileSize', () => {
  const size = { min: 1, max: 1024 };

  it('accepts a file at either bound', () => {
    expect(checkFileSize(size, 1, true)).toBeUndefined();
    expect(checkFileSize(size, 1024, true)).toBeUndefined();
  });

  it('refuses one byte over the maximum as soon as it is received: 400 EntityTooLarge', () => {
    const refusal = checkFileSize(size, 1025, false);

    expect(refusal).toEqual({
      status: 400,
      code: 'EntityTooLarge',
      message: 'Your proposed upload exceeds the maximum allowed size',
      details: { ProposedSize: 1025, MaxSizeAllowed: 1024 },
    });
  });

  it('refuses a complete file under the minimum: 400 EntityTooSmall', () => {
    const refusal = checkFileSize(size, 0, true);

    expect(refusal).toEqual({
      status: 400,
      code: 'EntityTooSmall',
      message: 'Your proposed upload is smaller than the minimum allowed size',
      details: { ProposedSize: 0, MinSizeAllowed: 1 },
    });
  });

  it('does not call a file too small while it is still being received', () => {
    expect(checkFileSize(size, 0, false)).toBeUndefined();
  });

  it('accepts exactly the size when the range is one value', () => {
    const exact = { min: 10, max: 10 };

    expect([checkFileSize(exact, 9, true)?.code, checkFileSize(exact, 10, true), checkFileSize(exact, 11, false)?.code]).toEqual([
      'EntityTooSmall',
      undefined,
      'EntityTooLarge',
    ]);
  });
});
