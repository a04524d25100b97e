/**
 * The published summaries: a period's latest revision, as JSON or as CSV for Excel, with
 * an ETag of the exact bytes sent (`If-None-Match` with it answers 304 without a body).
 */
import { summaryCsv } from '../../mail/summary-email.ts';
import type { PublishedSummary, SummaryKind } from '../../ports/summaries.ts';
import { summaryKey } from '../../publish/publish.ts';
import { defineRoute } from '../define-route.ts';
import { apiErrors } from '../errors.ts';
import { matches, served } from '../etag.ts';
import { attachment, SECURITY_HEADERS, type ApiRequest, type ApiResponse } from '../http.ts';
import type { ApiDeps } from '../../ports/api.ts';
import * as S from '../schemas.ts';
import { READERS } from '../scope.ts';

const REFUSAL = '查看全镇汇总（村、社区请查看本单位的报送）';

export const monthlySummary = defineRoute({
  name: 'monthlySummary',
  method: 'GET',
  path: '/v1/summaries/monthly/{month}',
  auth: 'reader',
  roles: READERS,
  refusal: REFUSAL,
  summary: '已发布的月度汇总（JSON，或 ?format=csv）',
  params: { month: S.MonthParam },
  query: S.FormatQuery,
  ok: { status: 200, json: S.SummaryBody, csv: true, description: '月度汇总' },
  errors: [400, 404],
  etag: true,
  handle: ({ params, query, request, deps }) => summary('monthly', params.month, query.format, request, deps),
});

export const annualSummary = defineRoute({
  name: 'annualSummary',
  method: 'GET',
  path: '/v1/summaries/annual/{year}',
  auth: 'reader',
  roles: READERS,
  refusal: REFUSAL,
  summary: '已发布的年度汇总（JSON，或 ?format=csv）',
  params: { year: S.YearParam },
  query: S.FormatQuery,
  ok: { status: 200, json: S.SummaryBody, csv: true, description: '年度汇总' },
  errors: [400, 404],
  etag: true,
  handle: ({ params, query, request, deps }) => summary('annual', params.year, query.format, request, deps),
});

async function summary(
  kind: SummaryKind,
  period: string,
  format: 'json' | 'csv',
  request: ApiRequest,
  deps: ApiDeps,
): Promise<ApiResponse> {
  const registryNow = await deps.registry();
  const org = registryNow.defaultOrg.code;
  const latest = await deps.summaries.latest(org, kind, period);
  const notPublished = () =>
    apiErrors.summaryNotPublished(kind === 'annual' ? `${period}年` : `${period.slice(0, 4)}年${Number(period.slice(5))}月`);
  if (!latest) throw notPublished();
  let copy = deps.summaryCache?.get(kind, period, latest.revision);
  if (!copy) {
    const bytes = await deps.store.get(summaryKey(org, kind, period, latest.revision));
    if (!bytes) throw notPublished();
    copy = { json: served('json', new TextDecoder().decode(bytes)) };
  }
  let answer = copy.json;
  const registry = format === 'csv' ? await deps.registry() : undefined;
  if (registry) answer = copy.csv ??= served('csv', summaryCsv(JSON.parse(copy.json.body) as PublishedSummary, registry));
  deps.summaryCache?.set(kind, period, latest.revision, copy);
  const headers: Record<string, string> = {
    etag: answer.etag,
    'cache-control': 'private, no-cache',
    vary: 'Authorization',
    ...SECURITY_HEADERS,
  };
  if (matches(request.headers['if-none-match'], answer.etag)) return { status: 304, headers, body: '' };
  if (registry) {
    const name = `${registry.defaultOrg.name}-${kind === 'annual' ? `${period}年度` : period}-汇总.csv`;
    return {
      status: 200,
      headers: { ...headers, 'content-type': 'text/csv; charset=utf-8', 'content-disposition': attachment(name) },
      body: answer.body,
    };
  }
  return { status: 200, headers: { ...headers, 'content-type': 'application/json; charset=utf-8' }, body: answer.body };
}
