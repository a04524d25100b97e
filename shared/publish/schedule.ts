/**
 * The schedules of the wiring table, run for an instant: which fire in a window, and what
 * each does — the day-3 reminder (催报) and the day-6 publication (monthly; in January
 * also the annual). EventBridge Scheduler runs them in AWS with `Asia/Shanghai`; the local
 * runtime and `cunbao run-schedule --at` use `runSchedules` with their clock.
 */
import { addMonths, monthOf, type Month } from '../period.ts';
import type { NoticeOutcome, Outgoing } from '../notices/dispatch.ts';
import type { MailMessage } from '../ports/mail.ts';
import type { Registry, ReportingUnit, Town } from '../registry.ts';
import type { PublishDeps, PublishResult, Recipients } from './publish.ts';

export type ScheduledAction = 'remind' | 'publish';

export interface ScheduleSpec {
  readonly name: string;
  /** EventBridge Scheduler cron: `cron(minutes hours day-of-month month day-of-week year)`. */
  readonly cron: string;
  readonly timezone: 'Asia/Shanghai';
  readonly input: { readonly action: string };
}

/** A schedule of the summarize function (its input is one of its actions). */
export interface SummarizeSchedule extends ScheduleSpec {
  readonly input: { readonly action: ScheduledAction };
}

/**
 * The summarize function's schedules: the wiring gives them to EventBridge Scheduler
 * (infra/wiring.ts); `cunbao run-schedule` and the local clock run them with `runSchedules`.
 */
export const SCHEDULES = [
  // 催报: on day 3 at 09:00, the units that have not sent last month.
  { name: 'remind', cron: 'cron(0 9 3 * ? *)', timezone: 'Asia/Shanghai', input: { action: 'remind' } },
  // Day 6 at 08:00 (after the day-5 deadline): last month's summary; in January the year's too.
  { name: 'publish', cron: 'cron(0 8 6 * ? *)', timezone: 'Asia/Shanghai', input: { action: 'publish' } },
] as const satisfies readonly SummarizeSchedule[];

interface Cron {
  readonly minute: number;
  readonly hour: number;
  readonly day: number | '*';
  readonly month: number | '*';
}

/** The subset of EventBridge cron the wiring uses: fixed minute and hour, a day of month or `*`. */
function parseCron(expression: string): Cron {
  const m = /^cron\((\d{1,2}) (\d{1,2}) (\d{1,2}|\*|\?) (\d{1,2}|\*) (\?|\*) (\*)\)$/.exec(expression);
  if (!m) throw new Error(`unsupported schedule expression: ${expression}`);
  const field = (f: string) => (f === '*' || f === '?' ? '*' : Number(f));
  return { minute: Number(m[1]), hour: Number(m[2]), day: field(m[3]!), month: field(m[4]!) };
}

const SHANGHAI_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** Instants in (from, to] at which a schedule fires (Asia/Shanghai wall time). */
export function firings(spec: ScheduleSpec, from: Date, to: Date): Date[] {
  const cron = parseCron(spec.cron);
  const out: Date[] = [];
  // Walk the Shanghai calendar days that the window touches.
  const firstDay = Math.floor((from.getTime() + SHANGHAI_MS) / DAY_MS);
  const lastDay = Math.floor((to.getTime() + SHANGHAI_MS) / DAY_MS);
  for (let day = firstDay; day <= lastDay; day++) {
    const local = new Date(day * DAY_MS);
    if (cron.day !== '*' && local.getUTCDate() !== cron.day) continue;
    if (cron.month !== '*' && local.getUTCMonth() + 1 !== cron.month) continue;
    const at = new Date(day * DAY_MS + (cron.hour * 60 + cron.minute) * 60_000 - SHANGHAI_MS);
    if (at > from && at <= to) out.push(at);
  }
  return out;
}

export interface ScheduleDeps extends PublishDeps {
  /** Composes the reminder of the units still missing a month (a function may load it on first use). */
  readonly composeReminder?: (
    period: Month,
    missing: readonly string[],
    registry: Registry,
    recipients: Recipients,
    at?: Date,
  ) => MailMessage | Promise<MailMessage>;
}

export type ActionResult =
  | {
      readonly action: 'remind';
      readonly at: string;
      readonly period: Month;
      readonly missing: readonly string[];
      readonly mailed: boolean;
      readonly robots?: readonly NoticeOutcome[];
      readonly failed?: readonly NoticeOutcome[];
    }
  | { readonly action: 'publish'; readonly at: string; readonly results: readonly PublishResult[] };

/** How far back a publication looks for corrections of months it published before. */
const REPUBLISH_MONTHS = 13;

/** Thrown by a run some of whose notices could not be sent: they are sent by the next run. */
export class NoticeFailedError extends Error {
  override readonly name = 'NoticeFailedError';
  readonly code = 'NOTICE_FAILED';

  constructor(readonly failed: readonly NoticeOutcome[]) {
    super(`通知发送失败 (notices not sent): ${failed.map((f) => `${f.notice} → ${f.channel}: ${f.error}`).join('; ')}`);
  }
}

/** Throws a NoticeFailedError when some notice of the runs could not be sent. */
export function failIfUnsent(results: readonly ActionResult[]): void {
  const failed = results.flatMap((r) => (r.action === 'remind' ? (r.failed ?? []) : r.results.flatMap((p) => p.failed ?? [])));
  if (failed.length) throw new NoticeFailedError(failed);
}

