/**
 * Notices to the group robots, end to end on real parts: the run's DynamoDB Local (claims),
 * s3rver (summaries), an SMTP sink (mail) and the webhook sink (infra/local/webhook-sink.ts)
 * speaking WeCom, DingTalk and Feishu, which verifies the signatures and keywords as the
 * platforms do. Each describe has its own table, bucket, outbox and sink; the district
 * registry (EC, SH, HX; QJ) with robots for 鹅池镇 and for the district's digest.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSecrets } from '../../shared/adapters/local-secrets.ts';
import type { Submission } from '../../shared/check.ts';
import { robotChannels } from '../../shared/notices/channels.ts';
import { robotsConfig } from '../../shared/notices/config.ts';
import { dispatch, type NoticeOutcome } from '../../shared/notices/dispatch.ts';
import type { Notice } from '../../shared/notices/notice.ts';
import type { RobotError } from '../../shared/notices/robots/answer.ts';
import { sendToRobot } from '../../shared/notices/robots/send.ts';
import { addMonths, chineseMonth } from '../../shared/period.ts';
import { publish } from '../../shared/publish/publish.ts';
import { runAction, runSchedules, SCHEDULES, type ActionResult, type ScheduleDeps } from '../../shared/publish/schedule.ts';
import { startWebhookSink, type SinkNotice, type SinkRobot, type WebhookSink } from '../../infra/local/webhook-sink.ts';
import { district } from '../support/core.ts';
import {
  arrive,
  FAST_RETRY,
  monthFile,
  openOutbox,
  ownArchive,
  publishDeps,
  type OwnArchive,
  type Outbox,
} from '../support/publish-harness.ts';
import { connectStack, type StackHandle } from '../support/stack.ts';

let stack: StackHandle;
beforeAll(() => {
  stack = connectStack();
});
afterAll(() => stack.close());

/** 鹅池镇's three robots and the district's digest robot, as a town would configure them. */
const ROBOTS: readonly (SinkRobot & { org: string })[] = [
  { id: 'ec-wecom', org: 'EC', kind: 'wecom', token: 'wecom-key-ec' },
  { id: 'ec-dingtalk', org: 'EC', kind: 'dingtalk', token: 'ding-token-ec', signingSecret: 'SECec0f/+=secret', keyword: '村报' },
  { id: 'ec-feishu', org: 'EC', kind: 'feishu', token: 'feishu-hook-ec', signingSecret: 'feishu+secret/ec=' },
  { id: 'qj-dingtalk', org: 'QJ', kind: 'dingtalk', token: 'ding-token-qj', signingSecret: 'SECqj-digest', keyword: '村报' },
];

interface Setup {
  readonly archive: OwnArchive;
  readonly outbox: Outbox;
  readonly sink: WebhookSink;
  readonly dir: string;
  deps(robots?: readonly (SinkRobot & { org: string; perMinute?: number })[]): Promise<ScheduleDeps>;
  stop(): Promise<void>;
}

