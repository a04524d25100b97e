/**
 * The HTTP API on the run's local stack (local API Gateway → authorizer → api function;
 * presigned POST → the S3 gate → s3rver → queue → ingest), on the sample district (towns
 * EC, SH, HX). Units and months of this file: EC/V04, EC/V05 in 2023-06 … 2023-10 (no other
 * test uses them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSummaries } from '../../shared/adapters/dynamodb-summaries.ts';
import { publish } from '../../shared/publish/publish.ts';
import { call, hasBom, keysUnder, postForm, tokenFor, type CreatedUpload } from '../support/api.ts';
import { runCli } from '../support/cli.ts';
import { openpyxl } from '../support/office.ts';
import { readFileSync } from 'node:fs';
import { Registry } from '../../shared/registry.ts';
import { rawWorkbook, row } from '../support/raw-workbook.ts';
import { connectStack, eventually, longCsv, reopenFor, type StackHandle } from '../support/stack.ts';

/** The stack's registry (tests/integration/global-setup.ts). */
const registry = Registry.fromJson(readFileSync(new URL('../../config/district.json', import.meta.url), 'utf8'), 'config/district.json');
let stack: StackHandle;
let admin: string;

beforeAll(async () => {
  stack = connectStack();
  admin = await tokenFor(stack, { role: 'admin' });
  // This file's months are past their lock day: reopened for the units that send them here.
  await reopenFor(stack, ['EC/V04', 'EC/V05'], ['2023-06', '2023-07', '2023-08', '2023-09', '2023-10'], registry);
});
afterAll(() => stack.close());

/** Polls the upload's status through the API until it is no longer pending. */
async function settled(token: string, uploadId: string) {
  return eventually(async () => {
    const answer = await call<{ status: string }>(`/v1/uploads/${uploadId}`, { token });
    expect(answer.status).toBe(200);
    return answer.json.status === 'pending' ? undefined : answer.json;
  }, `upload ${uploadId}`);
}

