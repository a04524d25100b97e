/**
 * The annual report draft as a Word document (.docx, which WPS opens), written with the
 * `docx` library and loaded only when a .docx is asked for (tests/unit/lazy-imports.test.ts).
 * Laid out as an official document (GB/T 9704): A4, margins 37/35/28/26 mm, the title in
 * 小标宋 二号, first-level headings in 黑体 三号, body in 仿宋 三号 with a two-character
 * first-line indent and a fixed 28-point line; the figures as a table in 仿宋 四号. Each
 * chart of the draft comes with its title, its picture — the SVG, with the PNG that Word
 * and WPS require beside it (`picture`: shared/charts/png.ts) — and its text alternative
 * (every figure), which is also the picture's alt text.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  ImageRun,
  LineRuleType,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { ReportDraft } from './report.ts';

/** Millimetres in twips (1/1440 inch). */
const mm = (n: number) => Math.round((n * 1440) / 25.4);
const BODY = { font: { eastAsia: '仿宋_GB2312', ascii: 'Times New Roman', hAnsi: 'Times New Roman' }, size: 32 };
const HEADING = { ...BODY, font: { ...BODY.font, eastAsia: '黑体' } };
const TITLE = { font: { ...BODY.font, eastAsia: '方正小标宋简体' }, size: 44 };
const SMALL = { ...BODY, size: 28 };
const LINE = { line: 560, lineRule: LineRuleType.EXACT };

const body = (text: string) => new Paragraph({ children: [new TextRun({ ...BODY, text })], indent: { firstLine: 640 }, spacing: LINE });

function table(draft: ReportDraft): (Paragraph | Table)[] {
  const t = draft.table;
  if (!t) return [];
  const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  const cell = (text: string, bold: boolean, right: boolean) =>
    new TableCell({
      borders: { top: border, bottom: border, left: border, right: border },
      children: [
        new Paragraph({ alignment: right ? AlignmentType.RIGHT : AlignmentType.LEFT, children: [new TextRun({ ...SMALL, text, bold })] }),
      ],
    });
  const row = (cells: readonly string[], head: boolean) =>
    new TableRow({ tableHeader: head, children: cells.map((c, i) => cell(c, head, !head && i === cells.length - 1)) });
  return [
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: LINE, children: [new TextRun({ ...HEADING, text: t.caption })] }),
    new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [row(t.head, true), ...t.rows.map((r) => row(r, false))] }),
  ];
}

/** A chart's PNG, `width` CSS pixels wide (the picture Word shows where it cannot draw the SVG). */
export type Rasterizer = (svg: string, width: number) => Promise<Uint8Array>;

/** The text's width on A4 between the margins, in pixels at 96 to the inch (docx's unit for pictures). */
const TEXT_WIDTH_PX = Math.floor(((210 - 28 - 26) / 25.4) * 96);

/** A chart as an inline picture as wide as the text at most, its size kept in proportion. */
async function picture(c: NonNullable<ReportDraft['charts']>[number], index: number, png: Rasterizer): Promise<Paragraph> {
  const width = Math.min(c.width, TEXT_WIDTH_PX);
  const height = Math.round((c.height * width) / c.width);
  const image = new ImageRun({
    type: 'svg',
    data: new TextEncoder().encode(c.svg),
    fallback: { type: 'png', data: await png(c.svg, c.width) },
    transformation: { width, height },
    altText: { name: `图${index + 1}`, title: c.title, description: c.alt },
  });
  return new Paragraph({ alignment: AlignmentType.CENTER, children: [image] });
}

async function charts(draft: ReportDraft, png: Rasterizer | undefined): Promise<Paragraph[]> {
  const each = await Promise.all(
    (draft.charts ?? []).map(async (c, i) => [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: LINE,
        children: [new TextRun({ ...HEADING, text: `图${i + 1}　${c.title}` })],
      }),
      ...(png ? [await picture(c, i, png)] : []),
      body(c.alt),
    ]),
  );
  return each.flat();
}

/** The draft as .docx bytes; with `png`, each chart as a picture too (without: its title and words). */
export async function reportDocx(draft: ReportDraft, png?: Rasterizer): Promise<Uint8Array> {
  const doc = new Document({
    title: draft.title,
    creator: 'cunbao',
    sections: [
      {
        properties: {
          page: { size: { width: mm(210), height: mm(297) }, margin: { top: mm(37), bottom: mm(35), left: mm(28), right: mm(26) } },
        },
        children: [
          new Paragraph({
            heading: HeadingLevel.TITLE,
            alignment: AlignmentType.CENTER,
            children: [new TextRun({ ...TITLE, text: draft.title })],
          }),
          new Paragraph({ spacing: LINE, children: [new TextRun({ ...SMALL, text: draft.note, italics: true })] }),
          ...draft.sections.flatMap((s) => [
            new Paragraph({ heading: HeadingLevel.HEADING_1, spacing: LINE, children: [new TextRun({ ...HEADING, text: s.heading })] }),
            ...s.paragraphs.map(body),
          ]),
          ...table(draft),
          ...(await charts(draft, png)),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}
