/**
 * What a town leader found wrong in the mails, each pinned: a correction that names units
 * by code, writes yuan unrounded and lists a late unit metric by metric; an annual mail with
 * an empty 较上月 column and units mixed with unit-months; no HTML head, no Beijing time, no
 * link to the page; no Auto-Submitted header and no stable Message-ID on the wire (SMTP
 * through the local sink, SES as the raw bytes it is given).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/processes.ts';
import { mailOptions } from '../../shared/adapters/mail-composer.ts';
import { SesMailer } from '../../shared/adapters/ses-mailer.ts';
import { SmtpMailer } from '../../shared/adapters/smtp-mailer.ts';
import { VALUE_KEYS } from '../../shared/catalogue.ts';
import { reminderMail, summaryMail } from '../../shared/mail/summary-email.ts';
import type { MailMessage } from '../../shared/ports/mail.ts';
import type { PublishedSummary, SummaryChange } from '../../shared/ports/summaries.ts';
import type { Recipients } from '../../shared/publish/publish.ts';
import { sum, type Values } from '../../shared/rollup.ts';
import { monthSummary, yearSummary, type MonthEntry } from '../../shared/summary.ts';
import { districtWithRecipients } from '../support/district.ts';
import { openOutbox, type Outbox } from '../support/publish-harness.ts';

const registry = districtWithRecipients();
const RECIPIENTS: Recipients = { from: '黔江区村报 <cunbao@qj.test>', town: ['all-towns@qj.test'], district: ['sfj@qj.test'] };
const PAGE = 'https://cunbao.qj.test/';

const entry = (unit: string, values: Values, firstReceivedAt = '2025-04-01T00:00:00Z'): MonthEntry => ({ unit, values, firstReceivedAt });

/** A month of the sample district: EC's 鹅池社区 and 石柱村 (late), SH's 中坝村. */
const MARCH = [
  entry('EC/V01', { general_hazards_found: 3, veteran_aid_yuan: 16_755.85 }),
  entry('EC/V03', { general_hazards_found: 3, hazards_rectified: 2, petitions_received: 1 }, '2025-04-12T00:00:00Z'),
  entry('SH/V02', { general_hazards_found: 7, veteran_aid_yuan: 21_000 }),
];

function monthly(org: string, changes: readonly SummaryChange[] = [], publishedAt = '2025-04-06T00:00:00Z'): PublishedSummary {
  const own = org === 'QJ' ? MARCH : MARCH.filter((e) => e.unit.startsWith(`${org}/`));
  const summary = monthSummary(registry, registry.org(org)!, '2025-03', sum(own.map((e) => e.values)), own, {
    // February: 鹅池社区 alone, so that March compares one unit like for like.
    previousMonth: [{ unit: 'EC/V01', values: { general_hazards_found: 1 } }],
    sameMonthLastYear: [],
  });
  return { ...summary, kind: 'monthly', revision: changes.length ? 2 : 1, publishedAt, version: 3, changes };
}

/** Three months of 2025: EC's 鹅池社区 every month, 石柱村 in January only (late). */
function annual(org: string): PublishedSummary {
  const months = new Map([
    ['2025-01', [entry('EC/V01', { general_hazards_found: 1 }, '2025-02-01T00:00:00Z'), entry('EC/V03', {}, '2025-02-10T00:00:00Z')]],
    ['2025-02', [entry('EC/V01', { general_hazards_found: 2 }, '2025-03-01T00:00:00Z')]],
    ['2025-03', [entry('EC/V01', { general_hazards_found: 3 }, '2025-04-01T00:00:00Z')]],
  ]);
  const year = [{ unit: 'EC/V01', values: { general_hazards_found: 6 } }];
  const summary = yearSummary(registry, registry.org(org)!, '2025', { general_hazards_found: 6 }, year, months);
  return { ...summary, kind: 'annual', revision: 1, publishedAt: '2026-01-06T00:00:00Z', version: 7, changes: [] };
}

/** The lines of a mail's text under a heading, up to the next blank line. */
function section(text: string, heading: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(heading));
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

const decodeHtml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** The parts of an HTML document (fails unless it is one whole document). */
function documentOf(html: string): { head: string; title: string; body: string } {
  const m = /^<!doctype html><html lang="zh-CN"><head>(.*?)<\/head><body[^>]*>([\s\S]*)<\/body><\/html>$/.exec(html);
  expect(m, 'a whole HTML document').not.toBeNull();
  const [, head, body] = m!;
  const titles = [...head!.matchAll(/<title>(.*?)<\/title>/g)].map((t) => decodeHtml(t[1]!));
  expect(titles).toHaveLength(1);
  return { head: head!, title: titles[0]!, body: body! };
}

