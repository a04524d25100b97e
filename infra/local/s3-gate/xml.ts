/** S3's XML bodies: a refusal's `<Error>`, a stored POST's `<PostResponse>`, and s3rver's `<Error>` read back. */
import { s3Refusal, type S3Refusal } from './refusal.ts';

const PROLOGUE = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** Text content escaped as S3 escapes it (quotes stay as they are). */
const escapeXml = (text: string) => text.replace(/[<>&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&amp;'));

const elements = (values: Readonly<Record<string, string | number>>) =>
  Object.entries(values)
    .map(([name, value]) => `<${name}>${escapeXml(String(value))}</${name}>`)
    .join('');

export function refusalXml(refusal: S3Refusal, id: string): string {
  return `${PROLOGUE}<Error>${elements({ Code: refusal.code, Message: refusal.message, ...refusal.details, RequestId: id, HostId: id })}</Error>`;
}

export function postResponseXml(response: { location: string; bucket: string; key: string; etag: string }): string {
  return `${PROLOGUE}<PostResponse>${elements({ Location: response.location, Bucket: response.bucket, Key: response.key, ETag: response.etag })}</PostResponse>`;
}

/** s3rver's own refusal (e.g. NoSuchBucket), to pass on as it is. */
export function readRefusal(status: number, xml: string): S3Refusal {
  const code = /<Code>([^<]*)<\/Code>/.exec(xml)?.[1] ?? 'InternalError';
  const message = /<Message>([^<]*)<\/Message>/.exec(xml)?.[1] ?? 'The local S3 refused the object.';
  return s3Refusal(status, code, message);
}
