/**
 * The local S3 gate: an HTTP server on 127.0.0.1 in front of s3rver that does for browser
 * uploads what AWS S3 does and s3rver does not (s3rver ignores POST policies: any key, any
 * size, any signature). Every local S3 client uses the gate's endpoint.
 *
 * - A POST Object (multipart/form-data POST to `/{bucket}`, what `createPresignedPost`
 *   produces) is checked as S3 checks it: the SigV4 POST signature over the base64 policy
 *   (computed by `@smithy/signature-v4`, the SDK's own signer), the credential scope, the
 *   policy's expiration, every condition (bucket, key, Content-Type, x-amz-*, …,
 *   content-length-range on the bytes actually received), and that every form field is
 *   covered by a condition. Only then is the object stored in s3rver, with a plain PUT (so
 *   s3rver fires its ObjectCreated event as usual), and the answer is S3's: 204 (or
 *   success_action_status 200/201, or a 303 to success_action_redirect) with ETag and
 *   Location. Refusals are S3's XML errors; nothing is stored.
 * - Everything else is proxied unchanged (method, path and query, headers, streamed bodies)
 *   over keep-alive connections.
 * - CORS as a bucket rule allowing POST from any origin: preflights for POST on the bucket
 *   are answered here; POST Object answers (errors too) carry the CORS headers.
 *
 * Not done (S3 does them): `${filename}` in the key field (answered 501 NotImplemented);
 * virtual-hosted-style URLs; acl, tagging, server-side encryption and storage fields are
 * checked against the policy but not applied; the object's event is `ObjectCreated:Put`
 * where S3 sends `ObjectCreated:Post`. The file is held in memory until it is complete
 * (at most the policy's content-length-range maximum, or `maxFileBytes`).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual, type Hash, type Hmac } from 'node:crypto';
import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';
import { SignatureV4 } from '@smithy/signature-v4';
import busboy from 'busboy';
import * as z from 'zod';

export interface S3GateOptions {
  /** s3rver's endpoint, e.g. http://127.0.0.1:4568. */
  readonly upstream: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  readonly region: string;
  /** Largest file accepted when the policy has no content-length-range (S3's own limit is 5 GiB); default 100 MiB. */
  readonly maxFileBytes?: number;
}

export interface RunningS3Gate {
  readonly endpoint: string;
  stop(): Promise<void>;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** S3: the fields before the file may not exceed 20 KB. */
const MAX_PRE_DATA_BYTES = 20 * 1024;
/** A text (not file) `file` part is buffered by busboy up to this size. */
const MAX_TEXT_FILE_BYTES = 1024 * 1024;
/** After a refusal, what is still read (and thrown away) so that the client sees the answer. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;
/** Fields that no condition needs to cover (besides x-ignore-*). */
const EXEMPT_FIELDS = new Set(['policy', 'x-amz-signature', 'file']);
/** Form fields S3 stores as the object's headers. */
const STORED_HEADER_FIELDS = new Set(['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires']);
/** Request headers that belong to one connection, not passed on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'upgrade', 'expect']);
const CORS_EXPOSE = 'ETag, Location';

/** An S3 error answer: `<Error><Code>…</Code><Message>…</Message>…</Error>`. */
class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, string | number> = {},
  ) {
    super(message);
  }
}

const accessDenied = (message: string) => new S3Error(403, 'AccessDenied', message);
const invalidArgument = (message: string, name: string, value = '') => new S3Error(400, 'InvalidArgument', message, { ArgumentName: name, ArgumentValue: value });
const invalidPolicy = (message: string) => new S3Error(400, 'InvalidPolicyDocument', `Invalid Policy: ${message}`);
const missingField = (name: string) => invalidArgument(`Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`, name);

/** SHA-256 (HMAC-SHA-256 with a secret) in the shape the SDK's signer takes (node:crypto inside). */
type SourceData = string | ArrayBuffer | ArrayBufferView;
const toBuffer = (data: SourceData): Buffer =>
  typeof data === 'string' ? Buffer.from(data, 'utf8') : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);
