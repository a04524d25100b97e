/**
 * API Gateway HTTP API, locally: a loopback HTTP server that does what the gateway does
 * before and after the api function — route matching (404 `{"message":"Not Found"}`),
 * the request size limit (413), stage throttling (429), the Lambda authorizer with its
 * identity source and result cache (401 `{"message":"Unauthorized"}` without an
 * Authorization header, as the gateway answers without invoking the authorizer) — and
 * hands the function a real payload-2.0 event. The routes are the API's table
 * (shared/api/routes.ts), the limits and TTL the wiring's, as the CDK app's are.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { matchRoute, routeKey } from '../../shared/api/routes.ts';
import { WIRING } from '../wiring.ts';
import { AuthorizerCache } from './authorizer-cache.ts';

export type ApiHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyResultV2>;
export type AuthorizerHandler = (
  event: APIGatewayRequestAuthorizerEventV2,
) => Promise<{ isAuthorized: boolean; context?: Record<string, unknown> }>;

export interface HttpApiOptions {
  readonly api: ApiHandler;
  readonly authorizer: AuthorizerHandler;
  /** 0: any free port. */
  readonly port: number;
  /** Stage throttling as wired (default true); the bench measures the function without it. */
  readonly throttle?: boolean;
  /** The authorizer's result cache as wired (default true); false checks the token on every request (bench). */
  readonly authorizerCache?: boolean;
  /** Identities the cache keeps at most (default: infra/local/authorizer-cache.ts). */
  readonly authorizerCacheCapacity?: number;
}

export interface RunningHttpApi {
  readonly url: string;
  readonly server: Server;
  /** The functions behind it (a second gateway may front the same ones). */
  readonly handlers: { readonly api: ApiHandler; readonly authorizer: AuthorizerHandler };
  /** Identities whose authorizer answer is cached now. */
  cachedIdentities(): number;
  stop(): Promise<void>;
}

const http = WIRING.api.trigger;
const authorizerWiring = WIRING.authorizer.trigger;

/** Text bodies reach the function as text; anything else base64-encoded, as the gateway does. */
const TEXTUAL = /^(text\/|application\/(json|x-www-form-urlencoded|xml|javascript)|[^;]*\+json)/i;

export async function startHttpApi(options: HttpApiOptions): Promise<RunningHttpApi> {
  const cache = new AuthorizerCache(options.authorizerCacheCapacity);
  const bucket = { tokens: http.throttle.burstLimit as number, at: Date.now() };
  const throttled = () => {
    if (options.throttle === false) return false;
    const now = Date.now();
    bucket.tokens = Math.min(http.throttle.burstLimit, bucket.tokens + ((now - bucket.at) / 1000) * http.throttle.rateLimit);
    bucket.at = now;
    if (bucket.tokens < 1) return true;
    bucket.tokens -= 1;
    return false;
  };

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    if (throttled()) return gateway(res, 429, 'Too Many Requests');
    const body = await readBody(req, http.maxRequestBytes);
    if (body === 'too-large') return gateway(res, 413, 'Request Entity Too Large');
    const matched = matchRoute(method, url.pathname);
    if (!matched) return gateway(res, 404, 'Not Found');
    const { route, pathParameters } = matched;
    const headers = headersOf(req);
    const query = queryOf(url);
    const key = routeKey(route);
    const requestContext = {
      accountId: 'local',
      apiId: 'local',
      domainName: headers['host'] ?? '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: key,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    };
    let authorizer: { lambda: Record<string, unknown> } | undefined;
    if (route.auth !== 'public') {
      const identity = headers['authorization'];
      if (!identity) return gateway(res, 401, 'Unauthorized');
      let answer = options.authorizerCache === false ? undefined : cache.get(identity);
      if (!answer) {
        const result = await options.authorizer({
          version: '2.0',
          type: 'REQUEST',
          routeArn: `local/$default/${method}${url.pathname}`,
          identitySource: [identity],
          routeKey: key,
          rawPath: url.pathname,
          rawQueryString: url.search.slice(1),
          cookies: [],
          headers,
          queryStringParameters: query,
          requestContext,
          pathParameters,
          stageVariables: {},
        } as unknown as APIGatewayRequestAuthorizerEventV2);
        answer = {
          until: Date.now() + authorizerWiring.resultsCacheTtlSeconds * 1000,
          context: result.context,
          authorized: result.isAuthorized,
        };
        cache.set(identity, answer);
      }
      if (!answer.authorized) return gateway(res, 403, 'Forbidden');
      authorizer = { lambda: answer.context ?? {} };
    }
    const textual = body.length === 0 || TEXTUAL.test(headers['content-type'] ?? '');
    const event = {
      version: '2.0',
      routeKey: key,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      queryStringParameters: Object.keys(query).length ? query : undefined,
      pathParameters: Object.keys(pathParameters).length ? pathParameters : undefined,
      requestContext: { ...requestContext, ...(authorizer ? { authorizer } : {}) },
      body: body.length ? (textual ? body.toString('utf8') : body.toString('base64')) : undefined,
      isBase64Encoded: !textual,
    } as APIGatewayProxyEventV2;
    const result = await options.api(event);
    const out = typeof result === 'string' ? { statusCode: 200, body: result, headers: { 'content-type': 'application/json' } } : result;
    const payload =
      out.body === undefined ? Buffer.alloc(0) : out.isBase64Encoded ? Buffer.from(out.body, 'base64') : Buffer.from(out.body, 'utf8');
    res.writeHead(out.statusCode ?? 200, { ...(out.headers as Record<string, string>), 'content-length': String(payload.length) });
    res.end(payload);
  };

  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      // A function that throws is a 500 from the gateway, with no details.
      process.stderr.write(`local http api: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      if (!res.headersSent) gateway(res, 500, 'Internal Server Error');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    handlers: { api: options.api, authorizer: options.authorizer },
    cachedIdentities: () => cache.size,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The gateway's own answers (not the function's): `{"message": …}`. */
function gateway(res: ServerResponse, status: number, message: string): void {
  const body = JSON.stringify({ message });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

/** Headers as payload 2.0 has them: lower-case names, repeated values joined by commas. */
function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers))
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  return out;
}

function queryOf(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of url.searchParams) out[name] = name in out ? `${out[name]},${value}` : value;
  return out;
}

/** The body, or 'too-large' as soon as it passes the limit (the rest is not read). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      resolve('too-large');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
