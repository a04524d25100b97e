/**
 * The clerk's desk and the publish button on the sample district with memory ports
 * (today 2025-04-03): units in the order a clerk works them with their figures, the live
 * totals and the year to date from the ledger, where the publication stands, and who may
 * publish which month. The stack test (tests/integration/desk.test.ts) runs the real
 * publisher, its hash and its mail.
 */
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../shared/auth/principals.ts';
import type { PublishResult } from '../../shared/publish/publish.ts';
import { memoryApi, refusal, submission } from '../support/memory-api.ts';

const TOWN_EC: Principal = { role: 'town', town: 'EC' };
const TOWN_SH: Principal = { role: 'town', town: 'SH' };
const DISTRICT: Principal = { role: 'district' };
const VILLAGE: Principal = { role: 'village', unit: 'EC/V01' };
const ADMIN: Principal = { role: 'admin' };

interface DeskUnit {
  unit: string;
  status: string;
  review: { state: string };
  values?: Record<string, number>;
}
interface Desk {
  units: DeskUnit[];
  publication: { state: string; revision?: number; message: string };
  publish: { allowed: boolean; reason?: string };
  live: { totals: Record<string, number>; completeness: { submitted: number; missing: string[] } };
  yearToDate: { from: string; through: string; summary: { totals: Record<string, number>; completeness: { missing: string[] } } };
}

/** EC in 2025: V01 and V02 sent January to March, V03 and V04 March only. */
function ecMarch() {
  const api = memoryApi();
  for (const m of ['2025-01', '2025-02', '2025-03'])
    for (const unit of ['EC/V01', 'EC/V02']) api.current.push(submission(unit, m, `${m}-03T02:00:00Z`, { petitions_received: 2 }));
  api.current.push(submission('EC/V03', '2025-03', '2025-04-02T02:00:00Z', { petitions_received: 5, disputes_resolved: 1 }));
  api.current.push(submission('EC/V04', '2025-03', '2025-04-01T02:00:00Z', { petitions_received: 1 }));
  return api;
}

const desk = (api: ReturnType<typeof memoryApi>, who: Principal, org = 'EC', month = '2025-03') =>
  api.call('desk', who, { pathParameters: { org, month } });
const bodyOf = (r: { body: string }) => JSON.parse(r.body) as Desk;

describe('GET /v1/orgs/{org}/desk/{month}', () => {
  it('lists the missing units first, then the returned, then those waiting, each sent unit with its figures', async () => {
    // Prepare
    const api = ecMarch();
    await api.call('review', TOWN_EC, {
      pathParameters: { town: 'EC', unit: 'V04', month: '2025-03' },
      body: { action: 'return', version: 1, reason: '数字有误' },
    });

    // Act
    const answer = await desk(api, TOWN_EC);

    // Assess
    expect(answer.status).toBe(200);
    const units = bodyOf(answer).units;
    expect(units.map((u) => [u.unit, u.review.state])).toEqual([
      ['V05', 'missing'],
      ['V06', 'missing'],
      ['V07', 'missing'],
      ['V08', 'missing'],
      ['TOWN', 'missing'],
      ['V04', 'returned'],
      ['V01', 'submitted'],
      ['V02', 'submitted'],
      ['V03', 'submitted'],
    ]);
    expect(units.find((u) => u.unit === 'V03')).toMatchObject({
      status: 'on_time',
      values: { petitions_received: 5, disputes_resolved: 1 },
    });
    expect(units.find((u) => u.unit === 'V05')?.values).toBeUndefined();
  });

  it('gives live totals of the month and the year to date before anything is published', async () => {
    // Prepare
    const api = ecMarch();

    // Act
    const body = bodyOf(await desk(api, TOWN_EC));

    // Assess
    expect(body.publication).toEqual({ state: 'unpublished', message: '尚未发布：下面是按现有数据实时计算的合计。' });
    expect(body.live.totals).toMatchObject({ petitions_received: 2 + 2 + 5 + 1, disputes_resolved: 1 });
    expect(body.live.completeness.submitted).toBe(4);
    expect(body.yearToDate).toMatchObject({ from: '2025-01', through: '2025-03' });
    expect(body.yearToDate.summary.totals).toMatchObject({ petitions_received: 3 * 4 + 5 + 1, disputes_resolved: 1 });
    // V03 and V04 missed January and February; the others every month.
    expect(body.yearToDate.summary.completeness.missing).toEqual(['V03', 'V04', 'V05', 'V06', 'V07', 'V08', 'TOWN']);
    expect(body.publish).toEqual({ allowed: true });
  });

  it('says the data changed when the published revision is not what the ledger holds now', async () => {
    // Prepare: the archive's revision 1 has another content hash than today's figures.
    const api = ecMarch();
    api.publish({ org: 'EC', level: 'town', kind: 'monthly', period: '2025-03', revision: 1 });

    // Act
    const body = bodyOf(await desk(api, TOWN_EC));

    // Assess
    expect(body.publication).toMatchObject({ state: 'changed', revision: 1, message: '数据已变更，待重新发布（已发布的是第 1 版）。' });
  });

  it('says the current month cannot be published yet, and why', async () => {
    // Prepare
    const api = ecMarch();

    // Act
    const body = bodyOf(await desk(api, TOWN_EC, 'EC', '2025-04'));

    // Assess
    expect(body.publish).toEqual({ allowed: false, reason: '2025年4月尚未结束：2025年5月1日起才能发布。' });
    expect(body.units.every((u) => u.review.state === 'missing')).toBe(true);
  });

  it.each([
    ['a village', VILLAGE, 'EC', '2025-03', 403, 'ROLE_FORBIDDEN'],
    ['another town', TOWN_SH, 'EC', '2025-03', 403, 'TOWN_FORBIDDEN'],
    ['a month to come', TOWN_EC, 'EC', '2025-05', 400, 'PERIOD_IN_FUTURE'],
    ['an unknown org', DISTRICT, 'ZZ', '2025-03', 404, 'ORG_UNKNOWN'],
  ])('refuses %s', async (_what, who, org, month, status, code) => {
    // Act
    const answer = await desk(ecMarch(), who, org, month);

    // Assess
    expect(refusal(answer)).toEqual({ status, code });
  });

  it('shows the district every unit, the missing first, with each town’s line', async () => {
    // Act
    const answer = await desk(ecMarch(), DISTRICT, 'QJ');

    // Assess
    const body = bodyOf(answer) as Desk & { towns: { code: string; summary: { expected: number; received: number } }[] };
    const expected = body.towns.reduce((n, t) => n + t.summary.expected, 0);
    expect(body.units).toHaveLength(expected);
    expect(body.units.slice(0, expected - 4).every((u) => u.review.state === 'missing')).toBe(true);
    expect(body.units.slice(expected - 4).map((u) => u.unit)).toEqual(['EC/V01', 'EC/V02', 'EC/V03', 'EC/V04']);
    expect(body.towns.map((t) => [t.code, t.summary.received])).toEqual([
      ['EC', 4],
      ['SH', 0],
      ['HX', 0],
    ]);
  });
});