/** A short code standing alone where a name belongs (`V08`, `TOWN`, `EC/V08`). */
const BARE_CODE = /(^|[^A-Za-z0-9/])([A-Z]{2}\/)?(V\d{2}|TOWN)(?![A-Za-z0-9])/;

describe('a correction’s mail (revision 2)', () => {
  // Every metric of the catalogue: the late unit's month is a whole template, mostly zeros.
  const late: SummaryChange[] = VALUE_KEYS.map((k) => ({
    what: 'unit',
    unit: 'V03',
    key: k.key,
    before: null,
    after: { general_hazards_found: 3, hazards_rectified: 2, petitions_received: 1, veteran_aid_yuan: 515.8 }[k.key] ?? 0,
  }));
  const changes: SummaryChange[] = [
    { what: 'total', key: 'general_hazards_found', before: 4, after: 7 },
    { what: 'total', key: 'veteran_aid_yuan', before: 16_755.85, after: 17_271.65 },
    { what: 'unit', unit: 'V01', key: 'general_hazards_found', before: 4, after: 3 },
    { what: 'unit', unit: 'V01', key: 'veteran_aid_yuan', before: 16_240.05, after: 16_755.85 },
    { what: 'unit', unit: 'V02', key: 'general_hazards_found', before: 1, after: null },
    ...late,
    { what: 'missing', before: 'V03、V08、TOWN', after: 'V02、V08、TOWN' },
  ];

  it('names every unit, writes money as the figures do, and gives the late unit and the gone one a line each', () => {
    // Act
    const mail = summaryMail(monthly('EC', changes), registry, RECIPIENTS);

    // Assess
    expect(section(mail.text, '本版更正（较第1版）：')).toEqual([
      '  全镇 排查一般隐患：4 → 7',
      '  全镇 发放优抚对象“解三难”补助资金：1.68万元 → 1.73万元',
      '  鹅池社区 排查一般隐患：4 → 3',
      '  鹅池社区 发放优抚对象“解三难”补助资金：1.62万元 → 1.68万元',
      '  南溪村 不再计入：排查一般隐患 1 处',
      `  石柱村 补报：排查一般隐患 3 处、隐患完成整改 2 处、受理群众来信来访 1 件 等 ${VALUE_KEYS.length} 项`,
      '  未报单位：石柱村、大坪社区、鹅池镇本级 → 南溪村、大坪社区、鹅池镇本级',
    ]);
  });

  it('has no bare code, no yuan unrounded, and a bounded line for the late unit, in the text and the HTML', () => {
    // Act
    const mail = summaryMail(monthly('EC', changes), registry, RECIPIENTS);
    const lines = section(mail.text, '本版更正（较第1版）：');
    const items = [...mail.html.matchAll(/<li>(.*?)<\/li>/g)].map((m) => decodeHtml(m[1]!));

    // Assess
    for (const line of [...lines, ...items]) expect(line).not.toMatch(BARE_CODE);
    expect(mail.text).not.toMatch(/16755\.85|17271\.65|16240\.05/);
    const lateLines = lines.filter((l) => l.startsWith('  石柱村'));
    expect(lateLines).toHaveLength(1);
    expect(lateLines[0]!.length).toBeLessThanOrEqual(80);
    expect(items).toEqual(lines.map((l) => l.trim()));
  });

  it('names a unit gone from the registry as such, not by its bare code', () => {
    // Prepare
    const gone: SummaryChange = { what: 'unit', unit: 'V99', key: 'general_hazards_found', before: 2, after: 3 };

    // Act
    const mail = summaryMail(monthly('EC', [gone]), registry, RECIPIENTS);

    // Assess
    expect(section(mail.text, '本版更正（较第1版）：')).toEqual(['  V99（名册中已无此单位） 排查一般隐患：2 → 3']);
  });

  it('names in the district’s digest the towns and the units with their town, money in 万元', () => {
    // Prepare
    const district: SummaryChange[] = [
      { what: 'total', key: 'veteran_aid_yuan', before: 9_000, after: 21_000 },
      { what: 'town', town: 'SH', key: 'veteran_aid_yuan', before: 9_000, after: 21_000 },
      { what: 'missing', before: 'EC/V08、SH/TOWN', after: 'SH/TOWN' },
    ];

    // Act
    const mail = summaryMail(monthly('QJ', district), registry, RECIPIENTS);

    // Assess
    expect(section(mail.text, '本版更正（较第1版）：')).toEqual([
      '  全区 发放优抚对象“解三难”补助资金：9000元 → 2.1万元',
      '  石会镇 发放优抚对象“解三难”补助资金：9000元 → 2.1万元',
      '  未报单位：鹅池镇大坪社区、石会镇本级 → 石会镇本级',
    ]);
  });

  it('says who came and who went when the missing units of a district are too many to list', () => {
    // Prepare
    const before = registry.units.filter((u) => u.town !== 'EC').map((u) => u.fullCode);
    const after = before.filter((code) => code !== 'SH/V02' && code !== 'SH/V05').concat('EC/V08');
    const change: SummaryChange = { what: 'missing', before: before.join('、'), after: after.join('、') };

    // Act
    const mail = summaryMail(monthly('QJ', [change]), registry, RECIPIENTS);

    // Assess
    expect(section(mail.text, '本版更正（较第1版）：')).toEqual([
      `  未报单位：${before.length} 个 → ${after.length} 个（补报：石会镇中坝村、石会镇新建村；新增未报：鹅池镇大坪社区）`,
    ]);
  });
});

