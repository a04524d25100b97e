/**
 * The API on the sample district (config/district.json: QJ 黔江区 with towns EC, SH, HX),
 * with memory ports: the routes that take the node (`/v1/orgs/{org}/…`), what today's
 * routes mean for each caller, and access per node — a village its unit, a town its town
 * (another town: 403 TOWN_FORBIDDEN, or 404 where the id would tell), the district and
 * the admin every node. Every refusal records and signs nothing.
 */
import { describe, expect, it } from 'vitest';
import { handleRequest } from '../../shared/api/app.ts';
import { openApiDocument } from '../../shared/api/openapi.ts';
import { ROUTES } from '../../shared/api/routes.ts';
import { SummaryCache } from '../../shared/api/summary-cache.ts';
import type { Principal } from '../../shared/auth/principals.ts';
import { as, memoryApi, refusal, request, submission, type StoredSummary } from '../support/memory-api.ts';

const VILLAGE_EC_V03: Principal = { role: 'village', unit: 'EC/V03' };
const TOWN_EC: Principal = { role: 'town', town: 'EC' };
const TOWN_SH: Principal = { role: 'town', town: 'SH' };
const DISTRICT: Principal = { role: 'district' };
const ADMIN: Principal = { role: 'admin' };

/** A published monthly summary of an org for 2025-03, marked so a test can tell whose it is. */
const summaryOf = (org: string, level: 'town' | 'district' = 'town'): StoredSummary => ({
  org,
  level,
  kind: 'monthly',
  period: '2025-03',
  revision: 1,
  publishedAt: '2025-04-06T00:00:00Z',
  totals: { petitions_received: org.length },
  units: {},
  completeness: { expected: 0, submitted: 0, onTime: 0, late: 0, approved: 0, missing: [] },
  mark: `summary of ${org}`,
});

/** A world where every org's March is published. */
function published() {
  const api = memoryApi();
  for (const org of ['EC', 'SH', 'HX']) api.publish(summaryOf(org));
  api.publish(summaryOf('QJ', 'district'));
  return api;
}

const bodyOf = <T = Record<string, unknown>>(response: { body: string }) => JSON.parse(response.body) as T;

describe('GET /v1/orgs/{org}/summaries', () => {
  it('gives a town its own summary and the district every town’s and its own', async () => {
    // Prepare
    const { call } = published();
    const month = (org: string, who: Principal) => call('orgMonthlySummary', who, { pathParameters: { org, month: '2025-03' } });

    // Act
    const own = await month('EC', TOWN_EC);
    const byDistrict = await Promise.all(['EC', 'SH', 'HX', 'QJ'].map((org) => month(org, DISTRICT)));

    // Assess
    expect(own.status).toBe(200);
    expect(bodyOf(own)).toMatchObject({ org: 'EC', mark: 'summary of EC' });
    expect(byDistrict.map((r) => [r.status, bodyOf(r)['mark']])).toEqual([
      [200, 'summary of EC'],
      [200, 'summary of SH'],
      [200, 'summary of HX'],
      [200, 'summary of QJ'],
    ]);
  });

  it.each([
    ['another town', 'EC', 403, 'TOWN_FORBIDDEN'],
    ['the district', 'QJ', 403, 'TOWN_FORBIDDEN'],
    ['an unknown org', 'ZZ', 404, 'ORG_UNKNOWN'],
  ])('refuses a town token reading %s (%s) with %i %s', async (_what, org, status, code) => {
    // Prepare
    const { call } = published();

    // Act
    const monthly = await call('orgMonthlySummary', TOWN_SH, { pathParameters: { org, month: '2025-03' } });
    const annual = await call('orgAnnualSummary', TOWN_SH, { pathParameters: { org, year: '2025' } });

    // Assess
    expect(refusal(monthly)).toEqual({ status, code });
    expect(refusal(annual)).toEqual({ status, code });
    expect(bodyOf<{ message: string }>(monthly).message).toMatch(/\p{Script=Han}/u);
  });

  it('answers an unknown org with 404 ORG_UNKNOWN for the district too, and an unpublished period with the org’s name', async () => {
    const { call } = published();
    const unknown = await call('orgMonthlySummary', DISTRICT, { pathParameters: { org: 'ZZ', month: '2025-03' } });
    const notYet = await call('orgAnnualSummary', DISTRICT, { pathParameters: { org: 'SH', year: '2024' } });
    expect(refusal(unknown)).toEqual({ status: 404, code: 'ORG_UNKNOWN' });
    expect(bodyOf(notYet)).toMatchObject({ code: 'SUMMARY_NOT_PUBLISHED', message: expect.stringContaining('石会镇2024年') });
  });

  it('names the CSV download after the org', async () => {
    // Prepare
    const { call } = published();
    const csv = (org: string) =>
      call('orgMonthlySummary', DISTRICT, { pathParameters: { org, month: '2025-03' }, query: { format: 'csv' } });

    // Act
    const [town, district] = await Promise.all([csv('SH'), csv('QJ')]);

    // Assess
    expect(town.headers['content-disposition']).toContain(encodeURIComponent('石会镇-2025-03-汇总.csv'));
    expect(district.headers['content-disposition']).toContain(encodeURIComponent('黔江区-2025-03-汇总.csv'));
    expect(district.body).toContain('全区合计');
  });

  it('keeps each org’s revision apart in the container’s cache', async () => {
    // Prepare: every org at revision 1 of the same month
    const api = published();
    const deps = { ...api.deps, summaryCache: new SummaryCache() };
    const month = (org: string) =>
      handleRequest(request('orgMonthlySummary', as(DISTRICT), { pathParameters: { org, month: '2025-03' } }), deps);

    // Act
    const first = [await month('EC'), await month('SH')];
    const again = [await month('EC'), await month('SH')];

    // Assess
    expect([...first, ...again].map((r) => bodyOf(r)['mark'])).toEqual([
      'summary of EC',
      'summary of SH',
      'summary of EC',
      'summary of SH',
    ]);
  });
});

