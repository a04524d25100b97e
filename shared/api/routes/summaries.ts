/**
 * The published summaries: a town's or the district's latest revision of a period, as
 * JSON, as CSV for Excel or as an Excel workbook (base64 through API Gateway), with an ETag
 * of the exact bytes sent (`If-None-Match` with it answers 304 without a body). The
 * CSV and workbook writers, and the live figures' code, are imported when asked for, not
 * at cold start. `/v1/orgs/{org}/…` names the node; today's routes mean the caller's town
 * (a town token) or the deployment's default org. `?approved=only` answers instead a live
 * summary of the approved unit-months alone (docs/DOMAIN.md#review).
 */
import { summaryKey } from '../../layout.ts';
import type { PublishedSummary, SummaryKind } from '../../ports/summaries.ts';
import type { MonthReader } from '../../publish/publish.ts';
import { defineRoute } from '../define-route.ts';
import { apiErrors } from '../errors.ts';
import { matches, served, type Served } from '../etag.ts';
import { attachment, SECURITY_HEADERS, type ApiRequest, type ApiResponse } from '../http.ts';
import { XLSX_TYPE } from '../../xlsx/write/model.ts';
import type * as z from 'zod/mini';
import type { ApiDeps } from '../../ports/api.ts';
import * as S from '../schemas.ts';
import type { Org, Registry } from '../../registry.ts';
import type { WorkbookSummary } from '../../workbooks/summary.ts';
import { callerOrg, READERS, readableOrg } from '../scope.ts';

const REFUSAL = '查看汇总（村、社区请查看本单位的报送）';
const TODAY = '镇凭证为本镇；其他凭证为本部署的默认层级（只有一个镇时为该镇，否则为全区）';
const APPROVED = '加 ?approved=only 则只计已审核的单位月份，按现行数据实时汇总';
/** Every answer asks to be revalidated: the ETag makes that a 304. */
const CACHE_CONTROL = 'private, no-cache';

/** A published summary's answer: JSON, CSV or a workbook, as an attachment, cached for a while. */
const summaryAnswer = (description: string) =>
  ({ status: 200, json: 'SummaryBody', csv: true, xlsx: true, attachment: true, cacheControl: CACHE_CONTROL, description }) as const;

export const monthlySummary = defineRoute({
  name: 'monthlySummary',
  method: 'GET',
  path: '/v1/summaries/monthly/{month}',
  auth: 'reader',
  roles: READERS,
  refusal: REFUSAL,
  summary: `已发布的月度汇总（JSON，或 ?format=csv、?format=xlsx）：${TODAY}；${APPROVED}`,
  params: { month: S.MonthParam },
  query: S.SummaryQuery,
  ok: summaryAnswer('月度汇总'),
  errors: [400, 404],
  etag: true,
  handle: async ({ params, query, request, deps, principal }) => {
    const registry = await deps.registry();
    return summary(registry, callerOrg(principal, registry), 'monthly', params.month, query, request, deps);
  },
});

export const annualSummary = defineRoute({
  name: 'annualSummary',
  method: 'GET',
  path: '/v1/summaries/annual/{year}',
  auth: 'reader',
  roles: READERS,
  refusal: REFUSAL,
  summary: `已发布的年度汇总（JSON，或 ?format=csv、?format=xlsx）：${TODAY}；${APPROVED}`,
  params: { year: S.YearParam },
  query: S.SummaryQuery,
  ok: summaryAnswer('年度汇总'),
  errors: [400, 404],
  etag: true,
  handle: async ({ params, query, request, deps, principal }) => {
    const registry = await deps.registry();
    return summary(registry, callerOrg(principal, registry), 'annual', params.year, query, request, deps);
  },
});

export const orgMonthlySummary = defineRoute({
  name: 'orgMonthlySummary',
  method: 'GET',
  path: '/v1/orgs/{org}/summaries/monthly/{month}',
  auth: 'reader',
  roles: READERS,
  refusal: REFUSAL,
  summary: `某镇或全区已发布的月度汇总（JSON，或 ?format=csv、?format=xlsx）；镇凭证只能查看本镇；${APPROVED}`,
  params: { org: S.OrgParam, month: S.MonthParam },
  query: S.SummaryQuery,
  ok: summaryAnswer('月度汇总（区级：各镇合计在 towns 中）'),
  errors: [400, 404],
  etag: true,
  handle: async ({ params, query, request, deps, principal }) => {
    const registry = await deps.registry();
    return summary(registry, readableOrg(principal, params.org, registry), 'monthly', params.month, query, request, deps);
  },
});

export const orgAnnualSummary = defineRoute({
  name: 'orgAnnualSummary',
  method: 'GET',
  path: '/v1/orgs/{org}/summaries/annual/{year}',
  auth: 'reader',
  roles: READERS,
  refusal: REFUSAL,
  summary: `某镇或全区已发布的年度汇总（JSON，或 ?format=csv、?format=xlsx）；镇凭证只能查看本镇；${APPROVED}`,
  params: { org: S.OrgParam, year: S.YearParam },
  query: S.SummaryQuery,
  ok: summaryAnswer('年度汇总（区级：各镇合计在 towns 中）'),
  errors: [400, 404],
  etag: true,
  handle: async ({ params, query, request, deps, principal }) => {
    const registry = await deps.registry();
    return summary(registry, readableOrg(principal, params.org, registry), 'annual', params.year, query, request, deps);
  },
});

type Query = z.output<typeof S.SummaryQuery>;

/** An org's summary of a period: its latest revision, or the live approved-only figures. */
function summary(
  registry: Registry,
  org: Org,
  kind: SummaryKind,
  period: string,
  query: Query,
  request: ApiRequest,
  deps: ApiDeps,
): Promise<ApiResponse> {
  const at = { org, kind, period, format: query.format };
  return query.approved === 'only' ? approved(registry, at, request, deps) : published(registry, at, request, deps);
}

