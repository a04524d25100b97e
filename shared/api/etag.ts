/** Bodies sent with an ETag of their exact bytes, and `If-None-Match` checked against it. */
import { createHash } from 'node:crypto';

/** A body as sent, with the ETag of its exact bytes. */
export interface Served {
  readonly body: string;
  readonly etag: string;
}

/** A strong ETag for `text`, its kind as a prefix (`"svg-…"`). */
export function etagOf(kind: string, text: string): string {
  return `"${kind}-${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
}

/** `xlsx`: the body is the workbook's bytes in base64. */
export function served(format: 'json' | 'csv' | 'xlsx', body: string): Served {
  return { body, etag: etagOf(format, body) };
}

/** `If-None-Match: "a", W/"b"` or `*`. */
export function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}
