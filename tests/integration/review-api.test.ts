/**
 * The review of unit-months over HTTP on the run's local stack (docs/DOMAIN.md#review):
 * a secretary's months, the town's decisions with the version it saw, the locks a
 * secretary meets when she asks to upload, a form posted twice, and the month's audit
 * trail. Units and months of this file: 石会镇 SH/V03 and SH/V04 in 2024-11 (reopened
 * first: past its lock day at the stack's clock, 2025-04-03) — no other test uses them.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Registry } from '../../shared/registry.ts';
import { call, postForm, tokenFor, type CreatedUpload } from '../support/api.ts';
import { connectStack, eventually, longCsv, reopenFor, type StackHandle } from '../support/stack.ts';

const registry = Registry.fromJson(readFileSync(new URL('../../config/district.json', import.meta.url), 'utf8'), 'config/district.json');
const MONTH = '2024-11';
const ROUTE = (unit: string, rest = '') => `/v1/orgs/SH/units/${unit}/months/${MONTH}${rest}`;

let stack: StackHandle;
const token = { v03: '', v04: '', town: '', otherTown: '', district: '' };

interface ReviewState {
  state: string;
  version: number;
  reason?: string;
  locked: boolean;
  reopened: boolean;
}

beforeAll(async () => {
  stack = connectStack();
  token.v03 = await tokenFor(stack, { role: 'village', unit: 'SH/V03' });
  token.v04 = await tokenFor(stack, { role: 'village', unit: 'SH/V04' });
  token.town = await tokenFor(stack, { role: 'town', town: 'SH' });
  token.otherTown = await tokenFor(stack, { role: 'town', town: 'EC' });
  token.district = await tokenFor(stack, { role: 'district' });
  await reopenFor(stack, ['SH/V03', 'SH/V04'], [MONTH], registry);
});
afterAll(() => stack.close());

/** Sends a file as a village through the API and waits for its outcome. */
async function send(who: string, body: string) {
  const created = await call<CreatedUpload>('/v1/uploads', { token: who, body: { period: MONTH, format: 'csv' } });
  expect(created.status, created.text).toBe(201);
  expect((await postForm(created.json, body)).status).toBe(204);
  return { created: created.json, outcome: await settled(who, created.json.uploadId) };
}

async function settled(who: string, uploadId: string) {
  return eventually(async () => {
    const answer = await call<Record<string, unknown> & { status: string }>(`/v1/uploads/${uploadId}`, { token: who });
    return answer.json.status === 'pending' ? undefined : answer.json;
  }, `upload ${uploadId}`);
}

const review = (who: string, unit: string, body: unknown) =>
  call<ReviewState & { code?: string }>(ROUTE(unit, '/review'), { token: who, body });