describe('POST /v1/orgs/{org}/summaries/monthly/{month}/publish', () => {
  /** The API with a publisher that records what it was asked and answers `result`. */
  function withPublisher(result: Partial<PublishResult>) {
    const api = ecMarch();
    const asked: string[] = [];
    const deps = {
      ...api.deps,
      publishSummary: async (org: { code: string }, period: string) => {
        asked.push(`${org.code}/${period}`);
        return { org: org.code, kind: 'monthly', period, revision: 2, published: true, mailed: true, ...result } as PublishResult;
      },
    };
    return { api: { ...api, deps }, asked };
  }

  const publishAs = async (setup: ReturnType<typeof withPublisher>, who: Principal, org = 'EC', month = '2025-03') => {
    const { handleRequest } = await import('../../shared/api/app.ts');
    const { as, request } = await import('../support/memory-api.ts');
    return handleRequest(request('publishMonth', as(who), { pathParameters: { org, month } }), setup.api.deps);
  };

  it('publishes the town’s month and says which revision and who was told', async () => {
    // Prepare
    const setup = withPublisher({ robots: [{ notice: 'n', channel: 'ec-wecom', status: 'sent' }] });

    // Act
    const answer = await publishAs(setup, TOWN_EC);

    // Assess
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({
      org: 'EC',
      period: '2025-03',
      revision: 2,
      published: true,
      message: '已发布鹅池镇2025年3月汇总第 2 版。',
      notices: [
        { channel: 'mail', status: 'sent' },
        { channel: 'ec-wecom', status: 'sent' },
      ],
      url: '/v1/orgs/EC/summaries/monthly/2025-03',
    });
    expect(setup.asked).toEqual(['EC/2025-03']);
  });

  it('says nothing changed when the content is the published revision’s', async () => {
    // Prepare
    const setup = withPublisher({ revision: 1, published: false, mailed: false });

    // Act
    const answer = await publishAs(setup, ADMIN);

    // Assess
    expect(JSON.parse(answer.body)).toMatchObject({
      published: false,
      message: '鹅池镇2025年3月汇总内容未变，仍为第 1 版，未重新发布。',
      notices: [],
    });
  });

  it.each([
    ['the current month', TOWN_EC, 'EC', '2025-04', 409, 'PERIOD_NOT_OVER'],
    ['a month to come', TOWN_EC, 'EC', '2025-06', 400, 'PERIOD_IN_FUTURE'],
    ['a district token', DISTRICT, 'EC', '2025-03', 403, 'ROLE_FORBIDDEN'],
    ['a village token', VILLAGE, 'EC', '2025-03', 403, 'ROLE_FORBIDDEN'],
    ['another town', TOWN_SH, 'EC', '2025-03', 403, 'TOWN_FORBIDDEN'],
    ['a town publishing the district', TOWN_EC, 'QJ', '2025-03', 403, 'TOWN_FORBIDDEN'],
  ])('refuses %s, publishing nothing', async (_what, who, org, month, status, code) => {
    // Prepare
    const setup = withPublisher({});

    // Act
    const answer = await publishAs(setup, who, org, month);

    // Assess
    expect(refusal(answer)).toEqual({ status, code });
    expect(setup.asked).toEqual([]);
    if (code === 'PERIOD_NOT_OVER') expect(JSON.parse(answer.body).message).toBe('2025年4月尚未结束：2025年5月1日起才能发布。');
  });
});