describe('API end to end, over HTTP only', () => {
  it('issues tokens, uploads a file by presigned POST, shows its status, and gives the district the published summary as JSON and CSV', async () => {
    // Prepare: the admin issues a village, a district and a town token over HTTP.
    const issue = async (body: Record<string, string>) => {
      const answer = await call<{ token: string; info: { status: string; role: string; unit?: string } }>('/v1/tokens', {
        token: admin,
        body,
      });
      expect(answer.status).toBe(201);
      expect(answer.json.info.status).toBe('active');
      return answer.json.token;
    };
    const village = await issue({ role: 'village', unit: '红岩村', note: '红岩村 文书' });
    const district = await issue({ role: 'district', expires: '30d' });
    const town = await issue({ role: 'town', town: 'EC' });
    const me = await call<{ role: string; unit: string; unitName: string; defaultPeriod: string }>('/v1/me', { token: village });
    expect(me.json).toMatchObject({ role: 'village', unit: 'EC/V04', unitName: '红岩村', defaultPeriod: '2025-03', org: { code: 'EC' } });

    // Act: the village downloads its template, asks to upload, sends the file, polls.
    const template = await call('/v1/templates/2023-06', { token: village });
    expect(template.status).toBe(200);
    expect(template.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(hasBom(template.bytes)).toBe(true);
    expect(template.text).toContain('V04,2023-06,');
    const file = longCsv('V04', '2023-06', { petitions_received: 7, petitions_closed: 6, legal_trainings: 2 });
    const created = await call<CreatedUpload>('/v1/uploads', {
      token: village,
      body: { period: '2023-06', format: 'csv', size: file.length },
    });
    expect(created.status).toBe(201);
    expect(created.json.key).toBe(`incoming/EC/V04/2023-06/${created.json.uploadId}.csv`);
    const sent = await postForm(created.json, file);
    expect(sent.status).toBe(204);
    const status = await settled(village, created.json.uploadId);

    // Assess: accepted, counted, published, readable by the district.
    expect(status).toMatchObject({
      status: 'accepted',
      unit: 'EC/V04',
      period: '2023-06',
      errors: [],
      submissions: [{ unit: 'EC/V04', period: '2023-06', state: 'current' }],
    });
    const submissions = await call<{ current: { values: Record<string, number> }; history: unknown[] }>(
      '/v1/units/V04/submissions/2023-06',
      { token: village },
    );
    expect(submissions.json.current.values).toMatchObject({ petitions_received: 7, petitions_closed: 6, legal_trainings: 2 });
    expect(submissions.json.history).toHaveLength(1);

    const notYet = await call('/v1/summaries/monthly/2023-06', { token: district });
    expect(notYet.status).toBe(404);
    expect(notYet.json).toMatchObject({ code: 'SUMMARY_NOT_PUBLISHED' });
    const archive = new DynamoSummaries(stack.dynamodb, stack.table, stack.store);
    const deps = { reader: stack.ledger, archive, store: stack.store, registry, now: () => new Date('2025-04-03T01:00:00Z') };
    for (const org of [registry.org('EC')!, registry.org('QJ')!]) await publish('monthly', '2023-06', deps, org);

    type Summary = { org: string; kind: string; period: string; revision: number; totals: Record<string, number> };
    const townSummary = await call<Summary & { units: Record<string, Record<string, number>> }>('/v1/orgs/EC/summaries/monthly/2023-06', {
      token: district,
    });
    expect(townSummary.json.units['V04']).toMatchObject({ petitions_received: 7, petitions_closed: 6 });
    const summary = await call<Summary>('/v1/summaries/monthly/2023-06', { token: district });
    expect(summary.status).toBe(200);
    expect(summary.json).toMatchObject({ org: 'QJ', kind: 'monthly', period: '2023-06', revision: 1 });
    expect(summary.json.totals['petitions_received']).toBe(7);
    const etag = summary.headers.get('etag');
    expect(etag).toMatch(/^"json-/);
    const unchanged = await call('/v1/summaries/monthly/2023-06', { token: district, headers: { 'if-none-match': etag! } });
    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe('');

    const csv = await call('/v1/summaries/monthly/2023-06?format=csv', { token: district });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('黔江区-2023-06-汇总.csv')}`);
    expect(hasBom(csv.bytes)).toBe(true);
    const row = csv.text.split('\r\n').find((line) => line.startsWith('petitions_received,'));
    expect(row?.split(',')[3]).toBe('7');

    // The workbook travels base64 from the function and arrives as bytes.
    const xlsx = await call('/v1/summaries/monthly/2023-06?format=xlsx', { token: district });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('黔江区-2023-06-汇总.xlsx')}`);
    const figures = openpyxl(xlsx.bytes).sheets[0]!;
    expect(figures.values.find((r) => r[0] === 'petitions_received')![3]).toBe(7);
    const workbook = await call('/v1/templates/2023-06?format=xlsx', { token: village });
    expect(openpyxl(workbook.bytes).sheets[0]!.values[1]!.slice(0, 2)).toEqual(['V04', '2023-06']);

    const completeness = await call<{ units: { unit: string; status: string }[]; published: { revision: number } | null }>(
      '/v1/completeness/2023-06',
      { token: town },
    );
    expect(completeness.json.units.find((u) => u.unit === 'V04')?.status).toBe('late');
    expect(completeness.json.units.find((u) => u.unit === 'V05')?.status).toBe('missing');
    expect(completeness.json.published).toEqual({ revision: 1, url: '/v1/orgs/EC/summaries/monthly/2023-06' });
  });

  it('shows a rejected file’s problems with row and column, in Chinese', async () => {
    // Prepare
    const village = await tokenFor(stack, { role: 'village', unit: 'EC/V04' });
    const file = 'unit,period,metric,label,value,note\nV04,2023-07,petitions_received,,-3,\nV04,2023-07,legal_trainings,,三,\n';
    const created = await call<CreatedUpload>('/v1/uploads', { token: village, body: { period: '2023-07', format: 'csv' } });

    // Act
    expect((await postForm(created.json, file)).status).toBe(204);
    const status = await settled(village, created.json.uploadId);

    // Assess
    expect(status).toMatchObject({ status: 'rejected' });
    const errors = (status as unknown as { errors: { code: string; row: number; column: string; message: string }[] }).errors;
    expect(errors.map((e) => [e.code, e.row, e.column])).toEqual([
      ['NEGATIVE', 2, 'value'],
      ['NOT_A_NUMBER', 3, 'value'],
    ]);
    expect(errors[0]!.message).toMatch(/第2行/);
  });

  it('takes an Excel workbook by presigned POST (format xlsx, its Content-Type in the policy) and names a rejected workbook’s cells', async () => {
    // Prepare
    const village = await tokenFor(stack, { role: 'village', unit: 'EC/V05' });
    const header = row(1, ['单位代码', '月份', '排查一般隐患', '受理群众来信来访']);
    const good = rawWorkbook({ sheets: [{ name: '月报表', xml: header + row(2, ['V05', '2023-10', 4, 2]) }] });
    const bad = rawWorkbook({ sheets: [{ name: '月报表', xml: header + row(2, ['V05', '2023-10', 4, -2]) }] });
    const ask = () =>
      call<CreatedUpload>('/v1/uploads', { token: village, body: { period: '2023-10', format: 'xlsx', size: good.length } });
    const [first, second, third] = [await ask(), await ask(), await ask()];

    // Act
    const sent = await postForm(first.json, good);
    const wrongType = await postForm(second.json, good, { 'Content-Type': 'text/csv' });
    await postForm(third.json, bad);
    const accepted = await settled(village, first.json.uploadId);
    const rejected = (await settled(village, third.json.uploadId)) as unknown as {
      errors: { code: string; cell?: string; message: string }[];
    };

    // Assess
    expect(first.status).toBe(201);
    expect(first.json.key).toBe(`incoming/EC/V05/2023-10/${first.json.uploadId}.xlsx`);
    expect(first.json.fields['Content-Type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(sent.status).toBe(204);
    expect(wrongType.status).toBe(403);
    expect(accepted).toMatchObject({
      status: 'accepted',
      format: 'xlsx',
      submissions: [{ unit: 'EC/V05', period: '2023-10', state: 'current' }],
    });
    const figures = await call<{ current: { values: Record<string, number> } }>('/v1/units/V05/submissions/2023-10', { token: village });
    expect(figures.json.current.values).toEqual({ general_hazards_found: 4, petitions_received: 2 });
    expect(rejected.errors.map((e) => [e.code, e.cell])).toEqual([['NEGATIVE', '月报表!D2']]);
    expect(rejected.errors[0]!.message).toContain('工作表“月报表”第2行D列');
  });

  it('takes a first admin token issued by `cunbao token issue` into the deployed table (CUNBAO_TABLE)', async () => {
    // Prepare: the CLI with AWS's environment variables, here pointing at DynamoDB Local.
    const env = {
      CUNBAO_TABLE: stack.table,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_ENDPOINT_URL_DYNAMODB: stack.endpoints.dynamodb,
      CUNBAO_NOW: '2025-04-03T09:00:00+08:00',
    };

    // Act
    const run = await runCli(['token', 'issue', '--role', 'admin', '--expires', '7d', '--note', '部署后第一个管理员'], env);

    // Assess
    expect(run.code).toBe(0);
    const token = run.stdout.split('\n')[0]!;
    const me = await call<{ role: string }>('/v1/me', { token });
    expect(me.status).toBe(200);
    expect(me.json.role).toBe('admin');
  });

  it('rejects a file whose month or unit is not the one the upload was asked for (PERIOD_MISMATCH, UNIT_MISMATCH)', async () => {
    // Prepare
    const village = await tokenFor(stack, { role: 'village', unit: 'EC/V04' });
    const town = await tokenFor(stack, { role: 'town', town: 'EC' });
    const wrongMonth = await call<CreatedUpload>('/v1/uploads', { token: village, body: { period: '2023-09', format: 'csv' } });
    const wrongUnit = await call<CreatedUpload>('/v1/uploads', { token: town, body: { unit: 'V05', period: '2023-09', format: 'csv' } });

    // Act
    await postForm(wrongMonth.json, longCsv('V04', '2023-06', { legal_trainings: 9 }));
    await postForm(wrongUnit.json, longCsv('V04', '2023-09', { legal_trainings: 9 }));
    const [month, unit] = await Promise.all([settled(village, wrongMonth.json.uploadId), settled(town, wrongUnit.json.uploadId)]);

    // Assess: refused with the reason, nothing counted (June keeps its accepted figure).
    expect(month).toMatchObject({ status: 'rejected', errors: [{ code: 'PERIOD_MISMATCH', value: '2023-06', row: 2 }] });
    // June is long past its deadline, but a rejected file counts for no month: no LATE.
    expect((month as unknown as { warnings: { code: string }[] }).warnings.map((w) => w.code)).not.toContain('LATE');
    expect(unit).toMatchObject({ status: 'rejected', errors: [{ code: 'UNIT_MISMATCH', value: expect.stringMatching(/V04$/) }] });
    const june = await call<{ current: { values: Record<string, number> } }>('/v1/units/V04/submissions/2023-06', { token: village });
    expect(june.json.current.values['legal_trainings']).toBe(2);
  });

  it('serves the page at / and an OpenAPI 3.1 document that names every route', async () => {
    const page = await call('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const doc = await call<{ openapi: string; paths: Record<string, Record<string, unknown>> }>('/v1/openapi.json');
    expect(doc.json.openapi).toBe('3.1.0');
    expect(Object.keys(doc.json.paths)).toContain('/v1/summaries/monthly/{month}');
    expect(Object.keys(doc.json.paths['/v1/uploads']!)).toEqual(['post']);
  });
});

describe('API security: each refusal has its status and writes nothing', () => {
  const PERIOD = '2023-08';
  let village: string;
  let district: string;

  beforeAll(async () => {
    village = await tokenFor(stack, { role: 'village', unit: 'EC/V04' });
    district = await tokenFor(stack, { role: 'district' });
  });

  /** Nothing under either unit's month: no object was created. */
  async function nothingWritten(): Promise<void> {
    expect(await keysUnder(stack, `incoming/EC/V05/${PERIOD}/`)).toEqual([]);
    expect(await keysUnder(stack, `incoming/EC/V04/${PERIOD}/`)).toEqual([]);
  }

  it('refuses a village token uploading for another unit (403 UNIT_FORBIDDEN)', async () => {
    const answer = await call('/v1/uploads', { token: village, body: { unit: 'V05', period: PERIOD, format: 'csv' } });
    expect(answer.status).toBe(403);
    expect(answer.json).toMatchObject({ code: 'UNIT_FORBIDDEN' });
    await nothingWritten();
  });

  it('refuses a district token trying to upload (403 ROLE_FORBIDDEN)', async () => {
    const answer = await call('/v1/uploads', { token: district, body: { unit: 'V05', period: PERIOD, format: 'csv' } });
    expect(answer.status).toBe(403);
    expect(answer.json).toMatchObject({ code: 'ROLE_FORBIDDEN' });
    await nothingWritten();
  });

  it('refuses an expired, a revoked, a forged, a malformed and a missing token (401)', async () => {
    const expired = await tokenFor(
      stack,
      { role: 'village', unit: 'EC/V05' },
      { now: new Date('2025-01-01T00:00:00Z'), expiresAt: new Date('2025-02-01T00:00:00Z') },
    );
    const revoked = await tokenFor(stack, { role: 'village', unit: 'EC/V05' });
    const revokedId = revoked.slice(3, 19);
    expect((await call(`/v1/tokens/${revokedId}`, { token: admin, method: 'DELETE' })).status).toBe(200);
    const forged = `${village.slice(0, 20)}${'A'.repeat(43)}`;
    const body = { period: PERIOD, format: 'csv' };
    const cases: [string | undefined, number, string | undefined][] = [
      [expired, 401, 'TOKEN_EXPIRED'],
      [revoked, 401, 'TOKEN_REVOKED'],
      [forged, 401, 'TOKEN_UNKNOWN'],
      ['cb_not-a-token', 401, 'TOKEN_MALFORMED'],
      [undefined, 401, undefined],
    ];
    for (const [token, status, code] of cases) {
      const answer = await call('/v1/uploads', { ...(token ? { token } : {}), body });
      expect(answer.status, String(code)).toBe(status);
      if (code) expect(answer.json).toMatchObject({ code });
      else expect(answer.json).toEqual({ message: 'Unauthorized' });
    }
    await nothingWritten();
  });

  it('refuses a file over the size limit: at the request (413) and at S3 (400 EntityTooLarge)', async () => {
    const declared = await call('/v1/uploads', { token: village, body: { period: PERIOD, format: 'csv', size: 6 * 1024 * 1024 } });
    expect(declared.status).toBe(413);
    expect(declared.json).toMatchObject({ code: 'FILE_TOO_LARGE' });

    const created = await call<CreatedUpload>('/v1/uploads', { token: village, body: { period: PERIOD, format: 'csv' } });
    const sent = await postForm(created.json, new Uint8Array(created.json.maxBytes + 1).fill(0x31));
    expect(sent.status).toBe(400);
    expect(sent.text).toContain('EntityTooLarge');
    await nothingWritten();
    expect((await call<{ status: string }>(`/v1/uploads/${created.json.uploadId}`, { token: village })).json.status).toBe('pending');
  });

  it('refuses a key with ../ in the request (400) and in a tampered form (403 at S3)', async () => {
    const town = await tokenFor(stack, { role: 'town', town: 'EC' });
    const asked = await call('/v1/uploads', { token: town, body: { unit: '../V05', period: PERIOD, format: 'csv' } });
    expect(asked.status).toBe(404);
    expect(asked.json).toMatchObject({ code: 'UNIT_UNKNOWN' });

    const created = await call<CreatedUpload>('/v1/uploads', { token: village, body: { period: PERIOD, format: 'csv' } });
    const sent = await postForm(created.json, longCsv('V05', PERIOD, { legal_trainings: 1 }), {
      key: `incoming/EC/V04/${PERIOD}/../../V05/${PERIOD}/${created.json.uploadId}.csv`,
    });
    expect(sent.status).toBe(403);
    expect(sent.text).toContain('AccessDenied');
    await nothingWritten();
  });

  it('refuses a 10 MB JSON body (413 from the function) and one over API Gateway’s 10 MiB (413 from the gateway)', async () => {
    const big = JSON.stringify({ period: PERIOD, format: 'csv', note: 'x'.repeat(10_000_000) });
    const answer = await call('/v1/uploads', { token: village, raw: big });
    expect(answer.status).toBe(413);
    expect(answer.json).toMatchObject({ code: 'BODY_TOO_LARGE' });
    const huge = await call('/v1/uploads', { token: village, raw: 'x'.repeat(10 * 1024 * 1024 + 1) });
    expect(huge.status).toBe(413);
    await nothingWritten();
  });

  it('shows a village only its own uploads, submissions and template', async () => {
    const other = await tokenFor(stack, { role: 'village', unit: 'EC/V05' });
    const created = await call<CreatedUpload>('/v1/uploads', { token: village, body: { period: PERIOD, format: 'json' } });
    expect(created.status).toBe(201);
    const seen = await call(`/v1/uploads/${created.json.uploadId}`, { token: other });
    expect(seen.status).toBe(404);
    expect(seen.json).toMatchObject({ code: 'UPLOAD_NOT_FOUND' });
    expect((await call('/v1/units/V04/submissions/2023-06', { token: other })).status).toBe(403);
    expect((await call('/v1/templates/2023-06?unit=V04', { token: other })).status).toBe(403);
    expect((await call('/v1/summaries/monthly/2023-06', { token: other })).status).toBe(403);
    expect((await call('/v1/tokens', { token: other })).status).toBe(403);
  });

  it('answers unknown routes with 404 and bad parameters with 400, never a stack trace', async () => {
    const unknown = await call('/v1/nothing', { token: village });
    expect(unknown.status).toBe(404);
    const month = await call('/v1/summaries/monthly/2023-13', { token: district });
    expect(month.status).toBe(400);
    expect(month.json).toMatchObject({ code: 'PARAMETER_INVALID' });
    expect(month.text).not.toMatch(/at .*\.ts:\d+/);
    const notJson = await call('/v1/uploads', { token: village, raw: '{"period":' });
    expect(notJson.status).toBe(400);
    expect(notJson.json).toMatchObject({ code: 'BODY_INVALID' });
  });
});
