/**
 * Helpers for the integration tests of publishing (summaries, schedules, mail, the annual
 * report): an archive of one's own (a fresh table and bucket on the run's local servers,
 * so that the scheduler's memory and the published summaries are the test's alone), the
 * publishing dependencies as the command line builds them, an outbox (the local SMTP sink)
 * read back with mailparser, uploads through the shared pipeline or through the ingest
 * use case with a clock of one's own, and an oracle of a year's totals.
 */
import { unzipSync } from 'fflate';
import { XLSX_TYPE } from '../../shared/xlsx/write/model.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { parse as parseCsv } from 'csv-parse/sync';
import { simpleParser, type AddressObject } from 'mailparser';
import { expect } from 'vitest';
import { startMailSink, type MailSink } from '../../infra/local/mail-sink.ts';
import { DynamoLedger } from '../../shared/adapters/dynamodb-ledger.ts';
import { DynamoNotices } from '../../shared/adapters/dynamodb-notices.ts';
import type { Channel } from '../../shared/notices/dispatch.ts';
import { DynamoSummaries } from '../../shared/adapters/dynamodb-summaries.ts';
import { ensureTable } from '../../shared/adapters/dynamodb-table.ts';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store.ts';
import { SmtpMailer } from '../../shared/adapters/smtp-mailer.ts';
import { VALUE_KEYS } from '../../shared/catalogue.ts';
import { DEFAULT_MAX_BYTES, type Submission } from '../../shared/check.ts';
import { ingestObject, type IngestResult } from '../../shared/ingest/ingest.ts';
import { recipientsOf, reminderMail, summaryMail } from '../../shared/mail/summary-email.ts';
import { formatValue } from '../../shared/numbers.ts';
import { chineseMonth } from '../../shared/period.ts';
import type { PublishedSummary, SummaryReader } from '../../shared/ports/summaries.ts';
import type { Recipients } from '../../shared/publish/publish.ts';
import { CONTENT_TYPES, summaryKey, type UploadFormat } from '../../shared/layout.ts';
import type { ScheduleDeps } from '../../shared/publish/schedule.ts';
import { Registry } from '../../shared/registry.ts';
import { money } from '../../shared/report.ts';
import { orgName, type Completeness } from '../../shared/summary.ts';
import { writeSubmissions } from '../../shared/write.ts';
import { newUploadId, objectKey, type UploadIntent, type UploadStatus } from '../../shared/uploads.ts';
import { eventually, longCsv, recordIntent, putObject, type StackHandle } from './stack.ts';

// ---------------------------------------------------------------------------------------
// The seed report's figures
// ---------------------------------------------------------------------------------------

export { SEED_PHRASES } from './seed-year.ts';

// ---------------------------------------------------------------------------------------
// Registry and recipients
// ---------------------------------------------------------------------------------------

const UNITS_JSON = JSON.parse(readFileSync(new URL('../../config/units.json', import.meta.url), 'utf8')) as { units: { code: string }[] };

/** The town's registry, with a reminder contact for some units (by short code; configuration a town may set). */
export function registryWithContacts(contacts: Readonly<Record<string, string>>): Registry {
  return Registry.parse({
    ...UNITS_JSON,
    units: UNITS_JSON.units.map((u) => (contacts[u.code] ? { ...u, contact: contacts[u.code] } : u)),
  });
}

/** Who the tests' mail goes to: display names in Chinese, two town recipients, the district (its digest). */
export const RECIPIENTS: Recipients = {
  from: '鹅池镇村报 <cunbao@ec.test>',
  town: ['鹅池镇党政办 <clerk@ec.test>', 'leader@ec.test'],
  district: ['黔江区司法局 <sfj@qj.test>'],
};

/** The addresses of a recipient list, as a mail client shows them. */
export function mailboxes(list: readonly string[]): { name: string; address: string }[] {
  return list.map((item) => {
    const m = /^(.*)<([^<>]+)>$/.exec(item);
    return m ? { name: m[1]!.trim(), address: m[2]!.trim() } : { name: '', address: item };
  });
}

// ---------------------------------------------------------------------------------------
// An archive of one's own on the run's servers
// ---------------------------------------------------------------------------------------

