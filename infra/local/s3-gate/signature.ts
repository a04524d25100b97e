/**
 * The SigV4 POST signature: the credential's scope (access key, date, region, `s3`,
 * `aws4_request`) must be ours, and `x-amz-signature` must be the HMAC of the base64 policy
 * under the signing key of the credential's date, computed by the SDK's own signer.
 */
import { timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { accepted, invalidArgument, refused, s3Refusal, type Checked, type S3Refusal } from './refusal.ts';
import { Sha256 } from './sha256.ts';

export interface GateCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** The fields of a POST Object that sign it. */
export interface SignedPost {
  readonly policy: string;
  readonly credential: string;
  readonly amzDate: string;
  readonly signature: string;
  readonly securityToken: string | undefined;
}

/** A signature's check: undefined when it holds. */
export type VerifySignature = (post: SignedPost) => Promise<S3Refusal | undefined>;

export function signatureVerifier(credentials: GateCredentials, region: string): VerifySignature {
  const signer = new SignatureV4({ credentials, region, service: 's3', sha256: Sha256 });
  return async (post) => {
    const signingDate = checkCredential(post.credential, post.amzDate, credentials.accessKeyId, region);
    if (!signingDate.ok) return signingDate.refusal;
    if (post.securityToken !== credentials.sessionToken)
      return s3Refusal(403, 'InvalidToken', 'The provided token is malformed or otherwise invalid.');
    const expected = await signer.sign(post.policy, { signingDate: signingDate.value, signingRegion: region, signingService: 's3' });
    if (sameHex(post.signature, expected)) return undefined;
    return s3Refusal(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      {
        AWSAccessKeyId: credentials.accessKeyId,
        StringToSign: post.policy,
        SignatureProvided: post.signature,
      },
    );
  };
}

function sameHex(provided: string, expected: string): boolean {
  const a = Buffer.from(provided.toLowerCase(), 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `<AKID>/YYYYMMDD/<region>/s3/aws4_request`, checked as S3 words it; yields the signing date (midnight UTC of the scope's day). */
function checkCredential(credential: string, amzDate: string, accessKeyId: string, region: string): Checked<Date> {
  const parts = credential.split('/');
  const [key, date, scopeRegion, service, terminator] = parts;
  const malformed = (why: string) =>
    refused(invalidArgument(`Error parsing the X-Amz-Credential parameter; ${why}`, 'X-Amz-Credential', credential));
  if (parts.length !== 5 || !key || !date || !scopeRegion || !service || !terminator)
    return malformed('the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
  if (!/^\d{8}$/.test(date))
    return malformed(`incorrect date format "${date}". This date in the credential must be in the format "yyyyMMdd".`);
  if (scopeRegion !== region) return malformed(`the region '${scopeRegion}' is wrong; expecting '${region}'`);
  if (service !== 's3') return malformed(`incorrect service '${service}'. This endpoint belongs to 's3'.`);
  if (terminator !== 'aws4_request') return malformed(`incorrect terminal '${terminator}'. This endpoint uses 'aws4_request'.`);
  if (key !== accessKeyId)
    return refused(
      s3Refusal(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: key }),
    );
  if (!/^\d{8}T\d{6}Z$/.test(amzDate) || amzDate.slice(0, 8) !== date)
    return refused(
      invalidArgument(
        `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'" and match the date of the credential`,
        'X-Amz-Date',
        amzDate,
      ),
    );
  return accepted(new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T00:00:00Z`));
}
