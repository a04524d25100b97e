/**
 * Publishing a district (config/district.json: 3 towns × 9 units) on the run's stack: the
 * schedule publishes every town's month and the district's, mails each town's summary to
 * that town's recipients and one digest to the district's; the district's totals are its
 * towns', each the sum of its units' current months; a second run changes nothing; a
 * correction in one town makes revision 2 of that town and of the district (naming the
 * town), and leaves the other towns alone. Reminders go per town, naming its missing units.
 *
 * Figures go through the shared pipeline for 2004-03 (no other file uses 2004); the
 * summaries, the scheduler's memory and the mail are this file's own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Submission } from '../../shared/check.ts';
import type { PublishedSummary } from '../../shared/ports/summaries.ts';
import type { PublishResult, Recipients } from '../../shared/publish/publish.ts';
import { runAction, type ScheduleDeps } from '../../shared/publish/schedule.ts';
import { districtWithRecipients } from '../support/district.ts';
import {
  allKeys,
  expectReminderMail,
  expectSummaryMail,
  mailboxes,
  openOutbox,
  ownArchive,
  publishDeps,
  storedSummary,
  totalsOf,
  uploadThroughStack,
  type OwnArchive,
  type Outbox,
  type ReadMail,
} from '../support/publish-harness.ts';
import { connectStack, longCsv, type StackHandle } from '../support/stack.ts';

const MONTH = '2004-03';
const registry = districtWithRecipients();
const ORGS = ['EC', 'SH', 'HX', 'QJ'];
/** The deployment's lists (MAIL_TO_TOWN, MAIL_TO_DISTRICT); the registry adds each town's clerk and the district's office. */
const RECIPIENTS: Recipients = { from: '黔江区村报 <cunbao@qj.test>', town: ['towns@qj.test'], district: ['黔江区司法局 <sfj@qj.test>'] };

/** EC: every unit; SH: three units; HX: one (the other towns' units are missing). */
const SENT: Submission[] = [
  ...registry.expected('EC', MONTH).map((u, i) => ({
    unit: u.fullCode,
    period: MONTH,
    values: { general_hazards_found: i + 1, hazards_rectified: i, veteran_aid_yuan: 100.05 },
  })),
  { unit: 'SH/V01', period: MONTH, values: { general_hazards_found: 4, petitions_received: 3 } },
  { unit: 'SH/V05', period: MONTH, values: { general_hazards_found: 1, veteran_aid_yuan: 0.1 } },
  { unit: 'SH/TOWN', period: MONTH, values: { traffic_violations: 6 } },
  { unit: 'HX/V07', period: MONTH, values: { traffic_violations: 2 } },
];

const file = (s: Submission) => ({ unit: s.unit, period: s.period, ext: 'csv' as const, body: longCsv(s.unit, s.period, s.values) });
const at = (instant: string) => new Date(`${instant}:00+08:00`);

let stack: StackHandle;
let archive: OwnArchive;
let outbox: Outbox;
let deps: ScheduleDeps;
let first: PublishResult[];
let firstMails: ReadMail[];
const stored = new Map<string, PublishedSummary>();

beforeAll(async () => {
  // Prepare: the month's files through the pipeline, then day 6's publication.
  stack = connectStack();
  archive = await ownArchive(stack, 'district');
  outbox = await openOutbox('district');
  deps = publishDeps({ reader: stack.ledger, archive, registry, outbox, recipients: RECIPIENTS, now: () => at('2004-04-06T08:00') });
  const sent = await uploadThroughStack(stack, SENT.map(file));
  expect([...sent.statuses.values()].every((s) => s === 'accepted')).toBe(true);
  const run = await runAction('publish', at('2004-04-06T08:00'), deps);
  first = run.action === 'publish' ? [...run.results] : [];
  firstMails = await outbox.fresh();
  for (const org of ORGS) stored.set(org, (await storedSummary(archive, 'monthly', MONTH, 1, org))!);
}, 120_000);

afterAll(async () => {
  await outbox?.stop();
  await archive?.drop();
  stack?.close();
});