type Format = Query['format'];

interface Asked {
  readonly org: Org;
  readonly kind: SummaryKind;
  readonly period: string;
  readonly format: Format;
}

/** The CSV of a summary (its writer loaded on the first CSV asked for). */
async function csvOf(summary: Parameters<typeof import('../../mail/summary-csv.ts').summaryCsv>[0], registry: Registry): Promise<Served> {
  const { summaryCsv } = await import('../../mail/summary-csv.ts');
  return served('csv', summaryCsv(summary, registry));
}

/** The workbook of a summary, base64 (the writer loaded on the first workbook asked for). */
async function workbookOf(summary: WorkbookSummary, registry: Registry): Promise<Served> {
  const { summaryWorkbook } = await import('../../workbooks/summary.ts');
  return served('xlsx', Buffer.from(summaryWorkbook(summary, registry)).toString('base64'));
}

/** An org's latest revision of a period, from the container's cache when it is current. */
async function published(
  registry: Registry,
  { org, kind, period, format }: Asked,
  request: ApiRequest,
  deps: ApiDeps,
): Promise<ApiResponse> {
  const latest = await deps.summaries.latest(org.code, kind, period);
  const when = kind === 'annual' ? `${period}年` : `${period.slice(0, 4)}年${Number(period.slice(5))}月`;
  const notPublished = () => apiErrors.summaryNotPublished(`${org.name}${when}`);
  if (!latest) throw notPublished();
  let copy = deps.summaryCache?.get(org.code, kind, period, latest.revision);
  if (!copy) {
    const bytes = await deps.store.get(summaryKey(org.code, kind, period, latest.revision));
    if (!bytes) throw notPublished();
    copy = { json: served('json', new TextDecoder().decode(bytes)) };
  }
  const document = () => JSON.parse(copy.json.body) as PublishedSummary;
  let answer = copy.json;
  if (format === 'csv') answer = copy.csv ??= await csvOf(document(), registry);
  if (format === 'xlsx') answer = copy.xlsx ??= await workbookOf(document(), registry);
  deps.summaryCache?.set(org.code, kind, period, latest.revision, copy);
  return respond(answer, fileName(org, kind, period, '汇总'), format, request);
}

/** `鹅池镇-2025-03-汇总` and its ASCII fallback `EC-2025-03-summary` (no extension: the format adds it). */
function fileName(org: Org, kind: SummaryKind, period: string, what: '汇总' | '已审核汇总'): { name: string; ascii: string } {
  const when = kind === 'annual' ? `${period}年度` : period;
  return { name: `${org.name}-${when}-${what}`, ascii: `${org.code}-${period}-${what === '汇总' ? 'summary' : 'approved-summary'}` };
}

/**
 * The approved figures of a period, as the ledger holds them now (not cached: a decision
 * changes them without a revision): each month due read with its decisions, two GSI1
 * Queries a month.
 */
async function approved(
  registry: Registry,
  { org, kind, period, format }: Asked,
  request: ApiRequest,
  deps: ApiDeps,
): Promise<ApiResponse> {
  // The live figures are the publisher's and the summary's code, loaded by the first such request.
  const [{ entriesOf }, { monthsDue }, { approvedMonthSummary, approvedYearSummary }] = await Promise.all([
    import('../../publish/publish.ts'),
    import('../../summary.ts'),
    import('../../approved-summary.ts'),
  ]);
  const reader: MonthReader = {
    currentOfMonth: (m, town) => deps.ledger.currentOfMonth(m, town),
    reviewsOfMonth: (m, town) => deps.reviews.reviewsOfMonth(m, town),
  };
  const months = kind === 'annual' ? monthsDue(period, deps.now()) : [period];
  const entries = await Promise.all(months.map((m) => entriesOf(reader, org, m)));
  const figures =
    kind === 'annual'
      ? approvedYearSummary(registry, org, period, new Map(months.map((m, i) => [m, entries[i]!])))
      : approvedMonthSummary(registry, org, period, entries[0]!);
  // No instant in the body (the Date header says it): the same figures keep the same ETag.
  const body = { ...figures, kind };
  const answer =
    format === 'csv'
      ? await csvOf(body, registry)
      : format === 'xlsx'
        ? await workbookOf(body, registry)
        : served('json', JSON.stringify(body));
  return respond(answer, fileName(org, kind, period, '已审核汇总'), format, request);
}

const DOWNLOADS = {
  csv: { type: 'text/csv; charset=utf-8', extension: 'csv' },
  xlsx: { type: XLSX_TYPE, extension: 'xlsx' },
} as const;

/** A summary's bytes with their ETag (304 for a matching If-None-Match): JSON, or a CSV or workbook download named `file`. */
function respond(answer: Served, file: { name: string; ascii: string }, format: Format, request: ApiRequest): ApiResponse {
  const headers: Record<string, string> = {
    etag: answer.etag,
    'cache-control': CACHE_CONTROL,
    vary: 'Authorization',
    ...SECURITY_HEADERS,
  };
  if (matches(request.headers['if-none-match'], answer.etag)) return { status: 304, headers, body: '' };
  if (format === 'json')
    return { status: 200, headers: { ...headers, 'content-type': 'application/json; charset=utf-8' }, body: answer.body };
  const { type, extension } = DOWNLOADS[format];
  return {
    status: 200,
    headers: {
      ...headers,
      'content-type': type,
      'content-disposition': attachment(`${file.name}.${extension}`, `${file.ascii}.${extension}`),
    },
    body: answer.body,
    ...(format === 'xlsx' ? { isBase64Encoded: true } : {}),
  };
}
