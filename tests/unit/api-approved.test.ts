/**
 * The approved figures only (docs/DOMAIN.md#review) through the API on the sample district,
 * with memory ports: `?approved=only` on the summary routes answers a live summary of the
 * approved unit-months (not a stored revision), JSON or CSV, refused as the summaries are.
 * Decisions are made through the review route, as a town clerk makes them.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../shared/auth/principals.ts';
import { memoryApi, refusal, submission, type StoredSummary } from '../support/memory-api.ts';

const TOWN_EC: Principal = { role: 'town', town: 'EC' };
const TOWN_SH: Principal = { role: 'town', town: 'SH' };
const DISTRICT: Principal = { role: 'district' };
const VILLAGE_EC_V01: Principal = { role: 'village', unit: 'EC/V01' };
const SENT = '2025-04-01T00:00:00Z';

const bodyOf = <T = Record<string, unknown>>(response: { body: string }) => JSON.parse(response.body) as T;

/** A world where EC/V01, EC/V02 and SH/V01 sent March (and EC/V01 January), and EC's clerk approved `approved`. */
async function reviewed(approved: readonly { unit: string; month: string }[] = [{ unit: 'V01', month: '2025-03' }]) {
  const api = memoryApi();
  api.current.push(
    submission('EC/V01', '2025-03', SENT, { general_hazards_found: 3, veteran_aid_yuan: 100.05 }),
    submission('EC/V02', '2025-03', SENT, { general_hazards_found: 5, veteran_aid_yuan: 0.1 }),
    submission('SH/V01', '2025-03', SENT, { general_hazards_found: 11 }),
    submission('EC/V01', '2025-01', '2025-02-01T00:00:00Z', { general_hazards_found: 20 }),
  );
  for (const { unit, month } of approved) {
    const decided = await api.call('review', TOWN_EC, {
      pathParameters: { town: 'EC', unit, month },
      body: { action: 'approve', version: 1 },
    });
    expect(decided.status).toBe(200);
  }
  return api;
}

const monthly = (org: string, query: Record<string, string> = { approved: 'only' }) => ({
  pathParameters: { org, month: '2025-03' },
  query,
});