describe('today’s routes (without org)', () => {
  it('mean a town token’s own town, and the deployment’s default org (the district) for anyone else', async () => {
    // Prepare
    const { call } = published();
    const month = (who: Principal) => call('monthlySummary', who, { pathParameters: { month: '2025-03' } });

    // Act
    const [sh, district, admin] = await Promise.all([month(TOWN_SH), month(DISTRICT), month(ADMIN)]);
    const completeness = await call('completeness', TOWN_SH, { pathParameters: { month: '2025-03' } });

    // Assess
    expect(bodyOf(sh)['mark']).toBe('summary of SH');
    expect(bodyOf(district)['mark']).toBe('summary of QJ');
    expect(bodyOf(admin)['mark']).toBe('summary of QJ');
    expect(bodyOf(completeness)).toMatchObject({ org: 'SH', level: 'town' });
  });

  it('read a unit’s short code within the caller’s town, and refuse one that is ambiguous district-wide', async () => {
    // Prepare
    const { call, current } = memoryApi();
    current.push(submission('SH/V03', '2025-03', '2025-04-02T00:00:00Z', { legal_trainings: 4 }));

    // Act
    const town = await call('submissions', TOWN_SH, { pathParameters: { unit: 'V03', month: '2025-03' } });
    const district = await call('submissions', DISTRICT, { pathParameters: { unit: 'V03', month: '2025-03' } });

    // Assess
    expect(bodyOf(town)).toMatchObject({ unit: 'SH/V03', unitName: '关东村', current: { values: { legal_trainings: 4 } } });
    expect(refusal(district)).toEqual({ status: 400, code: 'UNIT_AMBIGUOUS' });
  });
});

