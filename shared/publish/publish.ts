/**
 * Publishing summaries: build a month's (or year's) summary from the ledger, and when
 * it differs from the last published one store it as revision n+1 — JSON in S3
 * (shared/layout.ts: a revision and a stable latest copy) and in DynamoDB —
 * with the list of what changed, then mail it. Running it again changes nothing.
 *
 * A revision carries the review state as read when it was built (`reviewAsOf`). Review
 * decisions change no figure, so they make no revision: they do not move the rollup's
 * version, and the content hash leaves the review fields out. The current state, and the
 * approved figures alone, are the API's live `?approved=only` summary.
 */
import { createHash } from 'node:crypto';
import { VALUE_KEYS } from '../catalogue.ts';
import { summaryKey } from '../layout.ts';
import { addMonths, type Month } from '../period.ts';
import { shortCodeOf, townOf, type Org, type Registry } from '../registry.ts';
import { reviewsOfMonth } from '../review/of-month.ts';
import { monthsDue, monthSummary, yearSummary, type Completeness, type MonthEntry, type Summary } from '../summary.ts';
import type { Mailer, MailMessage } from '../ports/mail.ts';
import type { NoticeOutcome } from '../notices/dispatch.ts';
import { publicationNotice } from '../notices/events.ts';
import { allDelivered, notify, type NoticeDeps } from '../notices/notify.ts';
import type { ObjectStore } from '../ports/objects.ts';
import type { PublishedSummary, SummaryArchive, SummaryChange, SummaryKind, SummaryReader } from '../ports/summaries.ts';

/**
 * The deployment's recipients (MAIL_FROM, MAIL_TO_TOWN, MAIL_TO_DISTRICT); a town's mail
 * also goes to the town's `recipients` of the registry, the district's digest to the
 * district's (shared/mail/summary-email.ts `recipientsOf`).
 */
export interface Recipients {
  readonly from: string;
  readonly town: readonly string[];
  readonly district: readonly string[];
  /**
   * The 村报 page's address, when the deployment knows it: each mail then ends with a link
   * to the org's period there (`?org=EC&period=2025-03`), the reminder to the upload.
   */
  readonly pageUrl?: string;
}

export interface PublishDeps {
  readonly reader: SummaryReader;
  readonly archive: SummaryArchive;
  readonly store: ObjectStore;
  readonly registry: Registry;
  readonly now: () => Date;
  /** Absent: summaries are stored but not mailed. */
  readonly mail?: { readonly mailer: Mailer; readonly recipients: Recipients; readonly compose: SummaryMailComposer };
  /** The notices' claims and the group robots (required with mail or robots: each notice is sent once). */
  readonly notices?: NoticeDeps;
  /** Told of each revision stored, before its notice: the function logs it with the uploads it counts anew. */
  readonly onRevision?: (revision: Revision) => void;
}

/** A revision as the logs name it: the uploads whose figures it shows anew (all, for the first; none for an annual). */
export interface Revision {
  readonly org: string;
  readonly kind: SummaryKind;
  readonly period: string;
  readonly revision: number;
  readonly uploads: readonly string[];
}

/**
 * The uploads behind a revision's changes: the current upload of each unit whose figures
 * changed (a town's summary names units by short code, the district's by full code) or
 * of each unit of a town whose totals changed (the district's); every one in a first revision.
 * Decided by what changed, not by clocks, so a replayed or fixed clock names the same ones.
 */
function uploadsBehind(entries: readonly MonthEntry[], changes: readonly SummaryChange[], first: boolean): string[] {
  const units = new Set(changes.flatMap((c) => (c.what === 'unit' && c.unit ? [c.unit] : [])));
  const towns = new Set(changes.flatMap((c) => (c.what === 'town' && c.town ? [c.town] : [])));
  const behind = entries.filter((e) => first || units.has(e.unit) || units.has(shortCodeOf(e.unit)) || towns.has(townOf(e.unit)));
  return [...new Set(behind.flatMap((e) => (e.uploadId ? [e.uploadId] : [])))].sort();
}

/** Renders the mail of a published summary (shared/mail/summary-email.ts; a function may load it on first use). */
type SummaryMailComposer = (summary: PublishedSummary, registry: Registry, recipients: Recipients) => MailMessage | Promise<MailMessage>;

export type PublishResult = {
  readonly org: string;
  readonly kind: SummaryKind;
  readonly period: string;
  readonly revision: number;
  readonly published: boolean;
  readonly mailed: boolean;
  /** Some recipients were refused (the others got it; it is not sent again). */
  readonly mailError?: string;
  /** The group robots' outcomes (present when robots hear this org). */
  readonly robots?: readonly NoticeOutcome[];
  /** Channels that could not be sent to after their retries: the next run sends them. */
  readonly failed?: readonly NoticeOutcome[];
};

/** The town whose units an org's summary reads (undefined: the district, every unit). */
export const townFilter = (org: Org): string | undefined => (org.level === 'town' ? org.code : undefined);

