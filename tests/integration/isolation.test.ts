/**
 * Isolation between towns, over HTTP only, on the run's local stack (the sample district
 * QJ 黔江区: towns EC, SH, HX). A town token never reads another town — its summary, its
 * completeness, a submission of its unit, an upload of its units — and gets 403
 * TOWN_FORBIDDEN (404 UPLOAD_NOT_FOUND for an upload id, which must not tell that it
 * exists); nothing is written by any refused request. The district reads every town and
 * the district; a village only its own unit.
 *
 * Units and months of this file alone: V02 of each town in 2022-04 (sent and published
 * here) and 2022-05 (refused attempts only: nothing may ever be recorded for it).
 */
import { readFileSync } from 'node:fs';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSummaries } from '../../shared/adapters/dynamodb-summaries.ts';
import type { Principal } from '../../shared/auth/principals.ts';
import { publish } from '../../shared/publish/publish.ts';
import { Registry } from '../../shared/registry.ts';
import { call, keysUnder, postForm, tokenFor, type CreatedUpload } from '../support/api.ts';
import { connectStack, eventually, longCsv, reopenFor, type StackHandle } from '../support/stack.ts';

const MONTH = '2022-04';
const REFUSED_MONTH = '2022-05';
const registry = Registry.fromJson(readFileSync(new URL('../../config/district.json', import.meta.url), 'utf8'), 'config/district.json');

let stack: StackHandle;
const token: Record<'admin' | 'district' | 'townEC' | 'townSH' | 'villageEC' | 'villageSH', string> = {
  admin: '',
  district: '',
  townEC: '',
  townSH: '',
  villageEC: '',
  villageSH: '',
};
/** The upload each town's V02 sent for MONTH. */
const uploads: Record<string, string> = {};

/** Sends a unit's file through the API as `who` and waits for its outcome (accepted). */
async function send(who: string, body: Record<string, string>, unit: string, trainings: number): Promise<string> {
  const created = await call<CreatedUpload>('/v1/uploads', { token: who, body: { ...body, period: MONTH, format: 'csv' } });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  expect((await postForm(created.json, longCsv(unit, MONTH, { legal_trainings: trainings }))).status).toBe(204);
  const outcome = await eventually(async () => {
    const answer = await call<{ status: string }>(`/v1/uploads/${created.json.uploadId}`, { token: token.admin });
    return answer.json.status === 'pending' ? undefined : answer.json;
  }, `upload ${created.json.uploadId}`);
  expect(outcome).toMatchObject({ status: 'accepted' });
  return created.json.uploadId;
}

/** What the table and bucket hold of this file's months: upload records and objects. */
async function written(): Promise<{ records: string[]; objects: string[] }> {
  const { Items } = await stack.dynamodb.send(
    new ScanCommand({
      TableName: stack.table,
      FilterExpression: 'begins_with(PK, :u) AND (#p = :a OR #p = :b)',
      ExpressionAttributeNames: { '#p': 'period' },
      ExpressionAttributeValues: marshall({ ':u': 'UPLOAD#', ':a': MONTH, ':b': REFUSED_MONTH }),
      ConsistentRead: true,
    }),
  );
  const records = (Items ?? []).map((item) => `${unmarshall(item)['uploadId']} ${unmarshall(item)['status']}`).sort();
  const objects = (await Promise.all(['EC', 'SH', 'HX'].map((t) => keysUnder(stack, `incoming/${t}/`))))
    .flat()
    .filter((k) => k.includes(`/${MONTH}/`) || k.includes(`/${REFUSED_MONTH}/`))
    .sort();
  return { records, objects };
}

beforeAll(async () => {
  // Prepare: the tokens, each town's V02 sending its month (a village, a town, the admin), and every org published.
  stack = connectStack();
  const issue = (principal: Principal) => tokenFor(stack, principal);
  token.admin = await issue({ role: 'admin' });
  token.district = await issue({ role: 'district' });
  token.townEC = await issue({ role: 'town', town: 'EC' });
  token.townSH = await issue({ role: 'town', town: 'SH' });
  token.villageEC = await issue({ role: 'village', unit: 'EC/V02' });
  token.villageSH = await issue({ role: 'village', unit: 'SH/V02' });
  // Past its lock day: reopened for the village and the town that send it here.
  await reopenFor(stack, ['EC/V02', 'SH/V02'], [MONTH], registry);
  uploads['EC'] = await send(token.villageEC, {}, 'V02', 11);
  uploads['SH'] = await send(token.townSH, { unit: 'V02' }, 'V02', 22);
  uploads['HX'] = await send(token.admin, { town: 'HX', unit: 'V02' }, 'V02', 33);
  const deps = {
    reader: stack.ledger,
    archive: new DynamoSummaries(stack.dynamodb, stack.table, stack.store),
    store: stack.store,
    registry,
    now: () => new Date('2025-04-03T01:00:00Z'),
  };
  for (const org of registry.orgs) await publish('monthly', MONTH, deps, org);
}, 120_000);
afterAll(() => stack?.close());