describe('an annual mail', () => {
  it('has no 较上月 column, in the text nor in the HTML, where a monthly one has it', () => {
    // Act
    const year = summaryMail(annual('EC'), registry, RECIPIENTS);
    const month = summaryMail(monthly('EC'), registry, RECIPIENTS);

    // Assess
    expect(year.text).not.toContain('较上月');
    expect(year.text).toContain('\n主要指标：\n  排查重大事故隐患：0 处\n  排查一般隐患：6 处\n');
    expect(year.html).not.toContain('较上月');
    expect(year.html).toContain('<tr><th>指标</th><th>合计</th><th>单位</th></tr>');
    expect(month.text).toContain('主要指标（括号内为较上月变化，按两月均报送的 1 个单位计算）：');
    expect(month.text).toContain('  排查一般隐患：6 处（+2）');
    expect(month.html).toContain('<th>较上月</th>');
  });

  it('counts unit-months, and names the units that missed months with the months they missed', () => {
    // Prepare
    const summary = annual('EC');
    const c = summary.completeness;

    // Act
    const mail = summaryMail(summary, registry, RECIPIENTS);

    // Assess
    expect(c).toMatchObject({ expected: 27, submitted: 4, onTime: 3, late: 1 });
    expect(mail.text).toContain(
      '报送情况：应报 27 个单位月，已报 4 个单位月（按时 3，迟报 1），缺报 23 个单位月，涉及 8 个单位：南溪村（1—3月）、石柱村（2月、3月）、红岩村（1—3月）、',
    );
    expect(mail.text).toContain('审核情况：已审核 0 / 应报 27 个单位月');
    expect(mail.text).not.toMatch(/未报 \d/);
  });

  it('in the district’s digest, words each town’s completeness per unit-month too, in its text and its table', () => {
    // Act
    const mail = summaryMail(annual('QJ'), registry, RECIPIENTS);

    // Assess
    expect(mail.text).toContain('全区报送情况：共 3 个镇（街道），应报 78 个单位月，已报 4 个单位月（按时 3，迟报 1），缺报 74 个单位月');
    expect(mail.text).toContain(
      '  鹅池镇：应报 27 个单位月，已报 4 个单位月（按时 3，迟报 1），缺报 23 个单位月，涉及 8 个单位：南溪村（1—3月）、石柱村（2月、3月）、',
    );
    expect(mail.text).toContain('\n全区主要指标：\n');
    expect(mail.html).toContain('<th>应报单位月</th><th>已报</th><th>按时</th><th>迟报</th><th>缺报单位月</th><th>缺报单位</th>');
    expect(mail.html).toContain(
      '<tr><td>鹅池镇</td><td align="right">27</td><td align="right">4</td><td align="right">3</td><td align="right">1</td><td align="right">23</td>',
    );
    expect(mail.html).not.toContain('较上月');
  });
});

describe('every mail’s HTML', () => {
  const mails: [string, MailMessage][] = [
    ['a town’s summary', summaryMail(monthly('EC'), registry, RECIPIENTS)],
    ['the district’s digest', summaryMail(monthly('QJ'), registry, RECIPIENTS)],
    ['an annual summary', summaryMail(annual('EC'), registry, RECIPIENTS)],
    ['a reminder', reminderMail('2025-03', ['SH/V02'], registry, RECIPIENTS)],
  ];

  it.each(mails)('of %s is a whole document: charset, viewport, and its subject as title', (_, mail) => {
    // Act
    const doc = documentOf(mail.html);

    // Assess
    expect(doc.head).toContain('<meta charset="utf-8">');
    expect(doc.head).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(doc.title).toBe(mail.subject);
    expect(doc.body).not.toMatch(/<\/?(html|head|body)[\s>]/);
  });
});