describe('the review of a unit-month over HTTP', () => {
  it('a correction reports its change list; the town approves the version it saw; the secretary is then refused at once', async () => {
    // Prepare
    await send(token.v03, longCsv('V03', MONTH, { general_hazards_found: 8, legal_trainings: 2, petitions_received: 1 }));
    const correction = await send(token.v03, longCsv('V03', MONTH, { general_hazards_found: 10 }));

    // Act
    const stale = await review(token.town, 'V03', { action: 'approve', version: 1 });
    const approved = await review(token.town, 'V03', { action: 'approve', version: 2 });
    const asked = await call<{ code: string; message: string }>('/v1/uploads', {
      token: token.v03,
      body: { period: MONTH, format: 'csv' },
    });

    // Assess
    expect(correction.outcome).toMatchObject({
      status: 'accepted',
      submissions: [{ state: 'current', version: 2, changes: [{ key: 'general_hazards_found', from: 8, to: 10 }], unchanged: 2 }],
    });
    expect(stale.status).toBe(409);
    expect(stale.json.code).toBe('REVIEW_CONFLICT');
    expect(approved.status, approved.text).toBe(200);
    expect(approved.json).toMatchObject({ state: 'approved', version: 2, locked: true });
    expect(asked.status).toBe(409);
    expect(asked.json.code).toBe('PERIOD_LOCKED');
    expect(asked.json.message).toContain('已经镇审核');
  });

  it('returns with a reason (required), shows the reason in the town’s completeness, and the next upload makes it 已报 again', async () => {
    // Prepare
    await send(token.v04, longCsv('V04', MONTH, { general_hazards_found: 3 }));

    // Act
    const noReason = await review(token.town, 'V04', { action: 'return', version: 1 });
    const returned = await review(token.town, 'V04', { action: 'return', version: 1, reason: '隐患数与台账不符，请核对' });
    const completeness = await call<{ units: { unit: string; review: ReviewState }[]; summary: { returned: number } }>(
      `/v1/orgs/SH/completeness/${MONTH}`,
      { token: token.town },
    );
    await send(token.v04, longCsv('V04', MONTH, { general_hazards_found: 4 }));
    const months = await call<{ months: { period: string; review: ReviewState; lockText: string; deadlineText: string }[] }>(
      '/v1/orgs/SH/units/V04/months?to=2024-12',
      { token: token.v04 },
    );

    // Assess
    expect(noReason.status).toBe(400);
    expect(noReason.json.code).toBe('REASON_REQUIRED');
    expect(returned.json).toMatchObject({ state: 'returned', reason: '隐患数与台账不符，请核对' });
    // 石会镇's group robots were told, each once, with the reason (the stack's webhook sink).
    expect((returned.json as { notices?: unknown }).notices).toEqual(
      ['sh-wecom', 'sh-dingtalk', 'sh-feishu'].map((channel) => ({ channel, status: 'sent' })),
    );
    for (const robot of ['sh-wecom', 'sh-dingtalk', 'sh-feishu']) {
      const received = (await (await fetch(`${inject('stack').sink}/_sink/received?robot=${robot}`)).json()) as { body: unknown }[];
      const told = received.filter((n) => JSON.stringify(n.body).includes('隐患数与台账不符，请核对'));
      expect(told, robot).toHaveLength(1);
      expect(JSON.stringify(told[0]!.body), robot).toContain('退回：石会镇');
    }
    expect(completeness.json.units.find((u) => u.unit === 'V04')?.review).toMatchObject({
      state: 'returned',
      reason: '隐患数与台账不符，请核对',
    });
    expect(completeness.json.summary.returned).toBe(1);
    const november = months.json.months.find((m) => m.period === MONTH);
    expect(months.json.months[0]?.period).toBe('2024-12');
    expect(months.json.months).toHaveLength(12);
    expect(november).toMatchObject({
      review: { state: 'submitted', version: 2 },
      lockText: '2024年12月20日',
      deadlineText: '2024年12月5日',
    });
  });

  it('lets only the unit’s own town (and the admin) decide; the district and villages read', async () => {
    // Act
    const other = await review(token.otherTown, 'V04', { action: 'approve', version: 2 });
    const village = await review(token.v04, 'V04', { action: 'approve', version: 2 });
    const district = await review(token.district, 'V04', { action: 'approve', version: 2 });
    const history = await call<{ events: unknown[] }>(ROUTE('V04', '/history'), { token: token.district });
    const neighbour = await call(ROUTE('V03', '/history'), { token: token.v04 });

    // Assess
    expect(other.status).toBe(403);
    expect(other.json.code).toBe('TOWN_FORBIDDEN');
    expect(village.status).toBe(403);
    expect(district.status).toBe(403);
    expect(history.status).toBe(200);
    expect(neighbour.status).toBe(403);
  });

  it('records a form posted twice as UPLOAD_REUSED, counted nowhere', async () => {
    // Prepare: V04's month is open (returned, then corrected); a form posted twice
    const created = await call<CreatedUpload>('/v1/uploads', { token: token.v04, body: { period: MONTH, format: 'csv' } });
    expect((await postForm(created.json, longCsv('V04', MONTH, { legal_trainings: 1 }))).status).toBe(204);
    await settled(token.v04, created.json.uploadId);

    // Act
    expect((await postForm(created.json, longCsv('V04', MONTH, { legal_trainings: 99 }))).status).toBe(204);
    const status = await eventually(async () => {
      const answer = await call<{ reused?: unknown[] }>(`/v1/uploads/${created.json.uploadId}`, { token: token.v04 });
      return answer.json.reused?.length ? answer.json : undefined;
    }, 'the second object recorded');
    const current = await call<{ current: { values: Record<string, number> } }>(`/v1/orgs/SH/units/V04/submissions/${MONTH}`, {
      token: token.v04,
    });

    // Assess
    expect(status.reused).toEqual([expect.objectContaining({ key: created.json.key })]);
    expect(current.json.current.values['legal_trainings']).toBe(1);
  });

  it('gives the month’s audit trail in time order: versions with their changes, decisions with who and why', async () => {
    // Act
    const history = await call<{ review: ReviewState; events: { kind: string; by: string; version: number; reason?: string }[] }>(
      ROUTE('V04', '/history'),
      { token: token.town },
    );

    // Assess
    const kinds = history.json.events.map((e) => e.kind);
    expect(kinds[0]).toBe('lock');
    expect(kinds.filter((k) => k === 'version')).toHaveLength(3);
    expect(history.json.events.find((e) => e.kind === 'return')).toMatchObject({
      by: 'town:SH',
      version: 1,
      reason: '隐患数与台账不符，请核对',
    });
    expect(history.json.events.find((e) => e.kind === 'reopen')).toMatchObject({ by: 'admin', version: 0 });
    expect(history.json.review).toMatchObject({ state: 'submitted', version: 3 });
  });
});
