import { defineRoute, type Route } from './define-route.ts';
import { json, type ApiResponse } from './http.ts';
import { catalogue, me, template, units } from './routes/meta.ts';
import { page } from './routes/page.ts';
import { chart } from './routes/charts.ts';
import { completeness, orgCompleteness } from './routes/completeness.ts';
import { desk, publishMonth } from './routes/desk.ts';
import { annualReport } from './routes/reports.ts';
import { annualSummary, monthlySummary, orgAnnualSummary, orgMonthlySummary } from './routes/summaries.ts';
import { orgSubmissions, submissions } from './routes/submissions.ts';
import { monthHistory, reviewRoute, unitMonthsRoute } from './routes/review.ts';
import { issueToken, listTokens, revokeToken } from './routes/tokens.ts';
import { createUpload, getUpload } from './routes/uploads.ts';

export type { Route, RouteAuth } from './define-route.ts';

/** The document is the same for everyone, and changes only with a deployment. */
const CACHE_CONTROL = 'public, max-age=300';

/** The document of this very table (hence defined here, not with the other routes). */
const openapi = defineRoute({
  name: 'openapi',
  method: 'GET',
  path: '/v1/openapi.json',
  auth: 'public',
  summary: '本接口的 OpenAPI 3.1 文档',
  ok: { status: 200, json: 'OpenApiDocument', description: '本文档', cacheControl: CACHE_CONTROL },
  // Loaded by this route only: the generator and its examples are no part of the api's cold start.
  handle: async (): Promise<ApiResponse> => {
    const { openApiDocument } = await import('./openapi.ts');
    return json(200, openApiDocument(ROUTES), { 'cache-control': CACHE_CONTROL });
  },
});

export const ROUTES = [
  page,
  openapi,
  me,
  catalogue,
  units,
  template,
  createUpload,
  getUpload,
  monthlySummary,
  annualSummary,
  orgMonthlySummary,
  orgAnnualSummary,
  submissions,
  orgSubmissions,
  unitMonthsRoute,
  monthHistory,
  reviewRoute,
  completeness,
  orgCompleteness,
  desk,
  publishMonth,
  annualReport,
  chart,
  issueToken,
  listTokens,
  revokeToken,
] as const satisfies readonly Route[];

export type RouteName = (typeof ROUTES)[number]['name'];

/** `GET /v1/uploads/{uploadId}`: API Gateway's route key. */
export function routeKey(route: Pick<Route, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

const compiled = ROUTES.map((route) => ({
  route,
  names: [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? ''),
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
    try {
      return { route, pathParameters: Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(m[i + 1] ?? '')])) };
    } catch {
      return undefined;
    }
  }
  return undefined;
}
