/** The mails and the CSV of published summaries (shared/mail/): a town's, the district's digest, the reminder. */
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { reminderMail, recipientsOf, summaryCsv, summaryMail } from '../../shared/mail/summary-email.ts';
import type { PublishedSummary } from '../../shared/ports/summaries.ts';
import type { Recipients } from '../../shared/publish/publish.ts';
import { sum } from '../../shared/rollup.ts';
import { monthSummary, type MonthEntry } from '../../shared/summary.ts';
import { districtWithRecipients } from '../support/district.ts';
import { openpyxl } from '../support/office.ts';

const registry = districtWithRecipients();
const RECIPIENTS: Recipients = { from: 'cunbao@qj.test', town: ['all-towns@qj.test'], district: ['sfj@qj.test'] };

const entries: MonthEntry[] = [
  { unit: 'EC/V01', values: { general_hazards_found: 3, veteran_aid_yuan: 10_500 }, firstReceivedAt: '2025-04-01T00:00:00Z' },
  { unit: 'EC/V02', values: { general_hazards_found: 2 }, firstReceivedAt: '2025-04-10T00:00:00Z' },
  { unit: 'SH/V05', values: { general_hazards_found: 7, petitions_received: 1 }, firstReceivedAt: '2025-04-02T00:00:00Z' },
];

function published(org: string, revision = 1, changes: PublishedSummary['changes'] = []): PublishedSummary {
  const own = org === 'QJ' ? entries : entries.filter((e) => e.unit.startsWith(`${org}/`));
  const totals = sum(own.map((e) => e.values));
  const summary = monthSummary(registry, registry.org(org)!, '2025-03', totals, own, { previousMonth: [], sameMonthLastYear: [] });
  return { ...summary, kind: 'monthly', revision, publishedAt: '2025-04-06T00:00:00Z', version: 3, changes };
}

describe('recipientsOf', () => {
  it("sends a town's summary to MAIL_TO_TOWN and the town's own recipients, the district's to the district's", () => {
    expect(recipientsOf('SH', registry, RECIPIENTS)).toEqual(['all-towns@qj.test', 'clerk@sh.test']);
    expect(recipientsOf('QJ', registry, RECIPIENTS)).toEqual(['sfj@qj.test', 'office@qj.test']);
  });
});

