/**
 * CORS as a bucket rule allowing POST from any origin: the gate answers the preflights for
 * POST on the bucket, and its own answers (refusals too) carry the headers, so that the
 * page can read them.
 */
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';

export function corsHeaders(req: IncomingMessage): OutgoingHttpHeaders {
  return {
    'Access-Control-Allow-Origin': req.headers.origin ?? '*',
    'Access-Control-Allow-Methods': 'POST',
    'Access-Control-Expose-Headers': 'ETag, Location',
    Vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
}

/** The browser asking before a POST. */
export const isPostPreflight = (req: IncomingMessage) =>
  req.method === 'OPTIONS' && req.headers['access-control-request-method']?.toUpperCase() === 'POST';

/** The preflight's answer: whatever headers were asked for are allowed. */
export function preflightHeaders(req: IncomingMessage): OutgoingHttpHeaders {
  const requested = req.headers['access-control-request-headers'];
  return { ...corsHeaders(req), ...(requested ? { 'Access-Control-Allow-Headers': requested } : {}), 'Access-Control-Max-Age': '3000' };
}
