/**
 * Publishing the district's monthly summary at 30 towns × 9 units and 300 towns × 9 units:
 * `publish('monthly', …, district)` on DynamoDB Local (DynamoLedger, DynamoSummaries) and
 * s3rver (S3ObjectStore), no mail. The district's summary is built in O(units): the
 * district's rollup (one Query of 16 shards) and one GSI1 Query of the month for all units,
 * grouped by town; the ratio of the two sizes must stay ≤ 12 for 10× the towns.
 *
 * The month is loaded straight into the table, untimed, in the item layout the ingest
 * writes (current items on GSI1, the district's month rollup shards with `v:{key}` totals
 * and `changes`): through the real ingest it would take minutes. Every timed run is a real
 * first publication: between runs the summary's LATEST and REV#0001 items are deleted, so
 * the next run finds no revision and builds, stores and saves revision 1 again (its S3
 * objects are overwritten). Runs alternate between the sizes, so that a busy moment of the
 * machine does not land on one size only.
 *
 * All of it runs in one fresh process (`publish.ts child`), with its own DynamoDB Local
 * (in memory) and s3rver (on a temp dir).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { BatchWriteItemCommand, type BatchWriteItemCommandOutput, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { startDynamoLocal } from '../../infra/local/dynamodb-local.ts';
import { clientsFor, LOCAL } from '../../infra/local/runtime.ts';
import { startS3Local } from '../../infra/local/s3-local.ts';
import { CHANGES_ATTRIBUTE, GSI1, index, key, ROLLUP_ATTRIBUTE_PREFIX } from '../../shared/adapters/dynamodb-keys.ts';
import { DynamoLedger } from '../../shared/adapters/dynamodb-ledger.ts';
import { DynamoSummaries } from '../../shared/adapters/dynamodb-summaries.ts';
import { ensureTable } from '../../shared/adapters/dynamodb-table.ts';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store.ts';
import { VALUE_KEYS } from '../../shared/catalogue.ts';
import type { Finding } from '../../shared/findings.ts';
import type { CurrentSubmission } from '../../shared/ports/ledger.ts';
import type { ObjectStore } from '../../shared/ports/objects.ts';
import type { PublishedSummary, SummaryArchive, SummaryReader } from '../../shared/ports/summaries.ts';
import { publish, type PublishDeps } from '../../shared/publish/publish.ts';
import { summaryKey } from '../../shared/layout.ts';
import { addMonths, deadlineOf, type Month } from '../../shared/period.ts';
import { Registry, type Org } from '../../shared/registry.ts';
import { shardOf, SHARDS, sum, type Values } from '../../shared/rollup.ts';
import { newUploadId, uploadOrder } from '../../shared/uploads.ts';
import { median } from './measure.ts';

/** Towns of the district (each of UNITS_PER_TOWN units). */
const SIZES = [30, 300] as const;
const UNITS_PER_TOWN = 9;
const DISTRICT = 'BQ';
const PERIOD: Month = '2025-03';
/** The scheduler publishes March in April. */
const NOW = new Date('2025-04-20T02:00:00+08:00');
/** BatchWriteItem calls in flight while loading. */
const LOAD_CONCURRENCY = 8;
/** One unit in this many sent late (with a LATE warning, as the ingest keeps it). */
const LATE_EVERY = 10;

const townOf = (i: number) => `T${String(Math.floor(i / UNITS_PER_TOWN) + 1).padStart(3, '0')}`;
/** The i-th unit's full code: `T001/V01`…`T001/V09`, `T002/V01`… */
const codeOf = (i: number) => `${townOf(i)}/V${String((i % UNITS_PER_TOWN) + 1).padStart(2, '0')}`;

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A district of `towns` towns of UNITS_PER_TOWN units each. */
export function registryOf(towns: number): Registry {
  return Registry.parse({
    district: { code: DISTRICT, name: '基准区' },
    towns: Array.from({ length: towns }, (_, t) => ({
      code: townOf(t * UNITS_PER_TOWN),
      name: `基准${t + 1}镇`,
      units: Array.from({ length: UNITS_PER_TOWN }, (_, u) => ({ code: codeOf(u).slice(5), name: `${t + 1}-${u + 1}村`, type: 'village' })),
    })),
  });
}