/** What a month's entries are read from: its current submissions and its review decisions. */
export type MonthReader = Pick<SummaryReader, 'currentOfMonth' | 'reviewsOfMonth'>;

/**
 * An org's units' current months with their review state: two GSI1 Queries (a town's
 * prefix, or the district's whole partition), the months' and the decisions'.
 */
export async function entriesOf(reader: MonthReader, org: Org, period: Month): Promise<MonthEntry[]> {
  const town = townFilter(org);
  const [current, reviews] = await Promise.all([reader.currentOfMonth(period, town), reader.reviewsOfMonth(period, town)]);
  const reviewOf = reviewsOfMonth(current, reviews);
  return current.map(({ unit, values, firstReceivedAt, warnings, uploadId, receivedAt }) => {
    const { state } = reviewOf(unit);
    const review = state === 'missing' ? {} : { review: state };
    return { unit, values, firstReceivedAt, ...(warnings ? { warnings } : {}), ...review, uploadId, receivedAt };
  });
}

/**
 * A month's summary with its comparisons, and the rollup version it reflects: the units'
 * months of the previous month and of the same month last year (one GSI1 Query each), so
 * that the comparisons count the units that reported in both.
 */
export async function buildMonthly(
  reader: Pick<SummaryReader, 'rollupWithVersion' | 'currentOfMonth' | 'reviewsOfMonth'>,
  registry: Registry,
  org: Org,
  period: Month,
): Promise<{ summary: Summary; version: number; entries: readonly MonthEntry[] }> {
  const town = townFilter(org);
  const [{ totals, version }, list, previousMonth, sameMonthLastYear] = await Promise.all([
    reader.rollupWithVersion(org.code, 'month', period),
    entriesOf(reader, org, period),
    reader.currentOfMonth(addMonths(period, -1), town),
    reader.currentOfMonth(addMonths(period, -12), town),
  ]);
  return { summary: monthSummary(registry, org, period, totals, list, { previousMonth, sameMonthLastYear }), version, entries: list };
}

export async function buildAnnual(
  reader: SummaryReader,
  registry: Registry,
  org: Org,
  year: string,
  now: Date,
): Promise<{ summary: Summary; version: number }> {
  const due = monthsDue(year, now);
  const [{ totals, version }, unitYears, ...months] = await Promise.all([
    reader.rollupWithVersion(org.code, 'year', year),
    reader.unitYears(year, townFilter(org)),
    ...due.map((m) => entriesOf(reader, org, m)),
  ]);
  return { summary: yearSummary(registry, org, year, totals, unitYears, new Map(due.map((m, i) => [m, months[i]!]))), version };
}

/** A completeness without its review count. */
const uncounted = ({ approved: _, ...rest }: Completeness) => rest;

/**
 * The hash of a summary's figures: without its review fields (so that an approval alone is
 * no new content) and its flags (derived from the figures), each other field in its place.
 * The clerk's desk compares it too: `changed` there is a new revision here.
 */
export function hashOf(summary: Summary): string {
  const { review: _review, approvedMonths: _months, flags: _flags, ...figures } = summary;
  const each = <T, U>(record: Readonly<Record<string, T>>, f: (t: T) => U) =>
    Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
  const plain = {
    ...figures,
    completeness: uncounted(figures.completeness),
    ...(figures.towns ? { towns: each(figures.towns, (t) => ({ ...t, completeness: uncounted(t.completeness) })) } : {}),
    ...(figures.byMonth ? { byMonth: each(figures.byMonth, uncounted) } : {}),
  };
  return createHash('sha256').update(JSON.stringify(plain)).digest('hex');
}

/** The changes of one figure per key, between two sets of totals (absent: null). */
function keyChanges(
  before: Readonly<Record<string, number>> | undefined,
  after: Readonly<Record<string, number>> | undefined,
  where: Pick<SummaryChange, 'what' | 'unit' | 'town'>,
): SummaryChange[] {
  const changes: SummaryChange[] = [];
  for (const k of VALUE_KEYS) {
    const b = before?.[k.key];
    const a = after?.[k.key];
    if (b !== a) changes.push({ ...where, key: k.key, before: b ?? null, after: a ?? null });
  }
  return changes;
}

/**
 * What changed between two revisions, for the clerk: the totals, then each unit's figures
 * (a town's summary) or each town's totals (the district's), then the missing units.
 */
function changesBetween(before: Summary | undefined, after: Summary): SummaryChange[] {
  if (!before) return [];
  const changes = keyChanges(before.totals, after.totals, { what: 'total' });
  for (const unit of new Set([...Object.keys(before.units), ...Object.keys(after.units)]))
    changes.push(...keyChanges(before.units[unit], after.units[unit], { what: 'unit', unit }));
  const towns = { before: before.towns ?? {}, after: after.towns ?? {} };
  for (const town of new Set([...Object.keys(towns.before), ...Object.keys(towns.after)]))
    changes.push(...keyChanges(towns.before[town]?.totals, towns.after[town]?.totals, { what: 'town', town }));
  const was = before.completeness.missing.join('、');
  const is = after.completeness.missing.join('、');
  if (was !== is) changes.push({ what: 'missing', before: was, after: is });
  return changes;
}

