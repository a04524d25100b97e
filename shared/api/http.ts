/**
 * A request as the dispatcher receives it (already routed and authenticated, as API
 * Gateway hands it over) and the response it gives back, with the few ways of writing
 * one that every route shares: JSON, an attachment's name, an error.
 */
import type { Principal } from '../auth/principals.ts';
import type { TokenErrorCode } from '../auth/tokens.ts';
import type { Route } from './define-route.ts';
import { answerOf } from './errors.ts';

/** Who is calling, as the authorizer (or IAM) established it before the handler ran. */
export type Caller =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'principal'; readonly principal: Principal; readonly tokenId?: string; readonly expiresAt?: string }
  /** The authorizer refused the token: the handler answers 401 with its code and message. */
  | { readonly kind: 'refused'; readonly code: TokenErrorCode; readonly message: string };

/** A caller the authorizer (or IAM) let through. */
export type Authenticated = Extract<Caller, { kind: 'principal' }>;

export interface ApiRequest {
  readonly route: Route;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly caller: Caller;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** Text, or with `isBase64Encoded` a binary body in base64 (what API Gateway's payload 2.0 decodes before sending). */
  readonly body: string;
  readonly isBase64Encoded?: boolean;
  /** The upload the request concerns: the logs' correlation id (never sent to the caller). */
  readonly correlationId?: string;
}

export const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' } as const;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS, ...headers },
    body: JSON.stringify(body),
  };
}

/** An error as the caller sees it: `{code, message}` and the status; details only in the log. */
export function errorResponse(error: unknown, log?: (internal: unknown) => void): ApiResponse {
  const answer = answerOf(error);
  if (answer.internal !== undefined) log?.(answer.internal);
  return json(answer.status, { code: answer.code, message: answer.message }, answer.headers);
}

/**
 * `attachment` with the UTF-8 name (RFC 6266 / 5987 `filename*`, what browsers and
 * `wget --content-disposition` use) and an ASCII `filename` for clients that read only
 * that (curl -OJ): `ascii` when given, else the name with `_` for what ASCII lacks.
 */
export function attachment(name: string, ascii?: string): string {
  const fallback = (ascii ?? name).replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
