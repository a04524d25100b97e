import { describe, expect, it } from 'vitest';
import { checkFile } from '../../shared/check.ts';
import { annualReportDraft, money, reportHtml, reportMarkdown, roughly } from '../../shared/report.ts';
import { sum, yearOf } from '../../shared/rollup.ts';
import { writeSubmissions } from '../../shared/write.ts';
import { registry } from '../support/core.ts';
import { seedYear } from '../support/seed-year.ts';

/** Every figure of the seed report's section 一 (and the study figures of section 二), as it writes them. */
const SEED_PHRASES = [
  '法治政府建设专题会2次',
  '“法律明白人”40人，覆盖全镇8个村（社区）',
  '专题学习培训5次',
  '排查重大事故隐患2处，一般隐患92处',
  '整改率100%',
  '完成辖区6处地质灾害隐患点监测设备升级',
  '防汛抗旱应急演练3次',
  '修订完善村级应急预案8份',
  '联合执法4次',
  '检查销售门店4家',
  '查处违规充电行为3起',
  '发放宣传资料1000余份',
  '燃气安全问题27项',
  '安装燃气报警器33户',
  '漏电保护器3000个',
  '下达整改通知书4份',
  '查处超载、酒驾等违法行为113起',
  '排查临水临崖道路安全隐患11处，整治11处',
  '增设道路安全警示标志14个',
  '检查各类生产经营单位77家次',
  '发现食品安全隐患36个',
  '全过程闭环整改销号36个',
  '研究部署辖区平安稳定工作12次',
  '录入平安稳定问题7条',
  '排查化解各类矛盾纠纷133件',
  '受理群众来信来访15件，办结14件（办理中1件）',
  '信访稳定联合调度指令5件',
  '未发生到市进京走访',
  '接访下访群众800余人次',
  '解决群众反映问题426件次',
  '“解三难”补助资金2.1万元',
  '学习习近平法治思想6次',
  '4场360人次',
];

describe('annualReportDraft', () => {
  it("reproduces every figure of the seed report from a year of the town's monthly files", () => {
    // Prepare: the year as files (wide CSV per unit), each checked as the pipeline does.
    const submissions = seedYear('2025').flatMap((s) => {
      const file = new TextEncoder().encode(writeSubmissions([s], { format: 'wide', headers: 'label' }));
      const checked = checkFile(file, { registry, uploader: { role: 'admin' }, now: new Date('2026-01-10T00:00:00+08:00') });
      expect(checked.errors).toEqual([]);
      return checked.submissions;
    });
    const units = new Set(submissions.map((s) => s.unit));
    const totals = sum([...units].map((u) => yearOf(new Map(submissions.filter((s) => s.unit === u).map((s) => [s.period, s.values])))));

    // Act
    const text = reportMarkdown(annualReportDraft(registry, '2025', totals));

    // Assess
    for (const phrase of SEED_PHRASES) expect(text, phrase).toContain(phrase);
    expect(text).toContain('# 黔江区鹅池镇2025年法治政府建设工作报告（统计部分草稿）');
  });

  it('lists the dispute categories that were reported, and an escalated petition when there is one', () => {
    const text = reportMarkdown(annualReportDraft(registry, '2025', { disputes_resolved: 3, 'disputes_resolved.labor': 2, 'disputes_resolved.family': 1, escalated_petitions: 1 }));
    expect(text).toContain('排查化解各类矛盾纠纷3件（其中劳动关系2件、婚恋家庭1件）');
    expect(text).toContain('发生到市进京走访1件');
  });

  it('tells the clerk how complete the year is', () => {
    const draft = annualReportDraft(registry, '2025', {}, { expected: 108, submitted: 100, onTime: 95, late: 5, missing: ['V03'] });
    expect(draft.note).toContain('应报 108 份，已报 100 份（按时 95，迟报 5），仍缺：石柱村');
  });

  it('writes HTML with every text escaped', () => {
    const html = reportHtml({ title: 'a<b', note: 'x & y', sections: [{ heading: 'h', paragraphs: ['<script>'] }] });
    expect(html).toContain('<p>&lt;script&gt;</p>');
    expect(html).toContain('<title>a&lt;b</title>');
  });
});

describe('money and rough figures', () => {
  it('writes 10 000 yuan and more in 万元', () => {
    expect([money(21000), money(9999.5), money(123456), money(10000)]).toEqual(['2.1万元', '9999.5元', '12.35万元', '1万元']);
  });

  it('gives large counts as "more than" a round hundred, and round ones as they are', () => {
    expect([roughly(1036), roughly(823), roughly(1000), roughly(42)]).toEqual(['1000余', '800余', '1000', '42']);
  });
});