describe('a town token reading another town', () => {
  it('gets 403 TOWN_FORBIDDEN for its summary, completeness and submissions, 404 for its upload, and writes nothing', async () => {
    // Prepare
    const before = await written();

    // Act: SH's token asks for EC's things, and for the district's
    const answers = {
      monthly: await call(`/v1/orgs/EC/summaries/monthly/${MONTH}`, { token: token.townSH }),
      csv: await call(`/v1/orgs/EC/summaries/monthly/${MONTH}?format=csv`, { token: token.townSH }),
      annual: await call('/v1/orgs/EC/summaries/annual/2022', { token: token.townSH }),
      district: await call(`/v1/orgs/QJ/summaries/monthly/${MONTH}`, { token: token.townSH }),
      completeness: await call(`/v1/orgs/EC/completeness/${MONTH}`, { token: token.townSH }),
      districtCompleteness: await call(`/v1/orgs/QJ/completeness/${MONTH}`, { token: token.townSH }),
      submission: await call(`/v1/orgs/EC/units/V02/submissions/${MONTH}`, { token: token.townSH }),
      upload: await call(`/v1/uploads/${uploads['EC']}`, { token: token.townSH }),
      villageUpload: await call(`/v1/uploads/${uploads['EC']}`, { token: token.villageSH }),
    };
    const intents = [
      await call('/v1/uploads', { token: token.townSH, body: { unit: 'EC/V02', period: REFUSED_MONTH, format: 'csv' } }),
      await call('/v1/uploads', { token: token.townSH, body: { unit: '500114110002', period: REFUSED_MONTH, format: 'csv' } }),
      await call('/v1/uploads', { token: token.townSH, body: { town: 'EC', period: REFUSED_MONTH, format: 'csv' } }),
    ];

    // Assess
    const refusal = (a: { status: number; json: unknown }) => [a.status, (a.json as { code?: string } | undefined)?.code];
    expect(Object.fromEntries(Object.entries(answers).map(([what, a]) => [what, refusal(a)]))).toEqual({
      monthly: [403, 'TOWN_FORBIDDEN'],
      csv: [403, 'TOWN_FORBIDDEN'],
      annual: [403, 'TOWN_FORBIDDEN'],
      district: [403, 'TOWN_FORBIDDEN'],
      completeness: [403, 'TOWN_FORBIDDEN'],
      districtCompleteness: [403, 'TOWN_FORBIDDEN'],
      submission: [403, 'TOWN_FORBIDDEN'],
      upload: [404, 'UPLOAD_NOT_FOUND'],
      villageUpload: [404, 'UPLOAD_NOT_FOUND'],
    });
    expect(intents.map(refusal)).toEqual([
      [403, 'TOWN_FORBIDDEN'],
      [403, 'TOWN_FORBIDDEN'],
      [403, 'TOWN_FORBIDDEN'],
    ]);
    expect(answers.monthly.text).not.toContain('legal_trainings');
    expect(answers.upload.text).not.toContain('EC/V02');
    expect(await written()).toEqual(before);
    expect(before.records.filter((r) => r.includes(REFUSED_MONTH))).toEqual([]);
  });

  it('reads its own town through today’s routes and the org routes, never another town’s unit of the same code', async () => {
    // Act
    const summary = await call<{ org: string; totals: Record<string, number> }>(`/v1/summaries/monthly/${MONTH}`, { token: token.townSH });
    const completeness = await call<{ org: string; units: { unit: string; status: string }[] }>(`/v1/completeness/${MONTH}`, {
      token: token.townSH,
    });
    const submission = await call<{ unit: string; current: { values: Record<string, number> } }>(`/v1/units/V02/submissions/${MONTH}`, {
      token: token.townSH,
    });
    const own = await call(`/v1/orgs/SH/summaries/monthly/${MONTH}`, { token: token.townSH });
    const upload = await call<{ unit: string }>(`/v1/uploads/${uploads['SH']}`, { token: token.townSH });

    // Assess
    expect(summary.json).toMatchObject({ org: 'SH', totals: { legal_trainings: 22 } });
    expect(completeness.json.org).toBe('SH');
    expect(completeness.json.units.find((u) => u.unit === 'V02')?.status).toBe('late');
    expect(submission.json).toMatchObject({ unit: 'SH/V02', current: { values: { legal_trainings: 22 } } });
    expect(own.status).toBe(200);
    expect(upload.json.unit).toBe('SH/V02');
  });
});

