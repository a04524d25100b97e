/**
 * Publishing a month on the run's local stack: revisions (a late correction makes revision
 * 2 with what changed, revision 1 stays, nothing new when nothing changed), mails that
 * failed (sent on the next run), and the command line (`run-schedule`, `publish`, `report`)
 * as real processes on a data dir of their own.
 *
 * Figures go through the shared pipeline for 2005-03 (no other file uses 2005); the
 * summaries, the scheduler's memory and the mail are each test's own (a table and bucket
 * of its own, an SMTP sink of its own). The failed-mail tests use 2007 on their own table.
 */
import { unzipSync } from 'fflate';
import { runCli, type Run } from '../support/cli.ts';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/processes.ts';
import { SCHEDULES } from '../../shared/publish/schedule.ts';
import { SmtpMailer } from '../../shared/adapters/smtp-mailer.ts';
import type { PublishedSummary } from '../../shared/ports/summaries.ts';
import { publish, type PublishResult, type Revision } from '../../shared/publish/publish.ts';
import { summaryKey } from '../../shared/layout.ts';
import { runSchedules, type ScheduleDeps } from '../../shared/publish/schedule.ts';
import type { Submission } from '../../shared/check.ts';
import { registry } from '../support/core.ts';
import {
  arrive,
  expectReminderMail,
  expectSummaryMail,
  mailboxes,
  monthFile,
  openOutbox,
  ownArchive,
  publishDeps,
  readEml,
  storedSummary,
  totalsOf,
  uploadThroughStack,
  type OwnArchive,
  type Outbox,
  type ReadMail,
} from '../support/publish-harness.ts';
import { connectStack, longCsv, STACK_NOW, type StackHandle } from '../support/stack.ts';

let stack: StackHandle;
beforeAll(() => {
  stack = connectStack();
});
afterAll(() => stack.close());

const UNITS = registry.units.map((u) => u.code);

