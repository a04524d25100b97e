/**
 * The OpenAPI document as a contract: every route is called through the real dispatcher on
 * memory ports (the sample district, today 2025-04-03, summaries published by the real
 * publisher), and each answer — success and error — is checked against the document's
 * response for its path, method and status: its JSON body by Ajv (objects are closed, so a
 * field the document does not name fails), its headers, its media type. API Gateway's own
 * answers are checked on the local gateway (infra/local/http-api.ts), and the document's
 * examples against their schemas.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeUpload } from '../../shared/adapters/dynamodb-keys.ts';
import { handleRequest } from '../../shared/api/app.ts';
import type { ApiRequest, ApiResponse, Caller } from '../../shared/api/http.ts';
import { openApiDocument } from '../../shared/api/openapi.ts';
import { ROUTES, routeKey, type Route, type RouteName } from '../../shared/api/routes.ts';
import type { Principal } from '../../shared/auth/principals.ts';
import type { ApiDeps } from '../../shared/ports/api.ts';
import type { SubmissionVersion } from '../../shared/ports/ledger.ts';
import type { PublishedSummary, SummaryArchive } from '../../shared/ports/summaries.ts';
import { publish, summaryKey } from '../../shared/publish/publish.ts';
import { addMonths } from '../../shared/period.ts';
import type { UploadRecord } from '../../shared/uploads.ts';
import { startHttpApi, type RunningHttpApi } from '../../infra/local/http-api.ts';
import { as, memoryApi, request, submission, type StoredSummary } from '../support/memory-api.ts';
import { documentAjv, type Media, type OpenApi, type Response } from '../support/openapi-ajv.ts';

const document = openApiDocument(ROUTES) as OpenApi & {
  'x-error-codes': { code: string; status: number }[];
  components: { headers: Record<string, { schema: object }>; responses: Record<string, Response> };
};
const { validator } = documentAjv(document);

const TOWN_EC: Principal = { role: 'town', town: 'EC' };
const VILLAGE_V03: Principal = { role: 'village', unit: 'EC/V03' };
const DISTRICT: Principal = { role: 'district' };
const ADMIN: Principal = { role: 'admin' };

/** Operations whose JSON success answer was validated, and operations with any validated answer. */
const jsonOk = new Set<string>();
const answered = new Set<string>();

const operationOf = (route: Route) => document.paths[route.path]?.[route.method.toLowerCase()];

function documentedHeader(response: Response, name: string) {
  const header = response.headers?.[name];
  if (header?.$ref) return { ...document.components.headers[header.$ref.split('/').pop() ?? ''], required: true };
  return header;
}

/** The headers the document promises are there and valid; those it names are documented where sent. */
function checkHeaders(route: Route, status: number, headers: Record<string, string>): void {
  const { response, at } = responseAt(route, status);
  if (!response) return;
  for (const [name, header] of Object.entries(response.headers ?? {})) {
    const value = headers[name.toLowerCase()];
    const documented = documentedHeader(response, name);
    if (documented?.required) expect(value, `${route.name} ${status} ${name}`).toBeDefined();
    if (value !== undefined && documented?.schema) {
      const validate = validator(header.$ref ? ['components', 'headers', name, 'schema'] : [...at, 'headers', name, 'schema']);
      expect(validate(value), `${route.name} ${status} ${name}: ${value}`).toBe(true);
    }
  }
  for (const name of ['ETag', 'Cache-Control', 'Content-Disposition', 'Location', 'WWW-Authenticate', 'Retry-After'])
    if (headers[name.toLowerCase()] !== undefined) expect(response.headers?.[name], `${route.name} ${status} sends ${name}`).toBeDefined();
}

/** A route's response for a status, and where it is in the document (components.responses for a shared one). */
function responseAt(route: Route, status: number | string): { response: Response | undefined; at: string[] } {
  const response = operationOf(route)?.responses[String(status)];
  if (!response?.$ref) return { response, at: ['paths', route.path, route.method.toLowerCase(), 'responses', String(status)] };
  const name = response.$ref.split('/').pop() ?? '';
  return { response: document.components.responses[name], at: ['components', 'responses', name] };
}

