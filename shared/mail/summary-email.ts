/**
 * The mails people read: a town's monthly (or annual) summary — key figures, completeness
 * by name, warnings, what changed in this revision, the JSON, CSV and workbook attached — to the
 * town's recipients; the district's digest (shared/mail/district-digest.ts) to the
 * district's; and the day-3 reminder of a town's units that have not sent last month.
 * Chinese, HTML and plain text.
 */
import { chineseDeadline, chineseMonth, type Month } from '../period.ts';
import type { MailMessage } from '../ports/mail.ts';
import type { PublishedSummary } from '../ports/summaries.ts';
import type { Recipients } from '../publish/publish.ts';
import type { Registry } from '../registry.ts';
import { approvedLine, completenessLine, unitNameOf } from '../summary-text.ts';
import { districtDigest } from './district-digest.ts';
import { attachmentsOf, changeText, escapeHtml, figureLine, figureRow, KEY_FIGURES, percent, periodTitle, revisionNote } from './parts.ts';

// The API serves the CSV of a published summary (shared/api/routes/summaries.ts).
export { summaryCsv } from './summary-csv.ts';

/**
 * Who gets an org's summary: a town's goes to the deployment's town list (MAIL_TO_TOWN) and
 * the town's own recipients; the district's digest to MAIL_TO_DISTRICT and the district's.
 */
export function recipientsOf(org: string, registry: Registry, recipients: Recipients): string[] {
  const own = org === registry.district.code ? [...recipients.district, ...registry.district.recipients] : [];
  const town = registry.findTown(org);
  return [...new Set(town ? [...recipients.town, ...town.recipients] : own)];
}

/** The mail of a published summary: a town's to its recipients, the district's digest to the district's. */
export function summaryMail(summary: PublishedSummary, registry: Registry, recipients: Recipients): MailMessage {
  const to = recipientsOf(summary.org, registry, recipients);
  if (summary.level === 'district') return districtDigest(summary, registry, { from: recipients.from, to });
  const title = periodTitle(summary, registry);
  const c = summary.completeness;
  const rows = KEY_FIGURES.map((key) => figureRow(key, summary.totals, summary.comparisons?.previousMonth.change[key]));
  const completeness = completenessLine(
    c,
    c.missing.map((key) => unitNameOf(registry, summary, key)),
  );
  const approved = approvedLine(c);
  const rates = `隐患整改率 ${percent(summary.derived.rectificationRate)}；信访办理中 ${summary.derived.petitionsInProgress} 件`;
  const warnings = (summary.warnings ?? []).map((w) => `${unitNameOf(registry, summary, w.unit ?? '')}：${w.message}`);
  const changes = summary.changes.map((ch) => changeText(ch, registry, summary));
  const revision = revisionNote(summary);
  const text = [
    `${title}${revision}`,
    '',
    `报送情况：${completeness}`,
    ...(approved ? [`审核情况：${approved}`] : []),
    rates,
    '',
    '主要指标（括号内为较上月变化）：',
    ...rows.map(figureLine),
    ...(changes.length ? ['', `本版更正（较第${summary.revision - 1}版）：`, ...changes.map((x) => `  ${x}`)] : []),
    ...(warnings.length ? ['', '需要核对的提醒：', ...warnings.map((w) => `  ${w}`)] : []),
    '',
    '完整数据见附件（JSON、CSV、Excel）。此邮件由村报自动发送。',
  ].join('\n');
  const html = `<!doctype html><html lang="zh-CN"><body style="font-family:sans-serif">
<h2>${escapeHtml(title)}${escapeHtml(revision)}</h2>
<p><b>报送情况：</b>${escapeHtml(completeness)}<br>${approved ? `<b>审核情况：</b>${escapeHtml(approved)}<br>` : ''}${escapeHtml(rates)}</p>
<table border="1" cellpadding="4" cellspacing="0" style="border-collapse:collapse">
<tr><th>指标</th><th>合计</th><th>单位</th><th>较上月</th></tr>
${rows.map((r) => `<tr><td>${escapeHtml(r.label)}</td><td align="right">${escapeHtml(r.value)}</td><td>${escapeHtml(r.unit)}</td><td align="right">${escapeHtml(r.change)}</td></tr>`).join('\n')}
</table>
${changes.length ? `<h3>本版更正（较第${summary.revision - 1}版）</h3><ul>${changes.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul>` : ''}
${warnings.length ? `<h3>需要核对的提醒</h3><ul>${warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>` : ''}
<p>完整数据见附件（JSON、CSV、Excel）。此邮件由村报自动发送。</p>
</body></html>`;
  return { from: recipients.from, to, subject: `【村报】${title}${revision}`, text, html, attachments: attachmentsOf(summary, registry) };
}

/**
 * The reminder of a town's units that have not sent a month (full codes), to the town's
 * recipients (`recipients.town`, as the schedule gives them): the town by name, each unit
 * by its code within the town and its name.
 */
export function reminderMail(period: Month, missing: readonly string[], registry: Registry, recipients: Recipients): MailMessage {
  const units = missing.map((code) => registry.get(code));
  const names = missing.map((code, i) => `${units[i]?.code ?? code} ${units[i]?.name ?? ''}`.trim());
  const town = registry.findTown(units[0]?.town ?? '')?.name ?? registry.district.name;
  const deadline = chineseDeadline(period, registry.deadlineDay);
  const subject = `【村报】催报：${town}${chineseMonth(period)}尚有 ${missing.length} 个单位未报送`;
  const lead = `${town}${chineseMonth(period)}法治统计月报，截至目前以下单位尚未报送（截止日期 ${deadline}）：`;
  const text = [lead, '', ...names.map((n) => `  ${n}`), '', '请尽快上传月报文件。此邮件由村报自动发送。'].join('\n');
  const html = `<!doctype html><html lang="zh-CN"><body style="font-family:sans-serif"><p>${escapeHtml(lead)}</p><ul>${names.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul><p>请尽快上传月报文件。此邮件由村报自动发送。</p></body></html>`;
  return { from: recipients.from, to: recipients.town, subject, text, html };
}
