/**
 * The gate's own answers (what the proxy passes on is s3rver's): refusals as S3's XML
 * errors, preflights, and a stored POST Object — a 303 to success_action_redirect (bucket,
 * key and etag in its query), or success_action_status 201 with a PostResponse, or 200/204
 * empty; always with ETag and Location. All carry the CORS headers.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { corsHeaders, preflightHeaders } from './cors.ts';
import type { Upload } from './post-object.ts';
import { s3Refusal, type S3Refusal } from './refusal.ts';
import { postResponseXml, refusalXml } from './xml.ts';

export const requestId = () => randomBytes(8).toString('hex').toUpperCase();

/** The refusal as S3 answers it; a connection already answering is cut instead. */
export function sendRefusal(req: IncomingMessage, res: ServerResponse, refusal: S3Refusal, id: string): void {
  if (res.headersSent) return void res.destroy();
  const body = refusalXml(refusal, id);
  res.writeHead(refusal.status, {
    ...corsHeaders(req),
    'Content-Type': 'application/xml',
    'Content-Length': Buffer.byteLength(body),
    'x-amz-request-id': id,
  });
  res.end(body);
}

export function answerPreflight(req: IncomingMessage, res: ServerResponse): void {
  const id = requestId();
  if (!req.headers.origin)
    return sendRefusal(req, res, s3Refusal(400, 'BadRequest', 'Insufficient information. Origin request header needed.'), id);
  res.writeHead(200, { ...preflightHeaders(req), 'Content-Length': 0, 'x-amz-request-id': id });
  res.end();
}

interface StoredPost {
  readonly bucket: string;
  readonly upload: Upload;
  readonly etag: string;
  /** The object's URL, as S3 gives it in Location. */
  readonly location: string;
}

export function answerStored(req: IncomingMessage, res: ServerResponse, stored: StoredPost, id: string): void {
  const { bucket, upload, etag, location } = stored;
  const headers = { ...corsHeaders(req), ETag: etag, Location: location, 'x-amz-request-id': id };
  const target = redirectTarget(upload.redirect);
  if (target) {
    target.searchParams.set('bucket', bucket);
    target.searchParams.set('key', upload.key);
    target.searchParams.set('etag', etag);
    res.writeHead(303, { ...headers, Location: target.toString(), 'Content-Length': 0 });
    return void res.end();
  }
  if (upload.successStatus === 201) {
    const xml = postResponseXml({ location, bucket, key: upload.key, etag });
    res.writeHead(201, { ...headers, 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(xml) });
    return void res.end(xml);
  }
  res.writeHead(upload.successStatus, { ...headers, 'Content-Length': 0 });
  res.end();
}

/** A redirect that is not a URL is ignored: the status answer is given instead. */
function redirectTarget(redirect: string | undefined): URL | undefined {
  if (!redirect) return undefined;
  try {
    return new URL(redirect);
  } catch {
    return undefined;
  }
}
