/**
 * The HTTP API's routes: one table read by the handler (dispatch and role checks), the
 * OpenAPI document, the local HTTP adapter and the CDK app (routes and their authorizer).
 *
 * `auth`:
 * - `public`: no credential (the page, the OpenAPI document);
 * - `token`: a bearer token, checked by the Lambda authorizer;
 * - `reader`: the district's routes — a bearer token, or in AWS China, where an API with
 *   a Lambda authorizer needs an ICP filing, IAM (SigV4) when deployed with `districtAuth=iam`.
 */
import type { Role } from '../auth/tokens.ts';

export type RouteAuth = 'public' | 'token' | 'reader';
export type RouteName =
  | 'page'
  | 'openapi'
  | 'me'
  | 'catalogue'
  | 'units'
  | 'template'
  | 'createUpload'
  | 'getUpload'
  | 'monthlySummary'
  | 'annualSummary'
  | 'submissions'
  | 'completeness'
  | 'issueToken'
  | 'listTokens'
  | 'revokeToken';

export interface Route {
  readonly name: RouteName;
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** API Gateway syntax: `{name}` is one path segment. */
  readonly path: string;
  readonly auth: RouteAuth;
  /** Roles allowed (a village is further limited to its own unit by the handler). */
  readonly roles: readonly Role[];
  readonly summary: string;
}

const ALL: readonly Role[] = ['village', 'town', 'district', 'admin'];
const WRITERS: readonly Role[] = ['village', 'town', 'admin'];
const READERS: readonly Role[] = ['town', 'district', 'admin'];
const ADMIN: readonly Role[] = ['admin'];

export const ROUTES: readonly Route[] = [
  { name: 'page', method: 'GET', path: '/', auth: 'public', roles: ALL, summary: '村报填报页面（村、社区与镇共用）' },
  { name: 'openapi', method: 'GET', path: '/v1/openapi.json', auth: 'public', roles: ALL, summary: '本接口的 OpenAPI 3.1 文档' },
  { name: 'me', method: 'GET', path: '/v1/me', auth: 'token', roles: ALL, summary: '当前凭证代表谁：角色、单位、有效期' },
  { name: 'catalogue', method: 'GET', path: '/v1/catalogue', auth: 'token', roles: ALL, summary: '指标目录' },
  { name: 'units', method: 'GET', path: '/v1/units', auth: 'token', roles: ALL, summary: '填报单位名录' },
  { name: 'template', method: 'GET', path: '/v1/templates/{period}', auth: 'token', roles: WRITERS, summary: '下载某月的填报模板（CSV 或 JSON）' },
  { name: 'createUpload', method: 'POST', path: '/v1/uploads', auth: 'token', roles: WRITERS, summary: '申请上传：返回只能用于本单位本月的 S3 预签名 POST' },
  { name: 'getUpload', method: 'GET', path: '/v1/uploads/{uploadId}', auth: 'token', roles: WRITERS, summary: '上传的处理结果：待处理、已接收或被退回（逐行逐列的问题）' },
  { name: 'monthlySummary', method: 'GET', path: '/v1/summaries/monthly/{month}', auth: 'reader', roles: READERS, summary: '已发布的月度汇总（JSON，或 ?format=csv）' },
  { name: 'annualSummary', method: 'GET', path: '/v1/summaries/annual/{year}', auth: 'reader', roles: READERS, summary: '已发布的年度汇总（JSON，或 ?format=csv）' },
  { name: 'submissions', method: 'GET', path: '/v1/units/{unit}/submissions/{month}', auth: 'token', roles: WRITERS, summary: '某单位某月的现行报送及其历史' },
  { name: 'completeness', method: 'GET', path: '/v1/completeness/{month}', auth: 'reader', roles: READERS, summary: '某月各单位的报送情况（是否已报、是否按时）' },
  { name: 'issueToken', method: 'POST', path: '/v1/tokens', auth: 'token', roles: ADMIN, summary: '签发凭证（只显示这一次）' },
  { name: 'listTokens', method: 'GET', path: '/v1/tokens', auth: 'token', roles: ADMIN, summary: '凭证列表（不含凭证本身）' },
  { name: 'revokeToken', method: 'DELETE', path: '/v1/tokens/{tokenId}', auth: 'token', roles: ADMIN, summary: '撤销凭证' },
];

/** `GET /v1/uploads/{uploadId}`: API Gateway's route key. */
export function routeKey(route: Pick<Route, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

const compiled = ROUTES.map((route) => ({
  route,
  names: [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
  pattern: new RegExp(`^${route.path.replace(/\{\w+\}/g, '([^/]+)')}$`),
}));

/**
 * The route a method and raw path match (what API Gateway does before invoking), with
 * its path parameters URL-decoded; `undefined` when none matches. A path with `..`
 * segments or encoded slashes matches nothing.
 */
export function matchRoute(method: string, path: string): { route: Route; pathParameters: Record<string, string> } | undefined {
  for (const { route, names, pattern } of compiled) {
    if (route.method !== method.toUpperCase()) continue;
    const m = pattern.exec(path);
    if (!m) continue;
    const pathParameters: Record<string, string> = {};
    try {
      names.forEach((name, i) => (pathParameters[name] = decodeURIComponent(m[i + 1]!)));
    } catch {
      return undefined;
    }
    return { route, pathParameters };
  }
  return undefined;
}

/** Whether another method is served on this path (405 rather than 404). */
export function pathExists(path: string): boolean {
  return compiled.some(({ pattern }) => pattern.test(path));
}