describe('GET /v1/orgs/{org}/completeness/{month}', () => {
  it('lists a town’s expected units by short code, and says which sent on time, late or not at all', async () => {
    // Prepare: SH/V08 exists only from 2025-07; EC's submission must not show in SH's list
    const { call, current } = memoryApi();
    current.push(
      submission('SH/V01', '2025-03', '2025-04-02T00:00:00Z'),
      submission('SH/V02', '2025-03', '2025-04-07T00:00:00Z'),
      submission('EC/V01', '2025-03', '2025-04-02T00:00:00Z'),
    );

    // Act
    const response = await call('orgCompleteness', TOWN_SH, { pathParameters: { org: 'SH', month: '2025-03' } });

    // Assess
    const body = bodyOf<{ units: { unit: string; fullCode: string; status: string }[]; summary: unknown; towns?: unknown }>(response);
    expect(body).toMatchObject({ org: 'SH', orgName: '石会镇', level: 'town', published: null });
    expect(body.units.map((u) => u.unit)).toEqual(['V01', 'V02', 'V03', 'V04', 'V05', 'V06', 'V07', 'TOWN']);
    expect(body.units.slice(0, 3).map((u) => [u.fullCode, u.status])).toEqual([
      ['SH/V01', 'on_time'],
      ['SH/V02', 'late'],
      ['SH/V03', 'missing'],
    ]);
    expect(body.summary).toEqual({ expected: 8, received: 2, onTime: 1, late: 1, missing: 6, approved: 0, returned: 0 });
    expect(body.towns).toBeUndefined();
  });

  it('gives the district every expected unit by full code, and each town’s counts and missing units by name', async () => {
    // Prepare: EC complete but for V05; SH only V01; HX nothing (HX/V07 exists until 2025-06)
    const { call, current, publish } = memoryApi();
    for (const unit of ['V01', 'V02', 'V03', 'V04', 'V06', 'V07', 'V08', 'TOWN'])
      current.push(submission(`EC/${unit}`, '2025-03', '2025-04-01T00:00:00Z'));
    current.push(submission('SH/V01', '2025-03', '2025-04-10T00:00:00Z'));
    publish(summaryOf('QJ', 'district'));

    // Act
    const response = await call('orgCompleteness', DISTRICT, { pathParameters: { org: 'QJ', month: '2025-03' } });

    // Assess
    type Town = {
      code: string;
      name: string;
      summary: { expected: number; received: number; late: number };
      missingUnits: unknown[];
      url: string;
    };
    const body = bodyOf<{ units: { unit: string }[]; summary: unknown; towns: Town[]; published: unknown }>(response);
    expect(body).toMatchObject({ org: 'QJ', orgName: '黔江区', level: 'district' });
    expect(body.units).toHaveLength(9 + 8 + 9);
    expect(body.units[0]).toMatchObject({ unit: 'EC/V01', fullCode: 'EC/V01', town: 'EC', name: '鹅池社区', status: 'on_time' });
    expect(body.summary).toEqual({ expected: 26, received: 9, onTime: 8, late: 1, missing: 17, approved: 0, returned: 0 });
    expect(body.towns.map((t) => [t.code, t.name, t.summary.expected, t.summary.received, t.summary.late])).toEqual([
      ['EC', '鹅池镇', 9, 8, 0],
      ['SH', '石会镇', 8, 1, 1],
      ['HX', '黑溪镇', 9, 0, 0],
    ]);
    expect(body.towns[0]!.missingUnits).toEqual([{ unit: 'EC/V05', name: '新建村' }]);
    expect(body.towns[2]!.missingUnits).toContainEqual({ unit: 'HX/V07', name: '联合村' });
    expect(body.towns[1]!.url).toBe('/v1/orgs/SH/completeness/2025-03');
    expect(body.published).toEqual({ revision: 1, url: '/v1/orgs/QJ/summaries/monthly/2025-03' });
  });

  it.each([
    [TOWN_SH, 'EC', 403, 'TOWN_FORBIDDEN'],
    [TOWN_SH, 'QJ', 403, 'TOWN_FORBIDDEN'],
    [DISTRICT, 'ZZ', 404, 'ORG_UNKNOWN'],
    [VILLAGE_EC_V03, 'EC', 403, 'ROLE_FORBIDDEN'],
  ] as const)('refuses %j reading %s with %i %s', async (who, org, status, code) => {
    const { call } = memoryApi();
    expect(refusal(await call('orgCompleteness', who, { pathParameters: { org, month: '2025-03' } }))).toEqual({ status, code });
  });
});

describe('GET /v1/orgs/{town}/units/{unit}/submissions/{month}', () => {
  const read = (who: Principal, town: string, unit: string) => {
    const api = memoryApi();
    api.current.push(submission('EC/V03', '2025-03', '2025-04-02T00:00:00Z', { legal_trainings: 2 }));
    return api.call('orgSubmissions', who, { pathParameters: { town, unit, month: '2025-03' } });
  };

  it.each([
    ['its village', VILLAGE_EC_V03],
    ['its town', TOWN_EC],
    ['the district', DISTRICT],
    ['the admin', ADMIN],
  ])('shows a unit’s month to %s', async (_who, who) => {
    const response = await read(who, 'EC', 'V03');
    expect(response.status).toBe(200);
    expect(bodyOf(response)).toMatchObject({ unit: 'EC/V03', unitName: '石柱村', current: { values: { legal_trainings: 2 } } });
  });

  it.each([
    ['another town’s token', TOWN_SH, 'EC', 'V03', 403, 'TOWN_FORBIDDEN'],
    ['another unit’s village', VILLAGE_EC_V03, 'EC', 'V04', 403, 'UNIT_FORBIDDEN'],
    ['a village, in another town', VILLAGE_EC_V03, 'SH', 'V03', 403, 'UNIT_FORBIDDEN'],
    ['an unknown town', DISTRICT, 'ZZ', 'V03', 404, 'TOWN_UNKNOWN'],
    ['a unit not in the town', DISTRICT, 'EC', 'V99', 404, 'UNIT_UNKNOWN'],
    ['another town’s division code under this town', DISTRICT, 'EC', '500114111003', 404, 'UNIT_UNKNOWN'],
  ])('refuses %s', async (_what, who, town, unit, status, code) => {
    expect(refusal(await read(who, town, unit))).toEqual({ status, code });
  });
});

