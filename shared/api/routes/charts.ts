/**
 * Charts as SVG, rendered on the server (ECharts SSR, loaded on the first chart drawn):
 * a town's or the district's trend, completeness heatmap and bars, each SVG carrying its
 * title and a text alternative with every figure. The ETag is of the data drawn, so a
 * 304 costs the ledger's reads but no rendering, and a container keeps the last SVGs.
 */
import type * as z from 'zod/mini';
import type { ChartData } from '../../charts/data.ts';
import { addMonths, monthOf } from '../../period.ts';
import { ChartParam, ChartQuery } from '../chart-schemas.ts';
import { defineRoute } from '../define-route.ts';
import { apiErrors } from '../errors.ts';
import { etagOf, matches } from '../etag.ts';
import { SECURITY_HEADERS } from '../http.ts';
import * as S from '../schemas.ts';
import { READERS, readableOrg } from '../scope.ts';

const rendered = new Map<string, string>();
// A district officer flips through a few dozen charts; an SVG is tens of KB.
const KEPT = 48;

function keep(etag: string, svg: string): void {
  rendered.set(etag, svg);
  const oldest = rendered.keys().next();
  if (rendered.size > KEPT && !oldest.done) rendered.delete(oldest.value);
}

const HEADERS = {
  'content-type': 'image/svg+xml; charset=utf-8',
  'cache-control': 'private, max-age=300, stale-while-revalidate=86400',
  vary: 'Authorization',
  // An SVG opened by itself is a document: no script, no style sheet, nothing fetched.
  'content-security-policy': "default-src 'none'",
  ...SECURITY_HEADERS,
};

export const chart = defineRoute({
  name: 'chart',
  method: 'GET',
  path: '/v1/orgs/{org}/charts/{chart}',
  auth: 'reader',
  roles: READERS,
  refusal: '查看图表',
  summary: '某镇或全区的图表（SVG，带标题和列出全部数字的文字说明）：趋势、报送情况、各单位或各镇对比；镇凭证只能查看本镇',
  params: { org: S.OrgParam, chart: ChartParam },
  query: ChartQuery,
  ok: { status: 200, svg: true, cacheControl: HEADERS['cache-control'], description: 'SVG 图表' },
  errors: [400, 404],
  etag: true,
  handle: async ({ params, query, request, deps, principal }) => {
    const registry = await deps.registry();
    const org = readableOrg(principal, params.org, registry);
    if (params.chart === 'towns' && org.level !== 'district') throw apiErrors.chartDistrictOnly(org.name);
    const now = deps.now();
    if (query.month && query.month > addMonths(monthOf(now), -1)) throw apiErrors.periodInFuture(query.month);
    // The chart's data are read by code loaded with the first chart asked for.
    const [{ chartDataOf }, { metricOf }] = await Promise.all([import('../../charts/load.ts'), import('../../charts/data.ts')]);
    const metric = metricOf(query.metric)!;
    const data = await chartDataOf(deps.ledger, registry, org, { kind: params.chart, metric, year: query.year, month: query.month }, now);
    const etag = etagOf('svg', `${query.view}|${JSON.stringify(data)}`);
    if (matches(request.headers['if-none-match'], etag)) return { status: 304, headers: { ...HEADERS, etag }, body: '' };
    return { status: 200, headers: { ...HEADERS, etag }, body: rendered.get(etag) ?? (await render(data, query.view, etag)) };
  },
});

type Size = z.output<typeof ChartQuery>['view'];

async function render(data: ChartData, size: Size, etag: string): Promise<string> {
  const [{ chartSpec }, { renderChart }] = await Promise.all([import('../../charts/options.ts'), import('../../charts/svg.ts')]);
  const svg = await renderChart(chartSpec(data, size));
  keep(etag, svg);
  return svg;
}
