/**
 * The HTTP API's core: a request (already routed and authenticated, as API Gateway hands
 * it over) → a response. Pure of AWS: the ledger, the object store, the summary archive
 * and the presigner are ports; functions/api/handler.ts maps API Gateway's events onto
 * this, and the local HTTP adapter (infra/local/http-api.ts) builds those same events.
 *
 * Authorization happens here, per route: the role must be among the route's roles, and a
 * village only ever reaches its own unit (its uploads, its submissions, its keys).
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import {
  issueToken,
  noteOf,
  parseExpiry,
  requestedPrincipal,
  revokeToken,
  ROLE_NAMES,
  TokenError,
  tokenErrors,
  tokenStatus,
  type Principal,
  type TokenErrorCode,
  type TokenInfo,
  type TokenStore,
} from '../auth/tokens.ts';
import { METRICS, VALUE_KEYS } from '../catalogue.ts';
import { DEFAULT_MAX_BYTES } from '../check.ts';
import type { Finding } from '../findings.ts';
import type { CurrentSubmission, Ledger, ObjectStore } from '../ingest/ports.ts';
import { summaryCsv } from '../mail/summary-email.ts';
import { addMonths, chineseDeadline, deadlineOf, monthOf, type Month } from '../period.ts';
import type { PublishedSummary, SummaryArchive, SummaryKind } from '../publish/ports.ts';
import { summaryKey } from '../publish/publish.ts';
import type { Registry } from '../registry.ts';
import { newUploadId, objectKey, type UploadIntent, type UploadRecord } from '../uploads.ts';
import type { Page } from '../web/page.ts';
import { template } from '../write.ts';
import { answerOf, apiErrors } from './errors.ts';
import { openApiDocument } from './openapi.ts';
import { ROUTES, type Route, type RouteName } from './routes.ts';
import {
  CreateUploadRequest,
  FormatQuery,
  MAX_BODY_BYTES,
  MonthParam,
  TemplateQuery,
  UnitParam,
  UploadIdParam,
  YearParam,
  CompletenessBody,
  SubmissionBody,
  UploadStatusBody,
  IssueTokenRequest,
  TokenIdParam,
  TokenListQuery,
} from './schemas.ts';

// ---------------------------------------------------------------------------------------
// Ports
// ---------------------------------------------------------------------------------------

/** Signs an S3 POST that can only create `key`, of at most `maxBytes`, of `contentType`. */
export interface UploadPresigner {
  presign(input: { readonly key: string; readonly contentType: string; readonly maxBytes: number; readonly expiresInSeconds: number }): Promise<{ url: string; fields: Record<string, string> }>;
}

export interface ApiLedger extends Pick<Ledger, 'getUpload' | 'putIntent'> {
  currentSubmission(unit: string, period: Month): Promise<CurrentSubmission | undefined>;
  history(unit: string, period: Month): Promise<CurrentSubmission[]>;
  currentOfMonth(period: Month): Promise<CurrentSubmission[]>;
}

export interface ApiDeps {
  readonly ledger: ApiLedger;
  readonly store: Pick<ObjectStore, 'get'>;
  readonly summaries: Pick<SummaryArchive, 'latest'>;
  readonly presigner: UploadPresigner;
  /** The credential store (admin routes only; the authorizer verifies tokens). */
  readonly tokens: TokenStore;
  readonly registry: () => Promise<Registry>;
  readonly now: () => Date;
  /** The secretaries' page: its HTML and the CSP it is served with. */
  readonly page: () => Page;
  /** Largest file a presigned POST admits (default 5 MiB, DOMAIN's TOO_LARGE). */
  readonly maxFileBytes?: number;
  /** How long a presigned POST stays valid (default 15 minutes). */
  readonly uploadTtlSeconds?: number;
  /** Summaries already read by this container (absent: read every time). */
  readonly summaryCache?: SummaryCache;
}

// ---------------------------------------------------------------------------------------
// Requests and responses
// ---------------------------------------------------------------------------------------

/** Who is calling, as the authorizer (or IAM) established it before the handler ran. */
export type Caller =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'principal'; readonly principal: Principal; readonly tokenId?: string; readonly expiresAt?: string }
  /** The authorizer refused the token: the handler answers 401 with its code and message. */
  | { readonly kind: 'refused'; readonly code: TokenErrorCode; readonly message: string };

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
  readonly body: string;
}