/** A unit's month with every value key (a full wide file's row), deterministic. */
function valuesOf(random: () => number): Values {
  const values: Record<string, number> = {};
  for (const k of VALUE_KEYS) {
    const x = Math.floor(random() ** 2 * 500);
    values[k.key] = k.metric.valueType === 'money' ? Math.floor(random() * 400_000) / 100 : x;
  }
  return values;
}

/** The current submissions of a month for `units` units, as the ingest would have left them. */
function monthOf(units: number, period: Month, seed: number): CurrentSubmission[] {
  const random = lcg(seed);
  const deadline = deadlineOf(period, 5).getTime();
  return Array.from({ length: units }, (_, i) => {
    const unit = codeOf(i);
    const late = i % LATE_EVERY === LATE_EVERY - 1;
    const at = new Date(deadline + (late ? 1 : -1) * (1 + Math.floor(random() * 4 * 86_400_000))).toISOString();
    const uploadId = newUploadId();
    const warnings: Finding[] = late
      ? [{ code: 'LATE', row: null, column: null, value: null, message: `${period} 的报表迟报`, unit, period }]
      : [];
    return {
      unit,
      period,
      values: valuesOf(random),
      uploadId,
      version: 1,
      order: uploadOrder(at, uploadId),
      receivedAt: at,
      firstReceivedAt: at,
      ...(warnings.length ? { warnings } : {}),
    };
  });
}

/** The month's rollup shards: each shard's exact totals as `v:{key}`, and one change per unit. */
function shardsOf(period: Month, month: readonly CurrentSubmission[]): Record<string, unknown>[] {
  const byShard = Array.from({ length: SHARDS }, () => [] as Values[]);
  for (const s of month) byShard[shardOf(s.unit)]!.push(s.values);
  return byShard.flatMap((values, shard) => {
    if (values.length === 0) return [];
    const totals = sum(values);
    // Exact decimals, as the ingest's ADDs leave them (money to the cent).
    const attributes = Object.fromEntries(Object.entries(totals).map(([k, v]) => [ROLLUP_ATTRIBUTE_PREFIX + k, Number(v.toFixed(2))]));
    return [{ ...key.monthShard(DISTRICT, period, shard), ...attributes, [CHANGES_ATTRIBUTE]: values.length }];
  });
}

function currentItem(s: CurrentSubmission): Record<string, unknown> {
  return { ...key.current(s.unit, s.period), ...s, type: 'current', ...index.current(s.unit, s.period) };
}

/** BatchWriteItem, 25 requests a call, LOAD_CONCURRENCY calls at a time, unprocessed ones again. */
async function batchWrite(client: DynamoDBClient, table: string, requests: WriteRequest[]): Promise<void> {
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += 25) batches.push(requests.slice(i, i + 25));
  await Promise.all(
    Array.from({ length: LOAD_CONCURRENCY }, async () => {
      for (let batch = batches.shift(); batch; batch = batches.shift()) {
        let pending: WriteRequest[] | undefined = batch;
        for (let attempt = 0; pending?.length; attempt++) {
          if (attempt > 10) throw new Error('bench: BatchWriteItem kept items unprocessed');
          if (attempt) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
          const out: BatchWriteItemCommandOutput = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
          pending = out.UnprocessedItems?.[table];
        }
      }
    }),
  );
}

const put = (item: Record<string, unknown>): WriteRequest => ({ PutRequest: { Item: marshall(item, { removeUndefinedValues: true }) } });

/** Loads one size's table: the month, and the rollups of the month before and a year before (compared with). */
async function load(client: DynamoDBClient, table: string, towns: number): Promise<{ month: CurrentSubmission[]; loadSeconds: number }> {
  const began = performance.now();
  await ensureTable(client, table);
  const units = towns * UNITS_PER_TOWN;
  const month = monthOf(units, PERIOD, units);
  const others = [addMonths(PERIOD, -1), addMonths(PERIOD, -12)].flatMap((m, i) =>
    shardsOf(m, monthOf(Math.min(units, 200), m, units + i + 1)),
  );
  await batchWrite(client, table, [...month.map(currentItem), ...shardsOf(PERIOD, month), ...others].map(put));
  return { month, loadSeconds: (performance.now() - began) / 1000 };
}