export interface OwnArchive {
  readonly table: string;
  readonly bucket: string;
  /** The ledger on the own table (for data ingested with an own clock). */
  readonly ledger: DynamoLedger;
  /** The own bucket: uploaded objects (no events: nothing reaches the shared queue) and summaries. */
  readonly store: S3ObjectStore;
  readonly summaries: DynamoSummaries;
  /** The notices' claims on the own table. */
  readonly notices: DynamoNotices;
  /** Every key under a prefix of the own bucket, sorted. */
  keys(prefix: string): Promise<string[]>;
  /** A JSON object of the own bucket, parsed (undefined when absent). */
  json<T = unknown>(key: string): Promise<T | undefined>;
  /** Deletes the table. */
  drop(): Promise<void>;
}

let archives = 0;

/**
 * A fresh table and bucket on the stack's DynamoDB Local and s3rver. The stack forwards
 * only its own bucket's events, so objects put here are seen by no one but the test.
 */
export async function ownArchive(stack: StackHandle, label: string): Promise<OwnArchive> {
  const name = `${label}-${process.pid}-${++archives}-${Math.random().toString(36).slice(2, 8)}`;
  const table = `publish-${name}`;
  const bucket = `publish-${name}`.toLowerCase();
  await ensureTable(stack.dynamodb, table);
  await stack.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const store = new S3ObjectStore(stack.s3, bucket);
  const keys = async (prefix: string) => {
    const out: string[] = [];
    for await (const o of store.objects(prefix)) out.push(o.key);
    return out.sort();
  };
  return {
    table,
    bucket,
    ledger: new DynamoLedger(stack.dynamodb, table),
    store,
    summaries: new DynamoSummaries(stack.dynamodb, table, store),
    notices: new DynamoNotices(stack.dynamodb, table),
    keys,
    json: async <T>(key: string) => {
      const bytes = await store.get(key);
      return bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as T) : undefined;
    },
    // The bucket goes with the run's stack (its S3 lives in a scratch dir removed at the end).
    drop: async () => {
      await stack.dynamodb.send(new DeleteTableCommand({ TableName: table }));
    },
  };
}

/** What publishing needs, as the command line builds it (cli/publish-commands.ts `depsOf`): mail over SMTP to a sink. */
export function publishDeps(options: {
  reader: SummaryReader;
  archive: OwnArchive;
  registry: Registry;
  outbox: Outbox;
  now: () => Date;
  recipients?: Recipients;
  /** The group robots (none: mail alone). */
  robots?: readonly Channel[];
}): ScheduleDeps {
  return {
    reader: options.reader,
    archive: options.archive.summaries,
    store: options.archive.store,
    registry: options.registry,
    now: options.now,
    mail: {
      mailer: new SmtpMailer({ host: options.outbox.sink.host, port: options.outbox.sink.port, secure: false }),
      recipients: options.recipients ?? RECIPIENTS,
      compose: summaryMail,
    },
    composeReminder: reminderMail,
    // Retries quick enough for a test; the policy is the production one otherwise.
    notices: { log: options.archive.notices, robots: options.robots ?? [], retry: FAST_RETRY },
  };
}

/** Backoff in milliseconds, so that a test of retries takes no minutes. */
export const FAST_RETRY = { baseMs: 20, rateLimitWaitMs: 200, leaseMs: 60_000 } as const;

// ---------------------------------------------------------------------------------------
// The outbox: the local SMTP sink, read back as a mail client reads it
// ---------------------------------------------------------------------------------------

export interface ReadMail {
  readonly file: string;
  readonly subject: string;
  readonly from: { name: string; address: string }[];
  readonly to: { name: string; address: string }[];
  readonly cc: { name: string; address: string }[];
  readonly text: string;
  readonly html: string;
  readonly attachments: { filename: string; contentType: string; content: Buffer }[];
}

export interface Outbox {
  readonly sink: MailSink;
  /** Mails that arrived since the last call (oldest first). */
  fresh(): Promise<ReadMail[]>;
  /** Every .eml file in the outbox. */
  files(): string[];
  stop(): Promise<void>;
}

const addressesOf = (field: AddressObject | AddressObject[] | undefined) =>
  [field ?? []].flat().flatMap((group) => group.value.map(({ name, address }) => ({ name, address: address ?? '' })));