describe('a late correction of a published month', () => {
  const MONTH = '2005-03';
  let archive: OwnArchive;
  let outbox: Outbox;
  let deps: ScheduleDeps;
  let first: PublishResult;
  let v1: PublishedSummary;
  let v1Bytes: Uint8Array;
  let firstMails: ReadMail[];
  let second: PublishResult;
  let secondMails: ReadMail[];
  let sent: Awaited<ReturnType<typeof uploadThroughStack>>;
  let corrected: Awaited<ReturnType<typeof uploadThroughStack>>;
  const revisions: Revision[] = [];

  beforeAll(async () => {
    // Prepare: two units' March through the pipeline, published once (revision 1).
    archive = await ownArchive(stack, 'correction');
    outbox = await openOutbox('correction');
    deps = {
      ...publishDeps({ reader: stack.ledger, archive, registry, outbox, now: () => new Date(STACK_NOW) }),
      onRevision: (revision) => revisions.push(revision),
    };
    sent = await uploadThroughStack(stack, [
      { unit: 'EC/V03', period: MONTH, ext: 'csv', body: longCsv('EC/V03', MONTH, { general_hazards_found: 5, hazards_rectified: 3 }) },
      { unit: 'EC/V04', period: MONTH, ext: 'csv', body: longCsv('EC/V04', MONTH, { general_hazards_found: 4, hazards_rectified: 4 }) },
    ]);
    expect([...sent.statuses.values()]).toEqual(['accepted', 'accepted']);
    first = await publish('monthly', MONTH, deps);
    v1 = (await storedSummary(archive, 'monthly', MONTH, 1))!;
    v1Bytes = (await archive.store.get(summaryKey('EC', 'monthly', MONTH, 1)))!;
    firstMails = await outbox.fresh();

    // Act: V03 corrects its March after the publication; the month is published again.
    corrected = await uploadThroughStack(stack, [
      {
        unit: 'EC/V03',
        period: MONTH,
        ext: 'csv',
        body: longCsv('EC/V03', MONTH, { general_hazards_found: 7, hazards_rectified: 6, petitions_received: 2 }),
      },
    ]);
    expect([...corrected.statuses.values()]).toEqual(['accepted']);
    second = await publish('monthly', MONTH, deps);
    secondMails = await outbox.fresh();
  }, 90_000);

  afterAll(async () => {
    await outbox?.stop();
    await archive?.drop();
  });

  it('publishes the month as revision 1 and mails it', () => {
    // Assess
    expect(first).toEqual({ org: 'EC', kind: 'monthly', period: MONTH, revision: 1, published: true, mailed: true });
    expect(v1).toMatchObject({
      revision: 1,
      changes: [],
      units: { V03: { general_hazards_found: 5, hazards_rectified: 3 }, V04: { general_hazards_found: 4, hazards_rectified: 4 } },
    });
    expect(v1.totals).toMatchObject({ general_hazards_found: 9, hazards_rectified: 7, petitions_received: 0 });
    expect(v1.completeness.missing).toEqual(UNITS.filter((u) => u !== 'V03' && u !== 'V04'));
    expect(firstMails).toHaveLength(1);
    expectSummaryMail(firstMails[0]!, v1, registry);
  });

  it('tells the function of each revision with the uploads behind it: both first, then the correction alone (its log’s correlation ids)', () => {
    // Assess
    expect(revisions).toEqual([
      { org: 'EC', kind: 'monthly', period: MONTH, revision: 1, uploads: [...sent.ids].sort() },
      { org: 'EC', kind: 'monthly', period: MONTH, revision: 2, uploads: corrected.ids },
    ]);
  });

  it('publishes the correction as revision 2, listing each changed total and the unit’s changed figures; revision 1 stays as it was', async () => {
    // Act
    const v2 = (await storedSummary(archive, 'monthly', MONTH, 2))!;

    // Assess
    expect(second).toEqual({ org: 'EC', kind: 'monthly', period: MONTH, revision: 2, published: true, mailed: true });
    expect(v2.changes).toEqual([
      { what: 'total', key: 'general_hazards_found', before: 9, after: 11 },
      { what: 'total', key: 'hazards_rectified', before: 7, after: 10 },
      { what: 'total', key: 'petitions_received', before: 0, after: 2 },
      { what: 'unit', unit: 'V03', key: 'general_hazards_found', before: 5, after: 7 },
      { what: 'unit', unit: 'V03', key: 'hazards_rectified', before: 3, after: 6 },
      { what: 'unit', unit: 'V03', key: 'petitions_received', before: null, after: 2 },
    ]);
    expect(v2.units['V04']).toEqual(v1.units['V04']);
    expect(await archive.store.get(summaryKey('EC', 'monthly', MONTH, 1))).toEqual(v1Bytes);
    expect(await storedSummary(archive, 'monthly', MONTH, 'latest')).toEqual(v2);
    expect(await archive.keys('summaries/')).toEqual([
      summaryKey('EC', 'monthly', MONTH, 'latest'),
      summaryKey('EC', 'monthly', MONTH, 1),
      summaryKey('EC', 'monthly', MONTH, 2),
    ]);
    expect(await archive.summaries.latest('EC', 'monthly', MONTH)).toMatchObject({ revision: 2, emailedRevision: 2 });
  });

  it('mails the correction as 第2版, with the list of what changed', async () => {
    // Prepare
    const v2 = (await storedSummary(archive, 'monthly', MONTH, 2))!;

    // Assess
    expect(secondMails).toHaveLength(1);
    const mail = secondMails[0]!;
    expectSummaryMail(mail, v2, registry);
    expect(mail.subject).toBe('【村报】鹅池镇2005年3月法治统计月报（第2版，有更正）');
    const corrections = mail.text.slice(mail.text.indexOf('本版更正（较第1版）：')).split('\n').slice(0, 7);
    expect(corrections).toEqual([
      '本版更正（较第1版）：',
      '  全镇 排查一般隐患：9 → 11',
      '  全镇 隐患完成整改：7 → 10',
      '  全镇 受理群众来信来访：0 → 2',
      '  石柱村 排查一般隐患：5 → 7',
      '  石柱村 隐患完成整改：3 → 6',
      '  石柱村 受理群众来信来访：— → 2',
    ]);
    expect(mail.html).toContain('<h3>本版更正（较第1版）</h3>');
  });

  it('publishes nothing and mails nothing when run again without a change', async () => {
    // Prepare
    const keys = await archive.keys('summaries/');

    // Act
    const again = await publish('monthly', MONTH, deps);

    // Assess
    expect(again).toEqual({ org: 'EC', kind: 'monthly', period: MONTH, revision: 2, published: false, mailed: false });
    expect(await outbox.fresh()).toEqual([]);
    expect(await archive.keys('summaries/')).toEqual(keys);
  });

  it('makes no revision for an upload that changes no figure (the same file sent again)', async () => {
    // Prepare: V04 sends its March again, unchanged (the rollup counts a change, the figures do not).
    const keys = await archive.keys('summaries/');
    const resent = await uploadThroughStack(stack, [
      { unit: 'EC/V04', period: MONTH, ext: 'csv', body: longCsv('EC/V04', MONTH, { general_hazards_found: 4, hazards_rectified: 4 }) },
    ]);

    // Act
    const again = await publish('monthly', MONTH, deps);

    // Assess
    expect([...resent.statuses.values()]).toEqual(['accepted']);
    expect(again).toEqual({ org: 'EC', kind: 'monthly', period: MONTH, revision: 2, published: false, mailed: false });
    expect(await outbox.fresh()).toEqual([]);
    expect(await archive.keys('summaries/')).toEqual(keys);
  });
});

