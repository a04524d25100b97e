import { describe, expect, it } from 'vitest';
import { checkFile } from '../../shared/check.ts';
import { annualReportDraft, money, reportHtml, reportMarkdown, roughly } from '../../shared/report.ts';
import { sum, yearOf } from '../../shared/rollup.ts';
import { writeSubmissions } from '../../shared/write.ts';
import { registry } from '../support/core.ts';
import { districtSeedPhrases, SEED_PHRASES, seedYear } from '../support/seed-year.ts';
import { district } from '../support/district.ts';

const town = registry.defaultOrg;

describe('annualReportDraft', () => {
  it("reproduces every figure of the seed report from a year of the town's monthly files", () => {
    // Prepare: the year as files (wide CSV per unit), each checked as the pipeline does.
    const submissions = seedYear('2025').flatMap((s) => {
      const file = new TextEncoder().encode(writeSubmissions([s], { format: 'wide', headers: 'label' }));
      const checked = checkFile(file, { registry, uploader: { role: 'admin' }, now: new Date('2026-01-10T00:00:00+08:00') });
      expect(checked.errors).toEqual([]);
      return checked.submissions;
    });
    const totals = yearTotals(submissions);

    // Act
    const text = reportMarkdown(annualReportDraft(registry, town, '2025', totals));

    // Assess
    for (const phrase of SEED_PHRASES) expect(text, phrase).toContain(phrase);
    expect(text).toContain('# 黔江区鹅池镇2025年法治政府建设工作报告（统计部分草稿）');
  });

  it("writes the district's draft from the district's totals, covering its towns", () => {
    // Prepare: the seed year is the district's only data (its other towns are empty).
    const totals = yearTotals(seedYear('2025'));

    // Act
    const draft = annualReportDraft(district, district.org('QJ')!, '2025', totals, {
      expected: 312,
      submitted: 108,
      onTime: 108,
      late: 0,
      approved: 0,
      missing: ['SH/V01', 'HX/TOWN'],
    });
    const text = reportMarkdown(draft);

    // Assess
    expect(draft.title).toBe('黔江区2025年法治政府建设工作报告（统计部分草稿）');
    for (const phrase of districtSeedPhrases(3)) expect(text, phrase).toContain(phrase);
    expect(text).toContain('覆盖全区3个镇（街道）');
    expect(text).not.toContain('全镇');
    expect(draft.note).toContain('仍缺：石会镇石会社区、黑溪镇本级');
  });

  it('lists the dispute categories that were reported, and an escalated petition when there is one', () => {
    const text = reportMarkdown(
      annualReportDraft(registry, town, '2025', {
        disputes_resolved: 3,
        'disputes_resolved.labor': 2,
        'disputes_resolved.family': 1,
        escalated_petitions: 1,
      }),
    );
    expect(text).toContain('排查化解各类矛盾纠纷3件（其中劳动关系2件、婚恋家庭1件）');
    expect(text).toContain('发生到市进京走访1件');
  });

  it('tells the clerk how complete the year is', () => {
    const draft = annualReportDraft(
      registry,
      town,
      '2025',
      {},
      { expected: 108, submitted: 100, onTime: 95, late: 5, approved: 0, missing: ['V03'] },
    );
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

/** A year's totals from its monthly submissions: each unit's year (flows added, stocks latest), summed. */
function yearTotals(submissions: readonly { unit: string; period: string; values: Record<string, number> }[]): Record<string, number> {
  const units = new Set(submissions.map((s) => s.unit));
  return sum([...units].map((u) => yearOf(new Map(submissions.filter((s) => s.unit === u).map((s) => [s.period, s.values])))));
}