/** An answer as the document says it: its status is documented, its media type, its headers, its JSON body. */
function check(route: Route, answer: Pick<ApiResponse, 'status' | 'headers' | 'body'>): unknown {
  const { response, at } = responseAt(route, answer.status);
  expect(response, `${route.name} answers ${answer.status}: ${answer.body.slice(0, 200)}`).toBeDefined();
  checkHeaders(route, answer.status, answer.headers);
  answered.add(route.name);
  if (answer.status === 304) return undefined;
  const type = (answer.headers['content-type'] ?? '').split(';')[0]!;
  expect(Object.keys(response?.content ?? {}), `${route.name} ${answer.status} as ${type}`).toContain(type);
  if (type !== 'application/json') return undefined;
  const body: unknown = JSON.parse(answer.body);
  const validate = validator([...at, 'content', 'application/json', 'schema']);
  expect(validate(body) ? [] : validate.errors, `${route.name} ${answer.status}: ${answer.body.slice(0, 300)}`).toEqual([]);
  if (answer.status < 300) jsonOk.add(route.name);
  else if ('code' in (body as object)) expectKnownCode(body as { code: string }, answer.status);
  return body;
}

/** An error's code is one the document lists, with this status. */
function expectKnownCode({ code }: { code: string }, status: number): void {
  expect(document['x-error-codes'].filter((e) => e.code === code).map((e) => e.status)).toContain(status);
}

const routeNamed = (name: RouteName) => ROUTES.find((r) => r.name === name)!;

type Api = ReturnType<typeof memoryApi>;

/** One version of a unit-month with every field a version may have. */
const VERSION: SubmissionVersion = {
  unit: 'EC/V01',
  period: '2025-03',
  uploadId: 'up-ec-v01-2025-03',
  order: '2025-04-02T02:00:00Z',
  receivedAt: '2025-04-02T02:00:00Z',
  version: 1,
  values: { petitions_received: 2 },
  cleared: ['petitions_closed'],
  changes: [{ key: 'petitions_received', from: null, to: 2 }],
  unchanged: 0,
  uploader: { role: 'village', unit: 'EC/V01' },
  overrideLock: true,
  warnings: [{ code: 'LATE', message: '迟报', row: 2, column: 'x', value: '1', cell: '月报表!E9' }],
};

/**
 * EC's V01 and V02 from January to March (more closed than received: a flag), V03 late in
 * March with a warning (more rectified than found: another), SH's V05, V01 a year before.
 */
function seed(api: Api): void {
  for (const m of ['2025-01', '2025-02', '2025-03'])
    for (const unit of ['EC/V01', 'EC/V02'])
      api.current.push(submission(unit, m, `${addMonths(m, 1)}-02T02:00:00Z`, { petitions_received: 2, petitions_closed: 3 }));
  const late = submission('EC/V03', '2025-03', '2025-04-06T02:00:00Z', { general_hazards_found: 4, hazards_rectified: 5 });
  const warning = { code: 'LATE', message: '迟报', row: null, column: null, value: null, unit: 'EC/V03', period: '2025-03' } as const;
  api.current.push({ ...late, warnings: [warning] });
  api.current.push(submission('SH/V05', '2025-03', '2025-04-01T02:00:00Z', { petitions_received: 9 }));
  api.current.push(submission('EC/V01', '2024-03', '2024-04-02T02:00:00Z', { petitions_received: 1 }));
}

/**
 * The sample district in memory, seeded; the publish button runs the real publisher; the
 * ledger has versions, and a return is told by mail.
 */
async function world() {
  const api = memoryApi();
  seed(api);
  const archive = memoryArchive(api);
  const deps: ApiDeps = {
    ...api.deps,
    ledger: { ...api.deps.ledger, versions: async () => [VERSION] },
    reviews: {
      ...api.deps.reviews,
      trail: async (unit, period) => ({ ...(await api.deps.reviews.trail(unit, period)), versions: [VERSION] }),
    },
    notifyReturn: async () => [{ notice: 'n', channel: 'mail', status: 'sent' }],
    publishSummary: async (org, period, registry) => publish('monthly', period, publishDeps(api, archive, registry), org),
  };
  return { api, deps, archive };
}

