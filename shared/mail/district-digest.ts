/**
 * The district's digest of a published summary, for the district's statistics officer: the
 * district's totals of the key figures, each town's completeness (expected, submitted, on
 * time, late, missing by name) and each town's key figures, what changed in this revision;
 * the JSON, CSV and workbook (a column per town) attached.
 */
import type { MailMessage } from '../ports/mail.ts';
import type { PublishedSummary } from '../ports/summaries.ts';
import type { Registry } from '../registry.ts';
import { approvedLine, completenessLine } from '../summary-text.ts';
import type { TownFigures } from '../summary.ts';
import {
  attachmentsOf,
  changeText,
  escapeHtml,
  figureLine,
  figureRow,
  KEY_FIGURES,
  labelOf,
  percent,
  periodTitle,
  revisionNote,
  shown,
} from './parts.ts';

interface TownRow {
  readonly code: string;
  readonly name: string;
  readonly completeness: string;
  readonly missing: readonly string[];
  readonly figures: readonly string[];
}

function townRows(summary: PublishedSummary, registry: Registry): TownRow[] {
  return Object.entries(summary.towns ?? {}).map(([code, town]: [string, TownFigures]) => {
    const missing = town.completeness.missing.map((key) => registry.get(key)?.name ?? key);
    return {
      code,
      name: town.name,
      completeness: completenessLine(town.completeness, missing),
      missing,
      figures: KEY_FIGURES.map((key) => shown(key, town.totals[key] ?? 0)),
    };
  });
}

function digestHtml(
  title: string,
  lead: readonly string[],
  rows: readonly TownRow[],
  summary: PublishedSummary,
  changes: string[],
): string {
  const totals = KEY_FIGURES.map((key) => figureRow(key, summary.totals, summary.comparisons?.previousMonth.change[key]));
  const head = KEY_FIGURES.map((key) => `<th>${escapeHtml(labelOf(key))}</th>`).join('');
  const c = (n: number) => `<td align="right">${n}</td>`;
  return `<!doctype html><html lang="zh-CN"><body style="font-family:sans-serif">
<h2>${escapeHtml(title)}</h2>
<p>${lead.map(escapeHtml).join('<br>')}</p>
<h3>全区主要指标</h3>
<table border="1" cellpadding="4" cellspacing="0" style="border-collapse:collapse">
<tr><th>指标</th><th>合计</th><th>单位</th><th>较上月</th></tr>
${totals.map((r) => `<tr><td>${escapeHtml(r.label)}</td><td align="right">${escapeHtml(r.value)}</td><td>${escapeHtml(r.unit)}</td><td align="right">${escapeHtml(r.change)}</td></tr>`).join('\n')}
</table>
<h3>各镇（街道）报送情况</h3>
<table border="1" cellpadding="4" cellspacing="0" style="border-collapse:collapse">
<tr><th>镇（街道）</th><th>应报</th><th>已报</th><th>按时</th><th>迟报</th><th>未报</th><th>未报单位</th></tr>
${rows
  .map((r) => {
    const t = summary.towns![r.code]!.completeness;
    return `<tr><td>${escapeHtml(r.name)}</td>${c(t.expected)}${c(t.submitted)}${c(t.onTime)}${c(t.late)}${c(t.missing.length)}<td>${escapeHtml(r.missing.join('、') || '—')}</td></tr>`;
  })
  .join('\n')}
</table>
<h3>各镇（街道）主要指标</h3>
<table border="1" cellpadding="4" cellspacing="0" style="border-collapse:collapse">
<tr><th>镇（街道）</th>${head}</tr>
${rows.map((r) => `<tr><td>${escapeHtml(r.name)}</td>${r.figures.map((f) => `<td align="right">${escapeHtml(f)}</td>`).join('')}</tr>`).join('\n')}
</table>
${changes.length ? `<h3>本版更正（较第${summary.revision - 1}版）</h3><ul>${changes.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul>` : ''}
<p>各单位数据见各镇（街道）汇总；全区数据见附件（JSON、CSV、Excel）。此邮件由村报自动发送。</p>
</body></html>`;
}

export function districtDigest(
  summary: PublishedSummary,
  registry: Registry,
  { from, to }: { readonly from: string; readonly to: readonly string[] },
): MailMessage {
  const title = `${periodTitle(summary, registry)}（全区汇总）${revisionNote(summary)}`;
  const c = summary.completeness;
  const towns = Object.keys(summary.towns ?? {}).length;
  const approved = approvedLine(c);
  const lead = [
    `全区报送情况：共 ${towns} 个镇（街道），${completenessLine(c)}`,
    ...(approved ? [`全区审核情况：${approved}`] : []),
    `隐患整改率 ${percent(summary.derived.rectificationRate)}；信访办理中 ${summary.derived.petitionsInProgress} 件`,
  ];
  const rows = townRows(summary, registry);
  const changes = summary.changes.map((ch) => changeText(ch, registry, summary));
  const text = [
    title,
    '',
    ...lead,
    '',
    '全区主要指标（括号内为较上月变化）：',
    ...KEY_FIGURES.map((key) => figureLine(figureRow(key, summary.totals, summary.comparisons?.previousMonth.change[key]))),
    '',
    '各镇（街道）报送情况：',
    ...rows.map((r) => `  ${r.name}：${r.completeness}`),
    '',
    '各镇（街道）主要指标：',
    ...rows.map((r) => `  ${r.name}：${KEY_FIGURES.map((key, i) => `${labelOf(key)} ${r.figures[i]}`).join('，')}`),
    ...(changes.length ? ['', `本版更正（较第${summary.revision - 1}版）：`, ...changes.map((x) => `  ${x}`)] : []),
    '',
    '各单位数据见各镇（街道）汇总；全区数据见附件（JSON、CSV、Excel）。此邮件由村报自动发送。',
  ].join('\n');
  return {
    from,
    to,
    subject: `【村报】${title}`,
    text,
    html: digestHtml(title, lead, rows, summary, changes),
    attachments: attachmentsOf(summary, registry),
  };
}