// ---------------------------------------------------------------------------------------
// Mail that failed
// ---------------------------------------------------------------------------------------

/** A mailer to a port nobody listens on: every send fails (connection refused). */
async function deadMailerDeps(deps: ScheduleDeps): Promise<ScheduleDeps> {
  const port = await freePort();
  const mailer = new SmtpMailer({
    host: '127.0.0.1',
    port,
    secure: false,
    timeouts: { connection: 2_000, greeting: 2_000, socket: 2_000 },
  });
  return { ...deps, mail: { ...deps.mail!, mailer } };
}

const at = (instant: string) => new Date(`${instant}:00+08:00`);

/** V01–V07 send May 2007 on 2 June; V08 and the town office never do. */
async function sendMay(archive: OwnArchive): Promise<Submission[]> {
  const may: Submission[] = UNITS.slice(0, 7).map((unit, i) => ({
    unit: `EC/${unit}`,
    period: '2007-05',
    values: { general_hazards_found: i + 1, hazards_rectified: i, petitions_received: 1 },
  }));
  for (const [i, s] of may.entries())
    expect((await arrive(archive, registry, monthFile(s, i), at('2007-06-02T10:00'))).outcome).toBe('accepted');
  return may;
}

describe('a summary whose mail failed', () => {
  let archive: OwnArchive;
  let outbox: Outbox;
  let deps: ScheduleDeps;

  beforeAll(async () => {
    archive = await ownArchive(stack, 'mailfail');
    outbox = await openOutbox('mailfail');
    deps = publishDeps({ reader: archive.ledger, archive, registry, outbox, now: () => new Date(0) });
  });

  afterAll(async () => {
    await outbox?.stop();
    await archive?.drop();
  });

  it('is stored all the same, and mailed (once) by the next run', async () => {
    // Prepare
    const may = await sendMay(archive);
    const dead = await deadMailerDeps(deps);

    // Act: day 6's run cannot reach the mail server; the next run (an hour later) can.
    const failed = await runSchedules(at('2007-06-06T08:00'), SCHEDULES, dead).then(
      () => undefined,
      (error: Error) => error,
    );
    const stored = await storedSummary(archive, 'monthly', '2007-05', 1);
    const next = await runSchedules(at('2007-06-06T09:00'), SCHEDULES, deps);
    const mails = await outbox.fresh();
    const after = await runSchedules(at('2007-06-06T10:00'), SCHEDULES, deps);

    // Assess
    expect(failed).toBeInstanceOf(Error);
    expect(stored).toMatchObject({ revision: 1, totals: totalsOf(may) });
    expect(next).toEqual([
      {
        action: 'publish',
        at: at('2007-06-06T08:00').toISOString(),
        results: [{ org: 'EC', kind: 'monthly', period: '2007-05', revision: 1, published: false, mailed: true }],
      },
    ]);
    expect(mails).toHaveLength(1);
    expectSummaryMail(mails[0]!, stored!, registry);
    expect(after).toEqual([]);
    expect(await outbox.fresh()).toEqual([]);
  });
});