class Sha256 {
  private hash!: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.reset();
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {
    this.hash = this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
}

// ---------------------------------------------------------------------------------------
// The policy

const PolicyDocument = z.object({ expiration: z.string(), conditions: z.array(z.unknown()) });

type Condition =
  | { readonly kind: 'eq' | 'starts-with'; readonly field: string; readonly value: string; readonly text: string }
  | { readonly kind: 'content-length-range'; readonly min: number; readonly max: number };

/** How S3 quotes a failed condition: `["eq", "$key", "incoming/V03/x.csv"]`. */
const conditionText = (op: string, field: string, value: string) => `[${[op, `$${field}`, value].map((part) => JSON.stringify(part)).join(', ')}]`;

function parseCondition(raw: unknown): Condition {
  const invalid = () => invalidPolicy(`Invalid Condition: ${JSON.stringify(raw)}`);
  if (Array.isArray(raw)) {
    const [op, first, second] = raw as unknown[];
    if (raw.length !== 3 || typeof op !== 'string') throw invalid();
    const operator = op.toLowerCase();
    if (operator === 'content-length-range') {
      const bound = (value: unknown) => (typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN);
      const min = bound(first);
      const max = bound(second);
      if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min < 0 || max < 0) throw invalid();
      return { kind: 'content-length-range', min, max };
    }
    if ((operator === 'eq' || operator === 'starts-with') && typeof first === 'string' && first.startsWith('$') && typeof second === 'string') {
      const field = first.slice(1);
      return { kind: operator, field: field.toLowerCase(), value: second, text: conditionText(operator, field, second) };
    }
    throw invalid();
  }
  if (raw !== null && typeof raw === 'object') {
    const entries = Object.entries(raw);
    const [entry] = entries;
    if (entries.length !== 1 || !entry || typeof entry[1] !== 'string') throw invalid();
    return { kind: 'eq', field: entry[0].toLowerCase(), value: entry[1], text: conditionText('eq', entry[0], entry[1]) };
  }
  throw invalid();
}