/** Where a publication's time went (ms): the reads the summary is built from, S3, and the archive. */
interface Phases {
  /** buildMonthly's four reads, at once: the month's current items (GSI1, paged) and three rollups. */
  readMs: number;
  /** Of which the GSI1 Query of the month's current items (all its pages, and unmarshalling). */
  currentOfMonthMs: number;
  queryPages: number;
  /** The two PUTs of the document (`.v1.json`, `.latest.json`), JSON included. */
  storeMs: number;
  /** latest() before, save() after. */
  archiveMs: number;
}

/** Wraps the ports to time them; what is left of a run's wall time is building, hashing, comparing. */
function instrumented(deps: PublishDeps, phases: Phases): PublishDeps {
  const reader: SummaryReader = {
    rollupWithVersion: (org, scope, period) => deps.reader.rollupWithVersion(org, scope, period),
    unitYears: (year, town) => deps.reader.unitYears(year, town),
    reviewsOfMonth: (period, town) => deps.reader.reviewsOfMonth(period, town),
    currentOfMonth: async (period, town) => {
      const began = performance.now();
      try {
        return await deps.reader.currentOfMonth(period, town);
      } finally {
        phases.currentOfMonthMs += performance.now() - began;
      }
    },
  };
  // The reads of buildMonthly start together after latest() and the version read: timed
  // from the first read of the month's items to the last read that ends.
  let readsBegan = 0;
  const readingReader: SummaryReader = {
    ...reader,
    currentOfMonth: async (period, town) => {
      readsBegan = performance.now();
      const out = await reader.currentOfMonth(period, town);
      phases.readMs = Math.max(phases.readMs, performance.now() - readsBegan);
      return out;
    },
    rollupWithVersion: async (org, scope, period) => {
      const out = await reader.rollupWithVersion(org, scope, period);
      if (readsBegan) phases.readMs = Math.max(phases.readMs, performance.now() - readsBegan);
      return out;
    },
  };
  const timedStore: ObjectStore = {
    get: (k, v) => deps.store.get(k, v),
    objects: (prefix) => deps.store.objects(prefix),
    put: (k, bytes, type) => deps.store.put(k, bytes, type),
    putJson: async (k, body) => {
      const began = performance.now();
      await deps.store.putJson(k, body);
      phases.storeMs += performance.now() - began;
    },
  };
  const a = deps.archive;
  const timedArchive: SummaryArchive = {
    revision: (org, kind, period, n) => a.revision(org, kind, period, n),
    seen: (org, kind, period, n, v) => a.seen(org, kind, period, n, v),
    markEmailed: (org, kind, period, n) => a.markEmailed(org, kind, period, n),
    published: (org, kind, limit) => a.published(org, kind, limit),
    lastScheduleRun: () => a.lastScheduleRun(),
    saveScheduleRun: (at) => a.saveScheduleRun(at),
    latest: async (org, kind, period) => {
      const began = performance.now();
      const out = await a.latest(org, kind, period);
      phases.archiveMs += performance.now() - began;
      return out;
    },
    save: async (summary, hash, previous) => {
      const began = performance.now();
      const out = await a.save(summary, hash, previous);
      phases.archiveMs += performance.now() - began;
      return out;
    },
  };
  return { ...deps, reader: readingReader, store: timedStore, archive: timedArchive };
}

export interface PublishSize {
  readonly towns: number;
  readonly units: number;
  /** Median wall time of publish('monthly', …) of the district, first publication, ms. */
  readonly ms: number;
  readonly msPer1000Units: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** The first run at this size (counted in the median): cold code, cold caches. */
  readonly firstMs: number;
  /** Medians of the phases (ms), and the rest: building the summary, hashing it, comparing. */
  readonly phases: {
    readonly readMs: number;
    readonly currentOfMonthMs: number;
    readonly queryPages: number;
    readonly storeMs: number;
    readonly archiveMs: number;
    readonly otherMs: number;
  };
  /** Each GSI1 page's round trip (ms) in the last run, in order. */
  readonly pageMs: readonly number[];
  /** The published document's size in S3 (each of the two objects). */
  readonly documentMiB: number;
}

export interface PublishFigures {
  readonly store: string;
  readonly runs: number;
  /** The district's publication, by towns. */
  readonly sizes: Record<string, PublishSize>;
  /** t(300 towns) / t(30 towns): 10 is linear; must be ≤ 12. */
  readonly ratio300to30: number;
  /** Untimed: writing each size's month into DynamoDB Local (s). */
  readonly loadSeconds: Record<string, number>;
  readonly seconds: number;
}