describe('the time of a summary mail', () => {
  it('is its publication in Beijing time, in the text and the HTML', () => {
    // Act
    const town = summaryMail(monthly('EC'), registry, RECIPIENTS);
    const digest = summaryMail(monthly('QJ'), registry, RECIPIENTS);

    // Assess
    expect(town.text.split('\n')[1]).toBe('发布时间：2025年4月6日 08:00（北京时间）');
    expect(town.html).toContain('<p>发布时间：2025年4月6日 08:00（北京时间）</p>');
    expect(digest.text.split('\n')[1]).toBe('发布时间：2025年4月6日 08:00（北京时间）');
  });

  it('turns the day at midnight Beijing time, not UTC', () => {
    // Act
    const mail = summaryMail(monthly('EC', [], '2025-03-31T16:30:00Z'), registry, RECIPIENTS);

    // Assess
    expect(mail.text).toContain('发布时间：2025年4月1日 00:30（北京时间）');
  });

  it('of a reminder is when it was sent, when the caller says so', () => {
    // Act
    const dated = reminderMail('2025-03', ['SH/V02'], registry, RECIPIENTS, new Date('2025-04-03T01:00:00Z'));
    const undated = reminderMail('2025-03', ['SH/V02'], registry, RECIPIENTS);

    // Assess
    expect(dated.text.split('\n')[1]).toBe('发送时间：2025年4月3日 09:00（北京时间）');
    expect(undated.text).not.toContain('发送时间');
  });
});

describe('the link to the page', () => {
  const withPage = { ...RECIPIENTS, pageUrl: PAGE };

  it('ends each mail with the org’s period on the page, as text and as a link', () => {
    // Act
    const town = summaryMail(monthly('EC'), registry, withPage);
    const digest = summaryMail(monthly('QJ'), registry, withPage);
    const year = summaryMail(annual('EC'), registry, withPage);

    // Assess
    expect(town.text.split('\n').at(-1)).toBe('在村报页面查看：https://cunbao.qj.test/?org=EC&period=2025-03');
    expect(digest.text.split('\n').at(-1)).toBe('在村报页面查看：https://cunbao.qj.test/?org=QJ&period=2025-03');
    expect(year.text.split('\n').at(-1)).toBe('在村报页面查看：https://cunbao.qj.test/?org=EC&period=2025');
    expect(documentOf(town.html).body).toMatch(
      /<p>在村报页面查看：<a href="https:\/\/cunbao\.qj\.test\/\?org=EC&amp;period=2025-03">[^<]+<\/a><\/p>\n$/,
    );
  });

  it('takes a reminder to its town’s upload of the month', () => {
    // Act
    const mail = reminderMail('2025-03', ['SH/V02', 'SH/V05'], registry, withPage);

    // Assess
    expect(mail.text.split('\n').at(-1)).toBe('在村报页面查看：https://cunbao.qj.test/?org=SH&period=2025-03');
    expect(mail.html).toContain('<a href="https://cunbao.qj.test/?org=SH&amp;period=2025-03">');
  });

  it('keeps a page’s own path and query', () => {
    // Act
    const mail = summaryMail(monthly('EC'), registry, { ...RECIPIENTS, pageUrl: 'https://gov.test/cunbao/index.html?lang=zh' });

    // Assess
    expect(mail.text.split('\n').at(-1)).toBe('在村报页面查看：https://gov.test/cunbao/index.html?lang=zh&org=EC&period=2025-03');
  });

  it('is absent when the page’s address is unknown, or is no web address', () => {
    // Act
    const plain = [
      summaryMail(monthly('EC'), registry, RECIPIENTS),
      summaryMail(monthly('QJ'), registry, RECIPIENTS),
      reminderMail('2025-03', ['SH/V02'], registry, RECIPIENTS),
      summaryMail(monthly('EC'), registry, { ...RECIPIENTS, pageUrl: 'javascript:alert(1)' }),
    ];

    // Assess
    for (const mail of plain) {
      expect(mail.text).not.toContain('在村报页面查看');
      expect(mail.html).not.toContain('<a ');
    }
  });
});