function parsePolicy(base64: string): { expiration: Date; conditions: Condition[] } {
  let json: unknown;
  try {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw new Error('not base64');
    json = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  } catch {
    throw invalidPolicy('Invalid JSON.');
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw invalidPolicy('Invalid JSON.');
  if (!('expiration' in json)) throw invalidPolicy('Policy missing expiration.');
  if (!('conditions' in json)) throw invalidPolicy('Policy missing conditions.');
  const parsed = PolicyDocument.safeParse(json);
  if (!parsed.success) throw invalidPolicy('Invalid JSON.');
  const { expiration, conditions } = parsed.data;
  const expires = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(expiration) ? new Date(expiration) : new Date(NaN);
  if (Number.isNaN(expires.getTime())) throw invalidPolicy(`Invalid 'expiration' value: '${expiration}'`);
  return { expiration: expires, conditions: conditions.map(parseCondition) };
}

// ---------------------------------------------------------------------------------------
// Checking a POST Object's fields (all those before the file)

interface FormField {
  readonly name: string;
  readonly value: string;
}

interface Accepted {
  readonly key: string;
  readonly contentType: string;
  /** content-length-range, intersected; max is also our memory bound. */
  readonly min: number;
  readonly max: number;
  readonly headers: Record<string, string>;
  readonly successStatus: 200 | 201 | 204;
  readonly redirect: string | undefined;
}

function parseCredential(credential: string, amzDate: string, options: S3GateOptions): string {
  const parts = credential.split('/');
  const [accessKeyId, date, region, service, terminator] = parts;
  const malformed = (why: string) => invalidArgument(`Error parsing the X-Amz-Credential parameter; ${why}`, 'X-Amz-Credential', credential);
  if (parts.length !== 5 || !accessKeyId || !date || !region || !service || !terminator) throw malformed('the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
  if (!/^\d{8}$/.test(date)) throw malformed(`incorrect date format "${date}". This date in the credential must be in the format "yyyyMMdd".`);
  if (region !== options.region) throw malformed(`the region '${region}' is wrong; expecting '${options.region}'`);
  if (service !== 's3') throw malformed(`incorrect service '${service}'. This endpoint belongs to 's3'.`);
  if (terminator !== 'aws4_request') throw malformed(`incorrect terminal '${terminator}'. This endpoint uses 'aws4_request'.`);
  if (accessKeyId !== options.credentials.accessKeyId)
    throw new S3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: accessKeyId });
  if (!/^\d{8}T\d{6}Z$/.test(amzDate) || amzDate.slice(0, 8) !== date)
    throw invalidArgument(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'" and match the date of the credential`, 'X-Amz-Date', amzDate);
  return date;
}

async function checkFields(bucket: string, fields: Map<string, FormField>, signer: SignatureV4, options: S3GateOptions): Promise<Accepted> {
  const value = (name: string) => fields.get(name)?.value;
  const key = value('key');
  if (key === undefined) throw missingField('key');
  const policy = value('policy');
  const signature = value('x-amz-signature');
  if (policy === undefined) {
    // Without a policy the POST is anonymous: refused, as by a bucket that is not public.
    throw accessDenied('Access Denied');
  }
  const algorithm = value('x-amz-algorithm');
  if (algorithm === undefined) throw missingField('x-amz-algorithm');
  if (algorithm !== ALGORITHM) throw invalidArgument(`Unsupported Algorithm: ${algorithm}`, 'X-Amz-Algorithm', algorithm);
  const credential = value('x-amz-credential');
  if (credential === undefined) throw missingField('x-amz-credential');
  const amzDate = value('x-amz-date');
  if (amzDate === undefined) throw missingField('x-amz-date');
  if (signature === undefined) throw missingField('x-amz-signature');
  const shortDate = parseCredential(credential, amzDate, options);
  if (value('x-amz-security-token') !== options.credentials.sessionToken) throw new S3Error(403, 'InvalidToken', 'The provided token is malformed or otherwise invalid.');

  // The signature: HMAC-SHA256(signing key of the credential's date/region/s3, base64 policy), by the SDK's signer.
  const signingDate = new Date(`${shortDate.slice(0, 4)}-${shortDate.slice(4, 6)}-${shortDate.slice(6, 8)}T00:00:00Z`);
  const expected = await signer.sign(policy, { signingDate, signingRegion: options.region, signingService: 's3' });
  const provided = Buffer.from(signature.toLowerCase(), 'utf8');
  if (provided.length !== expected.length || !timingSafeEqual(provided, Buffer.from(expected, 'utf8')))
    throw new S3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
      AWSAccessKeyId: options.credentials.accessKeyId,
      StringToSign: policy,
      SignatureProvided: signature,
    });

  const { expiration, conditions } = parsePolicy(policy);
  if (expiration.getTime() <= Date.now()) throw accessDenied('Invalid according to Policy: Policy expired.');

  let min = 0;
  let max = options.maxFileBytes ?? 100 * 1024 * 1024;
  const covered = new Set<string>();
  for (const condition of conditions) {
    if (condition.kind === 'content-length-range') {
      min = Math.max(min, condition.min);
      max = Math.min(max, condition.max);
      continue;
    }
    covered.add(condition.field);
    // The bucket is the one the POST is addressed to, whatever a `bucket` field says.
    const actual = condition.field === 'bucket' ? bucket : value(condition.field);
    const holds = actual !== undefined && (condition.kind === 'eq' ? actual === condition.value : actual.startsWith(condition.value));
    if (!holds) throw accessDenied(`Invalid according to Policy: Policy Condition failed: ${condition.text}`);
  }
  const extra = [...fields.entries()].filter(([name]) => !EXEMPT_FIELDS.has(name) && !name.startsWith('x-ignore-') && !covered.has(name)).map(([, field]) => field.name);
  if (extra.length > 0) throw accessDenied(`Invalid according to Policy: Extra input fields: ${extra.join(', ')}`);

  if (key.length === 0) throw invalidArgument('User key must have a length greater than 0.', 'key');
  if (Buffer.byteLength(key) > 1024) throw new S3Error(400, 'KeyTooLongError', 'Your key is too long', { Size: Buffer.byteLength(key), MaxSizeAllowed: 1024 });
  if (key.includes('${filename}')) throw new S3Error(501, 'NotImplemented', 'The local S3 gate does not substitute ${filename} in the key field.');

  const headers: Record<string, string> = {};
  for (const [name, field] of fields) if (STORED_HEADER_FIELDS.has(name) || name.startsWith('x-amz-meta-')) headers[name] = field.value;
  const status = value('success_action_status');
  return {
    key,
    contentType: value('content-type') ?? 'binary/octet-stream',
    min,
    max,
    headers,
    successStatus: status === '200' ? 200 : status === '201' ? 201 : 204,
    redirect: value('success_action_redirect') ?? value('redirect'),
  };
}