/** The archive over memoryApi's published objects: what the real publisher reads and writes. */
function memoryArchive(api: Api): SummaryArchive {
  const read = async (key: string) => {
    const bytes = await api.deps.store.get(key);
    return bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as PublishedSummary) : undefined;
  };
  return {
    latest: (org, kind, period) => api.deps.summaries.latest(org, kind, period),
    revision: (org, kind, period, revision) => read(summaryKey(org, kind, period, revision)),
    save: async (summary) => {
      api.publish(summary as unknown as StoredSummary);
      return true;
    },
    seen: async () => undefined,
    markEmailed: async () => undefined,
    published: async () => [],
    lastScheduleRun: async () => undefined,
    saveScheduleRun: async () => undefined,
  };
}

function publishDeps(api: Api, archive: SummaryArchive, registry: Awaited<ReturnType<ApiDeps['registry']>>) {
  const { ledger, reviews } = api.deps;
  const encoder = new TextEncoder();
  return {
    reader: {
      rollupWithVersion: ledger.rollupWithVersion,
      currentOfMonth: ledger.currentOfMonth,
      unitYears: ledger.unitYears,
      reviewsOfMonth: reviews.reviewsOfMonth,
    },
    archive,
    store: {
      get: api.deps.store.get,
      putJson: async (key: string, body: unknown) => void api.objects.set(key, encoder.encode(JSON.stringify(body))),
      put: async (key: string, bytes: Uint8Array) => void api.objects.set(key, bytes),
      objects: async function* () {},
    },
    registry,
    now: api.deps.now,
  };
}

type World = Awaited<ReturnType<typeof world>>;
type Extra = Partial<Omit<ApiRequest, 'route' | 'caller' | 'body'>> & { body?: unknown };

/** Calls a route through the dispatcher and checks its answer against the document. */
async function call(w: World, name: RouteName, who: Principal | Caller, extra: Extra = {}, deps: ApiDeps = w.deps) {
  const { body, ...rest } = extra;
  const caller = 'kind' in who ? who : as(who);
  const answer = await handleRequest(
    { ...request(name, caller, rest), ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) },
    deps,
  );
  return { answer, body: check(routeNamed(name), answer) };
}

const MARCH = { org: 'EC', month: '2025-03' };
let w: World;

beforeAll(async () => {
  w = await world();
  // EC's March is approved for V01, returned for V02; then EC and the district publish, EC twice (with changes).
  await call(w, 'review', TOWN_EC, {
    pathParameters: { town: 'EC', unit: 'V01', month: '2025-03' },
    body: { action: 'approve', version: 1 },
  });
  await call(w, 'review', TOWN_EC, {
    pathParameters: { town: 'EC', unit: 'V02', month: '2025-03' },
    body: { action: 'return', version: 1, reason: '数字有误' },
  });
  await call(w, 'publishMonth', TOWN_EC, { pathParameters: MARCH });
  await call(w, 'publishMonth', ADMIN, { pathParameters: { org: 'QJ', month: '2025-03' } });
  w.api.current.push(submission('EC/V04', '2025-03', '2025-04-03T00:00:00Z', { petitions_received: 1 }));
  await call(w, 'publishMonth', TOWN_EC, { pathParameters: MARCH });
  const registry = await w.deps.registry();
  for (const org of ['EC', 'QJ']) await publish('annual', '2025', publishDeps(w.api, w.archive, registry), registry.org(org)!);
});