export async function readEml(path: string): Promise<ReadMail> {
  const mail = await simpleParser(readFileSync(path));
  return {
    file: path,
    subject: mail.subject ?? '',
    from: addressesOf(mail.from),
    to: addressesOf(mail.to),
    cc: addressesOf(mail.cc),
    text: mail.text ?? '',
    html: typeof mail.html === 'string' ? mail.html : '',
    attachments: mail.attachments.map((a) => ({ filename: a.filename ?? '', contentType: a.contentType, content: a.content })),
  };
}

/** A mail sink in a temporary directory of its own. */
export async function openOutbox(label: string): Promise<Outbox> {
  const root = await mkdtemp(join(tmpdir(), `cunbao-${label}-`));
  const sink = await startMailSink(join(root, 'outbox'));
  const seen = new Set<string>();
  const files = () =>
    readdirSync(sink.outbox)
      .filter((f) => f.endsWith('.eml'))
      .sort();
  return {
    sink,
    files,
    fresh: async () => {
      const added = files().filter((f) => !seen.has(f));
      for (const f of added) seen.add(f);
      return Promise.all(added.map((f) => readEml(join(sink.outbox, f))));
    },
    stop: async () => {
      await sink.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------
// Files and uploads
// ---------------------------------------------------------------------------------------

export interface MonthFile {
  readonly unit: string;
  readonly period: string;
  readonly body: string | Uint8Array;
  readonly ext: UploadFormat;
}

/** A unit's month as a long CSV stating `values`. */
export function csvFile(unit: string, period: string, values: Record<string, number>): MonthFile {
  return { unit, period, ext: 'csv', body: longCsv(unit, period, values) };
}

const FORMATS = [
  { format: 'wide', headers: 'label', ext: 'csv' },
  { format: 'long', headers: 'code', ext: 'csv' },
  { format: 'json', headers: 'code', ext: 'json' },
  { format: 'long', headers: 'label', ext: 'csv' },
] as const;

/** A unit's month as a village secretary would send it, the format chosen by `variant` (wide/long CSV, JSON). */
export function monthFile(submission: Submission, variant: number): MonthFile {
  const f = FORMATS[variant % FORMATS.length]!;
  const body = writeSubmissions([submission], { format: f.format, headers: f.headers, newline: variant % 2 ? '\r\n' : '\n' });
  return { unit: submission.unit, period: submission.period, body, ext: f.ext };
}

/**
 * Uploads files through the run's shared pipeline (intent, PUT, S3 event, queue, ingest)
 * and waits until every one has an outcome; returns the statuses by upload id.
 */
export async function uploadThroughStack(
  stack: StackHandle,
  files: readonly MonthFile[],
  timeoutMs = 60_000,
): Promise<{ ids: string[]; statuses: Map<string, UploadStatus> }> {
  const ids: string[] = [];
  // In order (a later file for the same unit and month is a correction), a few at a time.
  for (let i = 0; i < files.length; i += 12) {
    const batch = files.slice(i, i + 12);
    const intents = await Promise.all(batch.map((f) => recordIntent(stack, { unit: f.unit, period: f.period, ext: f.ext })));
    await Promise.all(batch.map((f, j) => putObject(stack, objectKey(intents[j]!), f.body, f.ext)));
    ids.push(...intents.map((x) => x.uploadId));
  }
  const statuses = await eventually(
    async () => {
      const s = await stack.ledger.uploadStatuses(ids);
      return ids.every((id) => s.has(id) && s.get(id) !== 'pending') ? s : undefined;
    },
    `outcomes of ${ids.length} uploads`,
    timeoutMs,
  );
  return { ids, statuses };
}

/**
 * The ingest use case on the own table and bucket, with the clock of the day the file
 * arrives (so timeliness and FUTURE_PERIOD are as on that day): intent, object, event.
 */
export async function arrive(archive: OwnArchive, registry: Registry, file: MonthFile, at: Date): Promise<IngestResult> {
  const intent: UploadIntent = {
    uploadId: newUploadId(),
    uploader: { role: 'admin' },
    unit: file.unit,
    period: file.period,
    ext: file.ext,
    createdAt: at.toISOString(),
    maxBytes: DEFAULT_MAX_BYTES,
  };
  if (!(await archive.ledger.putIntent(intent))) throw new Error(`upload id ${intent.uploadId} exists`);
  const key = objectKey(intent);
  const bytes = typeof file.body === 'string' ? new TextEncoder().encode(file.body) : file.body;
  await archive.store.put(key, bytes, CONTENT_TYPES[file.ext]);
  return ingestObject(
    { key, size: bytes.length, eventTime: at.toISOString() },
    { store: archive.store, ledger: archive.ledger, registry, now: () => at },
  );
}

// ---------------------------------------------------------------------------------------
// The oracle
// ---------------------------------------------------------------------------------------

const STOCKS = new Set(VALUE_KEYS.filter((k) => k.metric.kind === 'stock').map((k) => k.key));

/** Every value key of the catalogue, 0 where nothing was reported. */
export function allKeys(values: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(VALUE_KEYS.map((k) => [k.key, values[k.key] ?? 0]));
}

/**
 * The town's totals of some submissions, computed here from scratch: flows add up over
 * units and months (money in cents); a stock is, per unit, its latest month's value, summed
 * over units. Every key of the catalogue, 0 where nothing was reported.
 */
export function totalsOf(submissions: readonly Submission[]): Record<string, number> {
  const cents = new Map<string, number>();
  const latestStock = new Map<string, { period: string; value: number }>();
  for (const s of submissions) {
    for (const [key, value] of Object.entries(s.values)) {
      if (STOCKS.has(key)) {
        const slot = `${s.unit}|${key}`;
        const held = latestStock.get(slot);
        if (!held || held.period < s.period) latestStock.set(slot, { period: s.period, value });
      } else cents.set(key, (cents.get(key) ?? 0) + Math.round(value * 100));
    }
  }
  const out: Record<string, number> = {};
  for (const [key, c] of cents) out[key] = c / 100;
  for (const [slot, { value }] of latestStock) {
    const key = slot.split('|')[1]!;
    out[key] = (out[key] ?? 0) + value;
  }
  return allKeys(out);
}

// ---------------------------------------------------------------------------------------
// What a summary mail must say
// ---------------------------------------------------------------------------------------

/** The key figures the mail's text shows first, as `label：value unit`. */
const MAIL_FIGURES = [
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
];

/** `鹅池镇2006年3月法治统计月报` / `鹅池镇2006年法治统计年报` (the default org's, or `org`'s). */
export function titleOf(kind: 'monthly' | 'annual', period: string, registry: Registry, org = registry.defaultOrg.code): string {
  const name = orgName(registry, org);
  return kind === 'annual' ? `${name}${period}年法治统计年报` : `${name}${chineseMonth(period)}法治统计月报`;
}

/**
 * A summary mail read back from its .eml: subject (Chinese, the period, 第n版 for a
 * revision), sender and recipients, the key figures in the text equal to the document's
 * totals, and the attachments: the JSON equal to the stored document, the CSV's town column
 * equal to its totals for every key of the catalogue.
 */
export function expectSummaryMail(
  mail: ReadMail,
  document: PublishedSummary,
  registry: Registry,
  recipients: Recipients = RECIPIENTS,
): void {
  const title = titleOf(document.kind, document.period, registry, document.org);
  const district = document.level === 'district';
  const revision = document.revision > 1 ? `（第${document.revision}版，有更正）` : '';
  expect(mail.subject).toBe(`【村报】${title}${district ? '（全区汇总）' : ''}${revision}`);
  expect(mail.from).toEqual(mailboxes([recipients.from]));
  // A town's summary to its town; the district's digest to the district (no copies either way).
  expect(mail.to).toEqual(mailboxes(recipientsOf(document.org, registry, recipients)));
  expect(mail.cc).toEqual([]);
  expect(mail.text).toContain(completenessWords(document.completeness, document.kind));
  for (const key of MAIL_FIGURES) {
    const k = VALUE_KEYS.find((v) => v.key === key)!;
    const value = document.totals[key]!;
    const shown = k.metric.valueType === 'money' ? money(value) : `${formatValue(value)} ${k.metric.unit}`;
    expect(mail.text, key).toMatch(new RegExp(`^  ${escapeRegExp(k.label)}：${escapeRegExp(shown)}(（[+-].+）)?$`, 'm'));
  }
  const base = `${document.kind}-${document.period}-v${document.revision}`;
  expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([
    [`${base}.json`, 'application/json'],
    [`${base}.csv`, 'text/csv'],
    [`${base}.xlsx`, XLSX_TYPE],
  ]);
  // The workbook is a whole .xlsx (its contents are tests/unit/workbooks.test.ts's).
  expect(Object.keys(unzipSync(new Uint8Array(mail.attachments[2]!.content)))).toContain('xl/workbook.xml');
  expect(JSON.parse(mail.attachments[0]!.content.toString('utf8'))).toEqual(document);
  // The CSV: a title block, then the header and a row per value key (then the derived rates); a blank is 0 in allKeys.
  const all = parseCsv(mail.attachments[1]!.content.toString('utf8'), { bom: true, relax_column_count: true }) as string[][];
  const start = all.findIndex((r) => r[0] === '指标代码');
  expect(all[0]![0]).toMatch(/法治建设统计汇总$/);
  const rows = all.slice(start, start + 1 + VALUE_KEYS.length);
  expect(rows[0]!.slice(0, 4)).toEqual(['指标代码', '指标名称', '计量单位', district ? '全区合计' : '全镇合计']);
  expect(Object.fromEntries(rows.slice(1).map((r) => [r[0], Number(r[3])]))).toEqual(allKeys(document.totals));
  if (district) expectDigestTowns(mail, document, rows);
}

/**
 * How a mail words a completeness: a month's in units; a year's in unit-months (its
 * `missing` lists units, so the unit-months missing are expected − submitted).
 */
function completenessWords(c: Completeness, kind: PublishedSummary['kind']): string {
  return kind === 'annual'
    ? `应报 ${c.expected} 个单位月，已报 ${c.submitted} 个单位月（按时 ${c.onTime}，迟报 ${c.late}），缺报 ${c.expected - c.submitted} 个单位月`
    : `应报 ${c.expected}，已报 ${c.submitted}（按时 ${c.onTime}，迟报 ${c.late}），未报 ${c.missing.length}`;
}

/** The digest's towns: each one's completeness line, and its CSV column equal to its totals. */
function expectDigestTowns(mail: ReadMail, document: PublishedSummary, rows: string[][]): void {
  for (const [i, [code, town]] of Object.entries(document.towns ?? {}).entries()) {
    expect(mail.text).toContain(`  ${town.name}：${completenessWords(town.completeness, document.kind)}`);
    expect(rows[0]![4 + i]!.startsWith(`${code} ${town.name}`)).toBe(true);
    expect(Object.fromEntries(rows.slice(1).map((r) => [r[0], Number(r[4 + i])]))).toEqual(allKeys(town.totals));
  }
}

/** A reminder read back: 催报 and the month in the subject, the town as recipients, each missing unit's contact in copy, each named in the text. */
export function expectReminderMail(
  mail: ReadMail,
  period: string,
  missing: readonly string[],
  registry: Registry,
  recipients: Recipients = RECIPIENTS,
): void {
  const town = registry.findTown(registry.get(missing[0]!)!.town)!;
  expect(mail.subject).toBe(`【村报】催报：${town.name}${chineseMonth(period)}尚有 ${missing.length} 个单位未报送`);
  expect(mail.from).toEqual(mailboxes([recipients.from]));
  expect(mail.to).toEqual(mailboxes([...recipients.town, ...town.recipients]));
  expect(mail.cc).toEqual(
    missing.flatMap((code) => (registry.get(code)?.contact ? [{ name: '', address: registry.get(code)!.contact! }] : [])),
  );
  for (const code of missing) expect(mail.text).toContain(`${registry.get(code)!.code} ${registry.get(code)!.name}`);
  const listed = mail.text.split('\n').filter((line) => /^ {2}\S/.test(line));
  expect(listed).toHaveLength(missing.length);
  expect(mail.attachments).toEqual([]);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The stored document of an org's revision (`summaries/{org}/{kind}/…`, shared/layout.ts). */
export async function storedSummary(
  archive: OwnArchive,
  kind: 'monthly' | 'annual',
  period: string,
  revision: number | 'latest',
  org = 'EC',
): Promise<PublishedSummary | undefined> {
  return archive.json<PublishedSummary>(summaryKey(org, kind, period, revision));
}