export async function runAction(action: ScheduledAction, at: Date, scheduleDeps: ScheduleDeps): Promise<ActionResult> {
  // The action happens at its firing instant (which, replayed, is not the wall clock).
  const deps = { ...scheduleDeps, now: () => at };
  const lastMonth = addMonths(monthOf(at), -1);
  if (action === 'remind') return remind(lastMonth, at, deps);
  // Each action's code is loaded by its first run: a reminder's run does not load the summaries'.
  const { publish } = await import('./publish.ts');
  // Last month, then every month published before whose figures changed since (a late
  // correction makes revision n+1); in January, last year too.
  // Every town, then the district (its digest is built from the same ledger).
  const results: PublishResult[] = [];
  for (const org of deps.registry.orgs) {
    const months = new Set([lastMonth, ...(await deps.archive.published(org.code, 'monthly', REPUBLISH_MONTHS))]);
    for (const m of [...months].sort()) results.push(await publish('monthly', m, deps, org));
    const years = new Set(await deps.archive.published(org.code, 'annual', 2));
    if (lastMonth.endsWith('-12')) years.add(lastMonth.slice(0, 4));
    for (const y of [...years].sort()) results.push(await publish('annual', y, deps, org));
  }
  return { action, at: at.toISOString(), results };
}

/**
 * The day-3 reminder: each town with units missing last month gets its 催报 (mail to its
 * recipients, the units' contacts in copy, and its robots); the district's robots get the
 * overview. Each is a notice sent once (remind/{org}/{month}): a failed send is sent by
 * the next run, a second run sends nothing.
 */
async function remind(period: Month, at: Date, deps: ScheduleDeps): Promise<ActionResult> {
  // The notices' texts and their dispatcher, loaded by the day's reminder only (publish.ts loads them itself).
  const [{ districtReminderNotice, reminderNotice }, { notify }] = await Promise.all([
    import('../notices/events.ts'),
    import('../notices/notify.ts'),
  ]);
  const sent = new Set((await deps.reader.currentOfMonth(period)).map((c) => c.unit));
  const missingByTown = new Map(
    deps.registry.towns.map((t) => [t.code, deps.registry.expected(t.code, period).filter((u) => !sent.has(u.fullCode))] as const),
  );
  const missing = [...missingByTown.values()].flat();
  const pageUrl = deps.notices?.pageUrl;
  const outgoing: Outgoing[] = [];
  for (const town of deps.registry.towns) {
    const own = missingByTown.get(town.code)!;
    if (own.length === 0) continue;
    const notice = reminderNotice(town.code, period, own, deps.registry, pageUrl);
    outgoing.push({ notice, ...(deps.mail && deps.composeReminder ? { mail: await reminderMailOf(town, own, period, deps) } : {}) });
  }
  if (!deps.registry.singleTown && missing.length > 0)
    outgoing.push({ notice: districtReminderNotice(period, missingByTown, deps.registry, pageUrl) });
  const outcomes = await notify(outgoing, deps.notices, deps.mail?.mailer);
  const failed = outcomes.filter((o) => o.status === 'failed');
  return {
    action: 'remind',
    at: at.toISOString(),
    period,
    missing: missing.map((u) => u.fullCode),
    mailed: outcomes.some((o) => o.channel === 'mail' && o.status === 'sent'),
    ...((deps.notices?.robots ?? []).length ? { robots: outcomes.filter((o) => o.channel !== 'mail') } : {}),
    ...(failed.length ? { failed } : {}),
  };
}

/** A town's reminder mail: to the town's recipients, the missing units' contacts in copy. */
async function reminderMailOf(town: Town, own: readonly ReportingUnit[], period: Month, deps: ScheduleDeps): Promise<MailMessage> {
  const recipients = { ...deps.mail!.recipients, town: [...deps.mail!.recipients.town, ...town.recipients] };
  const pageUrl = deps.notices?.pageUrl;
  const message = await deps.composeReminder!(
    period,
    own.map((u) => u.fullCode),
    deps.registry,
    pageUrl ? { ...recipients, pageUrl } : recipients,
    deps.now(),
  );
  const contacts = own.map((u) => u.contact).filter((c): c is string => Boolean(c));
  return { ...message, cc: [...(message.cc ?? []), ...contacts] };
}

/**
 * Runs every schedule that fired since the last run, up to `at`, in order. The first run
 * looks back one day. Each action is idempotent, so a repeated window does no harm.
 */
export async function runSchedules(at: Date, specs: readonly SummarizeSchedule[], deps: ScheduleDeps): Promise<ActionResult[]> {
  const last = await deps.archive.lastScheduleRun();
  const from = last ? new Date(last) : new Date(at.getTime() - DAY_MS);
  const due = specs
    .flatMap((spec) => firings(spec, from, at).map((when) => ({ spec, when })))
    .sort((a, b) => a.when.getTime() - b.when.getTime());
  const results: ActionResult[] = [];
  for (const { spec, when } of due) results.push(await runAction(spec.input.action, when, deps));
  // A notice not sent after its retries fails the run, which is then not remembered: the
  // next run (or the schedule's retry) does the window again and sends only what is missing.
  failIfUnsent(results);
  if (!last || new Date(last) < at) await deps.archive.saveScheduleRun(at.toISOString());
  return results;
}
