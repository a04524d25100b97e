/**
 * The mails people read: the monthly (or annual) summary — key figures, completeness by
 * name, warnings, what changed in this revision, the JSON and CSV attached — and the
 * day-3 reminder of units that have not sent last month. Chinese, HTML and plain text.
 */
import { VALUE_KEYS } from '../catalogue.ts';
import { safeCsvLine, UTF8_BOM } from '../csv.ts';
import { formatValue } from '../numbers.ts';
import { chineseDeadline, chineseMonth, type Month } from '../period.ts';
import type { PublishedSummary } from '../ports/summaries.ts';
import type { Recipients } from '../publish/publish.ts';
import type { Registry } from '../registry.ts';
import { money } from '../report.ts';
import { orgName, unitByKey } from '../summary.ts';
import type { MailMessage } from '../ports/mail.ts';

/** The figures a leader reads first (the rest is in the attachments). */
const KEY_FIGURES = [
  'major_hazards_found',
  'general_hazards_found',
  'hazards_rectified',
  'disputes_resolved',
  'petitions_received',
  'petitions_closed',
  'visitors_received',
  'traffic_violations',
  'food_units_inspected',
  'legal_trainings',
  'veteran_aid_yuan',
] as const;

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const percent = (r: number | null) => (r === null ? '—' : `${formatValue(Math.round(r * 1000) / 10)}%`);

/** The summary as a CSV for Excel: one row per metric, the town total and each unit. Every cell is made safe. */
export function summaryCsv(summary: PublishedSummary, registry: Registry): string {
  const units = Object.keys(summary.units).map((key) => ({ key, name: unitByKey(registry, summary.org, key)?.name ?? key }));
  const total = summary.level === 'district' ? '全区合计' : '全镇合计';
  const lines = [safeCsvLine(['指标代码', '指标名称', '计量单位', total, ...units.map((u) => `${u.key} ${u.name}`)])];
  for (const k of VALUE_KEYS) {
    lines.push(
      safeCsvLine([
        k.key,
        k.label,
        k.metric.unit,
        formatValue(summary.totals[k.key] ?? 0),
        ...units.map((u) => (summary.units[u.key]?.[k.key] === undefined ? '' : formatValue(summary.units[u.key]![k.key]!))),
      ]),
    );
  }
  return UTF8_BOM + lines.join('\r\n') + '\r\n';
}

function periodTitle(summary: PublishedSummary, registry: Registry): string {
  return summary.kind === 'annual'
    ? `${orgName(registry, summary.org)}${summary.period}年法治统计年报`
    : `${orgName(registry, summary.org)}${chineseMonth(summary.period)}法治统计月报`;
}