describe('reminderMail’s names', () => {
  it('give each unit its name beside its code, and a unit gone from the registry says so', () => {
    // Act
    const mail = reminderMail('2025-03', ['EC/V08', 'EC/TOWN', 'EC/V99'], registry, RECIPIENTS);
    const listed = mail.text.split('\n').filter((l) => l.startsWith('  '));

    // Assess
    expect(listed).toEqual(['  V08 大坪社区', '  TOWN 鹅池镇本级', '  EC/V99（名册中已无此单位）']);
    for (const line of listed) expect(line.trim()).not.toMatch(/^([A-Z]{2}\/)?(V\d{2}|TOWN)$/);
  });
});

describe('mailOptions, the MIME of every transport', () => {
  it('marks every message as sent by a program, and passes a given Message-ID in brackets', () => {
    // Act
    const plain = mailOptions({ from: 'a@qj.test', to: ['b@qj.test'], subject: 's', text: 't', html: 'h' });
    const stable = mailOptions({ from: 'a@qj.test', to: ['b@qj.test'], subject: 's', text: 't', html: 'h', messageId: 'r2.EC@qj.test' });

    // Assess
    expect(plain.headers).toEqual({ 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' });
    expect(plain.messageId).toBeUndefined();
    expect(stable.messageId).toBe('<r2.EC@qj.test>');
  });

  it('refuses a Message-ID that is no msg-id (a space, a line break, no @)', () => {
    // Prepare
    const message = { from: 'a@qj.test', to: ['b@qj.test'], subject: 's', text: 't', html: 'h' };

    // Act / Assess
    for (const messageId of ['a b@qj.test', 'x@qj.test>\r\nBcc: spy@evil.test', 'no-at-sign', '<@qj.test>'])
      expect(() => mailOptions({ ...message, messageId }), messageId).toThrow(RangeError);
  });
});

describe('a summary mail through SmtpMailer to the local SMTP sink', () => {
  let outbox: Outbox;
  beforeAll(async () => {
    outbox = await openOutbox('mail-defects');
  });
  afterAll(() => outbox?.stop());

  it('arrives with Auto-Submitted, X-Auto-Response-Suppress and the caller’s Message-ID, its HTML whole', async () => {
    // Prepare
    const mailer = new SmtpMailer({ host: outbox.sink.host, port: outbox.sink.port, secure: false });
    const message = { ...summaryMail(monthly('EC'), registry, RECIPIENTS), messageId: '<publish.EC.monthly.2025-03.r1@qj.test>' };

    // Act
    const id = await mailer.send(message);
    mailer.close();

    // Assess
    const files = outbox.files();
    expect(files).toHaveLength(1);
    const mail = await simpleParser(readFileSync(join(outbox.sink.outbox, files[0]!)));
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.headers.get('x-auto-response-suppress')).toBe('All');
    expect(mail.messageId).toBe('<publish.EC.monthly.2025-03.r1@qj.test>');
    expect(id).toBe('<publish.EC.monthly.2025-03.r1@qj.test>');
    expect(documentOf(String(mail.html)).title).toBe(message.subject);
  });
});

describe('a summary mail through SesMailer', () => {
  let endpoint: { url: string; bodies: string[]; stop: () => Promise<void> };
  beforeAll(async () => {
    // A loopback endpoint answering SES v2's SendEmail, keeping what it was sent.
    const bodies: string[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ MessageId: 'ses-1' }));
      });
    });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    endpoint = { url: `http://127.0.0.1:${port}`, bodies, stop: () => new Promise((resolve) => server.close(() => resolve())) };
  });
  afterAll(() => endpoint?.stop());

  it('sends raw bytes that carry Auto-Submitted, X-Auto-Response-Suppress and the Message-ID (which SES then replaces)', async () => {
    // Prepare
    const client = new SESv2Client({
      endpoint: endpoint.url,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    const message = { ...reminderMail('2025-03', ['SH/V02'], registry, RECIPIENTS), messageId: 'remind.SH.2025-03@qj.test' };

    // Act
    const id = await new SesMailer(client).send(message);
    client.destroy();

    // Assess
    expect(id).toBe('ses-1');
    const body = JSON.parse(endpoint.bodies[0]!) as { Content: { Raw: { Data: string } } };
    const raw = Buffer.from(body.Content.Raw.Data, 'base64');
    const mail = await simpleParser(raw);
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.headers.get('x-auto-response-suppress')).toBe('All');
    expect(mail.messageId).toBe('<remind.SH.2025-03@qj.test>');
  });
});