describe('a reminder whose mail failed', () => {
  let archive: OwnArchive;
  let outbox: Outbox;
  let deps: ScheduleDeps;

  beforeAll(async () => {
    archive = await ownArchive(stack, 'remindfail');
    outbox = await openOutbox('remindfail');
    deps = publishDeps({ reader: archive.ledger, archive, registry, outbox, now: () => new Date(0) });
  });

  afterAll(async () => {
    await outbox?.stop();
    await archive?.drop();
  });

  // Was: the reminder was claimed before it was sent, so a failed send was never sent
  // again. Now the claim is final only once the send succeeded (shared/notices/dispatch.ts).
  it('is sent by the next run, once', async () => {
    // Prepare
    await sendMay(archive);
    const dead = await deadMailerDeps(deps);

    // Act: day 3's run cannot reach the mail server; the next run (an hour later) can.
    const failed = await runSchedules(at('2007-06-03T09:00'), SCHEDULES, dead).then(
      () => undefined,
      (error: Error) => error,
    );
    const next = await runSchedules(at('2007-06-03T10:00'), SCHEDULES, deps);
    const mails = await outbox.fresh();

    // Assess
    expect(failed).toBeInstanceOf(Error);
    expect(next).toEqual([
      { action: 'remind', at: at('2007-06-03T09:00').toISOString(), period: '2007-05', missing: ['EC/V08', 'EC/TOWN'], mailed: true },
    ]);
    expect(mails).toHaveLength(1);
    expectReminderMail(mails[0]!, '2007-05', ['EC/V08', 'EC/TOWN'], registry);
  });
});

// ---------------------------------------------------------------------------------------
// The command line
// ---------------------------------------------------------------------------------------

const CLI_ENV = {
  CUNBAO_NOW: '2025-04-03T09:00:00+08:00',
  MAIL_FROM: '鹅池镇村报 <cunbao@ec.test>',
  MAIL_TO_TOWN: 'clerk@ec.test,leader@ec.test',
  MAIL_TO_DISTRICT: 'sfj@qj.test',
};

const cunbao = (args: string[]): Promise<Run> => runCli(args, CLI_ENV);