describe('uploads per node', () => {
  it('lets a town send for its own units by short or full code, and records them under its town', async () => {
    // Prepare
    const { call, intents } = memoryApi();

    // Act
    const short = await call('createUpload', TOWN_SH, { body: { unit: 'V01', period: '2025-03', format: 'csv' } });
    const full = await call('createUpload', TOWN_SH, { body: { unit: 'SH/V02', period: '2025-03', format: 'csv' } });
    const many = await call('createUpload', TOWN_SH, { body: { format: 'json' } });

    // Assess
    expect([short.status, full.status, many.status]).toEqual([201, 201, 201]);
    expect(intents.map((i) => [i.unit, i.uploader])).toEqual([
      ['SH/V01', { role: 'town', town: 'SH' }],
      ['SH/V02', { role: 'town', town: 'SH' }],
      ['SH/ALL', { role: 'town', town: 'SH' }],
    ]);
  });

  it.each([
    ['another town’s unit by full code', TOWN_SH, { unit: 'EC/V01' }, 403, 'TOWN_FORBIDDEN'],
    ['another town’s unit by division code', TOWN_SH, { unit: '500114110001' }, 403, 'TOWN_FORBIDDEN'],
    ['another town named', TOWN_SH, { town: 'EC' }, 403, 'TOWN_FORBIDDEN'],
    ['a unit not in its town', TOWN_SH, { unit: 'V99' }, 404, 'UNIT_UNKNOWN'],
    ['another town, as a village', VILLAGE_EC_V03, { town: 'SH' }, 403, 'UNIT_FORBIDDEN'],
    ['an unknown town, as the admin', ADMIN, { town: 'ZZ' }, 404, 'TOWN_UNKNOWN'],
    ['a short code of several towns, as the admin', ADMIN, { unit: 'V01' }, 400, 'UNIT_AMBIGUOUS'],
  ] as const)('refuses %s (%#) and records and signs nothing', async (_what, who, asked, status, code) => {
    // Prepare
    const { call, intents, presigned } = memoryApi();

    // Act
    const response = await call('createUpload', who, { body: { ...asked, period: '2025-03', format: 'csv' } });

    // Assess
    expect(refusal(response)).toEqual({ status, code });
    expect(intents).toEqual([]);
    expect(presigned).toEqual([]);
  });

  it('lets the admin name the town its file’s short codes are read in', async () => {
    const { call, intents } = memoryApi();
    const response = await call('createUpload', ADMIN, { body: { town: 'HX', unit: 'V01', period: '2025-03', format: 'csv' } });
    expect(response.status).toBe(201);
    expect(intents[0]).toMatchObject({ unit: 'HX/V01', uploader: { role: 'admin', town: 'HX' } });
  });

  it('shows an upload to its town and the admin, and answers anyone else as if it did not exist', async () => {
    // Prepare: an EC town file of several units
    const { call, intents } = memoryApi();
    await call('createUpload', TOWN_EC, { body: { format: 'csv' } });
    const uploadId = intents[0]!.uploadId;
    const status = (who: Principal) => call('getUpload', who, { pathParameters: { uploadId } });

    // Act
    const [town, admin, other, village] = await Promise.all([status(TOWN_EC), status(ADMIN), status(TOWN_SH), status(VILLAGE_EC_V03)]);

    // Assess
    expect([town.status, admin.status]).toEqual([200, 200]);
    expect(refusal(other)).toEqual({ status: 404, code: 'UPLOAD_NOT_FOUND' });
    expect(refusal(village)).toEqual({ status: 404, code: 'UPLOAD_NOT_FOUND' });
    expect(other.body).not.toContain('EC');
  });
});

