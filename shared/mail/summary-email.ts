/**
 * The mails people read: a town's monthly (or annual) summary — key figures, completeness
 * by name, warnings, what changed in this revision, the JSON, CSV and workbook attached — to the
 * town's recipients; the district's digest (shared/mail/district-digest.ts) to the
 * district's; and the day-3 reminder of a town's units that have not sent last month.
 * Chinese, HTML and plain text; the times in Beijing time; a link to the page when its
 * address is known.
 */
import { chineseDeadline, chineseMonth, type Month } from '../period.ts';
import type { MailMessage } from '../ports/mail.ts';
import type { PublishedSummary } from '../ports/summaries.ts';
import type { Recipients } from '../publish/publish.ts';
import { townOf, type Registry } from '../registry.ts';
import { approvedLine, completenessLine, missingNames, scopeOf, unitNameOf } from '../summary-text.ts';
import { districtDigest } from './district-digest.ts';
import {
  changeLines,
  escapeHtml,
  figureLine,
  figuresHeading,
  figureTable,
  flagLines,
  htmlDocument,
  keyFigures,
  listHtml,
  listText,
  type PageLink,
  pageLine,
  percent,
  periodTitle,
  revisionNote,
  timeLine,
} from './parts.ts';
import { attachmentsOf } from './attachments.ts';

// The API serves the CSV of a published summary (shared/api/routes/summaries.ts).
export { summaryCsv } from './summary-csv.ts';

const FOOTER = '完整数据见附件（JSON、CSV、Excel）。此邮件由村报自动发送。';

/**
 * Who gets an org's summary: a town's goes to the deployment's town list (MAIL_TO_TOWN) and
 * the town's own recipients; the district's digest to MAIL_TO_DISTRICT and the district's.
 */
export function recipientsOf(org: string, registry: Registry, recipients: Recipients): string[] {
  const own = org === registry.district.code ? [...recipients.district, ...registry.district.recipients] : [];
  const town = registry.findTown(org);
  return [...new Set(town ? [...recipients.town, ...town.recipients] : own)];
}

/** What a town's summary mail says, once for its text and its HTML. */
function townContent(summary: PublishedSummary, registry: Registry) {
  const c = summary.completeness;
  const scope = scopeOf(summary);
  const names = missingNames(summary, c.missing, (key) => unitNameOf(registry, summary, key));
  const approved = approvedLine(c, scope);
  return {
    title: `${periodTitle(summary, registry)}${revisionNote(summary)}`,
    published: timeLine('发布时间', summary.publishedAt),
    lead: [{ label: '报送情况', text: completenessLine(c, names, scope) }, ...(approved ? [{ label: '审核情况', text: approved }] : [])],
    rates: `隐患整改率 ${percent(summary.derived.rectificationRate)}；信访办理中 ${summary.derived.petitionsInProgress} 件`,
    figures: keyFigures(summary),
    changesHeading: `本版更正（较第${summary.revision - 1}版）`,
    changes: changeLines(summary, registry),
    // The outliers are flags too: each is said once, as a flag.
    warnings: (summary.warnings ?? [])
      .filter((w) => w.code !== 'OUTLIER' || !summary.flags)
      .map((w) => `${unitNameOf(registry, summary, w.unit ?? '')}：${w.message}`),
    flags: flagLines(summary),
  };
}

type TownContent = ReturnType<typeof townContent>;
type Link = PageLink | undefined;

function townText(m: TownContent, link: Link): string {
  return [
    m.title,
    ...(m.published ? [m.published] : []),
    '',
    ...m.lead.map((l) => `${l.label}：${l.text}`),
    m.rates,
    '',
    figuresHeading(m.figures),
    ...m.figures.rows.map(figureLine),
    ...listText(m.changesHeading, m.changes),
    ...listText('需要核对的数字', m.flags),
    ...listText('需要核对的提醒', m.warnings),
    '',
    FOOTER,
    ...(link ? [link.text] : []),
  ].join('\n');
}

function townHtml(m: TownContent, link: Link): string {
  const lead = m.lead.map((l) => `<b>${escapeHtml(l.label)}：</b>${escapeHtml(l.text)}<br>`).join('');
  return [
    `<h2>${escapeHtml(m.title)}</h2>`,
    ...(m.published ? [`<p>${escapeHtml(m.published)}</p>`] : []),
    `<p>${lead}${escapeHtml(m.rates)}</p>`,
    figureTable(m.figures.rows, m.figures.compared),
    listHtml(m.changesHeading, m.changes),
    listHtml('需要核对的数字', m.flags),
    listHtml('需要核对的提醒', m.warnings),
    `<p>${FOOTER}</p>`,
    ...(link ? [link.html] : []),
  ]
    .filter(Boolean)
    .join('\n');
}

/** The mail of a published summary: a town's to its recipients, the district's digest to the district's. */
export function summaryMail(summary: PublishedSummary, registry: Registry, recipients: Recipients): MailMessage {
  const to = recipientsOf(summary.org, registry, recipients);
  const link = pageLine(recipients.pageUrl, summary.org, summary.period);
  if (summary.level === 'district') return districtDigest(summary, registry, { from: recipients.from, to, link });
  const content = townContent(summary, registry);
  const subject = `【村报】${content.title}`;
  return {
    from: recipients.from,
    to,
    subject,
    text: townText(content, link),
    html: htmlDocument(subject, townHtml(content, link)),
    attachments: attachmentsOf(summary, registry),
  };
}

/**
 * The reminder of a town's units that have not sent a month (full codes), to the town's
 * recipients (`recipients.town`, as the schedule gives them): the town by name, each unit
 * by its code within the town and its name; when it was sent, if `at` is given; a link to
 * the page's upload of the month, when its address is known.
 */
export function reminderMail(
  period: Month,
  missing: readonly string[],
  registry: Registry,
  recipients: Recipients,
  at?: Date,
): MailMessage {
  const units = missing.map((code) => registry.get(code));
  const names = missing.map((code, i) => {
    const unit = units[i];
    return unit ? `${unit.code} ${unit.name}` : `${code}（名册中已无此单位）`;
  });
  const townCode = units[0]?.town ?? townOf(missing[0] ?? '');
  const town = registry.findTown(townCode)?.name ?? registry.district.name;
  const deadline = chineseDeadline(period, registry.deadlineDay);
  const subject = `【村报】催报：${town}${chineseMonth(period)}尚有 ${missing.length} 个单位未报送`;
  const lead = `${town}${chineseMonth(period)}法治统计月报，截至目前以下单位尚未报送（截止日期 ${deadline}）：`;
  const sent = at ? timeLine('发送时间', at) : undefined;
  const link = pageLine(recipients.pageUrl, townCode, period);
  const ask = '请尽快上传月报文件。此邮件由村报自动发送。';
  const text = [lead, ...(sent ? [sent] : []), '', ...names.map((n) => `  ${n}`), '', ask, ...(link ? [link.text] : [])].join('\n');
  const body = [
    `<p>${escapeHtml(lead)}</p>`,
    ...(sent ? [`<p>${escapeHtml(sent)}</p>`] : []),
    `<ul>${names.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`,
    `<p>${ask}</p>`,
    ...(link ? [link.html] : []),
  ].join('\n');
  return { from: recipients.from, to: recipients.town, subject, text, html: htmlDocument(subject, body) };
}
