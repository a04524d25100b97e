/**
 * End-to-end ingest on the local stack: N units each upload one single-month file, all at
 * once (32 uploaders: intent, then PUT), and the stack's queue and ingest handler work
 * through them. Measured per file, from the start of its PutObject to the moment the
 * transaction that adds it to the rollups is acknowledged; and the DynamoDB requests the
 * ingest handler sends per accepted file (which must not grow with the number of units).
 *
 * Each run is a fresh process (one local stack per process: the handler module binds its
 * SDK clients to the first stack) with a fresh data dir and a generated registry.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCAL, LocalStack } from '../../infra/local/runtime.ts';
import type { Month } from '../../shared/period.ts';
import { sum, type Values } from '../../shared/rollup.ts';
import { newUploadId, objectKey, type UploadIntent } from '../../shared/uploads.ts';
import { breakdownOf, timeCalls, type Breakdown } from './ingest-bare-breakdown.ts';
import { phaseSwitch, type PhaseSwitch } from './ingest-bare.ts';
import { median } from './measure.ts';

/** A fixed clock: March 2025 is last month and not yet late (no LATE warning on every file). */
const NOW = '2025-04-03T09:00:00+08:00';
const PERIOD: Month = '2025-03';
const UPLOADERS = 32;
/** Batches the local queue hands the ingest at once (LocalStack's default: what `npm start` runs). */
const CONCURRENCY = 4;
const HEADER = 'unit,period,legal_literates,general_hazards_found,hazards_rectified,petitions_received,petitions_closed,veteran_aid_yuan';

/** The ingest's figures (seconds: first PUT → last rollup transaction), and the bare path's when run. */
export interface IngestRun extends PhaseFigures {
  readonly units: number;
  readonly files: number;
  readonly accepted: number;
  /** DynamoDB commands sent by the ingest handler, by name (retries of one command count once). */
  readonly requests: Record<string, number>;
  readonly requestsPerFile: number;
  readonly breakdown: Breakdown;
  readonly bare?: PhaseFigures;
  /** Whether the bare burst ran before the ingest's or after it. */
  readonly bareOrder?: 'first' | 'after';
  readonly bareRetries?: number;
  readonly bareBreakdown?: Breakdown;
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const codeOf = (i: number) => `U${String(i + 1).padStart(4, '0')}`;
/** The bench registry's one town: its units' full codes are `BENCH/U0001`…. */
const TOWN = 'BENCH';

function registryDocument(units: number): unknown {
  return {
    town: { code: TOWN, name: '基准镇', district: '基准区', timeZone: 'Asia/Shanghai' },
    deadlineDay: 5,
    units: Array.from({ length: units }, (_, i) => ({ code: codeOf(i), name: `${codeOf(i)}村`, type: 'village' })),
  };
}

/** A wide CSV of one unit's month, the unit written as the file's cell (a short code, as a village writes it). */
export function fileOf(unit: string, values: Values, period: Month = PERIOD): string {
  const v = (k: string) => values[k] ?? 0;
  return `${HEADER}\n${unit},${period},${v('legal_literates')},${v('general_hazards_found')},${v('hazards_rectified')},${v('petitions_received')},${v('petitions_closed')},${v('veteran_aid_yuan').toFixed(2)}\n`;
}

/** Random values of one unit's month (flows, a stock, money), the same for a seed. */
export function valuesOf(random: () => number): Values {
  const found = Math.floor(random() * 30);
  const received = Math.floor(random() * 12);
  return {
    legal_literates: 5 + Math.floor(random() * 40),
    general_hazards_found: found,
    hazards_rectified: Math.floor(random() * (found + 1)),
    petitions_received: received,
    petitions_closed: Math.floor(random() * (received + 1)),
    veteran_aid_yuan: Math.floor(random() * 400_000) / 100,
  };
}

/**
 * Counts every DynamoDB request a client sends, by command (at the SDK's initialize step:
 * a command's retries count once), and calls `sent` with each command's input once answered.
 */
export function countRequests(client: DynamoDBClient, sent?: (name: string, input: unknown) => void): Record<string, number> {
  const requests: Record<string, number> = {};
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown';
      requests[name] = (requests[name] ?? 0) + 1;
      const result = await next(args);
      sent?.(name, args.input);
      return result;
    },
    { step: 'initialize', name: 'benchCountRequests' },
  );
  return requests;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** One phase's burst: throughput and latency, first PUT → last write. */
