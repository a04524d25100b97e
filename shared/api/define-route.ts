/**
 * One route, whole: what API Gateway routes on (method, path, auth), who may call it
 * (roles, and what the others are told), what it reads (path, query and body schemas),
 * what it answers (for the OpenAPI document), and its handler. The route table
 * (shared/api/routes.ts) is a list of these; the dispatcher, the OpenAPI document, the
 * local gateway and the CDK app are all generated from it.
 *
 * `auth`:
 * - `public`: no credential (the page, the OpenAPI document);
 * - `token`: a bearer token, checked by the Lambda authorizer;
 * - `reader`: the district's routes — a bearer token, or in AWS China, where an API with
 *   a Lambda authorizer needs an ICP filing, IAM (SigV4) when deployed with `districtAuth=iam`.
 */
// By name from zod's core: `z.core.` of zod/mini's namespace would bundle all of core into the cold start.
import { $ZodRealError } from 'zod/v4/core';
import type * as z from 'zod/mini';
import type { Principal } from '../auth/principals.ts';
import { ROLES, type Role } from '../auth/roles.ts';
import type { ApiDeps } from '../ports/api.ts';
import type { AnswerName } from './answers.ts';
import type { ApiRequest, ApiResponse, Authenticated } from './http.ts';
import { readJson } from './read-json.ts';

export type RouteAuth = 'public' | 'token' | 'reader';
type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 429;
/** Each path parameter's schema, by its name in the path (`{month}`), in the path's order. */
type ParamSchemas = Readonly<Record<string, z.ZodMiniType>>;

/** The 2xx answer, as the OpenAPI document describes it. */
interface OkAnswer {
  readonly status: 200 | 201;
  readonly description: string;
  /** `application/json` of this answer (answers.ts: named, so that the cold start does not make it). */
  readonly json?: AnswerName;
  readonly csv?: true;
  /** An Excel workbook (.xlsx). */
  readonly xlsx?: true;
  readonly html?: true;
  /** An SVG image. */
  readonly svg?: true;
  /** A document: Markdown, and a Word document (.docx). */
  readonly markdown?: true;
  readonly docx?: true;
  /** The `Cache-Control` it is sent with, when not `json()`'s `no-store`. */
  readonly cacheControl?: string;
  /** A download: `Content-Disposition: attachment` with its file name (every answer but JSON). */
  readonly attachment?: true;
  /** A `Location` header: the created resource's address. */
  readonly location?: true;
}

interface RouteFacts<N extends string> {
  /** The operationId. */
  readonly name: N;
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** API Gateway syntax: `{name}` is one path segment. */
  readonly path: string;
  readonly summary: string;
  readonly ok: OkAnswer;
  /** The error statuses it may answer besides AUTH_ERRORS (a guarded route's). */
  readonly errors?: readonly ErrorStatus[];
  /** An ETag of the bytes, and 304 for a matching If-None-Match. */
  readonly etag?: true;
  /**
   * The caller's token is read again from the store before the handler runs, not taken from
   * the authorizer's cached answer: a token revoked a second ago cannot mint, list or revoke
   * (the credential routes). Costs one GetItem a request.
   */
  readonly fresh?: true;
}

interface RouteSchemas<P extends ParamSchemas, Q extends z.ZodMiniObject | undefined, B extends z.ZodMiniType | undefined> {
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
}

interface Guard {
  readonly auth: 'token' | 'reader';
  /** Roles allowed (a village is further limited to its own unit by the handler). */
  readonly roles: readonly Role[];
  /** What another role is told it cannot do: `{role}凭证不能{refusal}。` */
  readonly refusal: string;
}

type RouteBase<N extends string> = RouteFacts<N> &
  RouteSchemas<ParamSchemas, z.ZodMiniObject | undefined, z.ZodMiniType | undefined> & {
    readonly roles: readonly Role[];
    /** Every error status it may answer, AUTH_ERRORS included. */
    readonly errors: readonly ErrorStatus[];
  };

/** A route as the table holds it: its handler behind `serve`, which parses the request first. */
export type Route<N extends string = string> =
  | (RouteBase<N> & { readonly auth: 'public'; serve(request: ApiRequest, deps: ApiDeps): Promise<ApiResponse> })
  | (RouteBase<N> & Guard & { serve(request: ApiRequest, deps: ApiDeps, caller: Authenticated): Promise<ApiResponse> });

