import { describe, expect, it } from 'vitest';
import { checkFile } from '../../shared/check.ts';
import type { Month } from '../../shared/period.ts';
import type { Org, Registry } from '../../shared/registry.ts';
import { annualReportDraft, money, reportHtml, reportMarkdown, roughly } from '../../shared/report.ts';
import { sum, yearOf } from '../../shared/rollup.ts';
import { yearSummary, type MonthEntry, type Summary } from '../../shared/summary.ts';
import type { Submission } from '../../shared/warnings.ts';
import { writeSubmissions } from '../../shared/write.ts';
import { registry } from '../support/core.ts';
import { districtSeedPhrases, SEED_PHRASES, seedYear } from '../support/seed-year.ts';
import { district } from '../support/district.ts';

const town = registry.defaultOrg;

/**
 * An org's annual summary from its monthly submissions, as the pipeline builds it: each
 * unit's year (flows added, stocks latest), the months due (`through`: the last one) with
 * their entries, on time.
 */
function annualOf(reg: Registry, org: Org, submissions: readonly Submission[], through = 12): Summary {
  const year = submissions[0]?.period.slice(0, 4) ?? '2025';
  const mine = submissions.filter((s) => org.level === 'district' || s.unit.startsWith(`${org.code}/`));
  const units = [...new Set(mine.map((s) => s.unit))];
  const unitYears = units.map((unit) => ({
    unit,
    values: yearOf(new Map(mine.filter((s) => s.unit === unit).map((s) => [s.period, s.values]))),
  }));
  const months = new Map<Month, MonthEntry[]>();
  for (let m = 1; m <= through; m++) {
    const period = `${year}-${String(m).padStart(2, '0')}`;
    const entries = mine
      .filter((s) => s.period === period)
      .map((s) => ({ unit: s.unit, values: s.values, firstReceivedAt: `${period}-28T00:00:00Z` }));
    months.set(period, entries);
  }
  return yearSummary(reg, org, year, sum(unitYears.map((u) => u.values)), unitYears, months);
}

describe('annualReportDraft', () => {
  it("reproduces every figure of the seed report from a year of the town's monthly files", () => {
    // Prepare: the year as files (wide CSV per unit), each checked as the pipeline does.
    const submissions = seedYear('2025').flatMap((s) => {
      const file = new TextEncoder().encode(writeSubmissions([s], { format: 'wide', headers: 'label' }));
      const checked = checkFile(file, { registry, uploader: { role: 'admin' }, now: new Date('2026-01-10T00:00:00+08:00') });
      expect(checked.errors).toEqual([]);
      return checked.submissions;
    });

    // Act
    const text = reportMarkdown(annualReportDraft(registry, annualOf(registry, town, submissions)));

    // Assess
    for (const phrase of SEED_PHRASES) expect(text, phrase).toContain(phrase);
    expect(text).toContain('# 黔江区鹅池镇2025年法治政府建设工作报告（统计部分草稿）');
    expect(text).toContain('（一）健全政府机构职能体系，夯实法治建设组织基础。全年召开法治政府建设专题会2次');
    expect(text).not.toContain('未报送');
  });

  it('numbers its paragraphs as the seed does, (一) to (六), those without monthly figures left for the writer', () => {
    // Act
    const draft = annualReportDraft(registry, annualOf(registry, town, seedYear('2025')));

    // Assess
    const numbers = draft.sections[0]!.paragraphs.map((p) => p.slice(0, 3));
    expect(numbers).toEqual(['（一）', '（二）', '（三）', '（四）', '（五）', '（六）']);
    expect(draft.sections[0]!.paragraphs[2]).toBe(
      '（三）健全行政决策制度体系，筑牢科学民主依法决策防线。（本段无月报统计数据，请结合工作实际撰写。）',
    );
    expect(draft.sections[0]!.paragraphs[3]).toMatch(/一是.*二是.*三是.*四是.*五是/);
  });

  it("writes the district's draft from the district's summary, covering the towns that reported", () => {
    // Prepare: the seed year is the district's only data (its other towns are empty).
    const summary = annualOf(district, district.org('QJ')!, seedYear('2025'));

    // Act
    const draft = annualReportDraft(district, summary);
    const text = reportMarkdown(draft);

    // Assess
    expect(draft.title).toBe('黔江区2025年法治政府建设工作报告（统计部分草稿）');
    for (const phrase of districtSeedPhrases(1)) expect(text, phrase).toContain(phrase);
    expect(text).not.toContain('全镇');
    expect(draft.note).toContain('涉及 18 个单位：石会镇石会社区（1—12月）、');
  });

  it('lists the dispute categories that were reported, and an escalated petition when there is one', () => {
    // Prepare
    const values = { disputes_resolved: 3, 'disputes_resolved.labor': 2, 'disputes_resolved.family': 1, escalated_petitions: 1 };

    // Act
    const text = reportMarkdown(annualReportDraft(registry, annualOf(registry, town, [{ unit: 'EC/V01', period: '2025-03', values }])));

    // Assess
    expect(text).toContain('排查化解各类矛盾纠纷3件（其中劳动关系2件、婚恋家庭1件）');
    expect(text).toContain('发生到市进京走访1件');
  });
});