type Setup = {
  towns: number;
  units: number;
  table: string;
  month: CurrentSubmission[];
  deps: PublishDeps;
  org: Org;
  times: number[];
  phases: Phases[];
  pageMs: number[];
  firstMs: number;
  documentBytes: number;
};

/** The document of the last publication, checked whole: totals, towns, completeness, version. */
async function check(store: ObjectStore, s: Setup): Promise<void> {
  const bytes = (await store.get(summaryKey(DISTRICT, 'monthly', PERIOD, 'latest')))!;
  s.documentBytes = bytes.length;
  const document = JSON.parse(new TextDecoder().decode(bytes)) as PublishedSummary;
  const expected = sum(s.month.map((m) => m.values));
  const wrong = Object.entries(expected).filter(([k, v]) => Math.abs((document.totals[k] ?? 0) - v) > 1e-6);
  const late = s.month.filter((m) => m.warnings).length;
  const towns = Object.values(document.towns ?? {});
  if (
    towns.length !== s.towns ||
    towns.some((t) => t.completeness.submitted !== UNITS_PER_TOWN) ||
    document.completeness.submitted !== s.units ||
    document.completeness.late !== late ||
    document.version !== s.units ||
    wrong.length
  ) {
    throw new Error(
      `bench: the district summary of ${s.towns} towns is wrong (towns ${towns.length}, submitted ${document.completeness.submitted}, late ${document.completeness.late}, version ${document.version}, totals off: ${wrong.map(([k]) => k).join(',')})`,
    );
  }
}

function figuresOf(s: Setup): PublishSize {
  const ms = median(s.times);
  const m = (f: (p: Phases) => number) => round(median(s.phases.map(f)));
  const phases = {
    readMs: m((p) => p.readMs),
    currentOfMonthMs: m((p) => p.currentOfMonthMs),
    queryPages: m((p) => p.queryPages),
    storeMs: m((p) => p.storeMs),
    archiveMs: m((p) => p.archiveMs),
  };
  return {
    towns: s.towns,
    units: s.units,
    ms: round(ms),
    msPer1000Units: round((ms / s.units) * 1000),
    minMs: round(Math.min(...s.times)),
    maxMs: round(Math.max(...s.times)),
    firstMs: round(s.firstMs),
    phases: { ...phases, otherMs: round(ms - phases.readMs - phases.storeMs - phases.archiveMs) },
    pageMs: s.pageMs,
    documentMiB: round(s.documentBytes / 1024 / 1024),
  };
}

