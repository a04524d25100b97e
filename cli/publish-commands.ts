/**
 * Commands of the summaries: publish (now; a town's or the district's, `--org`),
 * run-schedule (what the schedules would run at an instant: every town and the district),
 * report (the annual report draft of a town or the district). Mail goes to the stack's SMTP sink.
 */
import { mailerFor } from '../shared/adapters/mailer.ts';
import { mailConfig } from '../shared/mail/config.ts';
import { reminderMail, summaryMail } from '../shared/mail/summary-email.ts';
import { buildAnnual, publish as publishSummary } from '../shared/publish/publish.ts';
import { runSchedules, type ScheduleDeps } from '../shared/publish/schedule.ts';
import { annualReportDraft, reportHtml, reportMarkdown } from '../shared/report.ts';
import { localMailVariables } from '../infra/local/environment.ts';
import { SCHEDULES } from '../infra/wiring.ts';
import type { StackAccess } from '../infra/local/connect.ts';
import { UsageError, type CliEnvironment } from './environment.ts';
import { deliver } from './download.ts';
import { print, type Out } from './output.ts';
import { orgOf } from './org-option.ts';
import { periodOf } from './period-option.ts';
import { withStack } from './stack-commands.ts';
import { stackNotices } from './stack-notices.ts';
import { publishText } from './text.ts';

type Values = Record<string, unknown>;

/**
 * What publishing needs from a stack, configured as the stack's summarize function: mail
 * over SMTP to its sink, its robots (the webhook sink's, or the real ones), the claims in
 * its table — so that a command run beside `npm start` never sends a second copy.
 */
async function depsOf(stack: StackAccess, env: CliEnvironment, now: () => Date): Promise<ScheduleDeps> {
  const mail = mailConfig(localMailVariables(stack.mail, env.recipients));
  const mailer = mailerFor(mail);
  const recipients = { from: mail.from, ...mail.recipients };
  return {
    reader: stack.ledger,
    archive: stack.summaries,
    store: stack.store,
    registry: env.registry,
    now,
    mail: { mailer, recipients, compose: summaryMail },
    composeReminder: reminderMail,
    notices: await stackNotices(stack),
  };
}

export async function publish(values: Values, env: CliEnvironment, out: Out): Promise<number> {
  const { kind, period } = periodOf(values);
  const org = orgOf(values, env.registry);
  return withStack(values, env, async (stack) => {
    out.progress?.(`发布 publishing ${org.code} ${period}…`);
    const result = await publishSummary(kind, period, await depsOf(stack, env, env.now), org);
    out.progress?.('');
    print(out, values['json'], [result], () => publishText(env.registry, result));
    return 0;
  });
}

export async function runSchedule(values: Values, env: CliEnvironment, out: Out): Promise<number> {
  const at = values['at'] as string | undefined;
  if (!at || Number.isNaN(Date.parse(at)) || !/T\d\d:\d\d/.test(at))
    throw new UsageError('请给出 --at ISO-8601 时间，例如 2025-04-06T08:00:00+08:00 (--at ISO-8601)');
  const instant = new Date(at);
  return withStack(values, env, async (stack) => {
    const results = await runSchedules(instant, SCHEDULES, await depsOf(stack, env, () => instant));
    for (const result of results) out.stdout(JSON.stringify(result) + '\n');
    return 0;
  });
}

export async function report(values: Values, env: CliEnvironment, out: Out): Promise<number> {
  const year = values['year'] as string | undefined;
  const format = (values['format'] as string | undefined) ?? 'md';
  const file = values['out'] as string | undefined;
  if (!year || !/^20\d\d$/.test(year)) throw new UsageError('请给出 --year YYYY (--year YYYY)');
  if (format !== 'md' && format !== 'html' && format !== 'docx') throw new UsageError('--format 只能是 md、html 或 docx (md|html|docx)');
  const org = orgOf(values, env.registry);
  return withStack(values, env, async (stack) => {
    const { summary } = await buildAnnual(stack.ledger, env.registry, org, year, env.now());
    if (format === 'md') {
      await deliver(out, reportMarkdown(annualReportDraft(env.registry, summary)), file);
      return 0;
    }
    // The charts (ECharts) and the Word writer are loaded only for a document that has them.
    const { reportCharts } = await import('../shared/charts/report-charts.ts');
    const draft = annualReportDraft(env.registry, summary, await reportCharts(stack.ledger, env.registry, org, year, env.now()));
    if (format === 'html') await deliver(out, reportHtml(draft), file);
    else {
      const [{ reportDocx }, { svgToPng }] = await Promise.all([import('../shared/report-docx.ts'), import('../shared/charts/png.ts')]);
      await deliver(out, await reportDocx(draft, svgToPng), file);
    }
    return 0;
  });
}