describe('GET /v1/me and /v1/units', () => {
  it('tell a town its own town, and the district every town', async () => {
    // Prepare
    const { call } = memoryApi();

    // Act
    const [meTown, meDistrict, meVillage] = await Promise.all([call('me', TOWN_SH), call('me', DISTRICT), call('me', VILLAGE_EC_V03)]);

    // Assess
    expect(bodyOf(meTown)).toMatchObject({
      town: '石会镇',
      org: { code: 'SH', name: '石会镇', level: 'town' },
      towns: [{ code: 'SH', name: '石会镇' }],
    });
    expect(bodyOf(meDistrict)).toMatchObject({ town: '黔江区', org: { code: 'QJ', level: 'district' } });
    expect(bodyOf<{ towns: { code: string }[] }>(meDistrict).towns.map((t) => t.code)).toEqual(['EC', 'SH', 'HX']);
    expect(bodyOf(meVillage)).toMatchObject({ unit: 'EC/V03', unitName: '石柱村', org: { code: 'EC' }, towns: [{ code: 'EC' }] });
  });

  it('list a town’s units by short code for its town and village, and every town’s by full code for the district', async () => {
    // Prepare
    const { call } = memoryApi();

    // Act
    const [town, village, district] = await Promise.all([call('units', TOWN_SH), call('units', VILLAGE_EC_V03), call('units', DISTRICT)]);

    // Assess
    type Units = { town: string; units: { code: string; fullCode: string }[]; towns: { code: string; units: unknown[] }[] };
    const [t, v, d] = [bodyOf<Units>(town), bodyOf<Units>(village), bodyOf<Units>(district)];
    expect(t.town).toBe('石会镇');
    expect(t.units.map((u) => u.code)).toEqual(['V01', 'V02', 'V03', 'V04', 'V05', 'V06', 'V07', 'V08', 'TOWN']);
    expect(t.units.every((u) => u.fullCode.startsWith('SH/'))).toBe(true);
    expect(v.towns.map((x) => x.code)).toEqual(['EC']);
    expect(d.towns.map((x) => [x.code, x.units.length])).toEqual([
      ['EC', 9],
      ['SH', 9],
      ['HX', 9],
    ]);
    expect(d.units[9]).toMatchObject({ code: 'SH/V01', fullCode: 'SH/V01', town: 'SH', name: '石会社区' });
  });
});

describe('POST /v1/tokens on a district', () => {
  it('issues a town token for the town it names, and a village token by short code within it', async () => {
    // Prepare
    const { call, tokenCaller } = memoryApi();
    const admin = await tokenCaller(ADMIN);

    // Act
    const town = await call('issueToken', admin, { body: { role: 'town', town: 'SH' } });
    const village = await call('issueToken', admin, { body: { role: 'village', town: 'SH', unit: 'V03' } });
    const list = await call('listTokens', admin);

    // Assess
    expect(bodyOf(town)).toMatchObject({ info: { role: 'town', town: 'SH', principal: 'town:SH', status: 'active' } });
    expect(bodyOf(village)).toMatchObject({ info: { role: 'village', unit: 'SH/V03', principal: 'village:SH/V03' } });
    expect(
      bodyOf<{ tokens: { principal: string }[] }>(list)
        .tokens.map((t) => t.principal)
        .sort(),
    ).toEqual(['admin', 'town:SH', 'village:SH/V03']);
  });

  it.each([
    [{ role: 'town' }, 'TOWN_REQUIRED'],
    [{ role: 'town', town: 'sh' }, 'PARAMETER_INVALID'],
    [{ role: 'town', town: 'ZZ' }, 'TOWN_UNKNOWN'],
    [{ role: 'village', unit: 'V03' }, 'UNIT_AMBIGUOUS'],
  ])('refuses %j with 400 %s and issues nothing', async (body, code) => {
    const { call, deps, tokenCaller } = memoryApi();
    const admin = await tokenCaller(ADMIN);
    const response = await call('issueToken', admin, { body });
    expect(refusal(response)).toEqual({ status: 400, code });
    expect((await deps.tokens.list()).tokens.map((t) => t.role)).toEqual(['admin']);
  });
});

describe('the OpenAPI document', () => {
  it('describes the org routes, what today’s routes mean, and every error code with its status', () => {
    // Act
    const doc = openApiDocument(ROUTES) as {
      info: { description: string };
      paths: Record<string, unknown>;
      'x-error-codes': { code: string; status: number }[];
    };

    // Assess
    for (const path of [
      '/v1/orgs/{org}/summaries/monthly/{month}',
      '/v1/orgs/{org}/summaries/annual/{year}',
      '/v1/orgs/{org}/completeness/{month}',
      '/v1/orgs/{town}/units/{unit}/submissions/{month}',
    ])
      expect(Object.keys(doc.paths)).toContain(path);
    expect(doc.info.description).toMatch(/镇凭证指本镇/);
    expect(doc.info.description).toMatch(/默认层级/);
    expect(doc['x-error-codes']).toEqual(
      expect.arrayContaining([
        { code: 'ORG_UNKNOWN', status: 404, description: expect.any(String) },
        { code: 'TOWN_FORBIDDEN', status: 403, description: expect.any(String) },
        { code: 'TOWN_REQUIRED', status: 400, description: expect.any(String) },
      ]),
    );
    expect(doc.info.description).toContain('TOWN_FORBIDDEN（403）');
  });
});
