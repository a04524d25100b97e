/**
 * A POST Object's fields (all those before the file), checked in the order S3 checks them:
 * the key and the signing fields present, the signature, the policy, then the key itself.
 * What passes is the upload to store: its key, headers, size range and the answer asked for.
 */
import { checkPolicy, decodePolicy, type FormFields, type PolicyRequest, type SizeRange } from './post-policy.ts';
import { accepted, accessDenied, invalidArgument, missingField, refused, s3Refusal, type Checked } from './refusal.ts';
import type { SignedPost, VerifySignature } from './signature.ts';

export interface Upload {
  readonly key: string;
  readonly contentType: string;
  /** content-length-range, intersected; its maximum is also the gate's memory bound. */
  readonly size: SizeRange;
  /** The fields S3 stores as the object's headers. */
  readonly headers: Readonly<Record<string, string>>;
  readonly successStatus: 200 | 201 | 204;
  readonly redirect: string | undefined;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_KEY_BYTES = 1024;
const STORED_HEADER_FIELDS = new Set(['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires']);

export async function checkPostObject(request: PolicyRequest, verify: VerifySignature): Promise<Checked<Upload>> {
  const signed = signedPost(request.fields);
  if (!signed.ok) return signed;
  const badSignature = await verify(signed.value);
  if (badSignature) return refused(badSignature);
  const policy = decodePolicy(signed.value.policy);
  if (!policy.ok) return policy;
  const size = checkPolicy(policy.value, request);
  if (!size.ok) return size;
  return upload(request.fields, size.value);
}

function signedPost(fields: FormFields): Checked<SignedPost> {
  const value = (name: string) => fields.get(name)?.value;
  if (value('key') === undefined) return refused(missingField('key'));
  const policy = value('policy');
  // Without a policy the POST is anonymous: refused, as by a bucket that is not public.
  if (policy === undefined) return refused(accessDenied('Access Denied'));
  const algorithm = value('x-amz-algorithm');
  if (algorithm === undefined) return refused(missingField('x-amz-algorithm'));
  if (algorithm !== ALGORITHM) return refused(invalidArgument(`Unsupported Algorithm: ${algorithm}`, 'X-Amz-Algorithm', algorithm));
  const credential = value('x-amz-credential');
  if (credential === undefined) return refused(missingField('x-amz-credential'));
  const amzDate = value('x-amz-date');
  if (amzDate === undefined) return refused(missingField('x-amz-date'));
  const signature = value('x-amz-signature');
  if (signature === undefined) return refused(missingField('x-amz-signature'));
  return accepted({ policy, credential, amzDate, signature, securityToken: value('x-amz-security-token') });
}

function upload(fields: FormFields, size: SizeRange): Checked<Upload> {
  const value = (name: string) => fields.get(name)?.value;
  const key = value('key') ?? '';
  const keyBytes = Buffer.byteLength(key);
  if (keyBytes === 0) return refused(invalidArgument('User key must have a length greater than 0.', 'key'));
  if (keyBytes > MAX_KEY_BYTES)
    return refused(s3Refusal(400, 'KeyTooLongError', 'Your key is too long', { Size: keyBytes, MaxSizeAllowed: MAX_KEY_BYTES }));
  if (key.includes('${filename}'))
    return refused(s3Refusal(501, 'NotImplemented', 'The local S3 gate does not substitute ${filename} in the key field.'));
  const headers: Record<string, string> = {};
  for (const [name, field] of fields) if (STORED_HEADER_FIELDS.has(name) || name.startsWith('x-amz-meta-')) headers[name] = field.value;
  const status = value('success_action_status');
  return accepted({
    key,
    contentType: value('content-type') ?? 'binary/octet-stream',
    size,
    headers,
    successStatus: status === '200' ? 200 : status === '201' ? 201 : 204,
    redirect: value('success_action_redirect') ?? value('redirect'),
  });
}