describe('the answers of the routes, against the document', () => {
  it('describes who the token is, the catalogue, the units and the templates', async () => {
    // Act
    const answers = [
      await call(w, 'me', VILLAGE_V03),
      await call(w, 'me', await w.api.tokenCaller(DISTRICT)),
      await call(w, 'catalogue', TOWN_EC),
      await call(w, 'units', DISTRICT),
      await call(w, 'template', VILLAGE_V03, { pathParameters: { period: '2025-03' } }),
      await call(w, 'template', TOWN_EC, { pathParameters: { period: '2025-03' }, query: { format: 'xlsx', layout: 'wide' } }),
      await call(w, 'template', TOWN_EC, { pathParameters: { period: '2025-13' } }),
      await call(w, 'page', { kind: 'anonymous' }),
      await call(w, 'openapi', { kind: 'anonymous' }),
    ];

    // Assess
    expect(answers.map((a) => a.answer.status)).toEqual([200, 200, 200, 200, 200, 200, 400, 200, 200]);
  });

  it('describes an upload asked for, refused, and each kind of outcome (pending, accepted, rejected, unannounced)', async () => {
    // Prepare
    const created = await call(w, 'createUpload', VILLAGE_V03, { body: { period: '2025-03', format: 'csv', size: 100 } });
    const { uploadId } = created.body as { uploadId: string };
    const accepted: UploadRecord = {
      ...w.api.uploads.get(uploadId)!,
      uploadId: 'accepted-0001',
      status: 'accepted',
      receivedAt: '2025-04-03T01:00:05Z',
      processedAt: '2025-04-03T01:00:06Z',
      versionId: 'v1',
      errors: [],
      warnings: [{ code: 'LATE', message: '迟报', row: null, column: null, value: null }],
      submissions: [
        { unit: 'EC/V03', period: '2025-03', state: 'current', version: 2, changes: [{ key: 'k', from: 1, to: null }], unchanged: 3 },
      ],
      reused: [{ key: 'incoming/EC/V03/2025-03/accepted-0001.csv', versionId: 'v2', receivedAt: '2025-04-03T01:00:09Z', size: 10 }],
    };
    w.api.uploads.set(accepted.uploadId, accepted);
    // An object nobody announced, as the ledger records it (ingest's `unexpected`) and reads it back.
    const unexpected = decodeUpload({
      uploadId: 'unexpected-0001',
      unit: '_unexpected',
      period: 'unknown',
      status: 'rejected',
      key: 'incoming/EC/V03/2025-03/unexpected-0001.xlsx',
      receivedAt: '2025-04-03T01:00:00Z',
      processedAt: '2025-04-03T01:00:01Z',
      errors: [{ code: 'NO_UPLOAD_INTENT', message: '不是通过本系统的上传申请送来的', row: null, column: null, value: 'incoming/…' }],
      warnings: [],
      submissions: [],
      errorCount: 1,
      warningCount: 0,
    });
    w.api.uploads.set(unexpected.uploadId, unexpected);

    // Act
    const answers = [
      created,
      await call(w, 'getUpload', VILLAGE_V03, { pathParameters: { uploadId } }),
      await call(w, 'getUpload', TOWN_EC, { pathParameters: { uploadId: accepted.uploadId } }),
      await call(w, 'getUpload', ADMIN, { pathParameters: { uploadId: unexpected.uploadId } }),
      await call(w, 'getUpload', TOWN_EC, { pathParameters: { uploadId: 'nosuchupload' } }),
      await call(w, 'createUpload', DISTRICT, { body: { period: '2025-03', format: 'csv' } }),
      await call(w, 'createUpload', VILLAGE_V03, { body: { period: '2025-03', format: 'csv', size: 1e9 } }),
      await call(w, 'createUpload', VILLAGE_V03, { body: 'x'.repeat(17 * 1024) }),
      await call(w, 'createUpload', VILLAGE_V03, { body: { period: '2025-03', format: 'pdf' } }),
    ];

    // Assess
    expect(answers.map((a) => a.answer.status)).toEqual([201, 200, 200, 200, 404, 403, 413, 413, 400]);
    expect(answers[3]?.body).toMatchObject({ status: 'rejected', format: 'xlsx', createdAt: '2025-04-03T01:00:01Z' });
  });

  it('describes the published summaries, town and district, monthly and annual, approved only, as JSON, CSV, workbook and 304', async () => {
    // Prepare
    const monthly = { pathParameters: MARCH };
    const first = await call(w, 'orgMonthlySummary', TOWN_EC, monthly);

    // Act
    const answers = [
      first,
      await call(w, 'orgMonthlySummary', TOWN_EC, { ...monthly, headers: { 'if-none-match': first.answer.headers['etag']! } }),
      await call(w, 'orgMonthlySummary', DISTRICT, { pathParameters: { org: 'QJ', month: '2025-03' } }),
      await call(w, 'orgMonthlySummary', DISTRICT, { pathParameters: { org: 'QJ', month: '2025-03' }, query: { approved: 'only' } }),
      await call(w, 'monthlySummary', DISTRICT, { pathParameters: { month: '2025-03' } }),
      await call(w, 'monthlySummary', TOWN_EC, { pathParameters: { month: '2025-03' }, query: { format: 'csv' } }),
      await call(w, 'monthlySummary', TOWN_EC, { pathParameters: { month: '2025-03' }, query: { approved: 'only', format: 'xlsx' } }),
      await call(w, 'annualSummary', TOWN_EC, { pathParameters: { year: '2025' } }),
      await call(w, 'annualSummary', TOWN_EC, { pathParameters: { year: '2025' }, query: { approved: 'only' } }),
      await call(w, 'orgAnnualSummary', DISTRICT, { pathParameters: { org: 'QJ', year: '2025' } }),
      await call(w, 'orgAnnualSummary', TOWN_EC, { pathParameters: { org: 'SH', year: '2025' } }),
      await call(w, 'orgAnnualSummary', DISTRICT, { pathParameters: { org: 'SH', year: '2024' } }),
      await call(w, 'monthlySummary', VILLAGE_V03, { pathParameters: { month: '2025-03' } }),
    ];

    // Assess
    expect(answers.map((a) => a.answer.status)).toEqual([200, 304, 200, 200, 200, 200, 200, 200, 200, 200, 403, 404, 403]);
    expect(first.body).toMatchObject({ revision: 2, changes: expect.arrayContaining([expect.objectContaining({ what: 'total' })]) });
  });

  it('describes submissions, a unit’s months, a month’s history and the reviews', async () => {
    // Prepare
    const unit = { town: 'EC', unit: 'V01' };

    // Act
    const answers = [
      await call(w, 'submissions', TOWN_EC, { pathParameters: { unit: 'V01', month: '2025-03' } }),
      await call(w, 'orgSubmissions', VILLAGE_V03, { pathParameters: { town: 'EC', unit: 'V03', month: '2025-02' } }),
      await call(w, 'orgSubmissions', VILLAGE_V03, { pathParameters: { town: 'EC', unit: 'V01', month: '2025-03' } }),
      await call(w, 'unitMonths', TOWN_EC, { pathParameters: unit }),
      await call(w, 'monthHistory', TOWN_EC, { pathParameters: { ...unit, month: '2025-03' } }),
      await call(w, 'monthHistory', TOWN_EC, { pathParameters: { ...unit, month: '2025-02' } }),
      await call(w, 'monthHistory', TOWN_EC, { pathParameters: { ...unit, month: '2025-3' } }),
      await call(w, 'review', TOWN_EC, {
        pathParameters: { ...unit, month: '2025-03' },
        body: { action: 'reopen', version: 1, reason: '再核对' },
      }),
      await call(w, 'review', TOWN_EC, { pathParameters: { ...unit, month: '2025-03' }, body: { action: 'approve', version: 9 } }),
      await call(w, 'review', TOWN_EC, {
        pathParameters: { town: 'EC', unit: 'V99', month: '2025-03' },
        body: { action: 'approve', version: 1 },
      }),
      await call(w, 'review', TOWN_EC, {
        pathParameters: { ...unit, month: '2025-03' },
        body: `{"action":"approve","version":1,"reason":"${'长'.repeat(6000)}"}`,
      }),
    ];

    // Assess
    expect(answers.map((a) => a.answer.status)).toEqual([200, 200, 403, 200, 200, 200, 400, 200, 409, 404, 413]);
  });

  it('describes the completeness, the desk, publishing, the charts and the annual report', async () => {
    // Act
    const answers = [
      await call(w, 'completeness', TOWN_EC, { pathParameters: { month: '2025-03' } }),
      await call(w, 'orgCompleteness', DISTRICT, { pathParameters: { org: 'QJ', month: '2025-03' } }),
      await call(w, 'orgCompleteness', DISTRICT, { pathParameters: { org: 'XX', month: '2025-03' } }),
      await call(w, 'desk', TOWN_EC, { pathParameters: MARCH }),
      await call(w, 'desk', DISTRICT, { pathParameters: { org: 'QJ', month: '2025-03' } }),
      await call(w, 'publishMonth', TOWN_EC, { pathParameters: { org: 'EC', month: '2025-04' } }),
      await call(w, 'publishMonth', DISTRICT, { pathParameters: MARCH }),
      await call(w, 'chart', DISTRICT, { pathParameters: { org: 'QJ', chart: 'towns' }, query: { month: '2025-03' } }),
      await call(w, 'chart', TOWN_EC, { pathParameters: { org: 'EC', chart: 'towns' } }),
      await call(w, 'annualReport', TOWN_EC, { pathParameters: { org: 'EC', year: '2025' }, query: { format: 'md' } }),
      await call(w, 'annualReport', TOWN_EC, { pathParameters: { org: 'EC', year: '2031' } }),
    ];

    // Assess
    expect(answers.map((a) => a.answer.status)).toEqual([200, 200, 404, 200, 200, 409, 403, 200, 400, 200, 400]);
  });

  it('describes the credential routes: issue, list, revoke, and their refusals', async () => {
    // Prepare
    const admin = await w.api.tokenCaller(ADMIN);
    const issued = await call(w, 'issueToken', admin, { body: { role: 'village', unit: 'EC/V03', note: '石柱村 张书记' } });
    const { tokenId } = (issued.body as { info: { tokenId: string } }).info;

    // Act
    const answers = [
      issued,
      await call(w, 'issueToken', admin, { body: { role: 'mayor' } }),
      await call(w, 'listTokens', admin, { query: { limit: '1' } }),
      await call(w, 'listTokens', admin, { query: { cursor: 'garbage' } }),
      await call(w, 'revokeToken', admin, { pathParameters: { tokenId } }),
      await call(w, 'revokeToken', admin, { pathParameters: { tokenId } }),
      await call(w, 'revokeToken', admin, { pathParameters: { tokenId: '0000000000000000' } }),
      await call(w, 'listTokens', { kind: 'refused', code: 'TOKEN_EXPIRED', message: '凭证已过期' }),
      await call(w, 'listTokens', { kind: 'anonymous' }),
    ];

    // Assess
    expect(answers.map((a) => a.answer.status)).toEqual([201, 400, 200, 400, 200, 200, 404, 401, 401]);
  });

  it('describes a throttled store (429) and a failure inside (500) on every guarded route', async () => {
    // Prepare
    const throttled = failingDeps(w.deps, 'ThrottlingException');
    const broken = failingDeps(w.deps, 'TypeError');
    const admin = await w.api.tokenCaller(ADMIN);

    // Act
    const statuses: number[] = [];
    // The catalogue is the code's own: it reads no port.
    for (const route of ROUTES.filter((r) => r.auth !== 'public' && r.name !== 'catalogue')) {
      const pathParameters = Object.fromEntries(Object.keys(route.params ?? {}).map((n) => [n, exampleOf(route, n)]));
      const body = BODIES[route.name];
      for (const deps of [throttled, broken])
        statuses.push((await call(w, route.name as RouteName, admin, { pathParameters, ...(body ? { body } : {}) }, deps)).answer.status);
    }

    // Assess
    expect(new Set(statuses)).toEqual(new Set([429, 500]));
  });
});

