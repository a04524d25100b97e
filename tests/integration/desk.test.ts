/**
 * The clerk's desk and the publish button on the run's stack (real api handler, DynamoDB
 * Local, s3rver, the SMTP sink): before publication the desk shows live totals; the
 * button publishes revision 1 and mails it; a correction makes the desk say 数据已变更，
 * 待重新发布 until the button publishes revision 2; a second press publishes nothing. And
 * the year's report drafted from the same ledger, downloaded as Word, HTML and Markdown.
 *
 * Units and months of this file: 黑溪镇 (HX) in 2019 — no other file uses them.
 */
import { readdirSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { call, tokenFor } from '../support/api.ts';
import { readEml, csvFile, uploadThroughStack } from '../support/publish-harness.ts';
import { connectStack, type StackHandle } from '../support/stack.ts';

interface Desk {
  units: { unit: string; review: { state: string }; values?: Record<string, number> }[];
  publication: { state: string; revision?: number; publishedAt?: string; message: string };
  publish: { allowed: boolean; reason?: string };
  live: { totals: Record<string, number> };
  yearToDate: { through: string; summary: { totals: Record<string, number> } };
}
interface Published {
  revision: number;
  published: boolean;
  message: string;
  notices: { channel: string; status: string }[];
}

let stack: StackHandle;
let town: string;

const desk = async () => (await call<Desk>('/v1/orgs/HX/desk/2019-03', { token: town })).json;
const publish = (token = town, month = '2019-03', org = 'HX') =>
  call<Published>(`/v1/orgs/${org}/summaries/monthly/${month}/publish`, { token, method: 'POST' });

/** The stack's mails about 黑溪镇's March 2019, read as a mail client reads them. */
async function marchMails() {
  const outbox = inject('stack').outbox;
  const mails = await Promise.all(
    readdirSync(outbox)
      .filter((f) => f.endsWith('.eml'))
      .map((f) => readEml(join(outbox, f))),
  );
  return mails.filter((m) => m.subject.includes('黑溪镇2019年3月'));
}

beforeAll(async () => {
  stack = connectStack();
  town = await tokenFor(stack, { role: 'town', town: 'HX' });
  const sent = await uploadThroughStack(stack, [
    csvFile('HX/V01', '2019-01', { general_hazards_found: 2 }),
    csvFile('HX/V01', '2019-03', { general_hazards_found: 4 }),
    csvFile('HX/V02', '2019-03', { general_hazards_found: 3 }),
  ]);
  expect([...sent.statuses.values()].every((s) => s === 'accepted')).toBe(true);
}, 120_000);

afterAll(() => stack?.close());

describe('the clerk’s desk and the publish button', () => {
  it('shows the missing units first and the live totals before anything is published', async () => {
    // Act
    const body = await desk();

    // Assess
    expect(body.publication.state).toBe('unpublished');
    expect(body.publish).toEqual({ allowed: true });
    expect(body.units.slice(-2).map((u) => [u.unit, u.review.state, u.values?.general_hazards_found])).toEqual([
      ['V01', 'submitted', 4],
      ['V02', 'submitted', 3],
    ]);
    expect(body.units.slice(0, -2).every((u) => u.review.state === 'missing' && u.values === undefined)).toBe(true);
    expect(body.live.totals.general_hazards_found).toBe(7);
    expect(body.yearToDate.through).toBe('2019-03');
    expect(body.yearToDate.summary.totals.general_hazards_found).toBe(9);
  });

  it('publishes revision 1 and mails it; then the desk says it is current', async () => {
    // Act
    const answer = await publish();
    const after = await desk();

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ revision: 1, published: true, message: '已发布黑溪镇2019年3月汇总第 1 版。' });
    expect(answer.json.notices).toContainEqual({ channel: 'mail', status: 'sent' });
    const mails = await marchMails();
    expect(mails.map((m) => m.subject)).toEqual([expect.stringMatching(/^【村报】黑溪镇2019年3月法治统计月报/)]);
    expect(after.publication).toMatchObject({ state: 'current', revision: 1, message: '已发布（第 1 版），与现有数据一致。' });
    expect(after.publication.publishedAt).toMatch(/^2025-04-/);
  });

  it('says 数据已变更，待重新发布 after a correction, until the button publishes revision 2', async () => {
    // Prepare
    await uploadThroughStack(stack, [csvFile('HX/V02', '2019-03', { general_hazards_found: 5 })]);

    // Act
    const changed = await desk();
    const second = await publish();
    const again = await publish();
    const after = await desk();

    // Assess
    expect(changed.publication).toMatchObject({ state: 'changed', revision: 1, message: '数据已变更，待重新发布（已发布的是第 1 版）。' });
    expect(changed.live.totals.general_hazards_found).toBe(9);
    expect(second.json).toMatchObject({ revision: 2, published: true });
    expect(again.json).toMatchObject({ revision: 2, published: false, notices: [] });
    expect(after.publication).toMatchObject({ state: 'current', revision: 2 });
    const subjects = (await marchMails()).map((m) => m.subject).sort();
    expect(subjects).toHaveLength(2);
    expect(subjects[1]).toContain('第2版，有更正');
  });

  it('refuses the current month, a district token and another town, publishing nothing', async () => {
    // Prepare
    const district = await tokenFor(stack, { role: 'district' });
    const other = await tokenFor(stack, { role: 'town', town: 'SH' });

    // Act
    const notOver = await publish(town, '2025-04');
    const byDistrict = await publish(district);
    const byOther = await publish(other);

    // Assess
    expect([notOver.status, notOver.json]).toEqual([409, expect.objectContaining({ code: 'PERIOD_NOT_OVER' })]);
    expect((notOver.json as unknown as { message: string }).message).toBe('2025年4月尚未结束：2025年5月1日起才能发布。');
    expect([byDistrict.status, (byDistrict.json as unknown as { code: string }).code]).toEqual([403, 'ROLE_FORBIDDEN']);
    expect([byOther.status, (byOther.json as unknown as { code: string }).code]).toEqual([403, 'TOWN_FORBIDDEN']);
    expect((await desk()).publication.revision).toBe(2);
  });
});