// The bucket layout's (shared/layout.ts); kept here for shared/api/app.ts until the merge.
export { summaryKey } from '../layout.ts';

/**
 * Publishes a summary if it changed: the rollup's version says whether anything was
 * counted since; the content's hash whether the summary itself differs.
 */
export async function publish(
  kind: SummaryKind,
  period: string,
  deps: PublishDeps,
  org: Org = deps.registry.defaultOrg,
): Promise<PublishResult> {
  const { reader, archive, store, registry } = deps;
  const at = { org, kind, period } as const;
  // 1. Nothing counted since the last revision: at most a mail that failed before.
  const latest = await archive.latest(org.code, kind, period);
  const version = (await reader.rollupWithVersion(org.code, kind === 'monthly' ? 'month' : 'year', period)).version;
  if (latest && latest.version === version) return notifyIfDue(at, latest.revision, latest.emailedRevision, deps);
  // 2. Build it; the same content as the last revision is no new revision.
  const built =
    kind === 'monthly' ? await buildMonthly(reader, registry, org, period) : await buildAnnual(reader, registry, org, period, deps.now());
  const hash = hashOf(built.summary);
  if (latest && latest.hash === hash) {
    await archive.seen(org.code, kind, period, latest.revision, built.version);
    return notifyIfDue(at, latest.revision, latest.emailedRevision, deps);
  }
  // 3. Revision n+1, with what changed since n; S3 first (a retry rewrites the same files).
  const revision = (latest?.revision ?? 0) + 1;
  const before = latest ? await archive.revision(org.code, kind, period, latest.revision) : undefined;
  const publishedAt = deps.now().toISOString();
  const document: PublishedSummary = {
    ...built.summary,
    kind,
    revision,
    publishedAt,
    reviewAsOf: publishedAt,
    version: built.version,
    changes: changesBetween(before, built.summary),
  };
  await store.putJson(summaryKey(org.code, kind, period, revision), document);
  await store.putJson(summaryKey(org.code, kind, period, 'latest'), document);
  // Another publisher stored this revision first: it is theirs to notify; say which it is.
  if (!(await archive.save(document, hash, latest?.revision ?? 0))) {
    const stored = await archive.latest(org.code, kind, period);
    return { org: org.code, kind, period, revision: stored?.revision ?? latest?.revision ?? 0, published: false, mailed: false };
  }
  const entries: readonly MonthEntry[] = 'entries' in built ? (built.entries as readonly MonthEntry[]) : [];
  const uploads = uploadsBehind(entries, document.changes, revision === 1);
  deps.onRevision?.({ org: org.code, kind, period, revision, uploads });
  return notifyIfDue(at, revision, latest?.emailedRevision ?? 0, deps, document);
}

/**
 * Sends the revision's notice — its mail and the robots' message — unless every channel
 * had it already (`notified`, LATEST's emailedRevision); each channel's claim makes sure
 * that concurrent publishers and retried runs send it once.
 */
async function notifyIfDue(
  { org, kind, period }: { readonly org: Org; readonly kind: SummaryKind; readonly period: string },
  revision: number,
  notified: number,
  deps: PublishDeps,
  document?: PublishedSummary,
): Promise<PublishResult> {
  const published = document !== undefined;
  const result = { org: org.code, kind, period, revision, published, mailed: false };
  const robots = (deps.notices?.robots ?? []).length > 0;
  if ((!deps.mail && !robots) || notified >= revision) return result;
  const summary = document ?? (await deps.archive.revision(org.code, kind, period, revision));
  if (!summary) return result;
  const pageUrl = deps.notices?.pageUrl;
  const mail = deps.mail
    ? await deps.mail.compose(summary, deps.registry, { ...deps.mail.recipients, ...(pageUrl ? { pageUrl } : {}) })
    : undefined;
  const notice = publicationNotice(summary, deps.registry, pageUrl);
  const outcomes = await notify([{ notice, ...(mail ? { mail } : {}) }], deps.notices, deps.mail?.mailer);
  if (outcomes.length === 0) return result;
  if (allDelivered(outcomes)) await deps.archive.markEmailed(org.code, kind, period, revision);
  const mailed = outcomes.find((o) => o.channel === 'mail');
  const failed = outcomes.filter((o) => o.status === 'failed');
  return {
    ...result,
    mailed: mailed?.status === 'sent',
    ...(mailed?.status === 'sent' && mailed.error ? { mailError: mailed.error } : {}),
    ...(robots ? { robots: outcomes.filter((o) => o.channel !== 'mail') } : {}),
    ...(failed.length ? { failed } : {}),
  };
}