/** What a handler receives: the request's parameters and body already parsed by the route's schemas. */
interface Parsed<P extends ParamSchemas, Q extends z.ZodMiniObject | undefined, B extends z.ZodMiniType | undefined> {
  readonly params: { readonly [K in keyof P]: z.output<P[K]> };
  readonly query: Q extends z.ZodMiniObject ? z.output<Q> : Readonly<Record<never, never>>;
  readonly body: B extends z.ZodMiniType ? z.output<B> : undefined;
  readonly request: ApiRequest;
  readonly deps: ApiDeps;
}

/** What a guarded route's handler receives besides: the caller, whose role the dispatcher checked. */
interface Called {
  readonly caller: Authenticated;
  readonly principal: Principal;
}

type PublicSpec<
  N extends string,
  P extends ParamSchemas,
  Q extends z.ZodMiniObject | undefined,
  B extends z.ZodMiniType | undefined,
> = RouteFacts<N> & RouteSchemas<P, Q, B> & { readonly auth: 'public'; handle(input: Parsed<P, Q, B>): Promise<ApiResponse> };

type GuardedSpec<
  N extends string,
  P extends ParamSchemas,
  Q extends z.ZodMiniObject | undefined,
  B extends z.ZodMiniType | undefined,
> = RouteFacts<N> & RouteSchemas<P, Q, B> & Guard & { handle(input: Parsed<P, Q, B> & Called): Promise<ApiResponse> };

/** What every guarded route may answer: no or a refused token, a role refused, throttled. */
export const AUTH_ERRORS = [401, 403, 429] as const satisfies readonly ErrorStatus[];

type NoParams = Readonly<Record<never, z.ZodMiniType>>;

/** A public route: anyone may call it (its roles are all of them). */
export function defineRoute<
  const N extends string,
  P extends ParamSchemas = NoParams,
  Q extends z.ZodMiniObject | undefined = undefined,
  B extends z.ZodMiniType | undefined = undefined,
>(spec: PublicSpec<N, P, Q, B>): Route<N>;
/** A guarded route: the dispatcher lets only `roles` through, and tells the others `refusal`. */
export function defineRoute<
  const N extends string,
  P extends ParamSchemas = NoParams,
  Q extends z.ZodMiniObject | undefined = undefined,
  B extends z.ZodMiniType | undefined = undefined,
>(spec: GuardedSpec<N, P, Q, B>): Route<N>;
export function defineRoute(
  spec:
    | PublicSpec<string, ParamSchemas, z.ZodMiniObject | undefined, z.ZodMiniType | undefined>
    | GuardedSpec<string, ParamSchemas, z.ZodMiniObject | undefined, z.ZodMiniType | undefined>,
): Route {
  if (spec.auth === 'public') {
    const { handle, ...route } = spec;
    return {
      ...route,
      errors: route.errors ?? [],
      roles: ROLES,
      serve: async (request: ApiRequest, deps: ApiDeps) => handle({ ...parse(route, request), request, deps }),
    };
  }
  const { handle, ...route } = spec;
  return {
    ...route,
    errors: [...(route.errors ?? []), ...AUTH_ERRORS],
    serve: async (request, deps, caller) => handle({ ...parse(route, request), request, deps, caller, principal: caller.principal }),
  };
}

/**
 * The path parameters one by one in the path's order (the first bad one answers, its
 * message naming it, as a query's or a body's field is named), then the query, then the body.
 */
function parse(schemas: RouteSchemas<ParamSchemas, z.ZodMiniObject | undefined, z.ZodMiniType | undefined>, request: ApiRequest) {
  const params: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(schemas.params ?? {})) {
    const parsed = schema.safeParse(request.pathParameters[name]);
    if (!parsed.success) throw new $ZodRealError(parsed.error.issues.map((issue) => ({ ...issue, path: [name, ...issue.path] })));
    params[name] = parsed.data;
  }
  const query: Record<string, unknown> = schemas.query ? schemas.query.parse(request.query) : {};
  const body: unknown = schemas.body ? schemas.body.parse(readJson(request)) : undefined;
  return { params, query, body };
}