describe('GET /v1/orgs/{org}/reports/annual/{year}', () => {
  const report = (query = '', token = town) => call(`/v1/orgs/HX/reports/annual/2019${query}`, { token });

  it('downloads the year as a Word document named in Chinese, its figures and charts inside', async () => {
    // Act
    const answer = await report();

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(decodeURIComponent(answer.headers.get('content-disposition')!.split("UTF-8''")[1]!)).toBe(
      '黑溪镇-2019年度-法治政府建设工作报告（统计部分草稿）.docx',
    );
    const xml = new TextDecoder().decode(unzipSync(answer.bytes)['word/document.xml']!);
    const text = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
    expect(text).toContain('黔江区黑溪镇2019年法治政府建设工作报告（统计部分草稿）');
    expect(text).toContain('排查一般隐患');
    expect(text).toMatch(/图1/);
  });

  it('gives the same year as HTML with its SVG charts, and as Markdown', async () => {
    // Act
    const html = await report('?format=html');
    const md = await report('?format=md');

    // Assess
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect((html.text.match(/<svg /g) ?? []).length).toBe(4);
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(md.text).toMatch(/^# 黔江区黑溪镇2019年法治政府建设工作报告/);
  });

  it('refuses another town, a year to come and an unknown format', async () => {
    // Prepare
    const other = await tokenFor(stack, { role: 'town', town: 'SH' });

    // Act
    const answers = await Promise.all([report('', other), call('/v1/orgs/HX/reports/annual/2031', { token: town }), report('?format=pdf')]);

    // Assess
    expect(answers.map((a) => [a.status, (a.json as { code: string }).code])).toEqual([
      [403, 'TOWN_FORBIDDEN'],
      [400, 'PERIOD_IN_FUTURE'],
      [400, 'PARAMETER_INVALID'],
    ]);
  });
});