/** A table, bucket, outbox and sink of the test's own; the robots configured by secret reference. */
async function setUp(
  label: string,
  robots: readonly (SinkRobot & { org: string; perMinute?: number })[] = ROBOTS,
  limitPerMinute?: number,
): Promise<Setup> {
  const archive = await ownArchive(stack, label);
  const outbox = await openOutbox(label);
  const dir = await mkdtemp(join(tmpdir(), `cunbao-${label}-sink-`));
  const sink = await startWebhookSink({ dataDir: dir, robots, ...(limitPerMinute ? { limitPerMinute } : {}) });
  return {
    archive,
    outbox,
    sink,
    dir,
    async deps(configured = robots) {
      const secretsFile = join(dir, 'secrets.json');
      const secrets = Object.fromEntries(
        configured.map((r) => [
          `t/${r.id}`,
          r.signingSecret ? { url: sink.urlOf(r.id), signingSecret: r.signingSecret } : sink.urlOf(r.id),
        ]),
      );
      await writeFile(secretsFile, JSON.stringify(secrets));
      const configs = robotsConfig(
        JSON.stringify(
          configured.map((r) => ({
            id: r.id,
            org: r.org,
            kind: r.kind,
            secret: `t/${r.id}`,
            ...(r.keyword ? { keyword: r.keyword } : {}),
            ...(r.perMinute ? { perMinute: r.perMinute } : {}),
          })),
        ),
      );
      const channels = await robotChannels(configs, new LocalSecrets(secretsFile), { timeoutMs: 2_000 });
      const deps = publishDeps({ reader: archive.ledger, archive, registry: district, outbox, now: () => new Date(0), robots: channels });
      return { ...deps, notices: { ...deps.notices!, pageUrl: PAGE } };
    },
    async stop() {
      await sink.stop();
      await outbox.stop();
      await archive.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The title a robot's group shows for a message, without the keyword DingTalk needs. */
function titleOf(n: SinkNotice): string {
  const body = n.body as {
    markdown?: { content?: string; title?: string };
    card?: { header?: { title?: { content?: string } } };
  };
  const raw =
    n.kind === 'wecom'
      ? (body.markdown?.content ?? '').split('\n')[0]!.replace(/^#+\s*/, '')
      : n.kind === 'dingtalk'
        ? body.markdown?.title
        : body.card?.header?.title?.content;
  return (raw ?? '').replace('【村报】', '').trim();
}

/** The text of a message's markdown, whatever the platform. */
function textOf(n: SinkNotice): string {
  const body = n.body as { markdown?: { content?: string; text?: string }; card?: { elements?: { content?: string }[] } };
  return body.markdown?.content ?? body.markdown?.text ?? (body.card?.elements ?? []).map((e) => e.content ?? '').join('\n');
}

const PAGE = 'https://cunbao.qj.test/';
const at = (instant: string) => new Date(`${instant}+08:00`);
const day = (d: Date) => new Date(d.getTime() + 86_400_000);
const EC_UNITS = district.findTown('EC')!.units.map((u) => u.fullCode);

/** V01–V07 of 鹅池镇 send a month on day 2 of the next; V08 and the town office never do. */
async function sendMonth(archive: OwnArchive, month: string): Promise<void> {
  const arrivesAt = at(`${addMonths(month, 1)}-02T10:00:00`);
  for (const [i, unit] of EC_UNITS.slice(0, 7).entries()) {
    const s: Submission = { unit, period: month, values: { general_hazards_found: i + 1, hazards_rectified: i, petitions_received: 1 } };
    expect((await arrive(archive, district, monthFile(s, i), arrivesAt)).outcome).toBe('accepted');
  }
}

describe('a year played day by day', () => {
  let setup: Setup;
  const results: ActionResult[] = [];
  const MONTHS = Array.from({ length: 12 }, (_, i) => `2027-${String(i + 1).padStart(2, '0')}`);

  beforeAll(async () => {
    // A year's messages come within a minute of the test's wall clock: the robots' limits
    // are raised so that the run does not wait for them (the limits: 'a rate-limited robot').
    setup = await setUp(
      'noticeyear',
      ROBOTS.map((r) => ({ ...r, perMinute: 100 })),
      1_000,
    );
    const deps = await setup.deps();
    // Prepare and act: each month's files on day 2; every day's schedules at 23:30; a late
    // correction of March (V08 sends it on 10 May) is published again on 6 June.
    for (let d = at('2027-01-01T23:30:00'); d <= at('2028-01-07T23:30:00'); d = day(d)) {
      const shanghai = new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
      if (shanghai.endsWith('-02') && shanghai > '2027-01-31') await sendMonth(setup.archive, addMonths(shanghai.slice(0, 7), -1));
      if (shanghai === '2027-05-10') {
        const late: Submission = { unit: 'EC/V08', period: '2027-03', values: { general_hazards_found: 4 } };
        expect((await arrive(setup.archive, district, monthFile(late, 0), at('2027-05-10T11:00:00'))).outcome).toBe('accepted');
      }
      results.push(...(await runSchedules(d, SCHEDULES, deps)));
    }
  }, 300_000);

  afterAll(async () => {
    await setup?.stop();
  });

  it('sends each town robot every day-3 reminder and every day-6 publication of its town, once each', () => {
    // Prepare: what 鹅池镇's group should have read, in order.
    const months = ['2026-12', ...MONTHS];
    const expected = [
      ...months.flatMap((m) => [
        `催报：鹅池镇${chineseMonth(m)}尚有 ${m === '2026-12' ? 9 : 2} 个单位未报送`,
        `鹅池镇${chineseMonth(m)}法治统计月报`,
      ]),
      '鹅池镇2026年法治统计年报',
      '鹅池镇2027年3月法治统计月报（第2版，有更正）',
      '鹅池镇2027年法治统计年报',
    ].sort();

    // Assess
    for (const robot of ['ec-wecom', 'ec-dingtalk', 'ec-feishu']) {
      const titles = setup.sink.received(robot).map(titleOf).sort();
      expect(titles, robot).toEqual(expected);
    }
    expect(setup.sink.rejected()).toEqual([]);
  });

  it('sends the district robot its digest: the overview of each day-3 reminder and each publication of the district', () => {
    // Assess
    const titles = setup.sink.received('qj-dingtalk').map(titleOf);
    const months = ['2026-12', ...MONTHS];
    expect(titles.filter((t) => t.startsWith('催报：黔江区'))).toHaveLength(months.length);
    expect(titles.filter((t) => t.startsWith('黔江区') && t.endsWith('月报'))).toHaveLength(months.length);
    expect(titles).toContain('黔江区2027年3月法治统计月报（第2版，有更正）');
    expect(titles.filter((t) => t.includes('鹅池镇') && !t.startsWith('黔江区'))).toEqual([]);
    // The overview names the towns' missing units by name.
    const may = setup.sink.received('qj-dingtalk').find((n) => titleOf(n).startsWith(`催报：黔江区${chineseMonth('2027-05')}`));
    const missing = district.expected('QJ', '2027-05').length - 7;
    expect(may && titleOf(may)).toBe(`催报：黔江区${chineseMonth('2027-05')}尚有 ${missing} 个单位未报送`);
    expect(may && textOf(may)).toContain('鹅池镇：大坪社区、鹅池镇本级');
  });

  it('says the correction after publication with what changed, and links every message to the page', () => {
    // Prepare
    const correction = setup.sink.received('ec-wecom').find((n) => titleOf(n).includes('2027年3月法治统计月报（第2版'));

    // Assess
    expect(correction && textOf(correction)).toContain('本版更正（较第1版）');
    expect(correction && textOf(correction)).toContain('排查一般隐患');
    for (const robot of ['ec-wecom', 'ec-dingtalk', 'ec-feishu', 'qj-dingtalk'])
      for (const n of setup.sink.received(robot))
        expect(textOf(n), `${robot}: ${titleOf(n)}`).toMatch(/https:\/\/cunbao\.qj\.test\/\?org=(EC|QJ)&period=20\d\d/);
  });

  it('mails the same notices once each: reminders and publications to the town, the digest to the district', async () => {
    // Prepare
    const mails = await setup.outbox.fresh();
    const subjects = mails.map((m) => m.subject);

    // Assess: no subject twice, and each of 鹅池镇's notices has its mail.
    expect(new Set(subjects).size).toBe(subjects.length);
    expect(subjects.filter((s) => s.includes('催报：鹅池镇'))).toHaveLength(13);
    expect(subjects.filter((s) => s.startsWith('【村报】鹅池镇') && s.includes('月法治统计月报'))).toHaveLength(14);
  });

  it('sends nothing more when a day-6 run is retried', async () => {
    // Prepare
    const deps = await setup.deps();
    const before = setup.sink.received().length;

    // Act: the schedule's retry of 6 June, and a second run at the same instant beside it.
    const again = await Promise.all([
      runAction('publish', at('2027-06-06T08:00:00'), deps),
      runAction('publish', at('2027-06-06T08:00:00'), deps),
    ]);

    // Assess
    expect(setup.sink.received()).toHaveLength(before);
    expect(
      again.flatMap((r) => (r.action === 'publish' ? r.results.flatMap((p) => p.robots ?? []) : [])).filter((o) => o.status === 'sent'),
    ).toEqual([]);
  });
});

describe('a robot that fails', () => {
  let setup: Setup;

  beforeAll(async () => {
    setup = await setUp('noticefail');
    await sendMonth(setup.archive, '2027-04');
  });

  afterAll(async () => {
    await setup?.stop();
  });

  it('twice, then succeeds: gets the notice once, on the third try', async () => {
    // Prepare
    const deps = await setup.deps();
    setup.sink.fail('ec-wecom', 2, 'http500');

    // Act
    const result = await publish('monthly', '2027-04', deps, district.org('EC')!);

    // Assess
    expect(result.robots?.find((o) => o.channel === 'ec-wecom')).toMatchObject({ status: 'sent', attempts: 3 });
    expect(setup.sink.received('ec-wecom')).toHaveLength(1);
    expect(setup.sink.received('ec-dingtalk')).toHaveLength(1);
  });

  it('every try: the run reports it, the next run sends it and nothing twice', async () => {
    // Prepare
    const deps = await setup.deps();
    setup.sink.fail('ec-feishu', 3, 'error');

    // Act: day 6's run of May; then the schedule's retry.
    await sendMonth(setup.archive, '2027-05');
    const failed = await runSchedules(at('2027-06-06T08:00:00'), SCHEDULES, deps).then(
      () => undefined,
      (error: Error) => error,
    );
    const retried = await runSchedules(at('2027-06-06T08:30:00'), SCHEDULES, deps);

    // Assess
    expect(failed).toMatchObject({ name: 'NoticeFailedError', code: 'NOTICE_FAILED' });
    expect(failed?.message).toContain('ec-feishu');
    const may = (n: SinkNotice) => titleOf(n) === '鹅池镇2027年5月法治统计月报';
    expect(setup.sink.received('ec-feishu').filter(may)).toHaveLength(1);
    expect(setup.sink.received('ec-wecom').filter(may)).toHaveLength(1);
    const outcomes = retried.flatMap((r) => (r.action === 'publish' ? r.results.flatMap((p) => p.robots ?? []) : []));
    expect(outcomes.filter((o) => o.status === 'sent').map((o) => o.channel)).toEqual(['ec-feishu']);
  });

  it('with a wrong signing secret: refused as the platform does, not retried, reported', async () => {
    // Prepare: the DingTalk robot configured with another secret than the group's.
    const deps = await setup.deps(ROBOTS.map((r) => (r.id === 'ec-dingtalk' ? { ...r, signingSecret: 'SECwrong' } : r)));
    const notice: Notice = { id: 'publish/EC/test/sign', kind: 'publish', org: 'EC', title: '签名测试', sections: [{ lines: ['一行'] }] };

    // Act
    const outcomes = await dispatch([{ notice }], deps.notices!.robots, { log: deps.notices!.log, retry: FAST_RETRY });

    // Assess
    expect(outcomes.find((o) => o.channel === 'ec-dingtalk')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(setup.sink.rejected('ec-dingtalk').at(-1)?.answer).toMatchObject({ errcode: 310000 });
    expect(outcomes.filter((o) => o.channel !== 'ec-dingtalk').every((o) => o.status === 'sent')).toBe(true);
  });
});

describe('a rate-limited robot', () => {
  let setup: Setup;

  beforeAll(async () => {
    setup = await setUp('noticerate');
  });

  afterAll(async () => {
    await setup?.stop();
  });

  const notices = (n: number, tag: string): Notice[] =>
    Array.from({ length: n }, (_, i) => ({
      id: `publish/EC/${tag}/${i}`,
      kind: 'publish',
      org: 'EC',
      title: `鹅池镇测试通知 ${tag} ${i + 1}`,
      sections: [{ lines: [`第 ${i + 1} 条`] }],
    }));

  it('answering "too fast" gets what is left as one merged message, none dropped', async () => {
    // Prepare
    const deps = await setup.deps();
    setup.sink.rateLimit('ec-wecom', 1);

    // Act
    const outcomes = await dispatch(
      notices(4, 'limited').map((notice) => ({ notice })),
      deps.notices!.robots,
      { log: deps.notices!.log, retry: FAST_RETRY },
    );

    // Assess: one refused for speed, then one message with all four.
    const wecom = outcomes.filter((o) => o.channel === 'ec-wecom');
    expect(wecom.map((o) => [o.status, o.merged])).toEqual(Array(4).fill(['sent', 4]));
    const received = setup.sink.received('ec-wecom');
    expect(received.map(titleOf)).toEqual(['村报通知（4 条）']);
    for (let i = 1; i <= 4; i++) expect(textOf(received[0]!)).toContain(`鹅池镇测试通知 limited ${i}`);
    expect(setup.sink.received('ec-dingtalk').map(titleOf)).toHaveLength(4);
  });

  it('with more notices than its budget of the minute merges the rest into one message', async () => {
    // Prepare: a robot configured for 3 a minute, as its group's limit is.
    const three = ROBOTS.filter((r) => r.id === 'ec-feishu').map((r) => ({ ...r, perMinute: 3 }));
    const deps = await setup.deps(three);
    const before = setup.sink.received('ec-feishu').length;

    // Act
    const outcomes: NoticeOutcome[] = await dispatch(
      notices(6, 'budget').map((notice) => ({ notice })),
      deps.notices!.robots,
      {
        log: deps.notices!.log,
        retry: FAST_RETRY,
      },
    );

    // Assess: two alone, four in one; each sent.
    expect(outcomes.every((o) => o.status === 'sent')).toBe(true);
    const titles = setup.sink.received('ec-feishu').slice(before).map(titleOf);
    expect(titles).toEqual(['鹅池镇测试通知 budget 1', '鹅池镇测试通知 budget 2', '村报通知（4 条）']);
    expect(setup.sink.rejected('ec-feishu')).toEqual([]);
  });
});

describe('two publishers at once', () => {
  let setup: Setup;

  beforeAll(async () => {
    setup = await setUp('noticeconcurrent');
    await sendMonth(setup.archive, '2027-07');
  });

  afterAll(async () => {
    await setup?.stop();
  });

  it('send one copy to each robot and one mail', async () => {
    // Prepare: two processes' deps (their own claims client, the same table).
    const [a, b, c] = await Promise.all([setup.deps(), setup.deps(), setup.deps()]);

    // Act
    const results = await Promise.all([a, b, c].map((deps) => publish('monthly', '2027-07', deps, district.org('EC')!)));

    // Assess
    for (const robot of ['ec-wecom', 'ec-dingtalk', 'ec-feishu']) expect(setup.sink.received(robot), robot).toHaveLength(1);
    expect(await setup.outbox.fresh()).toHaveLength(1);
    expect(results.filter((r) => r.mailed)).toHaveLength(1);
    // A later claim is told, in the one request, that the notice went out.
    const now = new Date();
    const again = await setup.archive.notices.claim('publish/EC/monthly/2027-07/r1', 'ec-wecom', now, new Date(now.getTime() + 60_000));
    expect(again).toBe('sent');
  });
});

describe('a message over a platform’s size limit', () => {
  let setup: Setup;

  beforeAll(async () => {
    setup = await setUp('noticesize');
  });

  afterAll(async () => {
    await setup?.stop();
  });

  it('is split into parts each platform accepts, never refused', async () => {
    // Prepare: 400 lines of about 60 characters (some 70 KB in UTF-8), and one line of 30 000.
    const deps = await setup.deps();
    const lines = Array.from(
      { length: 400 },
      (_, i) => `第 ${i + 1} 行：鹅池镇石柱村排查一般隐患 5 处，已整改 3 处，其余正在整改中，预计月底前完成。`,
    );
    const notice: Notice = {
      id: 'publish/EC/test/large',
      kind: 'publish',
      org: 'EC',
      title: '鹅池镇超长通知',
      sections: [{ heading: '明细', lines }, { lines: ['长'.repeat(30_000)] }],
      link: 'http://127.0.0.1/?org=EC&period=2027-07',
    };

    // Act
    const outcomes = await dispatch([{ notice }], deps.notices!.robots, { log: deps.notices!.log, retry: FAST_RETRY });

    // Assess
    expect(outcomes.map((o) => o.status)).toEqual(['sent', 'sent', 'sent']);
    expect(setup.sink.rejected()).toEqual([]);
    for (const robot of ['ec-wecom', 'ec-dingtalk', 'ec-feishu']) {
      const parts = setup.sink.received(robot);
      expect(parts.length, robot).toBeGreaterThan(1);
      expect(
        parts.every((p) => textOf(p).includes('http://127.0.0.1/?org=EC')),
        robot,
      ).toBe(true);
    }
  });
});

describe('the senders and the webhook sink, written apart', () => {
  let setup: Setup;

  beforeAll(async () => {
    setup = await setUp('noticeprotocol');
  });

  afterAll(async () => {
    await setup?.stop();
  });

  it.each(['ec-wecom', 'ec-dingtalk', 'ec-feishu'])(
    '%s: agree on what a rate-limit, a busy platform and a server error mean (retry, merge), and on success',
    async (id) => {
      // Prepare
      const robot = ROBOTS.find((r) => r.id === id)!;
      const target = {
        id,
        kind: robot.kind,
        url: setup.sink.urlOf(id),
        ...(robot.signingSecret ? { signingSecret: robot.signingSecret } : {}),
        ...(robot.keyword ? { keyword: robot.keyword } : {}),
      };
      const notice: Notice = { id: `t/${id}`, kind: 'publish', org: 'EC', title: '协议测试', sections: [{ lines: ['一行'] }] };
      const send = () => sendToRobot(target, notice, { now: () => new Date(), timeoutMs: 2_000 }).catch((error: RobotError) => error);

      // Act
      setup.sink.rateLimit(id, 1);
      const limited = await send();
      setup.sink.fail(id, 1, 'error');
      const busy = await send();
      setup.sink.fail(id, 1, 'http500');
      const down = await send();
      const ok = await send();

      // Assess
      expect(limited).toMatchObject({ name: 'RobotError', rateLimited: true, retryable: true });
      expect(busy).toMatchObject({ name: 'RobotError', rateLimited: false, retryable: true });
      expect(down).toMatchObject({ name: 'RobotError', rateLimited: false, retryable: true, code: 'HTTP_500' });
      expect(ok).toEqual({ parts: 1 });
      expect(setup.sink.received(id)).toHaveLength(1);
    },
  );
});
