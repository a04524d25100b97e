/**
 * The Chinese texts of the stack commands' results (what they print without `--json`),
 * for a town clerk at a terminal: statuses in words, months as 2025年3月, units by name.
 */
import type { Change } from '../shared/corrections.ts';
import { changeText } from '../shared/corrections-text.ts';
import type { Finding } from '../shared/findings.ts';
import { chineseMonth } from '../shared/period.ts';
import type { PublishResult } from '../shared/publish/publish.ts';
import type { Registry } from '../shared/registry.ts';
import { orgName } from '../shared/summary.ts';
import type { UploadRecord, UploadStatus } from '../shared/uploads.ts';
import type { DeadLetter } from '../infra/local/queue.ts';
import type { CompletenessReport, NamedCompleteness } from './summary-commands.ts';

const STATUS: Record<UploadStatus, string> = { accepted: '已接收', rejected: '未通过', pending: '处理中' };
const ROLE = { admin: '镇管理员', town: '镇', village: '村（社区）', district: '区' } as const;
const STATE = {
  current: '现行有效',
  superseded: '已按上传先后合并（其后还有更新的上传）',
  locked: '该月已锁定，未计入',
} as const;

/** A unit-month of an upload: whether it counts, and what it changed. */
interface SubmissionLine {
  readonly unit: string;
  readonly period: string;
  readonly state: keyof typeof STATE;
  readonly version?: number;
  readonly changes?: readonly Change[];
  readonly unchanged?: number;
}

function submissionLine(registry: Registry, s: SubmissionLine): string {
  const what = s.changes ? `，第 ${s.version} 版；${changeText(s.version, s.changes, s.unchanged ?? 0)}` : '';
  return `  ${unitName(registry, s.unit)} ${monthName(s.period)}：${STATE[s.state]}${what}`;
}

/** A unit by name and code: its code within the town for a one-town registry, its full code across towns. */
const unitName = (registry: Registry, code: string) => {
  const unit = registry.get(code);
  return unit ? `${unit.name}（${registry.singleTown ? unit.code : code}）` : code;
};
const monthName = (period: string) => (/^\d{4}-\d{2}$/.test(period) ? chineseMonth(period) : period);

export function findingLines(errors: readonly Finding[] = [], warnings: readonly Finding[] = []): string[] {
  return [...errors.map((f) => `  错误 ${f.code}：${f.message}`), ...warnings.map((f) => `  提醒 ${f.code}：${f.message}`)];
}

/** An ingested file: its outcome, each unit-month it holds and whether it counts, its findings. */
export function ingestText(
  registry: Registry,
  line: {
    file: string;
    uploadId: string;
    status: UploadStatus;
    submissions: readonly SubmissionLine[];
    errors: readonly Finding[];
    warnings: readonly Finding[];
  },
): string {
  const lines = [`${line.file}：${STATUS[line.status]}（上传编号 ${line.uploadId}）`];
  for (const s of line.submissions) lines.push(submissionLine(registry, s));
  return [...lines, ...findingLines(line.errors, line.warnings)].join('\n') + '\n';
}

export function statusText(registry: Registry, record: UploadRecord): string {
  const lines = [
    `上传编号 ${record.uploadId}：${STATUS[record.status]}`,
    `  单位 ${record.unit === 'ALL' ? '多个单位' : unitName(registry, record.unit)}，月份 ${monthName(record.period)}，上传者 ${ROLE[record.uploader.role]}`,
    `  登记于 ${record.createdAt}${record.processedAt ? `，处理于 ${record.processedAt}` : ''}`,
  ];
  for (const s of record.submissions ?? []) lines.push(submissionLine(registry, s));
  for (const r of record.reused ?? [])
    lines.push(`  又收到一份文件（${r.receivedAt}，${r.size} 字节）：表单被重复提交，已保存，不计入（UPLOAD_REUSED）`);
  return [...lines, ...findingLines(record.errors, record.warnings)].join('\n') + '\n';
}

export function reconcileText(reprocessed: number): string {
  return reprocessed ? `补处理了 ${reprocessed} 个没有结果的文件。\n` : '没有需要补处理的文件。\n';
}

export function deadLettersText(letters: readonly DeadLetter[]): string {
  if (letters.length === 0) return '死信队列为空。\n';
  const lines = [`死信 ${letters.length} 条（可用 cunbao dlq replay 重新投递）：`];
  for (const l of letters) lines.push(`  ${l.messageId}：失败 ${l.receiveCount} 次，最后于 ${l.failedAt}`);
  return lines.join('\n') + '\n';
}

export function replayText(replayed: number, stillDead: number): string {
  return `重新投递了 ${replayed} 条死信，仍有 ${stillDead} 条。\n`;
}

export function publishText(registry: Registry, result: PublishResult): string {
  const what =
    result.kind === 'annual'
      ? `${orgName(registry, result.org)}${result.period}年年报`
      : `${orgName(registry, result.org)}${monthName(result.period)}月报`;
  const done = result.published ? `已发布第 ${result.revision} 版` : `与第 ${result.revision} 版相同，未发布新版本`;
  const mail = result.mailError ? `，部分收件人未收到：${result.mailError}` : result.mailed ? '，已发邮件' : '，未发邮件';
  return `${what}：${done}${mail}。\n`;
}

/** `completeness`: the org's counts, its missing units by name; for the district, a row per town. */
export function completenessText(report: CompletenessReport): string {
  const counts = (c: NamedCompleteness) =>
    `应报 ${c.expected}，已报 ${c.submitted}（按时 ${c.onTime}，迟报 ${c.late}），未报 ${c.missing.length}`;
  const names = (c: NamedCompleteness) => c.missing.map((m) => m.name).join('、');
  const lines = [`${report.orgName}${monthName(report.period)}报送情况：${counts(report)}`];
  if (!report.towns) {
    if (report.missing.length) lines.push(`  未报：${names(report)}`);
    return lines.join('\n') + '\n';
  }
  lines.push('', '镇（街道）\t应报\t已报\t按时\t迟报\t未报\t未报单位');
  for (const t of report.towns)
    lines.push(`${t.name}（${t.code}）\t${t.expected}\t${t.submitted}\t${t.onTime}\t${t.late}\t${t.missing.length}\t${names(t) || '—'}`);
  return lines.join('\n') + '\n';
}
