/** Every request that is not a POST Object or its preflight goes to s3rver unchanged: method, path and query, headers, bodies streamed both ways. */
import { request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { s3Refusal } from './refusal.ts';
import type { Upstream } from './upstream.ts';
import { requestId, sendRefusal } from './answers.ts';

/** Headers that belong to one connection, not passed on. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'upgrade',
  'expect',
]);

export function proxy(upstream: Upstream, req: IncomingMessage, res: ServerResponse, retry = true): void {
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(name)) headers[name] = value;
  const bodyless = (req.headers['content-length'] ?? '0') === '0' && req.headers['transfer-encoding'] === undefined;
  const { hostname, port, agent } = upstream;
  const outgoing = request({ hostname, port, method: req.method, path: req.url, headers, agent });
  outgoing.on('response', (incoming) => {
    res.writeHead(incoming.statusCode ?? 502, incoming.statusMessage, endToEnd(incoming.rawHeaders));
    pipeline(incoming, res, () => {});
  });
  outgoing.on('error', (error: NodeJS.ErrnoException) => {
    // A kept-alive connection s3rver closed just then: a request without a body is sent again.
    if (retry && bodyless && outgoing.reusedSocket && error.code === 'ECONNRESET' && !res.headersSent)
      return proxy(upstream, req, res, false);
    if (res.headersSent) return void res.destroy();
    sendRefusal(req, res, s3Refusal(502, 'BadGateway', `The local S3 (s3rver) did not answer: ${error.message}`), requestId());
  });
  res.on('close', () => {
    if (!res.writableFinished) outgoing.destroy();
  });
  if (bodyless) outgoing.end();
  else req.pipe(outgoing);
}

/** s3rver's raw answer headers (name, value, name, value, …) without the hop-by-hop ones. */
function endToEnd(raw: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i];
    const value = raw[i + 1];
    if (name !== undefined && value !== undefined && !HOP_BY_HOP.has(name.toLowerCase())) kept.push(name, value);
  }
  return kept;
}