export interface PhaseFigures {
  /** Seconds from the first PUT's start to the last file's write. */
  readonly seconds: number;
  readonly uploadSeconds: number;
  readonly filesPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

interface Burst {
  /** When each upload's PUT began, by upload id. */
  readonly putStart: Map<string, number>;
  /** Each upload's object key, by upload id. */
  readonly keys: Map<string, string>;
  readonly uploadSeconds: number;
}

/** All at once: 32 uploaders, each an intent then a PUT, as a browser upload does. */
async function burst(stack: LocalStack, files: readonly { unit: string; values: Values }[]): Promise<Burst> {
  const putStart = new Map<string, number>();
  const keys = new Map<string, string>();
  const pending = [...files];
  const began = Date.now();
  await Promise.all(
    Array.from({ length: UPLOADERS }, async () => {
      for (let file = pending.shift(); file; file = pending.shift()) {
        const intent: UploadIntent = {
          uploadId: newUploadId(),
          uploader: { role: 'village', unit: `${TOWN}/${file.unit}` },
          unit: `${TOWN}/${file.unit}`,
          period: PERIOD,
          ext: 'csv',
          createdAt: new Date().toISOString(),
          maxBytes: 1 << 20,
        };
        if (!(await stack.ledger.putIntent(intent))) throw new Error(`upload id ${intent.uploadId} taken`);
        const Key = objectKey(intent);
        keys.set(intent.uploadId, Key);
        putStart.set(intent.uploadId, Date.now());
        const Body = fileOf(file.unit, file.values);
        await stack.clients.s3.send(new PutObjectCommand({ Bucket: LOCAL.bucket, Key, Body, ContentType: 'text/csv' }));
      }
    }),
  );
  return { putStart, keys, uploadSeconds: (Date.now() - began) / 1000 };
}

/** A burst's figures from when each file's PUT began and its write was acknowledged (by upload id). */
function figuresOf(b: Burst, written: (uploadId: string) => number): PhaseFigures {
  const latencies = [...b.putStart].map(([id, start]) => written(id) - start).sort((x, y) => x - y);
  const first = Math.min(...b.putStart.values());
  const seconds = (Math.max(...[...b.putStart.keys()].map(written)) - first) / 1000;
  return {
    seconds,
    uploadSeconds: b.uploadSeconds,
    filesPerSecond: b.putStart.size / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.at(-1)!,
  };
}

type Files = readonly { unit: string; values: Values }[];

/** The ingest's burst; it counts only if every file was accepted and counted once. */
async function ingestPhase(stack: LocalStack, files: Files, committed: Map<string, number>): Promise<Burst> {
  const b = await burst(stack, files);
  await stack.queue.idle();
  const statuses = await stack.ledger.uploadStatuses([...b.putStart.keys()]);
  const accepted = [...statuses.values()].filter((s) => s === 'accepted').length;
  const mine = [...b.putStart.keys()].filter((id) => committed.has(id)).length;
  if (accepted !== files.length || mine !== files.length)
    throw new Error(`bench: ${accepted} of ${files.length} accepted, ${mine} committed; dead letters: ${stack.deadLetters.list().length}`);
  const rollup = await stack.ledger.rollup(TOWN, 'month', PERIOD);
  const expected = sum(files.map((f) => f.values));
  for (const [k, v] of Object.entries(expected))
    if (Math.abs((rollup[k] ?? 0) - v) > 1e-6) throw new Error(`bench: rollup ${k} = ${rollup[k]}, expected ${v}`);
  return b;
}

/** The bare path's burst of the same files, through the same queue: every file written once. */
async function barePhase(stack: LocalStack, files: Files, sw: PhaseSwitch): Promise<Burst> {
  sw.phase = 'bare';
  try {
    const b = await burst(stack, files);
    await stack.queue.idle();
    const missing = [...b.keys.values()].filter((k) => !sw.bareWritten.has(k)).length;
    if (missing) throw new Error(`bench: ${missing} bare files not written; dead letters: ${stack.deadLetters.list().length}`);
    return b;
  } finally {
    sw.phase = 'ingest';
  }
}

/**
 * One measured run, in this process (called by worker.ts). With `bare`, the same files are
 * uploaded again for the bare path on the same stack, before or after the ingest's burst.
 */
export async function ingestRun(units: number, bare?: 'first' | 'after'): Promise<IngestRun> {
  process.env.LOG_LEVEL = 'warn'; // the handler logs every file at info
  const dir = mkdtempSync(join(tmpdir(), 'cunbao-bench-ingest-'));
  const unitsFile = join(dir, 'units.json');
  writeFileSync(unitsFile, JSON.stringify(registryDocument(units)));
  const sw = phaseSwitch();
  const options = { dataDir: join(dir, 'data'), unitsFile, now: NOW, concurrency: CONCURRENCY, wrapIngest: sw.wrap };
  const stack = await LocalStack.start(options);
  try {
    // The handler's own DynamoDB client: the module singleton the runtime imported with the
    // stack's endpoints (importing it before start would create it without them).
    const { dynamodb } = (await import('../../functions/commons/clients.ts')) as { dynamodb: DynamoDBClient };
    /** When each upload's finishing transaction (rollups + outcome) was acknowledged. */
    const committed = new Map<string, number>();
    const requests = countRequests(dynamodb, (name, sent) => {
      if (name !== 'TransactWriteItemsCommand') return;
      const input = sent as { TransactItems?: { Update?: { Key?: Record<string, { S?: string }> } }[] };
      for (const item of input.TransactItems ?? []) {
        const pk = item.Update?.Key?.['PK']?.S;
        if (pk?.startsWith('UPLOAD#')) committed.set(pk.slice('UPLOAD#'.length), Date.now());
      }
    });
    const times = timeCalls(dynamodb);
    const random = lcg(units);
    const files = Array.from({ length: units }, (_, i) => ({ unit: codeOf(i), values: valuesOf(random) }));

    const bareFirst = bare === 'first' ? await barePhase(stack, files, sw) : undefined;
    const ingest = await ingestPhase(stack, files, committed);
    const bareBurst = bare === 'after' ? await barePhase(stack, files, sw) : bareFirst;
    const total = Object.values(requests).reduce((a, b) => a + b, 0);
    const bareFigures = bareBurst && figuresOf(bareBurst, (id) => sw.bareWritten.get(bareBurst.keys.get(id)!)!);
    return {
      units,
      files: units,
      accepted: units,
      ...figuresOf(ingest, (id) => committed.get(id)!),
      requests: Object.fromEntries(Object.entries(requests).map(([name, n]) => [name.replace(/Command$/, ''), n])),
      requestsPerFile: total / units,
      breakdown: breakdownOf(sw.batches, 'ingest', [...ingest.putStart.values()], times),
      ...(bareBurst && bareFigures
        ? {
            bare: bareFigures,
            bareOrder: bare!,
            bareRetries: sw.bareFailures,
            bareBreakdown: breakdownOf(sw.batches, 'bare', [...bareBurst.putStart.values()], sw.bareTimes),
          }
        : {}),
    };
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

function runIsolated(units: number, bare?: 'first' | 'after'): IngestRun {
  const args = ['--openssl-legacy-provider', '--import', 'tsx', WORKER, 'ingest', String(units), ...(bare ? [bare] : [])];
  const out = execFileSync(process.execPath, args, {
    encoding: 'utf8',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out) as IngestRun;
}

export interface IngestFigures {
  readonly files: number;
  readonly uploaders: number;
  readonly concurrency: number;
  readonly runs: number;
  readonly filesPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly uploadSeconds: number;
  readonly seconds: number;
  /** Handler DynamoDB requests per accepted file, by registry size (units). */
  readonly requestsPerFile: Record<string, number>;
  readonly requestsPerFileByCommand: Record<string, number>;
  /** The small size's own burst, for comparison. */
  readonly small: { readonly files: number; readonly filesPerSecond: number; readonly p50Ms: number; readonly p99Ms: number };
  /** The bare path (GetObject + one TransactWriteItems) on the same stack and queue in each run: medians. */
  readonly bare: {
    readonly filesPerSecond: number;
    readonly seconds: number;
    readonly uploadSeconds: number;
    readonly p50Ms: number;
    readonly p99Ms: number;
  };
  /** Median of each run's ingest ÷ bare throughput (target ≥ 0.8), and each run's, in run order. */
  readonly ratio: number;
  readonly ratios: readonly number[];
  /** Each run's throughput (files/s), in run order: the spread on a shared machine. */
  readonly perRun: { readonly ingest: readonly number[]; readonly bare: readonly number[] };
  /** Where the time goes, per file (ms): medians over the runs. */
  readonly breakdown: { readonly ingest: Breakdown; readonly bare: Breakdown };
}

/**
 * `runs` processes at the large size (medians), one at the small size: throughput and
 * latency of the large burst, and requests per file at both sizes.
 */
export function benchIngest(runs: number, sizes: { small: number; large: number } = { small: 100, large: 1000 }): IngestFigures {
  const small = runIsolated(sizes.small);
  // The bare burst before the ingest's in odd runs, after it in even ones: neither gets the warm process always.
  const large = Array.from({ length: runs }, (_, i) => runIsolated(sizes.large, i % 2 ? 'first' : 'after'));
  const m = (f: (r: IngestRun) => number) => median(large.map(f));
  const ratios = large.map((r) => round(r.filesPerSecond / r.bare!.filesPerSecond));
  return {
    files: sizes.large,
    uploaders: UPLOADERS,
    concurrency: CONCURRENCY,
    runs,
    filesPerSecond: round(m((r) => r.filesPerSecond)),
    p50Ms: Math.round(m((r) => r.p50Ms)),
    p99Ms: Math.round(m((r) => r.p99Ms)),
    uploadSeconds: round(m((r) => r.uploadSeconds)),
    seconds: round(m((r) => r.seconds)),
    requestsPerFile: { [sizes.small]: round(small.requestsPerFile), [sizes.large]: round(m((r) => r.requestsPerFile)) },
    requestsPerFileByCommand: Object.fromEntries(
      Object.entries(large[0]!.requests).map(([name, n]) => [name, round(n / large[0]!.accepted)]),
    ),
    small: { files: small.files, filesPerSecond: round(small.filesPerSecond), p50Ms: small.p50Ms, p99Ms: small.p99Ms },
    bare: {
      filesPerSecond: round(m((r) => r.bare!.filesPerSecond)),
      seconds: round(m((r) => r.bare!.seconds)),
      uploadSeconds: round(m((r) => r.bare!.uploadSeconds)),
      p50Ms: Math.round(m((r) => r.bare!.p50Ms)),
      p99Ms: Math.round(m((r) => r.bare!.p99Ms)),
    },
    ratio: median(ratios),
    ratios,
    perRun: { ingest: large.map((r) => round(r.filesPerSecond)), bare: large.map((r) => round(r.bare!.filesPerSecond)) },
    breakdown: {
      ingest: medianBreakdown(large.map((r) => r.breakdown)),
      bare: medianBreakdown(large.map((r) => r.bareBreakdown!)),
    },
  };
}

/** Each figure's median over the runs (a call kind missing from a run counts as 0 there). */
function medianBreakdown(runs: readonly Breakdown[]): Breakdown {
  const m = (f: (b: Breakdown) => number) => round(median(runs.map(f)));
  const per = (f: (b: Breakdown) => Record<string, number>) =>
    Object.fromEntries([...new Set(runs.flatMap((b) => Object.keys(f(b))))].map((k) => [k, m((b) => f(b)[k] ?? 0)]));
  return {
    batches: m((b) => b.batches),
    filesPerBatch: m((b) => b.filesPerBatch),
    putToQueueMs: m((b) => b.putToQueueMs),
    queueWaitMs: m((b) => b.queueWaitMs),
    handlerMs: m((b) => b.handlerMs),
    calls: per((b) => b.calls),
    otherMs: m((b) => b.otherMs),
    requestsPerFile: per((b) => b.requestsPerFile),
    transactItemsPerFile: m((b) => b.transactItemsPerFile),
  };
}

/** The bench's text lines for the bare path, the ratio and the breakdown. */
export function bareLines(i: IngestFigures): string[] {
  const b = i.bare;
  // Request times are summed per file; a batch's files wait on theirs side by side, so `rest` (handler − requests) can be negative.
  const parts = (d: Breakdown) => [...Object.entries(d.calls).map(([k, ms]) => `${k} ${ms}`), `rest ${d.otherMs}`].join(', ');
  const line = (name: string, d: Breakdown) =>
    `  ${name} per file ms: queue wait ${d.queueWaitMs}, handler ${d.handlerMs} (${parts(d)}); ${d.filesPerBatch} files/batch, ${d.transactItemsPerFile} transaction items/file`;
  return [
    `  bare path, same stack    ${b.filesPerSecond} files/s (PUT → event → GetObject → one TransactWriteItems; ${b.seconds} s, uploads ${b.uploadSeconds} s; p50 ${b.p50Ms} ms, p99 ${b.p99Ms} ms)`,
    `  ingest / bare           ${i.ratio}× (target ≥ 0.8×; runs ${i.ratios.join(', ')}: ingest ${i.perRun.ingest.join(', ')}, bare ${i.perRun.bare.join(', ')} files/s)`,
    line('ingest', i.breakdown.ingest),
    line('bare  ', i.breakdown.bare),
  ];
}

const round = (x: number) => Math.round(x * 100) / 100;