/** Valid bodies: the request reaches its handler, where the ports fail. */
const BODIES: Partial<Record<string, unknown>> = {
  createUpload: { period: '2025-03', format: 'csv' },
  review: { action: 'approve', version: 1 },
  issueToken: { role: 'district' },
};

/** Every port failing with an error of this name (a throttled AWS call, or anything else). */
function failingDeps(deps: ApiDeps, name: string): ApiDeps {
  const fail = async () => {
    throw Object.assign(new Error('inside'), { name });
  };
  const port = <T>() => new Proxy({}, { get: () => fail }) as T;
  return {
    ...deps,
    ledger: port(),
    reviews: port(),
    store: port(),
    summaries: port(),
    tokens: port(),
    presigner: port(),
    registry: fail,
  };
}

/** A valid value of a path parameter: its schema's first example. */
function exampleOf(route: Route, name: string): string {
  const parameter = (
    operationOf(route) as unknown as { parameters: { name: string; schema: { examples?: string[]; enum?: string[] } }[] }
  ).parameters.find((p) => p.name === name);
  return parameter?.schema.examples?.[0] ?? parameter?.schema.enum?.[0] ?? '';
}

describe('API Gateway’s own answers, on the local gateway', () => {
  let gateway: RunningHttpApi;

  beforeAll(async () => {
    gateway = await startHttpApi({
      port: 0,
      api: async (event) => {
        if (event.rawPath === '/v1/me') throw new Error('the function failed');
        return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{}' };
      },
      authorizer: async () => ({ isAuthorized: true, context: { refused: 'TOKEN_UNKNOWN', message: '没有这个凭证' } }),
    });
  });
  afterAll(() => gateway.stop());

  const fetchCheck = async (name: RouteName, path: string, init: RequestInit = {}) => {
    const response = await fetch(`${gateway.url}${path}`, init);
    const headers = Object.fromEntries(response.headers.entries());
    check(routeNamed(name), { status: response.status, headers, body: await response.text() });
    return response.status;
  };

  it('answers a route without Authorization 401, a request over 10 MB 413, a failed function 500, as documented', async () => {
    // Prepare: the gateway logs the failed function to stderr.
    const log = vi.spyOn(process.stderr, 'write').mockReturnValue(true);

    // Act
    const statuses = [
      await fetchCheck('catalogue', '/v1/catalogue'),
      await fetchCheck('createUpload', '/v1/uploads', {
        method: 'POST',
        body: 'x'.repeat(10 * 1024 * 1024 + 1),
        headers: { authorization: 'Bearer x' },
      }),
      await fetchCheck('me', '/v1/me', { headers: { authorization: 'Bearer x' } }),
    ];

    const logged = log.mock.calls.map((c) => String(c[0])).join('');
    log.mockRestore();

    // Assess
    expect(statuses).toEqual([401, 413, 500]);
    expect(logged).toContain('the function failed');
  });

  it('answers beyond its burst 429, as documented', async () => {
    // Prepare: the clock stands still, so the bucket does not refill.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const answers: { status: number; body: string; headers: Record<string, string> }[] = [];

    // Act
    try {
      for (let batch = 0; batch < 10 && !answers.some((a) => a.status === 429); batch++)
        answers.push(...(await Promise.all(Array.from({ length: 50 }, () => fetchAnswer(`${gateway.url}/v1/openapi.json`)))));
    } finally {
      vi.useRealTimers();
    }
    const throttled = answers.find((a) => a.status === 429);
    check(routeNamed('openapi'), throttled!);

    // Assess
    expect(throttled?.body).toBe('{"message":"Too Many Requests"}');
  });
});

