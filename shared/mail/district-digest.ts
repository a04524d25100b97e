/**
 * The district's digest of a published summary, for the district's statistics officer: the
 * district's totals of the key figures, each town's completeness (expected, submitted, on
 * time, late, missing by name; a year's in unit-months) and each town's key figures, what
 * changed in this revision; the JSON, CSV and workbook (a column per town) attached.
 */
import type { MailMessage } from '../ports/mail.ts';
import type { PublishedSummary } from '../ports/summaries.ts';
import type { Registry } from '../registry.ts';
import { approvedLine, completenessLine, missingNames, scopeOf } from '../summary-text.ts';
import type { Completeness, TownFigures } from '../summary.ts';
import {
  changeLines,
  escapeHtml,
  figureLine,
  figuresHeading,
  figureTable,
  flagLines,
  htmlDocument,
  KEY_FIGURES,
  keyFigures,
  labelOf,
  listHtml,
  listText,
  type PageLink,
  percent,
  periodTitle,
  revisionNote,
  shown,
  timeLine,
} from './parts.ts';
import { attachmentsOf } from './attachments.ts';

const FOOTER = '各单位数据见各镇（街道）汇总；全区数据见附件（JSON、CSV、Excel）。此邮件由村报自动发送。';

interface TownRow {
  readonly name: string;
  readonly completeness: Completeness;
  readonly line: string;
  readonly missing: readonly string[];
  readonly figures: readonly string[];
}

function townRows(summary: PublishedSummary, registry: Registry): TownRow[] {
  const scope = scopeOf(summary);
  return Object.values(summary.towns ?? {}).map((town: TownFigures) => {
    // Within its town's row a unit needs no town name; a year's names carry their missing months.
    const missing = missingNames(summary, town.completeness.missing, (key) => registry.get(key)?.name ?? key);
    return {
      name: town.name,
      completeness: town.completeness,
      line: completenessLine(town.completeness, missing, scope),
      missing,
      figures: KEY_FIGURES.map((key) => shown(key, town.totals[key] ?? 0)),
    };
  });
}

/** What the digest says, once for its text and its HTML. */
function digestContent(summary: PublishedSummary, registry: Registry) {
  const c = summary.completeness;
  const scope = scopeOf(summary);
  const towns = Object.keys(summary.towns ?? {}).length;
  const approved = approvedLine(c, scope);
  return {
    title: `${periodTitle(summary, registry)}（全区汇总）${revisionNote(summary)}`,
    published: timeLine('发布时间', summary.publishedAt),
    year: scope === 'year',
    lead: [
      `全区报送情况：共 ${towns} 个镇（街道），${completenessLine(c, undefined, scope)}`,
      ...(approved ? [`全区审核情况：${approved}`] : []),
      `隐患整改率 ${percent(summary.derived.rectificationRate)}；信访办理中 ${summary.derived.petitionsInProgress} 件`,
    ],
    figures: keyFigures(summary),
    rows: townRows(summary, registry),
    changesHeading: `本版更正（较第${summary.revision - 1}版）`,
    changes: changeLines(summary, registry),
    flags: flagLines(summary),
  };
}

type DigestContent = ReturnType<typeof digestContent>;
type Link = PageLink | undefined;

function digestText(m: DigestContent, link: Link): string {
  return [
    m.title,
    ...(m.published ? [m.published] : []),
    '',
    ...m.lead,
    '',
    figuresHeading(m.figures, '全区'),
    ...m.figures.rows.map(figureLine),
    '',
    '各镇（街道）报送情况：',
    ...m.rows.map((r) => `  ${r.name}：${r.line}`),
    '',
    '各镇（街道）主要指标：',
    ...m.rows.map((r) => `  ${r.name}：${KEY_FIGURES.map((key, i) => `${labelOf(key)} ${r.figures[i]}`).join('，')}`),
    ...listText('需要核对的数字', m.flags),
    ...listText(m.changesHeading, m.changes),
    '',
    FOOTER,
    ...(link ? [link.text] : []),
  ].join('\n');
}

const TABLE = '<table border="1" cellpadding="4" cellspacing="0" style="border-collapse:collapse">';

/** Each town's completeness as a table; a year's counts unit-months, its missing are units. */
function completenessTable(rows: readonly TownRow[], year: boolean): string {
  const heads = year
    ? ['镇（街道）', '应报单位月', '已报', '按时', '迟报', '缺报单位月', '缺报单位']
    : ['镇（街道）', '应报', '已报', '按时', '迟报', '未报', '未报单位'];
  const n = (v: number) => `<td align="right">${v}</td>`;
  const row = ({ name, completeness: t, missing }: TownRow) =>
    `<tr><td>${escapeHtml(name)}</td>${n(t.expected)}${n(t.submitted)}${n(t.onTime)}${n(t.late)}${n(year ? t.expected - t.submitted : t.missing.length)}<td>${escapeHtml(missing.join('、') || '—')}</td></tr>`;
  return [TABLE, `<tr>${heads.map((h) => `<th>${h}</th>`).join('')}</tr>`, ...rows.map(row), '</table>'].join('\n');
}

function digestHtml(m: DigestContent, link: Link): string {
  const head = KEY_FIGURES.map((key) => `<th>${escapeHtml(labelOf(key))}</th>`).join('');
  const figures = (r: TownRow) => r.figures.map((f) => `<td align="right">${escapeHtml(f)}</td>`).join('');
  return [
    `<h2>${escapeHtml(m.title)}</h2>`,
    ...(m.published ? [`<p>${escapeHtml(m.published)}</p>`] : []),
    `<p>${m.lead.map(escapeHtml).join('<br>')}</p>`,
    '<h3>全区主要指标</h3>',
    figureTable(m.figures.rows, m.figures.compared),
    '<h3>各镇（街道）报送情况</h3>',
    completenessTable(m.rows, m.year),
    '<h3>各镇（街道）主要指标</h3>',
    [
      TABLE,
      `<tr><th>镇（街道）</th>${head}</tr>`,
      ...m.rows.map((r) => `<tr><td>${escapeHtml(r.name)}</td>${figures(r)}</tr>`),
      '</table>',
    ].join('\n'),
    listHtml('需要核对的数字', m.flags),
    listHtml(m.changesHeading, m.changes),
    `<p>${FOOTER}</p>`,
    ...(link ? [link.html] : []),
  ]
    .filter(Boolean)
    .join('\n');
}

export function districtDigest(
  summary: PublishedSummary,
  registry: Registry,
  { from, to, link }: { readonly from: string; readonly to: readonly string[]; readonly link: Link },
): MailMessage {
  const content = digestContent(summary, registry);
  const subject = `【村报】${content.title}`;
  return {
    from,
    to,
    subject,
    text: digestText(content, link),
    html: htmlDocument(subject, digestHtml(content, link)),
    attachments: attachmentsOf(summary, registry),
  };
}