const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' } as const;

function json(status: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/** An error as the caller sees it: `{code, message}` and the status; details only in the log. */
export function errorResponse(error: unknown, log?: (internal: unknown) => void): ApiResponse {
  const answer = answerOf(error);
  if (answer.internal !== undefined) log?.(answer.internal);
  return json(answer.status, { code: answer.code, message: answer.message }, answer.headers);
}

// ---------------------------------------------------------------------------------------
// Dispatch
// ---------------------------------------------------------------------------------------

type Handler = (request: ApiRequest, deps: ApiDeps, principal: Principal) => Promise<ApiResponse>;
type PublicHandler = (request: ApiRequest, deps: ApiDeps) => Promise<ApiResponse>;

export async function handleRequest(request: ApiRequest, deps: ApiDeps, log?: (internal: unknown) => void): Promise<ApiResponse> {
  try {
    const { route } = request;
    if (route.auth === 'public') return await PUBLIC[route.name]!(request, deps);
    const principal = principalOf(request);
    if (!route.roles.includes(principal.role)) throw apiErrors.roleForbidden(ROLE_NAMES[principal.role], FORBIDDEN_ACTION[route.name]);
    return await HANDLERS[route.name]!(request, deps, principal);
  } catch (error) {
    return errorResponse(error, log);
  }
}

function principalOf(request: ApiRequest): Principal {
  const { caller } = request;
  if (caller.kind === 'refused') throw new TokenError(caller.code, caller.message);
  if (caller.kind === 'anonymous') throw tokenErrors.missing();
  return caller.principal;
}

const FORBIDDEN_ACTION: Record<RouteName, string> = {
  page: '打开页面',
  openapi: '查看接口文档',
  me: '查看凭证',
  catalogue: '查看指标目录',
  units: '查看单位名录',
  template: '下载填报模板（只有村、社区和镇可以报送）',
  createUpload: '上传文件（区级只能查看汇总，不能报送）',
  getUpload: '查看上传结果（只有报送单位和镇可以查看）',
  monthlySummary: '查看全镇汇总（村、社区请查看本单位的报送）',
  annualSummary: '查看全镇汇总（村、社区请查看本单位的报送）',
  submissions: '查看单位的报送明细',
  completeness: '查看全镇报送情况',
  issueToken: '签发凭证（请联系镇管理员）',
  listTokens: '查看凭证列表',
  revokeToken: '撤销凭证',
};

const PUBLIC: Partial<Record<RouteName, PublicHandler>> = {
  page: async (_request, deps) => {
    const page = deps.page();
    return {
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', 'content-security-policy': page.csp, ...SECURITY_HEADERS },
      body: page.html,
    };
  },
  openapi: async () => json(200, openApiDocument(), { 'cache-control': 'public, max-age=300' }),
};

const HANDLERS: Partial<Record<RouteName, Handler>> = {
  me: async (_request, deps, principal) => {
    const registry = await deps.registry();
    const caller = _request.caller as Extract<Caller, { kind: 'principal' }>;
    return json(200, {
      role: principal.role,
      roleName: ROLE_NAMES[principal.role],
      ...(principal.role === 'village' ? { unit: principal.unit, unitName: registry.get(principal.unit)?.name ?? principal.unit } : {}),
      ...(caller.tokenId ? { tokenId: caller.tokenId } : {}),
      ...(caller.expiresAt ? { expiresAt: caller.expiresAt } : {}),
      town: registry.town.name,
      defaultPeriod: addMonths(monthOf(deps.now()), -1),
      now: deps.now().toISOString(),
      deadlineDay: registry.deadlineDay,
      maxFileBytes: maxFileBytes(deps),
    });
  },

  catalogue: async () =>
    json(200, {
      metrics: METRICS.map((m) => ({ code: m.code, label: m.label, unit: m.unit, kind: m.kind, section: m.section })),
      keys: VALUE_KEYS.map((k) => ({ key: k.key, metric: k.metric.code, label: k.label, unit: k.metric.unit, ...(k.category ? { category: k.category.code } : {}) })),
    }, { 'cache-control': 'private, max-age=300' }),

  units: async (_request, deps) => {
    const registry = await deps.registry();
    return json(200, { town: registry.town.name, deadlineDay: registry.deadlineDay, units: registry.units.map((u) => ({ code: u.code, name: u.name, type: u.type })) });
  },

  template: async (request, deps, principal) => {
    const period = MonthParam.parse(request.pathParameters['period']);
    const query = TemplateQuery.parse(request.query);
    const registry = await deps.registry();
    const unit = principal.role === 'village' ? ownUnit(principal, query.unit) : query.unit;
    if (unit !== undefined && !registry.get(unit)) throw apiErrors.unitUnknown(unit);
    const body = template({ format: query.layout, registry, period, ...(unit ? { unit } : {}) });
    const name = `${registry.town.name}${unit ? `-${registry.get(unit)!.name}` : ''}-${period}-填报模板.csv`;
    return { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': attachment(name), 'cache-control': 'no-store', ...SECURITY_HEADERS }, body };
  },

  createUpload: async (request, deps, principal) => {
    const body = CreateUploadRequest.parse(readJson(request));
    const registry = await deps.registry();
    const now = deps.now();
    let unit: string;
    let period: string;
    if (principal.role === 'village') {
      unit = ownUnit(principal, body.unit);
      if (!registry.get(unit)) throw apiErrors.unitUnknown(unit);
      if (!body.period) throw apiErrors.periodRequired();
      period = body.period;
    } else {
      unit = body.unit ?? 'ALL';
      if (body.unit !== undefined && !registry.get(body.unit)) throw apiErrors.unitUnknown(body.unit);
      period = body.period ?? 'unknown';
    }
    if (period !== 'unknown' && period > monthOf(now)) throw apiErrors.periodInFuture(period);
    const maxBytes = maxFileBytes(deps);
    if (body.size !== undefined && body.size > maxBytes) throw apiErrors.fileTooLarge(body.size, maxBytes);
    const intent: UploadIntent = { uploadId: newUploadId(), uploader: principal.role === 'village' ? { role: 'village', unit: principal.unit } : { role: principal.role as 'town' | 'admin' }, unit, period, ext: body.format, createdAt: now.toISOString(), maxBytes };
    const key = objectKey(intent);
    const ttl = deps.uploadTtlSeconds ?? 15 * 60;
    // Sign first (no side effect), then record: an intent is never left without its form.
    const form = await deps.presigner.presign({ key, contentType: CONTENT_TYPES[body.format], maxBytes, expiresInSeconds: ttl });
    if (!(await deps.ledger.putIntent(intent))) throw apiErrors.uploadExists(intent.uploadId);
    return json(201, { uploadId: intent.uploadId, key, url: form.url, fields: form.fields, expiresAt: new Date(Date.now() + ttl * 1000).toISOString(), maxBytes, statusUrl: `/v1/uploads/${intent.uploadId}` }, { location: `/v1/uploads/${intent.uploadId}` });
  },

  getUpload: async (request, deps, principal) => {
    const uploadId = UploadIdParam.parse(request.pathParameters['uploadId']);
    const record = await deps.ledger.getUpload(uploadId);
    // A village learns nothing of other units' uploads, not even that they exist.
    if (!record || (principal.role === 'village' && !belongsTo(record, principal.unit))) throw apiErrors.uploadNotFound(uploadId);
    return json(200, uploadStatus(record));
  },

  monthlySummary: (request, deps) => summary('monthly', MonthParam.parse(request.pathParameters['month']), request, deps),
  annualSummary: (request, deps) => summary('annual', YearParam.parse(request.pathParameters['year']), request, deps),

  submissions: async (request, deps, principal) => {
    const unit = UnitParam.parse(request.pathParameters['unit']);
    const period = MonthParam.parse(request.pathParameters['month']);
    if (principal.role === 'village') ownUnit(principal, unit);
    const registry = await deps.registry();
    const known = registry.get(unit);
    if (!known) throw apiErrors.unitUnknown(unit);
    const [current, history] = await Promise.all([deps.ledger.currentSubmission(unit, period), deps.ledger.history(unit, period)]);
    return json(200, { unit, unitName: known.name, period, current: current ? submissionBody(current) : null, history: history.map(submissionBody) });
  },

  completeness: async (request, deps) => {
    const period = MonthParam.parse(request.pathParameters['month']);
    const registry = await deps.registry();
    const [current, latest] = await Promise.all([deps.ledger.currentOfMonth(period), deps.summaries.latest('monthly', period)]);
    const byUnit = new Map(current.map((c) => [c.unit, c]));
    const deadline = deadlineOf(period, registry.deadlineDay);
    const units: z.infer<typeof CompletenessBody>['units'] = registry.units.map((u) => {
      const c = byUnit.get(u.code);
      if (!c) return { unit: u.code, name: u.name, status: 'missing', warnings: 0 };
      return { unit: u.code, name: u.name, status: Date.parse(c.firstReceivedAt) < deadline.getTime() ? 'on_time' : 'late', firstReceivedAt: c.firstReceivedAt, receivedAt: c.receivedAt, uploadId: c.uploadId, warnings: c.warnings?.length ?? 0 };
    });
    const count = (s: string) => units.filter((u) => u.status === s).length;
    const body: z.infer<typeof CompletenessBody> = {
      period,
      deadline: deadline.toISOString(),
      deadlineText: chineseDeadline(period, registry.deadlineDay),
      units,
      summary: { expected: units.length, received: units.length - count('missing'), onTime: count('on_time'), late: count('late'), missing: count('missing') },
      published: latest ? { revision: latest.revision, url: `/v1/summaries/monthly/${period}` } : null,
    };
    return json(200, body);
  },

  // Credentials: the administrator's desk, as `cunbao token` offers it.
  issueToken: async (request, deps) => {
    const body = IssueTokenRequest.parse(readJson(request));
    const now = deps.now();
    const registry = await deps.registry();
    const note = noteOf(body.note);
    const issued = await issueToken({ principal: requestedPrincipal(body.role, body.unit, registry), expiresAt: parseExpiry(body.expires, now), ...(note ? { note } : {}) }, deps.tokens, now);
    return json(201, { token: issued.token, info: tokenBody(issued.info, now) });
  },
  listTokens: async (request, deps) => {
    const query = TokenListQuery.parse(request.query);
    const page = await deps.tokens.list({ ...(query.limit ? { limit: query.limit } : {}), ...(query.cursor ? { cursor: query.cursor } : {}) });
    const now = deps.now();
    return json(200, { tokens: page.tokens.map((t) => tokenBody(t, now)), ...(page.cursor ? { cursor: page.cursor } : {}) });
  },
  revokeToken: async (request, deps) => {
    const tokenId = TokenIdParam.parse(request.pathParameters['tokenId']);
    const now = deps.now();
    try {
      const revocation = await revokeToken(tokenId, deps.tokens, now);
      return json(200, { info: tokenBody(revocation.info, now), alreadyRevoked: revocation.alreadyRevoked });
    } catch (error) {
      if (error instanceof TokenError && error.code === 'TOKEN_UNKNOWN') throw apiErrors.tokenNotFound(tokenId);
      throw error;
    }
  },
};

function tokenBody(info: TokenInfo, now: Date) {
  return { ...info, status: tokenStatus(info, now) };
}

// ---------------------------------------------------------------------------------------
// Pieces
// ---------------------------------------------------------------------------------------

const CONTENT_TYPES = { csv: 'text/csv', json: 'application/json' } as const;

function maxFileBytes(deps: ApiDeps): number {
  return deps.maxFileBytes ?? DEFAULT_MAX_BYTES;
}

/** A village's own unit; asking for another is UNIT_FORBIDDEN. */
function ownUnit(principal: Extract<Principal, { role: 'village' }>, asked: string | undefined): string {
  if (asked !== undefined && asked !== principal.unit) throw apiErrors.unitForbidden(principal.unit, asked);
  return principal.unit;
}

function belongsTo(record: UploadRecord, unit: string): boolean {
  return record.uploader.role === 'village' && record.uploader.unit === unit && record.unit === unit;
}

/** The request's JSON body, within the size limit; BODY_INVALID when it is not JSON. */
function readJson(request: ApiRequest): unknown {
  const raw = request.body ?? '';
  const text = request.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw apiErrors.bodyTooLarge(MAX_BODY_BYTES);
  if (text.trim() === '') throw apiErrors.bodyInvalid('请求内容为空');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw apiErrors.bodyInvalid(error instanceof Error ? error.message : String(error));
  }
}

function findingBody(f: Finding) {
  return { code: f.code, message: f.message, row: f.row, column: f.column, value: f.value, ...(f.unit ? { unit: f.unit } : {}), ...(f.period ? { period: f.period } : {}) };
}

function uploadStatus(record: UploadRecord): z.infer<typeof UploadStatusBody> {
  return {
    uploadId: record.uploadId,
    status: record.status,
    unit: record.unit,
    period: record.period,
    format: record.ext,
    createdAt: record.createdAt,
    ...(record.receivedAt ? { receivedAt: record.receivedAt } : {}),
    ...(record.processedAt ? { processedAt: record.processedAt } : {}),
    errors: (record.errors ?? []).map(findingBody),
    warnings: (record.warnings ?? []).map(findingBody),
    submissions: (record.submissions ?? []).map((s) => ({ unit: s.unit, period: s.period, state: s.state })),
  };
}

function submissionBody(s: CurrentSubmission): z.infer<typeof SubmissionBody> {
  return { unit: s.unit, period: s.period, uploadId: s.uploadId, receivedAt: s.receivedAt, firstReceivedAt: s.firstReceivedAt, values: { ...s.values }, warnings: (s.warnings ?? []).map(findingBody) };
}

/**
 * Published summaries as served, kept per container: the archive's latest revision (one
 * DynamoDB GetItem) says whether the copy is current, so a correction is served at once,
 * and the bytes (an immutable `v{n}` object) are read from S3 once per revision. Bounded:
 * the oldest period is dropped beyond `capacity`.
 */
export class SummaryCache {
  private readonly entries = new Map<string, { revision: number; json: Served; csv?: Served }>();
  constructor(private readonly capacity = 24) {}

  get(kind: SummaryKind, period: string, revision: number): { json: Served; csv?: Served } | undefined {
    const hit = this.entries.get(`${kind}/${period}`);
    return hit && hit.revision === revision ? hit : undefined;
  }

  set(kind: SummaryKind, period: string, revision: number, served: { json: Served; csv?: Served }): void {
    const id = `${kind}/${period}`;
    this.entries.delete(id);
    this.entries.set(id, { revision, ...served });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}

/** A body as sent, with the ETag of its exact bytes. */
interface Served {
  readonly body: string;
  readonly etag: string;
}

function served(format: 'json' | 'csv', body: string): Served {
  return { body, etag: `"${format}-${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/**
 * A published summary's latest revision, as JSON or as CSV for Excel, with an ETag of
 * the exact bytes sent: `If-None-Match` with it answers 304 without a body.
 */
async function summary(kind: SummaryKind, period: string, request: ApiRequest, deps: ApiDeps): Promise<ApiResponse> {
  const { format } = FormatQuery.parse(request.query);
  const latest = await deps.summaries.latest(kind, period);
  const notPublished = () => apiErrors.summaryNotPublished(kind === 'annual' ? `${period}年` : `${period.slice(0, 4)}年${Number(period.slice(5))}月`);
  if (!latest) throw notPublished();
  let copy = deps.summaryCache?.get(kind, period, latest.revision);
  if (!copy) {
    const bytes = await deps.store.get(summaryKey(kind, period, latest.revision));
    if (!bytes) throw notPublished();
    copy = { json: served('json', new TextDecoder().decode(bytes)) };
  }
  let answer = copy.json;
  const registry = format === 'csv' ? await deps.registry() : undefined;
  if (registry) answer = copy.csv ??= served('csv', summaryCsv(JSON.parse(copy.json.body) as PublishedSummary, registry));
  deps.summaryCache?.set(kind, period, latest.revision, copy);
  const headers: Record<string, string> = { etag: answer.etag, 'cache-control': 'private, no-cache', vary: 'Authorization', ...SECURITY_HEADERS };
  if (matches(request.headers['if-none-match'], answer.etag)) return { status: 304, headers, body: '' };
  if (registry) {
    const name = `${registry.town.name}-${kind === 'annual' ? `${period}年度` : period}-汇总.csv`;
    return { status: 200, headers: { ...headers, 'content-type': 'text/csv; charset=utf-8', 'content-disposition': attachment(name) }, body: answer.body };
  }
  return { status: 200, headers: { ...headers, 'content-type': 'application/json; charset=utf-8' }, body: answer.body };
}

/** `If-None-Match: "a", W/"b"` or `*`. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

/** `attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
function attachment(name: string): string {
  return `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export { ROUTES };