export function summaryMail(summary: PublishedSummary, registry: Registry, recipients: Recipients): MailMessage {
  const title = periodTitle(summary, registry);
  const c = summary.completeness;
  const name = (code: string) => unitByKey(registry, summary.org, code)?.name ?? code;
  const label = (key: string) => VALUE_KEYS.find((k) => k.key === key)?.label ?? key;
  const rows = KEY_FIGURES.map((key) => {
    const k = VALUE_KEYS.find((v) => v.key === key)!;
    const change = summary.comparisons?.previousMonth.change[key];
    // Money as the report writes it (1.2万元); counts as they are.
    const show = (x: number) => (k.metric.valueType === 'money' ? money(x) : formatValue(x));
    return {
      label: k.label,
      unit: k.metric.valueType === 'money' ? '' : k.metric.unit,
      value: show(summary.totals[key] ?? 0),
      change: change === undefined ? '' : `${change > 0 ? '+' : '-'}${show(Math.abs(change))}`,
    };
  });
  const completeness = `应报 ${c.expected}，已报 ${c.submitted}（按时 ${c.onTime}，迟报 ${c.late}），未报 ${c.missing.length}${c.missing.length ? `：${c.missing.map(name).join('、')}` : ''}`;
  const rates = `隐患整改率 ${percent(summary.derived.rectificationRate)}；信访办理中 ${summary.derived.petitionsInProgress} 件`;
  const warnings = (summary.warnings ?? []).map((w) => `${name(w.unit ?? '')}：${w.message}`);
  const changes = summary.changes.map((ch) =>
    ch.what === 'missing'
      ? `未报单位：${ch.before || '无'} → ${ch.after || '无'}`
      : `${ch.unit ? `${name(ch.unit)} ` : '全镇 '}${label(ch.key ?? '')}：${ch.before ?? '—'} → ${ch.after ?? '—'}`,
  );
  const revision = summary.revision > 1 ? `（第${summary.revision}版，有更正）` : '';
  const subject = `【村报】${title}${revision}`;
  const text = [
    `${title}${revision}`,
    '',
    `报送情况：${completeness}`,
    rates,
    '',
    '主要指标（括号内为较上月变化）：',
    ...rows.map((r) => `  ${r.label}：${r.value}${r.unit ? ` ${r.unit}` : ''}${r.change ? `（${r.change}）` : ''}`),
    ...(changes.length ? ['', `本版更正（较第${summary.revision - 1}版）：`, ...changes.map((x) => `  ${x}`)] : []),
    ...(warnings.length ? ['', '需要核对的提醒：', ...warnings.map((w) => `  ${w}`)] : []),
    '',
    '完整数据见附件（JSON、CSV）。此邮件由村报自动发送。',
  ].join('\n');
  const html = `<!doctype html><html lang="zh-CN"><body style="font-family:sans-serif">
<h2>${escapeHtml(title)}${escapeHtml(revision)}</h2>
<p><b>报送情况：</b>${escapeHtml(completeness)}<br>${escapeHtml(rates)}</p>
<table border="1" cellpadding="4" cellspacing="0" style="border-collapse:collapse">
<tr><th>指标</th><th>合计</th><th>单位</th><th>较上月</th></tr>
${rows.map((r) => `<tr><td>${escapeHtml(r.label)}</td><td align="right">${escapeHtml(r.value)}</td><td>${escapeHtml(r.unit)}</td><td align="right">${escapeHtml(r.change)}</td></tr>`).join('\n')}
</table>
${changes.length ? `<h3>本版更正（较第${summary.revision - 1}版）</h3><ul>${changes.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul>` : ''}
${warnings.length ? `<h3>需要核对的提醒</h3><ul>${warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>` : ''}
<p>完整数据见附件（JSON、CSV）。此邮件由村报自动发送。</p>
</body></html>`;
  const base = `${summary.kind}-${summary.period}-v${summary.revision}`;
  return {
    from: recipients.from,
    to: recipients.town,
    ...(recipients.district.length ? { cc: recipients.district } : {}),
    subject,
    text,
    html,
    attachments: [
      { filename: `${base}.json`, content: JSON.stringify(summary, null, 2), contentType: 'application/json; charset=utf-8' },
      { filename: `${base}.csv`, content: summaryCsv(summary, registry), contentType: 'text/csv; charset=utf-8' },
    ],
  };
}

export function reminderMail(period: Month, missing: readonly string[], registry: Registry, recipients: Recipients): MailMessage {
  const units = missing.map((code) => registry.get(code));
  const names = missing.map((code, i) => `${units[i]?.code ?? code} ${units[i]?.name ?? ''}`.trim());
  const town = registry.findTown(units[0]?.town ?? '')?.name ?? registry.district.name;
  const deadline = chineseDeadline(period, registry.deadlineDay);
  const subject = `【村报】催报：${chineseMonth(period)}尚有 ${missing.length} 个单位未报送`;
  const text = [
    `${town}${chineseMonth(period)}法治统计月报，截至目前以下单位尚未报送（截止日期 ${deadline}）：`,
    '',
    ...names.map((n) => `  ${n}`),
    '',
    '请尽快上传月报文件。此邮件由村报自动发送。',
  ].join('\n');
  const html = `<!doctype html><html lang="zh-CN"><body style="font-family:sans-serif"><p>${escapeHtml(`${town}${chineseMonth(period)}法治统计月报，截至目前以下单位尚未报送（截止日期 ${deadline}）：`)}</p><ul>${names.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul><p>请尽快上传月报文件。此邮件由村报自动发送。</p></body></html>`;
  return { from: recipients.from, to: recipients.town, subject, text, html };
}