async function fetchAnswer(url: string) {
  const response = await fetch(url);
  return { status: response.status, body: await response.text(), headers: Object.fromEntries(response.headers.entries()) };
}

describe('the document’s coverage and examples', () => {
  it('is closed: an answer with a field it does not name fails', () => {
    // Prepare
    const { at } = responseAt(routeNamed('orgMonthlySummary'), 200);
    const validate = validator([...at, 'content', 'application/json', 'schema']);
    const example = (responseAt(routeNamed('orgMonthlySummary'), 200).response?.content?.['application/json']?.example ?? {}) as object;

    // Act
    const outcomes = [example, { ...example, undocumented: 1 }, { ...example, completeness: { expected: 1 } }].map((body) =>
      validate(body),
    );

    // Assess
    expect(outcomes).toEqual([true, false, false]);
  });

  it('has every route answered, and every JSON success validated', () => {
    // Assess
    expect([...answered].sort()).toEqual(ROUTES.map((r) => r.name).sort());
    expect([...jsonOk].sort()).toEqual(
      ROUTES.filter((r) => r.ok.json)
        .map((r) => r.name)
        .sort(),
    );
  });

  it('gives every JSON response an example that its schema accepts', () => {
    // Prepare
    const media = ROUTES.flatMap((route) =>
      Object.keys(operationOf(route)!.responses).flatMap((status) => {
        const { response, at } = responseAt(route, status);
        const json = response?.content?.['application/json'];
        return json ? [{ route, status, json, at }] : [];
      }),
    );

    // Act
    const failures = media.flatMap(({ route, status, json, at }) => {
      const validate = validator([...at, 'content', 'application/json', 'schema']);
      return examplesIn(json).flatMap((example) =>
        example !== null && validate(example) ? [] : [{ at: `${routeKey(route)} ${status}`, errors: validate.errors }],
      );
    });

    // Assess
    expect(media.length).toBeGreaterThan(ROUTES.length * 4);
    expect(failures).toEqual([]);
  });
});

function examplesIn(media: Media): unknown[] {
  const named = Object.values(media.examples ?? {}).map((e) => e.value);
  return media.example === undefined ? (named.length ? named : [null]) : [media.example, ...named];
}