describe("a town's summary mail", () => {
  it('goes to its town only, without the district in copy', () => {
    const mail = summaryMail(published('EC'), registry, RECIPIENTS);
    expect(mail.to).toEqual(['all-towns@qj.test', 'clerk@ec.test']);
    expect(mail.cc).toBeUndefined();
    expect(mail.subject).toBe('【村报】鹅池镇2025年3月法治统计月报');
    expect(mail.text).toContain('应报 9，已报 2（按时 1，迟报 1），未报 7：石柱村、');
  });

  it('opens with its title and its publication in Beijing time, its HTML a whole document titled with the subject', () => {
    // Act
    const mail = summaryMail(published('EC'), registry, RECIPIENTS);

    // Assess
    expect(mail.text.split('\n').slice(0, 2)).toEqual(['鹅池镇2025年3月法治统计月报', '发布时间：2025年4月6日 08:00（北京时间）']);
    expect(mail.html).toMatch(/^<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">/);
    expect(mail.html).toContain(`<title>${mail.subject}</title></head>`);
    expect(mail.html).toMatch(/<\/body><\/html>$/);
  });
});

describe('the attachments', () => {
  it('attach the workbook beside the CSV: a column per unit, those that did not report marked', () => {
    // Act
    const workbook = summaryMail(published('EC', 2), registry, RECIPIENTS).attachments!.find((a) => a.filename.endsWith('.xlsx'))!;
    const sheet = openpyxl(workbook.content as Uint8Array).sheets[0]!;

    // Assess
    expect(workbook.filename).toBe('monthly-2025-03-v2.xlsx');
    expect(workbook.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(sheet.values[1]![0]).toContain('第2版（有更正）');
    expect(sheet.values[3]!.slice(3, 7)).toEqual(['全镇合计', 'V01 鹅池社区', 'V02 南溪村', 'V03 石柱村（未报）']);
  });
});

describe("the district's digest", () => {
  it("gives the district's totals, each town's completeness by name and each town's key figures", () => {
    // Act
    const mail = summaryMail(published('QJ'), registry, RECIPIENTS);

    // Assess
    expect(mail.to).toEqual(['sfj@qj.test', 'office@qj.test']);
    expect(mail.subject).toBe('【村报】黔江区2025年3月法治统计月报（全区汇总）');
    expect(mail.text).toContain('全区报送情况：共 3 个镇（街道），应报 26，已报 3（按时 2，迟报 1），未报 23');
    // February has nothing: no change is shown, and the heading says why (blank is not 0).
    expect(mail.text).toContain('\n全区主要指标（上月无可比数据）：\n');
    expect(mail.text).toMatch(/^ {2}排查一般隐患：12 处$/m);
    expect(mail.text).toMatch(/^ {2}发放优抚对象“解三难”补助资金：1\.05万元$/m);
    expect(mail.text).toContain(
      '  鹅池镇：应报 9，已报 2（按时 1，迟报 1），未报 7：石柱村、红岩村、新建村、青山村、杉岭村、大坪社区、鹅池镇本级',
    );
    expect(mail.text).toContain('  石会镇：应报 8，已报 1（按时 1，迟报 0），未报 7：石会社区、');
    expect(mail.text).toContain('  黑溪镇：应报 9，已报 0（按时 0，迟报 0），未报 9：');
    expect(mail.text).toMatch(/^ {2}石会镇：排查重大事故隐患 0，排查一般隐患 7，/m);
    expect(mail.html).toContain('<td>石会镇</td><td align="right">8</td><td align="right">1</td>');
    expect(mail.attachments!.map((a) => a.filename)).toEqual([
      'monthly-2025-03-v1.json',
      'monthly-2025-03-v1.csv',
      'monthly-2025-03-v1.xlsx',
    ]);
  });

  it('names the towns whose totals a correction changed, money written as the figures write it', () => {
    // Prepare
    const changes = [
      { what: 'town', town: 'SH', key: 'general_hazards_found', before: 5, after: 7 },
      { what: 'town', town: 'EC', key: 'veteran_aid_yuan', before: 9_000, after: 10_500 },
    ] as const;

    // Act
    const mail = summaryMail(published('QJ', 2, changes), registry, RECIPIENTS);

    // Assess
    expect(mail.subject).toBe('【村报】黔江区2025年3月法治统计月报（全区汇总）（第2版，有更正）');
    expect(mail.text).toContain(
      '本版更正（较第1版）：\n  石会镇 排查一般隐患：5 → 7\n  鹅池镇 发放优抚对象“解三难”补助资金：9000元 → 1.05万元\n',
    );
  });

  it('has no recipient when neither MAIL_TO_DISTRICT nor the registry names one', () => {
    const mail = summaryMail({ ...published('QJ') }, districtWithRecipients(), { ...RECIPIENTS, district: [] });
    expect(mail.to).toEqual(['office@qj.test']);
  });
});

describe('summaryCsv', () => {
  it("writes a title block, then a row per metric: the district's total, then a column per town (未报 marked, blank)", () => {
    // Act
    const rows = parseCsv(summaryCsv(published('QJ'), registry), { bom: true, relax_column_count: true }) as string[][];

    // Assess
    expect(rows[0]).toEqual(['黔江区2025年3月法治建设统计汇总']);
    expect(rows[1]![0]).toMatch(/^统计期间 2025年3月 · 第1版 · 发布时间 2025-04-06 08:00（北京时间）$/);
    expect(rows[2]![0]).toMatch(/^报送情况：应报 26，已报 3/);
    expect(rows[3]).toEqual(['']);
    expect(rows[4]).toEqual([
      '指标代码',
      '指标名称',
      '计量单位',
      '全区合计',
      'EC 鹅池镇（已报 2/9）',
      'SH 石会镇（已报 1/8）',
      'HX 黑溪镇（未报）',
    ]);
    const hazards = rows.find((r) => r[0] === 'general_hazards_found')!;
    expect(hazards.slice(3)).toEqual(['12', '5', '7', '']);
    const aid = rows.find((r) => r[0] === 'veteran_aid_yuan')!;
    // A town's column is its units' sum: 石会镇 reported, not this metric (a town's totals name every key).
    expect(aid.slice(3)).toEqual(['10500', '10500', '0', '']);
    // Nobody reported a single training: blank, not 0.
    expect(rows.find((r) => r[0] === 'legal_trainings')!.slice(3, 4)).toEqual(['']);
    expect(rows.find((r) => r[0] === 'rectificationRate')!.slice(2, 4)).toEqual(['%', '0%']);
  });

  it('writes every expected unit of a town by code and name, those that did not report marked 未报', () => {
    const rows = parseCsv(summaryCsv(published('EC'), registry), { bom: true, relax_column_count: true }) as string[][];
    const header = rows.find((r) => r[0] === '指标代码')!;
    expect(header.slice(0, 7)).toEqual([
      '指标代码',
      '指标名称',
      '计量单位',
      '全镇合计',
      'V01 鹅池社区',
      'V02 南溪村',
      'V03 石柱村（未报）',
    ]);
    expect(header).toHaveLength(4 + 9);
    expect(rows.find((r) => r[0] === 'general_hazards_found')!.slice(3, 7)).toEqual(['5', '3', '2', '']);
    expect(rows[2]![0]).toContain('未报 7：石柱村、');
  });
});

describe('reminderMail', () => {
  it('names the town and its missing units by code and name', () => {
    const mail = reminderMail('2025-03', ['SH/V02', 'SH/V05'], registry, { ...RECIPIENTS, town: ['clerk@sh.test'] });
    expect(mail.subject).toBe('【村报】催报：石会镇2025年3月尚有 2 个单位未报送');
    expect(mail.to).toEqual(['clerk@sh.test']);
    expect(mail.text).toContain('石会镇2025年3月法治统计月报');
    expect(mail.text).toContain('  V02 中坝村\n  V05 新建村\n');
  });

  it('links to the town’s upload of the month when the page’s address is known, and only then', () => {
    // Act
    const linked = reminderMail('2025-03', ['SH/V02'], registry, { ...RECIPIENTS, pageUrl: 'https://cunbao.qj.test/' });
    const plain = reminderMail('2025-03', ['SH/V02'], registry, RECIPIENTS);

    // Assess
    expect(linked.text.split('\n').at(-1)).toBe('在村报页面查看：https://cunbao.qj.test/?org=SH&period=2025-03');
    expect(linked.html).toContain('<a href="https://cunbao.qj.test/?org=SH&amp;period=2025-03">');
    expect(plain.text).not.toContain('在村报页面查看');
  });
});
