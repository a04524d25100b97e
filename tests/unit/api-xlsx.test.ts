/**
 * The API's workbooks (`?format=xlsx`), with in-memory ports: the template and the
 * summaries as base64 bodies of the xlsx media type, a UTF-8 `filename*` with an ASCII
 * fallback, ETags and 304, the container's cache, and the OpenAPI document saying so.
 */
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../shared/api/openapi.ts';
import { ROUTES } from '../../shared/api/routes.ts';
import { SummaryCache } from '../../shared/api/summary-cache.ts';
import type { ApiResponse, Caller } from '../../shared/api/http.ts';
import { sum } from '../../shared/rollup.ts';
import { monthSummary, type MonthEntry } from '../../shared/summary.ts';
import { as, memoryApi, refusal, submission } from '../support/memory-api.ts';
import { openpyxl } from '../support/office.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const V03: Caller = as({ role: 'village', unit: 'EC/V03' });
const TOWN_EC: Caller = as({ role: 'town', town: 'EC' });
const DISTRICT: Caller = as({ role: 'district' });

const bytesOf = (response: ApiResponse) => new Uint8Array(Buffer.from(response.body, 'base64'));

const ENTRIES: MonthEntry[] = [
  { unit: 'EC/V01', values: { general_hazards_found: 3 }, firstReceivedAt: '2025-04-01T00:00:00Z' },
  { unit: 'SH/V05', values: { general_hazards_found: 7 }, firstReceivedAt: '2025-04-02T00:00:00Z' },
];

/** The district's stack with EC's and the district's March published (revision 2). */
function world() {
  const api = memoryApi();
  for (const org of ['EC', 'QJ']) {
    const own = org === 'QJ' ? ENTRIES : ENTRIES.filter((e) => e.unit.startsWith(`${org}/`));
    const figures = monthSummary(api.registry, api.registry.org(org)!, '2025-03', sum(own.map((e) => e.values)), own);
    api.publish({ ...figures, kind: 'monthly', revision: 2, publishedAt: '2025-04-06T00:00:00Z', version: 3, changes: [] });
  }
  return api;
}

const monthly = (org: string, query: Record<string, string>, headers: Record<string, string> = {}) => ({
  pathParameters: { org, month: '2025-03' },
  query,
  headers,
});