// ---------------------------------------------------------------------------------------
// The server

/** Text content escaped as S3 escapes it (quotes stay as they are). */
const escapeXml = (text: string) => text.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!);
const requestId = () => randomBytes(8).toString('hex').toUpperCase();

/** An object key as a URL path: each segment encoded, '.' and '..' too (so nobody normalises them away). */
const keyPath = (key: string) =>
  key
    .split('/')
    .map((segment) => (segment === '.' || segment === '..' ? segment.replace(/\./g, '%2E') : encodeURIComponent(segment)))
    .join('/');

function corsHeaders(req: IncomingMessage): OutgoingHttpHeaders {
  return {
    'Access-Control-Allow-Origin': req.headers.origin ?? '*',
    'Access-Control-Allow-Methods': 'POST',
    'Access-Control-Expose-Headers': CORS_EXPOSE,
    Vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
}

function sendError(req: IncomingMessage, res: ServerResponse, error: S3Error, id: string): void {
  if (res.headersSent) return void res.destroy();
  const details = Object.entries(error.details)
    .map(([name, value]) => `<${name}>${escapeXml(String(value))}</${name}>`)
    .join('');
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message>${details}<RequestId>${id}</RequestId><HostId>${id}</HostId></Error>`;
  res.writeHead(error.status, { ...corsHeaders(req), 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body), 'x-amz-request-id': id });
  res.end(body);
}

export async function startS3Gate(options: S3GateOptions): Promise<RunningS3Gate> {
  const upstream = new URL(options.upstream);
  const agent = new Agent({ keepAlive: true, maxFreeSockets: 256, timeout: 4000 });
  const signer = new SignatureV4({ credentials: options.credentials, region: options.region, service: 's3', sha256: Sha256 });

  /** The same request to s3rver, bodies streamed both ways. */
  function proxy(req: IncomingMessage, res: ServerResponse, retry = true): void {
    const headers: IncomingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(name)) headers[name] = value;
    const bodyless = (req.headers['content-length'] ?? '0') === '0' && req.headers['transfer-encoding'] === undefined;
    const outgoing = request({ hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent });
    outgoing.on('response', (incoming) => {
      const raw: string[] = [];
      for (let i = 0; i < incoming.rawHeaders.length; i += 2) {
        const name = incoming.rawHeaders[i]!;
        if (!HOP_BY_HOP.has(name.toLowerCase())) raw.push(name, incoming.rawHeaders[i + 1]!);
      }
      res.writeHead(incoming.statusCode ?? 502, incoming.statusMessage, raw);
      pipeline(incoming, res, () => {});
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      // A kept-alive connection s3rver closed just then: a request without a body is sent again.
      if (retry && bodyless && outgoing.reusedSocket && error.code === 'ECONNRESET' && !res.headersSent) return proxy(req, res, false);
      if (!res.headersSent) sendError(req, res, new S3Error(502, 'BadGateway', `The local S3 (s3rver) did not answer: ${error.message}`), requestId());
      else res.destroy();
    });
    res.on('close', () => {
      if (!res.writableFinished) outgoing.destroy();
    });
    if (bodyless) outgoing.end();
    else req.pipe(outgoing);
  }

  /** Stores the accepted object in s3rver with a PUT; answers its ETag. */
  function store(bucket: string, accepted: Accepted, body: Buffer): Promise<{ status: number; etag: string | undefined; body: string }> {
    return new Promise((resolve, reject) => {
      const put = request(
        {
          hostname: upstream.hostname,
          port: upstream.port,
          method: 'PUT',
          path: `/${encodeURIComponent(bucket)}/${keyPath(accepted.key)}`,
          headers: { ...accepted.headers, 'Content-Type': accepted.contentType, 'Content-Length': body.length },
          agent,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 500, etag: response.headers.etag, body: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        },
      );
      put.on('error', reject);
      put.end(body);
    });
  }

  async function succeed(req: IncomingMessage, res: ServerResponse, bucket: string, accepted: Accepted, body: Buffer, id: string): Promise<void> {
    const stored = await store(bucket, accepted, body);
    if (stored.status !== 200) {
      // s3rver's own refusal (e.g. NoSuchBucket), passed on as it is.
      const code = /<Code>([^<]*)<\/Code>/.exec(stored.body)?.[1] ?? 'InternalError';
      const message = /<Message>([^<]*)<\/Message>/.exec(stored.body)?.[1] ?? 'The local S3 refused the object.';
      return sendError(req, res, new S3Error(stored.status, code, message), id);
    }
    const etag = stored.etag ?? '';
    const location = `http://${req.headers.host ?? `${upstream.host}`}/${encodeURIComponent(bucket)}/${keyPath(accepted.key)}`;
    const headers = { ...corsHeaders(req), ETag: etag, Location: location, 'x-amz-request-id': id };
    if (accepted.redirect) {
      let target: URL | undefined;
      try {
        target = new URL(accepted.redirect);
      } catch {
        target = undefined;
      }
      if (target) {
        target.searchParams.set('bucket', bucket);
        target.searchParams.set('key', accepted.key);
        target.searchParams.set('etag', etag);
        res.writeHead(303, { ...headers, Location: target.toString(), 'Content-Length': 0 });
        return void res.end();
      }
    }
    if (accepted.successStatus === 201) {
      const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Location>${escapeXml(location)}</Location><Bucket>${escapeXml(bucket)}</Bucket><Key>${escapeXml(accepted.key)}</Key><ETag>${escapeXml(etag)}</ETag></PostResponse>`;
      res.writeHead(201, { ...headers, 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(xml) });
      return void res.end(xml);
    }
    res.writeHead(accepted.successStatus, { ...headers, 'Content-Length': 0 });
    res.end();
  }

  /** A POST Object: fields, then the file, streamed through busboy; nothing stored unless all holds. */
  function postObject(req: IncomingMessage, res: ServerResponse, bucket: string): void {
    const id = requestId();
    let done = false;
    let parser: busboy.Busboy;
    /** Answers a refusal at once; the rest of the body is read and dropped (up to a bound) so the client sees it. */
    const refuse = (error: unknown) => {
      if (done) return;
      done = true;
      const s3Error = error instanceof S3Error ? error : new S3Error(500, 'InternalError', `We encountered an internal error: ${(error as Error).message}`);
      req.unpipe(parser);
      parser.removeAllListeners();
      parser.on('error', () => {});
      let drained = 0;
      req.on('data', (chunk: Buffer) => {
        drained += chunk.length;
        if (drained > DRAIN_LIMIT_BYTES) req.destroy();
      });
      req.resume();
      sendError(req, res, s3Error, id);
    };
    try {
      parser = busboy({ headers: req.headers, limits: { fieldSize: MAX_TEXT_FILE_BYTES, fieldNameSize: 1024 } });
    } catch {
      const error = new S3Error(400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.');
      req.resume();
      return sendError(req, res, error, id);
    }

    const fields = new Map<string, FormField>();
    let preData = 0;
    let fileSeen = false;
    let accepted: Accepted | undefined;
    let body: Buffer | undefined;
    /** The file's checks, run once all the fields before it are known. */
    let checked: Promise<Accepted> | undefined;
    const check = () => (checked ??= checkFields(bucket, fields, signer, options));

    const finish = async () => {
      if (done) return;
      if (!fileSeen) return refuse(invalidArgument('POST requires exactly one file upload per request.', 'file', '0'));
      if (!accepted || !body) return; // still checking: `finish` runs again when the file is complete
      if (body.length < accepted.min)
        return refuse(new S3Error(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', { ProposedSize: body.length, MinSizeAllowed: accepted.min }));
      done = true;
      try {
        await succeed(req, res, bucket, accepted, body, id);
      } catch (error) {
        // Node refuses header values outside ISO-8859-1 (a Content-Type or x-amz-meta-* field), as S3 does.
        if ((error as NodeJS.ErrnoException).code === 'ERR_INVALID_CHAR')
          return sendError(req, res, new S3Error(400, 'InvalidArgument', 'Header value cannot be represented using ISO-8859-1.'), id);
        sendError(req, res, new S3Error(500, 'InternalError', `We encountered an internal error: ${(error as Error).message}`), id);
      }
    };
    let closed = false;
    const tooLarge = (size: number, max: number) =>
      new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', { ProposedSize: size, MaxSizeAllowed: max });

    parser.on('field', (name, value, info) => {
      if (done || fileSeen) return; // S3 ignores what follows the file
      const lower = name.toLowerCase();
      if (lower === 'file') {
        // A text `file` part (no filename): the content is the value.
        fileSeen = true;
        if (info.valueTruncated) return refuse(tooLarge(MAX_TEXT_FILE_BYTES + 1, MAX_TEXT_FILE_BYTES));
        check().then(
          (result) => {
            const content = Buffer.from(value, 'utf8');
            if (content.length > result.max) return refuse(tooLarge(content.length, result.max));
            accepted = result;
            body = content;
            if (closed) void finish();
          },
          refuse,
        );
        return;
      }
      preData += Buffer.byteLength(name) + Buffer.byteLength(value);
      if (preData > MAX_PRE_DATA_BYTES) return refuse(new S3Error(400, 'MaxPostPreDataLengthExceededError', 'Your POST request fields preceeding the upload file was too large.'));
      if (fields.has(lower)) return refuse(invalidArgument(`Bucket POST must contain only one field named '${name}'.`, name, value));
      fields.set(lower, { name, value });
    });

    parser.on('file', (name, stream) => {
      if (done || fileSeen || name.toLowerCase() !== 'file') {
        stream.resume();
        return;
      }
      fileSeen = true;
      stream.pause();
      check().then((result) => {
        if (done) return void stream.resume();
        const chunks: Buffer[] = [];
        let size = 0;
        stream.on('data', (chunk: Buffer) => {
          if (done) return;
          size += chunk.length;
          // Stop at once when the file passes the maximum: nothing more is kept.
          if (size > result.max) return refuse(tooLarge(size, result.max));
          chunks.push(chunk);
        });
        stream.on('end', () => {
          if (done) return;
          accepted = result;
          body = Buffer.concat(chunks, size);
          if (closed) void finish();
        });
        stream.resume();
      }, (error) => {
        refuse(error);
        stream.resume();
      });
    });

    parser.on('close', () => {
      closed = true;
      void finish();
    });
    parser.on('error', () => refuse(new S3Error(400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.')));
    req.on('error', () => {
      done = true;
    });
    req.pipe(parser);
  }

  function preflight(req: IncomingMessage, res: ServerResponse): void {
    const id = requestId();
    if (!req.headers.origin) return sendError(req, res, new S3Error(400, 'BadRequest', 'Insufficient information. Origin request header needed.'), id);
    res.writeHead(200, {
      ...corsHeaders(req),
      ...(req.headers['access-control-request-headers'] ? { 'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] } : {}),
      'Access-Control-Max-Age': '3000',
      'Content-Length': 0,
      'x-amz-request-id': id,
    });
    res.end();
  }

  const server = createServer((req, res) => {
    // `/{bucket}` or `/{bucket}/`, path-style, with or without a query.
    const match = /^\/([^/?]+)\/?(?:\?.*)?$/.exec(req.url ?? '');
    const bucket = match ? safeDecode(match[1]!) : undefined;
    if (bucket !== undefined && req.method === 'POST' && /^multipart\/form-data\b/i.test(req.headers['content-type'] ?? '')) return postObject(req, res, bucket);
    if (bucket !== undefined && req.method === 'OPTIONS' && req.headers['access-control-request-method']?.toUpperCase() === 'POST') return preflight(req, res);
    proxy(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      agent.destroy();
    },
  };
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