/** The whole suite, in this process (the child). */
export async function publishRun(runs: number): Promise<PublishFigures> {
  const began = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'cunbao-bench-publish-'));
  const [dynamo, s3] = await Promise.all([startDynamoLocal(null), startS3Local(join(dir, 's3'), LOCAL.bucket)]);
  const clients = clientsFor({ dynamodb: dynamo.endpoint, s3: s3.endpoint });
  try {
    const { dynamodb } = clients;
    /** Round trips of GSI1 Query pages, during a timed publication. */
    let pages: number[] = [];
    dynamodb.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'QueryCommand' || (args.input as { IndexName?: string }).IndexName !== GSI1) return next(args);
        const start = performance.now();
        const out = await next(args);
        pages.push(Math.round(performance.now() - start));
        return out;
      },
      { step: 'initialize', name: 'benchTimePages' },
    );
    const store = new S3ObjectStore(clients.s3, LOCAL.bucket);
    const setups: Setup[] = [];
    const loadSeconds: Record<string, number> = {};
    for (const towns of SIZES) {
      const table = `bench-publish-${towns}`;
      const loaded = await load(dynamodb, table, towns);
      loadSeconds[towns] = round(loaded.loadSeconds);
      const registry = registryOf(towns);
      setups.push({
        towns,
        units: towns * UNITS_PER_TOWN,
        table,
        month: loaded.month,
        deps: {
          archive: new DynamoSummaries(dynamodb, table, store),
          store,
          registry,
          now: () => NOW,
          reader: new DynamoLedger(dynamodb, table),
        },
        org: registry.org(DISTRICT)!,
        times: [],
        phases: [],
        pageMs: [],
        firstMs: 0,
        documentBytes: 0,
      });
    }

    /** One real first publication (after removing revision 1, if any), timed. */
    const once = async (s: Setup): Promise<{ ms: number; phases: Phases }> => {
      const { PK } = key.summaryLatest(DISTRICT, 'monthly', PERIOD);
      await dynamodb.send(
        new BatchWriteItemCommand({
          RequestItems: { [s.table]: ['LATEST', 'REV#0001'].map((SK) => ({ DeleteRequest: { Key: marshall({ PK, SK }) } })) },
        }),
      );
      const phases: Phases = { readMs: 0, currentOfMonthMs: 0, queryPages: 0, storeMs: 0, archiveMs: 0 };
      const deps = instrumented(s.deps, phases);
      (globalThis as { gc?: () => void }).gc?.();
      pages = [];
      const start = performance.now();
      const result = await publish('monthly', PERIOD, deps, s.org);
      const ms = performance.now() - start;
      phases.queryPages = pages.length;
      s.pageMs = pages;
      if (!result.published || result.revision !== 1)
        throw new Error(`bench: publish of ${s.towns} towns did not publish revision 1: ${JSON.stringify(result)}`);
      return { ms, phases };
    };

    // No separate warm-up: the first run of each size is the process's first publication
    // at that size (cold code and caches), reported on its own and counted in the median.
    for (let r = 0; r < runs; r++) {
      for (const s of setups) {
        const { ms, phases } = await once(s);
        if (r === 0) {
          s.firstMs = ms;
          await check(store, s);
        }
        s.times.push(ms);
        s.phases.push(phases);
      }
    }
    const sizes = Object.fromEntries(setups.map((s) => [String(s.towns), figuresOf(s)]));
    return {
      store: 's3rver (S3ObjectStore, local, in process)',
      runs,
      sizes,
      ratio300to30: round(sizes['300']!.ms / sizes['30']!.ms),
      loadSeconds,
      seconds: round((performance.now() - began) / 1000),
    };
  } finally {
    clients.dynamodb.destroy();
    clients.s3.destroy();
    await Promise.allSettled([dynamo.stop(), s3.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x: number) => Math.round(x * 100) / 100;
const SELF = fileURLToPath(import.meta.url);

/** Runs the suite in a fresh process of its own (its own DynamoDB Local and s3rver). */
export function benchPublish(runs: number): PublishFigures {
  const out = execFileSync(process.execPath, ['--expose-gc', '--openssl-legacy-provider', '--import', 'tsx', SELF, 'child', String(runs)], {
    encoding: 'utf8',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out) as PublishFigures;
}

/** The bench's lines for this suite. */
export function publishLines(f: PublishFigures): string[] {
  const row = (s: PublishSize) => {
    const p = s.phases;
    return `  ${String(s.towns).padStart(4)} towns × ${UNITS_PER_TOWN} = ${String(s.units).padStart(5)} units  ${String(Math.round(s.ms)).padStart(5)} ms  ${String(Math.round(s.msPer1000Units)).padStart(5)} ms/1 000 units  (month's items ${Math.round(p.currentOfMonthMs)} ms in ${p.queryPages} page${p.queryPages === 1 ? '' : 's'}, S3 ${Math.round(p.storeMs)} ms for 2 × ${s.documentMiB} MiB, archive ${Math.round(p.archiveMs)} ms, build+hash ${Math.round(p.otherMs)} ms)`;
  };
  return [
    `publish the district's monthly summary (DynamoDB Local + ${f.store}, no mail), a first publication each, median of ${f.runs} runs per size (the first one cold) in one fresh process:`,
    ...SIZES.map((n) => row(f.sizes[n]!)),
    `  t(300 towns) / t(30 towns)    ${f.ratio300to30} (linear ≈ 10; must be ≤ 12) ${f.ratio300to30 <= 12 ? 'ok' : 'TOO SLOW'}`,
  ];
}

if (process.argv[1] === SELF && process.argv[2] === 'child') {
  const figures = await publishRun(Number(process.argv[3] ?? 5));
  // SDK sockets may linger once the servers are stopped: leave once the figures are written.
  process.stdout.write(JSON.stringify(figures), () => process.exit(0));
}