describe('GET /v1/templates/{period}?format=xlsx', () => {
  it('gives a village its unit’s workbook, base64, named in Chinese with an ASCII fallback', async () => {
    // Act
    const response = await world().call('template', V03, { pathParameters: { period: '2025-03' }, query: { format: 'xlsx' } });

    // Assess
    expect(response.status).toBe(200);
    expect(response.isBase64Encoded).toBe(true);
    expect(response.headers['content-type']).toBe(XLSX);
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="EC-V03-2025-03-template.xlsx"; filename*=UTF-8''${encodeURIComponent('鹅池镇-石柱村-2025-03-填报模板.xlsx')}`,
    );
    const sheet = openpyxl(bytesOf(response)).sheets[0]!;
    expect(sheet.title).toBe('月报表');
    expect(sheet.values[1]!.slice(0, 3)).toEqual(['V03', '2025-03', 'legal_literates']);
  });

  it('gives a town its units in the wide layout', async () => {
    const response = await world().call('template', TOWN_EC, {
      pathParameters: { period: '2025-03' },
      query: { format: 'xlsx', layout: 'wide' },
    });
    const sheet = openpyxl(bytesOf(response)).sheets[0]!;
    expect(sheet.values.slice(1, 3).map((r) => r.slice(0, 2))).toEqual([
      ['V01', '鹅池社区'],
      ['V02', '南溪村'],
    ]);
  });

  it('keeps CSV the default, and refuses a format it does not make', async () => {
    const api = world();
    const csv = await api.call('template', V03, { pathParameters: { period: '2025-03' } });
    const pdf = await api.call('template', V03, { pathParameters: { period: '2025-03' }, query: { format: 'pdf' } });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.isBase64Encoded).toBeUndefined();
    expect(refusal(pdf)).toEqual({ status: 400, code: 'PARAMETER_INVALID' });
    expect(JSON.parse(pdf.body).message).toBe('格式只能是 csv、xlsx');
  });
});

describe('GET …/summaries/…?format=xlsx', () => {
  it('gives a town’s published summary as a workbook with every unit, an ETag and 304', async () => {
    // Prepare
    const api = world();

    // Act
    const response = await api.call('orgMonthlySummary', TOWN_EC, monthly('EC', { format: 'xlsx' }));
    const again = await api.call(
      'orgMonthlySummary',
      TOWN_EC,
      monthly('EC', { format: 'xlsx' }, { 'if-none-match': response.headers['etag']! }),
    );

    // Assess
    expect(response.status).toBe(200);
    expect(response.isBase64Encoded).toBe(true);
    expect(response.headers['content-type']).toBe(XLSX);
    expect(response.headers['etag']).toMatch(/^"xlsx-/);
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="EC-2025-03-summary.xlsx"; filename*=UTF-8''${encodeURIComponent('鹅池镇-2025-03-汇总.xlsx')}`,
    );
    const sheet = openpyxl(bytesOf(response)).sheets[0]!;
    expect(sheet.values[1]![0]).toContain('第2版（有更正）');
    expect(sheet.values[3]!.slice(3, 6)).toEqual(['全镇合计', 'V01 鹅池社区', 'V02 南溪村（未报）']);
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
  });

  it('builds a revision’s workbook once per container: the cache keeps it beside the JSON', async () => {
    // Prepare
    const api = world();
    const cache = new SummaryCache();
    Object.assign(api.deps, { summaryCache: cache });
    const ask = () => api.call('orgMonthlySummary', DISTRICT, monthly('QJ', { format: 'xlsx' }));
    const first = await ask();

    // Act: the stored revision can no longer be read; the cached copy still answers
    Object.assign(api.deps, { store: { get: async () => undefined } });
    const second = await ask();

    // Assess
    expect(second.status).toBe(200);
    expect(second.headers['etag']).toBe(first.headers['etag']);
    expect(second.body).toBe(first.body);
    expect(cache.get('QJ', 'monthly', '2025-03', 2)?.xlsx?.etag).toBe(first.headers['etag']);
  });

  it('gives the district’s summary a column per town, and the approved-only figures as a workbook', async () => {
    // Prepare
    const api = world();
    api.current.push(submission('EC/V01', '2025-03', '2025-04-01T00:00:00Z', { general_hazards_found: 3 }));

    // Act
    const district = await api.call('orgMonthlySummary', DISTRICT, monthly('QJ', { format: 'xlsx' }));
    const approved = await api.call('orgMonthlySummary', TOWN_EC, monthly('EC', { format: 'xlsx', approved: 'only' }));

    // Assess
    expect(openpyxl(bytesOf(district)).sheets[0]!.values[3]!.slice(3)).toEqual([
      '全区合计',
      'EC 鹅池镇（已报 1/9）',
      'SH 石会镇（已报 1/8）',
      'HX 黑溪镇（未报）',
    ]);
    expect(approved.headers['content-disposition']).toContain(encodeURIComponent('鹅池镇-2025-03-已审核汇总.xlsx'));
    expect(approved.headers['content-disposition']).toContain('filename="EC-2025-03-approved-summary.xlsx"');
    const sheet = openpyxl(bytesOf(approved)).sheets[0]!;
    expect(sheet.values[3]!.slice(3, 5)).toEqual(['全镇合计（仅已审核）', 'V01 鹅池社区（未审核，未计入）']);
  });
});

describe('the OpenAPI document', () => {
  it('declares the workbook beside the CSV on the template and the summaries', () => {
    // Act
    const paths = (openApiDocument(ROUTES) as { paths: Record<string, { get: { responses: { 200: { content: object } } } }> }).paths;

    // Assess
    for (const path of ['/v1/templates/{period}', '/v1/summaries/monthly/{month}', '/v1/orgs/{org}/summaries/annual/{year}'])
      expect(Object.keys(paths[path]!.get.responses[200].content)).toContain(XLSX);
  });
});
