/** An accepted upload stored in s3rver with a plain PUT, so that s3rver fires its ObjectCreated event as usual. */
import { request } from 'node:http';
import type { Upload } from './post-object.ts';
import type { Upstream } from './upstream.ts';

interface Stored {
  readonly status: number;
  readonly etag: string | undefined;
  /** s3rver's answer body: its XML error when status is not 200. */
  readonly body: string;
}

/** An object key as a URL path: each segment encoded, '.' and '..' too (so nobody normalises them away). */
export const keyPath = (key: string) =>
  key
    .split('/')
    .map((segment) => (segment === '.' || segment === '..' ? segment.replace(/\./g, '%2E') : encodeURIComponent(segment)))
    .join('/');

export function storeObject(upstream: Upstream, bucket: string, upload: Upload, body: Buffer): Promise<Stored> {
  return new Promise((resolve, reject) => {
    const put = request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: 'PUT',
        path: `/${encodeURIComponent(bucket)}/${keyPath(upload.key)}`,
        headers: { ...upload.headers, 'Content-Type': upload.contentType, 'Content-Length': body.length },
        agent: upstream.agent,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 500, etag: response.headers.etag, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    put.on('error', reject);
    put.end(body);
  });
}
