import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { metricOf, trendData } from '../../shared/charts/data.ts';
import { chartSpec } from '../../shared/charts/options.ts';
import { svgToPng } from '../../shared/charts/png.ts';
import { renderChart } from '../../shared/charts/svg.ts';
import type { Month } from '../../shared/period.ts';
import { annualReportDraft } from '../../shared/report.ts';
import { reportDocx } from '../../shared/report-docx.ts';
import { sum, yearOf } from '../../shared/rollup.ts';
import { yearSummary, type MonthEntry } from '../../shared/summary.ts';
import { registry } from '../support/core.ts';
import { libreOfficeText } from '../support/office.ts';
import { SEED_PHRASES, seedYear } from '../support/seed-year.ts';

const town = registry.defaultOrg;

/** The seed year's annual summary of the town, every month on time. */
function seedSummary() {
  const submissions = seedYear('2025');
  const units = [...new Set(submissions.map((s) => s.unit))];
  const unitYears = units.map((unit) => ({
    unit,
    values: yearOf(new Map(submissions.filter((s) => s.unit === unit).map((s) => [s.period, s.values]))),
  }));
  const months = new Map<Month, MonthEntry[]>();
  for (const s of submissions) {
    const entries = months.get(s.period) ?? [];
    entries.push({ unit: s.unit, values: s.values, firstReceivedAt: `${s.period}-28T00:00:00Z` });
    months.set(s.period, entries);
  }
  return yearSummary(registry, town, '2025', sum(unitYears.map((u) => u.values)), unitYears, months);
}

/** The document's paragraphs as text (each of ours is one run), entities decoded. */
function paragraphsOf(docx: Uint8Array): { xml: string; paragraphs: string[] } {
  const files = unzipSync(docx);
  const xml = new TextDecoder().decode(files['word/document.xml']!);
  const decode = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  const paragraphs = [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((p) =>
    [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => decode(t[1]!)).join(''),
  );
  return { xml, paragraphs };
}

describe('reportDocx', () => {
  it('writes every figure of the seed report into a Word document, read back from its document.xml', async () => {
    // Prepare
    const draft = annualReportDraft(registry, seedSummary());
    // Act
    const { paragraphs } = paragraphsOf(await reportDocx(draft));
    const text = paragraphs.join('\n');
    // Assess
    expect(paragraphs[0]).toBe('黔江区鹅池镇2025年法治政府建设工作报告（统计部分草稿）');
    for (const phrase of SEED_PHRASES) expect(text, phrase).toContain(phrase);
    expect(paragraphs).toContain('一、推进法治政府建设的主要举措和成效');
    expect(paragraphs).toContain(draft.note);
    expect(text).not.toContain('未报送');
  });

  it('opens in LibreOffice Writer, which reads every figure of the seed report', async () => {
    const text = libreOfficeText(await reportDocx(annualReportDraft(registry, seedSummary())));
    expect(text).toContain('黔江区鹅池镇2025年法治政府建设工作报告（统计部分草稿）');
    for (const phrase of SEED_PHRASES) expect(text, phrase).toContain(phrase);
  }, 120_000);

  it('carries the figures as a table: caption, header, one row per value key with its total', async () => {
    const draft = annualReportDraft(registry, seedSummary());
    const { xml, paragraphs } = paragraphsOf(await reportDocx(draft));
    const table = draft.table!;
    expect(paragraphs).toContain(table.caption);
    expect(xml.match(/<w:tr[ >]/g)).toHaveLength(table.rows.length + 1);
    expect(xml).toContain('<w:tblHeader/>');
    const hazards = table.rows.find((r) => r[0] === '排查一般隐患')!;
    expect(paragraphs.join('|')).toContain(hazards.join('|'));
  });

  it("lays the page out as an official document: A4, GB/T 9704's margins, 仿宋 body with a two-character indent", async () => {
    const { xml } = paragraphsOf(await reportDocx(annualReportDraft(registry, seedSummary())));
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(xml).toMatch(/<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"/);
    expect(xml).toContain('w:eastAsia="仿宋_GB2312"');
    expect(xml).toContain('<w:ind w:firstLine="640"/>');
  });

  it('gives each chart its numbered title and its text alternative, every figure in words', async () => {
    // Prepare
    const spec = chartSpec(trendData(town, metricOf('general_hazards_found')!, '2025', new Map(), new Map()));
    const chart = { title: spec.title, alt: spec.description, svg: await renderChart(spec), width: spec.width, height: spec.height };
    // Act
    const { paragraphs } = paragraphsOf(await reportDocx(annualReportDraft(registry, seedSummary(), [chart])));
    // Assess
    expect(paragraphs).toContain(`图1　${spec.title}`);
    expect(paragraphs).toContain(spec.description);
  });

  it('draws each chart as a picture: the SVG with the PNG Word and WPS need, its figures as alt text, as wide as the text', async () => {
    // Prepare
    const specs = ['general_hazards_found', 'disputes_resolved'].map((key) =>
      chartSpec(trendData(town, metricOf(key)!, '2025', new Map(), new Map())),
    );
    const charts = await Promise.all(
      specs.map(async (s) => ({ title: s.title, alt: s.description, svg: await renderChart(s), width: s.width, height: s.height })),
    );
    const spec = specs[0]!;
    const draft = annualReportDraft(registry, seedSummary(), charts);

    // Act
    const docx = await reportDocx(draft, svgToPng);

    // Assess
    const files = unzipSync(docx);
    const media = Object.keys(files).filter((f) => f.startsWith('word/media/'));
    expect(media.filter((f) => f.endsWith('.svg'))).toHaveLength(2);
    const pngs = media.filter((f) => f.endsWith('.png'));
    expect(pngs).toHaveLength(2);
    const png = files[pngs[0]!]!;
    expect(new TextDecoder().decode(png.slice(1, 4))).toBe('PNG');
    // Twice the chart's width in pixels (sharp in print): the IHDR's width, big-endian at byte 16.
    expect(new DataView(png.buffer, png.byteOffset).getUint32(16)).toBe(spec.width * 2);
    const xml = new TextDecoder().decode(files['word/document.xml']!);
    expect(xml).toContain('asvg:svgBlip');
    expect(xml).toContain(`descr="${spec.description.replace(/"/g, '&quot;')}"`);
    // 156 mm of text at 96 px to the inch is 589 px: the 720-px chart is drawn at that width (EMU = px × 9525).
    expect(xml).toContain(`cx="${589 * 9525}"`);
    expect(paragraphsOf(docx).paragraphs).toContain(spec.description);
    // And the document with its pictures still opens in Writer.
    expect(libreOfficeText(docx)).toContain(`图1　${spec.title}`);
  });
});
