/**
 * The local S3 gate: an HTTP server on 127.0.0.1 in front of s3rver that does for browser
 * uploads what AWS S3 does and s3rver does not (s3rver ignores POST policies: any key, any
 * size, any signature). Every local S3 client uses the gate's endpoint.
 *
 * - A POST Object (multipart/form-data POST to `/{bucket}`, what `createPresignedPost`
 *   produces) is read (s3-gate/multipart.ts) and checked as S3 checks it
 *   (s3-gate/post-object.ts): the SigV4 POST signature (s3-gate/signature.ts, by the SDK's
 *   own signer), then the policy (s3-gate/post-policy.ts, pure): expiration, every
 *   condition, every field covered, content-length-range on the bytes actually received.
 *   Only then is the object stored in s3rver with a plain PUT (so s3rver fires its
 *   ObjectCreated event as usual), and the answer is S3's: 204 (or success_action_status
 *   200/201, or a 303 to success_action_redirect) with ETag and Location. Refusals are S3's
 *   XML errors; nothing is stored.
 * - Everything else is proxied unchanged (s3-gate/proxy.ts) over keep-alive connections.
 * - CORS as a bucket rule allowing POST from any origin (s3-gate/cors.ts).
 *
 * Not done (S3 does them): `${filename}` in the key field (answered 501 NotImplemented);
 * virtual-hosted-style URLs; acl, tagging, server-side encryption and storage fields are
 * checked against the policy but not applied; the object's event is `ObjectCreated:Put`
 * where S3 sends `ObjectCreated:Post`. The file is held in memory until it is complete
 * (at most the policy's content-length-range maximum, or `maxFileBytes`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { answerPreflight, answerStored, requestId, sendRefusal } from './s3-gate/answers.ts';
import { isPostPreflight } from './s3-gate/cors.ts';
import { readPostObject } from './s3-gate/multipart.ts';
import { checkPostObject } from './s3-gate/post-object.ts';
import { proxy } from './s3-gate/proxy.ts';
import { internalError, s3Refusal } from './s3-gate/refusal.ts';
import { signatureVerifier, type GateCredentials, type VerifySignature } from './s3-gate/signature.ts';
import { keyPath, storeObject } from './s3-gate/store.ts';
import { openUpstream, type Upstream } from './s3-gate/upstream.ts';
import { readRefusal } from './s3-gate/xml.ts';

export interface S3GateOptions {
  /** s3rver's endpoint, e.g. http://127.0.0.1:4568. */
  readonly upstream: string;
  readonly credentials: GateCredentials;
  readonly region: string;
  /** Largest file accepted when the policy has no content-length-range (S3's own limit is 5 GiB); default 100 MiB. */
  readonly maxFileBytes?: number;
}

export interface RunningS3Gate {
  readonly endpoint: string;
  stop(): Promise<void>;
}

interface Gate {
  readonly upstream: Upstream;
  readonly verify: VerifySignature;
  readonly maxFileBytes: number;
}

export async function startS3Gate(options: S3GateOptions): Promise<RunningS3Gate> {
  const gate: Gate = {
    upstream: openUpstream(options.upstream),
    verify: signatureVerifier(options.credentials, options.region),
    maxFileBytes: options.maxFileBytes ?? 100 * 1024 * 1024,
  };
  const server = createServer((req, res) => route(gate, req, res));
  const port = await listen(server);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      gate.upstream.agent.destroy();
    },
  };
}

function route(gate: Gate, req: IncomingMessage, res: ServerResponse): void {
  const bucket = bucketOf(req.url ?? '');
  if (bucket !== undefined && req.method === 'POST' && /^multipart\/form-data\b/i.test(req.headers['content-type'] ?? ''))
    return void postObject(gate, req, res, bucket).catch(() => res.destroy());
  if (bucket !== undefined && isPostPreflight(req)) {
    answerPreflight(req, res);
    return;
  }
  proxy(gate.upstream, req, res);
}

/** `/{bucket}` or `/{bucket}/`, path-style, with or without a query. */
function bucketOf(url: string): string | undefined {
  const segment = /^\/([^/?]+)\/?(?:\?.*)?$/.exec(url)?.[1];
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

async function postObject(gate: Gate, req: IncomingMessage, res: ServerResponse, bucket: string): Promise<void> {
  const id = requestId();
  const read = await readPostObject(req, (fields) =>
    checkPostObject({ bucket, fields, now: new Date(), maxFileBytes: gate.maxFileBytes }, gate.verify),
  );
  if (read.kind === 'aborted') return;
  if (read.kind === 'refused') return sendRefusal(req, res, read.refusal, id);
  const upload = read.checked;
  try {
    const stored = await storeObject(gate.upstream, bucket, upload, read.file);
    if (stored.status !== 200) return sendRefusal(req, res, readRefusal(stored.status, stored.body), id);
    const location = `http://${req.headers.host ?? gate.upstream.host}/${encodeURIComponent(bucket)}/${keyPath(upload.key)}`;
    answerStored(req, res, { bucket, upload, etag: stored.etag ?? '', location }, id);
  } catch (error) {
    // Node refuses header values outside ISO-8859-1 (a Content-Type or x-amz-meta-* field), as S3 does.
    const badHeader = error instanceof Error && 'code' in error && error.code === 'ERR_INVALID_CHAR';
    sendRefusal(
      req,
      res,
      badHeader ? s3Refusal(400, 'InvalidArgument', 'Header value cannot be represented using ISO-8859-1.') : internalError(error),
      id,
    );
  }
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('The S3 gate did not get a TCP port.'));
      else resolve(address.port);
    });
  });
}