describe('the publication of a district', () => {
  it('publishes every town and then the district, each as revision 1, and mails each', () => {
    expect(first).toEqual(ORGS.map((org) => ({ org, kind: 'monthly', period: MONTH, revision: 1, published: true, mailed: true })));
  });

  it("gives each town its units' totals, and the district the sum of its towns", () => {
    // Assess: an oracle recomputed from what was sent.
    for (const town of ['EC', 'SH', 'HX']) {
      const own = SENT.filter((s) => s.unit.startsWith(`${town}/`));
      expect(stored.get(town)!.totals, town).toEqual(totalsOf(own));
      expect(stored.get('QJ')!.towns![town]!.totals, town).toEqual(totalsOf(own));
    }
    const qj = stored.get('QJ')!;
    expect(qj).toMatchObject({ org: 'QJ', level: 'district', units: {} });
    expect(qj.totals).toEqual(totalsOf(SENT));
    expect(qj.totals.veteran_aid_yuan).toBe(900.55);
  });

  it("counts each town's completeness by the units existing that month, missing by full code", () => {
    const qj = stored.get('QJ')!;
    expect(qj.towns!.EC!.completeness).toMatchObject({ expected: 9, submitted: 9, missing: [] });
    // SH/V08 exists from 2025-07 only; HX/V07 until 2025-06 (so in 2004).
    expect(qj.towns!.SH!.completeness).toMatchObject({ expected: 8, submitted: 3 });
    expect(qj.towns!.SH!.completeness.missing).toEqual(['SH/V02', 'SH/V03', 'SH/V04', 'SH/V06', 'SH/V07']);
    expect(qj.towns!.HX!.completeness).toMatchObject({ expected: 9, submitted: 1 });
    expect(qj.completeness).toMatchObject({ expected: 26, submitted: 13 });
    expect(stored.get('SH')!.completeness.missing).toEqual(['V02', 'V03', 'V04', 'V06', 'V07']);
  });

  it("mails each town's summary to its recipients only, and one digest to the district's", () => {
    // Assess
    expect(firstMails).toHaveLength(4);
    const byTo = (address: string) => firstMails.filter((m) => m.to.some((t) => t.address === address));
    for (const town of ['EC', 'SH', 'HX']) {
      const mail = byTo(`clerk@${town.toLowerCase()}.test`);
      expect(mail, town).toHaveLength(1);
      expectSummaryMail(mail[0]!, stored.get(town)!, registry, RECIPIENTS);
      expect(mail[0]!.to).toEqual(mailboxes([...RECIPIENTS.town, `clerk@${town.toLowerCase()}.test`]));
    }
    const digest = byTo('office@qj.test');
    expect(digest).toHaveLength(1);
    expectSummaryMail(digest[0]!, stored.get('QJ')!, registry, RECIPIENTS);
    expect(digest[0]!.to).toEqual(mailboxes([...RECIPIENTS.district, 'office@qj.test']));
    expect(digest[0]!.text).toContain('  石会镇：应报 8，已报 3（按时 0，迟报 3），未报 5：中坝村、关东村、武陵村、黎水村、复兴村');
  });

  it('changes nothing when run again', async () => {
    // Prepare
    const keys = await archive.keys('summaries/');

    // Act
    const again = await runAction('publish', at('2004-04-06T09:00'), deps);

    // Assess
    expect(again.action === 'publish' && again.results.map((r) => [r.org, r.revision, r.published, r.mailed])).toEqual(
      ORGS.map((org) => [org, 1, false, false]),
    );
    expect(await outbox.fresh()).toEqual([]);
    expect(await archive.keys('summaries/')).toEqual(keys);
  });

  it('publishes a correction in one town as revision 2 of that town and of the district, naming the town', async () => {
    // Prepare: SH/V01 corrects its March.
    const corrected = { ...SENT.find((s) => s.unit === 'SH/V01')!, values: { general_hazards_found: 9, petitions_received: 3 } };
    const sent = await uploadThroughStack(stack, [file(corrected)]);
    expect([...sent.statuses.values()]).toEqual(['accepted']);

    // Act
    const run = await runAction('publish', at('2004-04-07T08:00'), deps);
    const mails = await outbox.fresh();
    const qj = (await storedSummary(archive, 'monthly', MONTH, 2, 'QJ'))!;

    // Assess
    expect(run.action === 'publish' && run.results.map((r) => [r.org, r.revision, r.published])).toEqual([
      ['EC', 1, false],
      ['SH', 2, true],
      ['HX', 1, false],
      ['QJ', 2, true],
    ]);
    expect(qj.changes).toEqual([
      { what: 'total', key: 'general_hazards_found', before: 50, after: 55 },
      { what: 'town', town: 'SH', key: 'general_hazards_found', before: 5, after: 10 },
    ]);
    expect(qj.towns!.SH!.totals).toEqual(allKeys({ ...totalsOf(SENT.filter((s) => s.unit.startsWith('SH/'))), general_hazards_found: 10 }));
    expect(mails).toHaveLength(2);
    const digest = mails.find((m) => m.subject.includes('全区汇总'))!;
    expect(digest.text).toContain('  石会镇 排查一般隐患：5 → 10');
  });
});

describe('the reminders of a district', () => {
  it('reminds each town with missing units, to its recipients, naming them', async () => {
    // Act
    const run = await runAction('remind', at('2004-04-03T09:00'), deps);
    const mails = await outbox.fresh();

    // Assess
    expect(run).toMatchObject({ action: 'remind', period: MONTH, mailed: true });
    expect(mails).toHaveLength(2);
    const sh = mails.find((m) => m.subject.includes('石会镇'))!;
    const hx = mails.find((m) => m.subject.includes('黑溪镇'))!;
    const missing = (town: string) =>
      registry
        .expected(town, MONTH)
        .map((u) => u.fullCode)
        .filter((code) => !SENT.some((s) => s.unit === code));
    expectReminderMail(sh, MONTH, missing('SH'), registry, RECIPIENTS);
    expectReminderMail(hx, MONTH, missing('HX'), registry, RECIPIENTS);
  });
});