describe('GET /v1/orgs/{org}/summaries/monthly/{month}?approved=only', () => {
  it("sums a town's approved unit-months alone, live, with the units left out", async () => {
    // Prepare: nothing is published.
    const { call } = await reviewed();

    // Act
    const response = await call('orgMonthlySummary', DISTRICT, monthly('EC'));

    // Assess
    expect(response.status).toBe(200);
    const body = bodyOf<Record<string, unknown> & { totals: Record<string, number> }>(response);
    expect(body).toMatchObject({ org: 'EC', level: 'town', kind: 'monthly', period: '2025-03', basis: 'approved' });
    expect(body.totals).toMatchObject({ general_hazards_found: 3, veteran_aid_yuan: 100.05 });
    expect(body['units']).toEqual({ V01: { general_hazards_found: 3, veteran_aid_yuan: 100.05 } });
    expect(body['completeness']).toMatchObject({ expected: 9, submitted: 2, approved: 1 });
    expect(body['review']).toMatchObject({ V01: 'approved', V02: 'submitted', V03: 'missing' });
    expect(body['leftOut']).toEqual(['V02', 'V03', 'V04', 'V05', 'V06', 'V07', 'V08', 'TOWN']);
    expect(body['revision']).toBeUndefined();
  });

  it("gives the district its towns' approved totals and counts", async () => {
    // Act
    const { call } = await reviewed();
    const body = bodyOf<{
      totals: Record<string, number>;
      towns: Record<string, { totals: Record<string, number>; completeness: { approved: number } }>;
    }>(await call('orgMonthlySummary', DISTRICT, monthly('QJ')));

    // Assess: SH/V01 sent but is not approved.
    expect(body.totals.general_hazards_found).toBe(3);
    expect(body.towns['EC']!.totals.general_hazards_found).toBe(3);
    expect(body.towns['SH']!.totals.general_hazards_found).toBe(0);
    expect(body.towns['EC']!.completeness.approved).toBe(1);
    expect(body.towns['SH']!.completeness.approved).toBe(0);
  });

  it('follows a decision at once, without a new revision', async () => {
    // Prepare
    const api = await reviewed();
    const before = await api.call('orgMonthlySummary', DISTRICT, monthly('EC'));

    // Act: the clerk approves V02 too.
    await api.call('review', TOWN_EC, {
      pathParameters: { town: 'EC', unit: 'V02', month: '2025-03' },
      body: { action: 'approve', version: 1 },
    });
    const after = await api.call('orgMonthlySummary', DISTRICT, monthly('EC'));

    // Assess
    expect(bodyOf<{ totals: Record<string, number> }>(before).totals.general_hazards_found).toBe(3);
    expect(bodyOf<{ totals: Record<string, number> }>(after).totals.general_hazards_found).toBe(8);
    expect(after.headers['etag']).not.toBe(before.headers['etag']);
  });

  it('answers 304 to the ETag of the same figures', async () => {
    // Prepare
    const { call } = await reviewed();
    const first = await call('orgMonthlySummary', TOWN_EC, monthly('EC'));

    // Act
    const again = await call('orgMonthlySummary', TOWN_EC, { ...monthly('EC'), headers: { 'if-none-match': first.headers['etag']! } });

    // Assess
    expect(again.status).toBe(304);
  });

  it('writes the CSV of the approved figures, saying so in its heading and its name', async () => {
    // Act
    const { call } = await reviewed();
    const response = await call('orgMonthlySummary', TOWN_EC, monthly('EC', { approved: 'only', format: 'csv' }));

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toContain(encodeURIComponent('鹅池镇-2025-03-已审核汇总.csv'));
    const rows = parseCsv(response.body, { bom: true, relax_column_count: true }) as string[][];
    expect(rows.find((r) => r[0] === '指标代码')!.slice(0, 5)).toEqual([
      '指标代码',
      '指标名称',
      '计量单位',
      '全镇合计（仅已审核）',
      'V01 鹅池社区',
    ]);
    expect(rows.find((r) => r[0] === 'general_hazards_found')!.slice(3, 6)).toEqual(['3', '3', '']);
  });

  it('still answers the published revision without the query', async () => {
    // Prepare
    const api = await reviewed();
    const published: StoredSummary = { org: 'EC', level: 'town', kind: 'monthly', period: '2025-03', revision: 1, totals: {}, units: {} };
    api.publish(published);

    // Act
    const response = await api.call('orgMonthlySummary', DISTRICT, monthly('EC', {}));

    // Assess
    expect(bodyOf(response)).toEqual(published);
  });

  it.each([
    ['another town', TOWN_SH, 'EC', 403, 'TOWN_FORBIDDEN'],
    ['the district as a town', TOWN_SH, 'QJ', 403, 'TOWN_FORBIDDEN'],
    ['a village', VILLAGE_EC_V01, 'EC', 403, 'ROLE_FORBIDDEN'],
    ['an unknown org', DISTRICT, 'ZZ', 404, 'ORG_UNKNOWN'],
  ])('refuses %s as the summaries do', async (_what, who, org, status, code) => {
    // Act
    const { call } = await reviewed();
    const response = await call('orgMonthlySummary', who, monthly(org));

    // Assess
    expect(refusal(response)).toEqual({ status, code });
  });

  it('refuses any other value of approved with 400', async () => {
    const { call } = await reviewed();
    expect(refusal(await call('orgMonthlySummary', DISTRICT, monthly('EC', { approved: 'all' }))).status).toBe(400);
  });
});

describe('GET /v1/orgs/{org}/summaries/annual/{year}?approved=only', () => {
  it("takes each unit's year from its approved months of the months due", async () => {
    // Prepare: EC/V01's January and March approved; at 2025-04-03, January to March are due.
    const { call } = await reviewed([
      { unit: 'V01', month: '2025-01' },
      { unit: 'V01', month: '2025-03' },
    ]);

    // Act
    const response = await call('orgAnnualSummary', DISTRICT, { pathParameters: { org: 'EC', year: '2025' }, query: { approved: 'only' } });

    // Assess
    const body = bodyOf<Record<string, unknown> & { totals: Record<string, number> }>(response);
    expect(body).toMatchObject({ kind: 'annual', period: '2025', basis: 'approved' });
    expect(body.totals.general_hazards_found).toBe(23);
    expect(body['completeness']).toMatchObject({ expected: 27, submitted: 3, approved: 2 });
    expect(body['approvedMonths']).toMatchObject({ V01: 2, V02: 0 });
    expect(body['leftOut']).toContain('V01');
  });
});

describe('today’s summary routes with ?approved=only', () => {
  it('mean the district for the district, and the own town for a town token', async () => {
    // Prepare
    const { call } = await reviewed();
    const month = { pathParameters: { month: '2025-03' }, query: { approved: 'only' } };

    // Act
    const district = bodyOf(await call('monthlySummary', DISTRICT, month));
    const town = bodyOf(await call('monthlySummary', TOWN_SH, month));
    const year = bodyOf(await call('annualSummary', TOWN_EC, { pathParameters: { year: '2025' }, query: { approved: 'only' } }));

    // Assess
    expect(district).toMatchObject({ org: 'QJ', basis: 'approved', completeness: { approved: 1 } });
    expect(town).toMatchObject({ org: 'SH', basis: 'approved', completeness: { submitted: 1, approved: 0 } });
    expect(year).toMatchObject({ org: 'EC', kind: 'annual', basis: 'approved' });
  });
});