describe('the coverage of an annual draft', () => {
  it('says 1—11月 and 数据截至11月 with data to November, never 全年', () => {
    // Act
    const draft = annualReportDraft(registry, annualOf(registry, town, seedYear('2025'), 11));
    const text = reportMarkdown(draft);

    // Assess
    expect(draft.note).toContain('数据截至11月（1—11月），不是全年');
    expect(text).toContain('1—11月召开法治政府建设专题会');
    expect(text).not.toContain('全年召开');
    expect(draft.table!.caption).toBe('2025年主要统计数据（1—11月）');
  });

  it('names only the units that missed months, each with the months it missed', () => {
    // Prepare: every unit every month, but 大坪社区 (V08) not in August and November, 石柱村 (V03) not in March.
    const gaps = seedYear('2025').filter(
      (s) => !(s.unit === 'EC/V08' && ['2025-08', '2025-11'].includes(s.period)) && !(s.unit === 'EC/V03' && s.period === '2025-03'),
    );

    // Act
    const draft = annualReportDraft(registry, annualOf(registry, town, gaps));

    // Assess
    expect(draft.note).toContain('缺报 3 个单位月，涉及 2 个单位：石柱村（3月）、大坪社区（8月、11月）。');
    expect(draft.note).not.toContain('鹅池社区');
  });

  it('leaves out what nobody reported: a sentence without figures, 未报送 for a figure, never 0', () => {
    // Prepare: one unit reported general hazards and road checks only.
    const only = [{ unit: 'EC/V01', period: '2025-05', values: { general_hazards_found: 4, hazards_rectified: 3, traffic_violations: 2 } }];

    // Act
    const draft = annualReportDraft(registry, annualOf(registry, town, only));
    const four = draft.sections[0]!.paragraphs[3]!;

    // Assess: 一是 hazards (major: 未报送), 二是 roads; the geohazard, fire and food sentences are gone.
    expect(four).toContain('一是扎实开展安全生产治本攻坚三年行动，累计排查重大事故隐患（未报送），一般隐患4处，完成整改3处，整改率75%。');
    expect(four).toContain('二是常态化开展道路交通安全路检路查，查处超载、酒驾等违法行为2起，排查临水临崖道路安全隐患（未报送）');
    expect(four).not.toMatch(/三是|地质灾害|食品/);
    expect(draft.sections[0]!.paragraphs[0]).toContain('（本段无月报统计数据，请结合工作实际撰写。）');
    expect(draft.note).toContain('以下指标无任何单位报送，文中写作“未报送”或不写：');
    expect(draft.table!.rows.find((r) => r[0] === '排查重大事故隐患')).toEqual(['排查重大事故隐患', '处', '未报送']);
    expect(draft.table!.rows.find((r) => r[0] === '排查一般隐患')).toEqual(['排查一般隐患', '处', '4']);
  });

  it('counts the villages that reported literates from the data, not the registry', () => {
    // Prepare: only 3 villages and the town office report literates.
    const units = ['EC/V01', 'EC/V02', 'EC/V03', 'EC/TOWN'];
    const submissions = units.map((unit) => ({ unit, period: '2025-06', values: { legal_literates: 2 } }));

    // Act
    const text = reportMarkdown(annualReportDraft(registry, annualOf(registry, town, submissions)));

    // Assess
    expect(text).toContain('遴选“法律明白人”8人，覆盖全镇3个村（社区）。');
  });
});

describe('reportHtml', () => {
  it('writes HTML with every text escaped', () => {
    const html = reportHtml({ title: 'a<b', note: 'x & y', sections: [{ heading: 'h', paragraphs: ['<script>'] }] });
    expect(html).toContain('<p>&lt;script&gt;</p>');
    expect(html).toContain('<title>a&lt;b</title>');
  });

  it('carries the table of the figures, in Markdown too', () => {
    const draft = annualReportDraft(registry, annualOf(registry, town, seedYear('2025')));
    expect(reportHtml(draft)).toContain('<tr><td>排查一般隐患</td><td>处</td><td>92</td></tr>');
    expect(reportMarkdown(draft)).toContain('| 排查一般隐患 | 处 | 92 |');
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