describe('the district token', () => {
  it('reads every town’s summary, completeness and submissions, and the district’s with per-town figures', async () => {
    // Act
    const towns = await Promise.all(
      ['EC', 'SH', 'HX'].map((t) =>
        call<{ org: string; totals: Record<string, number> }>(`/v1/orgs/${t}/summaries/monthly/${MONTH}`, { token: token.district }),
      ),
    );
    const district = await call<{ org: string; level: string; totals: Record<string, number> }>(`/v1/orgs/QJ/summaries/monthly/${MONTH}`, {
      token: token.district,
    });
    const completeness = await call<{
      level: string;
      towns: { code: string; summary: { received: number }; missingUnits: { unit: string }[] }[];
    }>(`/v1/orgs/QJ/completeness/${MONTH}`, { token: token.district });
    const submissions = await Promise.all(
      ['EC', 'SH', 'HX'].map((t) =>
        call<{ current: { values: Record<string, number> } }>(`/v1/orgs/${t}/units/V02/submissions/${MONTH}`, { token: token.district }),
      ),
    );

    // Assess
    expect(towns.map((r) => [r.status, r.json.org, r.json.totals['legal_trainings']])).toEqual([
      [200, 'EC', 11],
      [200, 'SH', 22],
      [200, 'HX', 33],
    ]);
    expect(district.json).toMatchObject({ org: 'QJ', level: 'district', totals: { legal_trainings: 66 } });
    expect(completeness.json.level).toBe('district');
    expect(completeness.json.towns.map((t) => [t.code, t.summary.received])).toEqual([
      ['EC', 1],
      ['SH', 1],
      ['HX', 1],
    ]);
    expect(completeness.json.towns[0]!.missingUnits.map((u) => u.unit)).not.toContain('EC/V02');
    expect(submissions.map((r) => r.json.current.values['legal_trainings'])).toEqual([11, 22, 33]);
  });

  it('sends nothing and sees no upload', async () => {
    const before = await written();
    const intent = await call('/v1/uploads', { token: token.district, body: { unit: 'EC/V02', period: REFUSED_MONTH, format: 'csv' } });
    const upload = await call(`/v1/uploads/${uploads['EC']}`, { token: token.district });
    expect([intent.status, upload.status]).toEqual([403, 403]);
    expect(await written()).toEqual(before);
  });
});

describe('a village token', () => {
  it('reads its own unit only: its submission and upload, not its neighbour’s, not another town’s, no summary', async () => {
    // Act
    const own = await call<{ unit: string }>(`/v1/orgs/EC/units/V02/submissions/${MONTH}`, { token: token.villageEC });
    const today = await call<{ unit: string }>(`/v1/units/V02/submissions/${MONTH}`, { token: token.villageEC });
    const upload = await call(`/v1/uploads/${uploads['EC']}`, { token: token.villageEC });
    const refused = [
      await call(`/v1/orgs/EC/units/V03/submissions/${MONTH}`, { token: token.villageEC }),
      await call(`/v1/orgs/SH/units/V02/submissions/${MONTH}`, { token: token.villageEC }),
      await call(`/v1/uploads/${uploads['SH']}`, { token: token.villageEC }),
      await call(`/v1/orgs/EC/summaries/monthly/${MONTH}`, { token: token.villageEC }),
      await call(`/v1/orgs/EC/completeness/${MONTH}`, { token: token.villageEC }),
    ];

    // Assess
    expect([own.json.unit, today.json.unit, upload.status]).toEqual(['EC/V02', 'EC/V02', 200]);
    expect(refused.map((a) => [a.status, (a.json as { code: string }).code])).toEqual([
      [403, 'UNIT_FORBIDDEN'],
      [403, 'UNIT_FORBIDDEN'],
      [404, 'UPLOAD_NOT_FOUND'],
      [403, 'ROLE_FORBIDDEN'],
      [403, 'ROLE_FORBIDDEN'],
    ]);
  });
});

describe('tokens carry the node', () => {
  it('issues a town token over HTTP for the town named, which then opens that town only', async () => {
    // Act
    const issued = await call<{ token: string; info: { town: string; principal: string } }>('/v1/tokens', {
      token: token.admin,
      body: { role: 'town', town: 'HX', expires: '1d' },
    });
    const missing = await call('/v1/tokens', { token: token.admin, body: { role: 'town' } });
    const me = await call<{ org: { code: string }; towns: { code: string }[] }>('/v1/me', { token: issued.json.token });
    const other = await call(`/v1/orgs/EC/completeness/${MONTH}`, { token: issued.json.token });

    // Assess
    expect(issued.json.info).toMatchObject({ town: 'HX', principal: 'town:HX' });
    expect([missing.status, (missing.json as { code: string }).code]).toEqual([400, 'TOWN_REQUIRED']);
    expect(me.json.org.code).toBe('HX');
    expect(me.json.towns.map((t) => t.code)).toEqual(['HX']);
    expect(other.status).toBe(403);
  });
});