const lines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('cunbao run-schedule, publish and report on a data dir', () => {
  let dataDir: string;
  let files: string;
  let ingest: Run;

  beforeAll(async () => {
    // Prepare: V03's March 2025 ingested on a data dir of our own (the CLI starts its stack).
    dataDir = mkdtempSync(join(tmpdir(), 'cunbao-publish-cli-'));
    files = mkdtempSync(join(tmpdir(), 'cunbao-publish-files-'));
    const file = join(files, 'V03-2025-03.csv');
    // The single town's registry (config/units.json): V03 is EC/V03.
    writeFileSync(
      file,
      longCsv('V03', '2025-03', { general_hazards_found: 5, hazards_rectified: 3, petitions_received: 2, petitions_closed: 1 }),
    );
    ingest = await cunbao(['ingest', file, '--data-dir', dataDir]);
  }, 90_000);

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(files, { recursive: true, force: true });
  });

  it('run-schedule --at day 6 08:00 publishes March, prints its JSON line, and leaves the mail as an .eml in the outbox', async () => {
    // Act
    const run = await cunbao(['run-schedule', '--at', '2025-04-06T08:00:00+08:00', '--data-dir', dataDir]);

    // Assess
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(run.code, run.stderr).toBe(0);
    expect(lines(run.stdout)).toEqual([
      {
        action: 'publish',
        at: '2025-04-06T00:00:00.000Z',
        results: [
          {
            org: 'EC',
            kind: 'monthly',
            period: '2025-03',
            revision: 1,
            published: true,
            mailed: true,
            // The stack's own robots on its webhook sink (no real one is configured).
            robots: ['ec-wecom', 'ec-dingtalk', 'ec-feishu'].map((channel) =>
              expect.objectContaining({ notice: 'publish/EC/monthly/2025-03/r1', channel, status: 'sent', parts: 1 }),
            ),
          },
        ],
      },
    ]);
    const notices = readdirSync(join(dataDir, 'notices')).map(
      (f) => JSON.parse(readFileSync(join(dataDir, 'notices', f), 'utf8')) as { robot: string },
    );
    expect(notices.map((n) => n.robot).sort()).toEqual(['ec-dingtalk', 'ec-feishu', 'ec-wecom']);
    const emls = readdirSync(join(dataDir, 'outbox')).filter((f) => f.endsWith('.eml'));
    expect(emls).toHaveLength(1);
    const mail = await readEml(join(dataDir, 'outbox', emls[0]!));
    const document = JSON.parse(mail.attachments[0]!.content.toString('utf8')) as PublishedSummary;
    expect(document).toMatchObject({
      kind: 'monthly',
      period: '2025-03',
      revision: 1,
      units: { V03: { general_hazards_found: 5, hazards_rectified: 3, petitions_received: 2, petitions_closed: 1 } },
    });
    expectSummaryMail(mail, document, registry, {
      from: CLI_ENV.MAIL_FROM,
      town: CLI_ENV.MAIL_TO_TOWN.split(','),
      district: [CLI_ENV.MAIL_TO_DISTRICT],
    });
    expect(mail.to).toEqual(mailboxes(['clerk@ec.test', 'leader@ec.test']));
    expect(mail.text).toContain('排查一般隐患：5 处');
  });

  it('ingest without --json says in Chinese what became of the file and of its unit-month', () => {
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(ingest.stdout).toMatch(
      /^\/.*\/V03-2025-03\.csv：已接收（上传编号 [a-z0-9]+-[0-9a-f]{16}）\n {2}石柱村（V03） 2025年3月：现行有效，第 1 版；首次报送（填报 \d+ 项）\n$/,
    );
  });

  it('publish --month prints the month’s revision (1: nothing changed since), as JSON with --json, else in Chinese', async () => {
    // Act
    const run = await cunbao(['publish', '--month', '2025-03', '--json', '--data-dir', dataDir]);
    const text = await cunbao(['publish', '--month', '2025-03', '--data-dir', dataDir]);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(lines(run.stdout)).toEqual([{ org: 'EC', kind: 'monthly', period: '2025-03', revision: 1, published: false, mailed: false }]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe('鹅池镇2025年3月月报：与第 1 版相同，未发布新版本，未发邮件。\n');
    expect(readdirSync(join(dataDir, 'outbox')).filter((f) => f.endsWith('.eml'))).toHaveLength(1);
  });

  it('report --year --format html prints the annual report draft as HTML, with the year’s figures', async () => {
    // Act
    const run = await cunbao(['report', '--year', '2025', '--format', 'html', '--data-dir', dataDir]);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^<!doctype html>\n<html lang="zh-CN">/);
    expect(run.stdout).toContain('<h1>黔江区鹅池镇2025年法治政府建设工作报告（统计部分草稿）</h1>');
    expect(run.stdout).toContain('累计排查重大事故隐患（未报送），一般隐患5处，完成整改3处，整改率60%');
    expect(run.stdout).toContain('受理群众来信来访2件，办结1件（办理中1件）');
    expect(run.stdout.trimEnd()).toMatch(/<\/html>$/);
    // The charts, each an accessible SVG with its figures in words.
    expect(run.stdout).toContain('<figcaption>鹅池镇2025年排查一般隐患（处）逐月趋势</figcaption>');
    expect(run.stdout.match(/<svg role="img"/g)).toHaveLength(4);
  });

  it('report --format docx --out writes a Word document with the figures, its charts given in words', async () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'cunbao-report-')), '报告.docx');

    // Act
    const run = await cunbao(['report', '--year', '2025', '--format', 'docx', '--out', file, '--data-dir', dataDir]);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const xml = new TextDecoder().decode(unzipSync(readFileSync(file))['word/document.xml']!);
    expect(xml).toContain('黔江区鹅池镇2025年法治政府建设工作报告（统计部分草稿）');
    expect(xml).toContain('受理群众来信来访2件，办结1件（办理中1件）');
    expect(xml).toContain('图1　鹅池镇2025年排查一般隐患（处）逐月趋势');
  });
});
