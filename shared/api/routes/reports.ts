/**
 * The annual report's draft as a download (docs/DOMAIN.md "Annual report draft"): a
 * town's or the district's year so far, from the ledger as it is now — a Word document
 * (the default: the office works in Word/WPS), HTML with its charts, or Markdown. The
 * report's writer and the publisher's annual summary are loaded by the first report asked
 * for, the charts (ECharts) and the Word writer by the first report that has them.
 */
import { monthOf } from '../../period.ts';
import type { ApiDeps } from '../../ports/api.ts';
import type { Org, Registry } from '../../registry.ts';
import { defineRoute } from '../define-route.ts';
import { apiErrors } from '../errors.ts';
import { attachment, SECURITY_HEADERS, type ApiResponse } from '../http.ts';
import * as S from '../schemas.ts';
import { READERS, readableOrg } from '../scope.ts';

type Format = 'md' | 'html' | 'docx';

const TYPES: Readonly<Record<Exclude<Format, 'docx'>, string>> = {
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

export const annualReport = defineRoute({
  name: 'annualReport',
  method: 'GET',
  path: '/v1/orgs/{org}/reports/annual/{year}',
  auth: 'reader',
  roles: READERS,
  refusal: '下载年度报告',
  summary:
    '某镇或全区某年的年度报告（统计部分草稿），按现有数据生成：?format=docx（默认，Word/WPS：标题、正文、统计表、图）、html（带图表）、md；镇凭证只能下载本镇',
  params: { org: S.OrgParam, year: S.YearParam },
  query: S.ReportQuery,
  ok: {
    status: 200,
    docx: true,
    html: true,
    markdown: true,
    attachment: true,
    cacheControl: 'private, no-store',
    description: '年度报告（附件下载）',
  },
  errors: [400, 404],
  handle: async ({ params, query, deps, principal }) => {
    const registry = await deps.registry();
    const org = readableOrg(principal, params.org, registry);
    const now = deps.now();
    if (params.year > monthOf(now).slice(0, 4)) throw apiErrors.periodInFuture(params.year);
    const [{ buildAnnual }, report] = await Promise.all([import('../../publish/publish.ts'), import('../../report.ts')]);
    const body = await document({ buildAnnual, ...report }, registry, org, params.year, query.format, deps);
    return download(body, query.format === 'docx' ? report.DOCX_TYPE : TYPES[query.format], org, params.year, query.format);
  },
});

/** What a report is made with (loaded by the first report asked for). */
type Writers = Pick<typeof import('../../publish/publish.ts'), 'buildAnnual'> &
  Pick<typeof import('../../report.ts'), 'annualReportDraft' | 'reportHtml' | 'reportMarkdown'>;

/** The report's bytes (a string for text, bytes for Word). */
async function document(
  { buildAnnual, annualReportDraft, reportHtml, reportMarkdown }: Writers,
  registry: Registry,
  org: Org,
  year: string,
  format: Format,
  deps: ApiDeps,
): Promise<string | Uint8Array> {
  const now = deps.now();
  const reader = {
    rollupWithVersion: deps.ledger.rollupWithVersion.bind(deps.ledger),
    currentOfMonth: deps.ledger.currentOfMonth.bind(deps.ledger),
    unitYears: deps.ledger.unitYears.bind(deps.ledger),
    reviewsOfMonth: deps.reviews.reviewsOfMonth.bind(deps.reviews),
  };
  const { summary } = await buildAnnual(reader, registry, org, year, now);
  if (format === 'md') return reportMarkdown(annualReportDraft(registry, summary));
  const { reportCharts } = await import('../../charts/report-charts.ts');
  const draft = annualReportDraft(registry, summary, await reportCharts(deps.ledger, registry, org, year, now));
  if (format === 'html') return reportHtml(draft);
  const [{ reportDocx }, { svgToPng }] = await Promise.all([import('../../report-docx.ts'), import('../../charts/png.ts')]);
  return reportDocx(draft, svgToPng);
}

function download(body: string | Uint8Array, type: string, org: Org, year: string, format: Format): ApiResponse {
  const name = `${org.name}-${year}年度-法治政府建设工作报告（统计部分草稿）.${format}`;
  const headers = {
    'content-type': type,
    'content-disposition': attachment(name, `${org.code}-${year}-annual-report.${format}`),
    'cache-control': 'private, no-store',
    // Opened by itself (html), the report runs nothing and fetches nothing; its styles are its own.
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
    ...SECURITY_HEADERS,
  };
  if (typeof body === 'string') return { status: 200, headers, body };
  return { status: 200, headers, body: Buffer.from(body).toString('base64'), isBase64Encoded: true };
}
