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
import { median } from './measure.ts';

/** A fixed clock: March 2025 is last month and not yet late (no LATE warning on every file). */
const NOW = '2025-04-03T09:00:00+08:00';
const PERIOD: Month = '2025-03';
const UPLOADERS = 32;
/** Batches the local queue hands the ingest at once (LocalStack's default: what `npm start` runs). */
const CONCURRENCY = 4;
const HEADER = 'unit,period,legal_literates,general_hazards_found,hazards_rectified,petitions_received,petitions_closed,veteran_aid_yuan';

export interface IngestRun {
  readonly units: number;
  readonly files: number;
  readonly accepted: number;
  /** Seconds from the first PUT's start to the last upload's rollup transaction. */
  readonly seconds: number;
  readonly uploadSeconds: number;
  readonly filesPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** DynamoDB commands sent by the ingest handler, by name (retries of one command count once). */
  readonly requests: Record<string, number>;
  readonly requestsPerFile: number;
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

/** One measured run, in this process (called by worker.ts). */
export async function ingestRun(units: number): Promise<IngestRun> {
  process.env.LOG_LEVEL = 'warn'; // the handler logs every file at info
  const dir = mkdtempSync(join(tmpdir(), 'cunbao-bench-ingest-'));
  const unitsFile = join(dir, 'units.json');
  writeFileSync(unitsFile, JSON.stringify(registryDocument(units)));
  const stack = await LocalStack.start({ dataDir: join(dir, 'data'), unitsFile, now: NOW, concurrency: CONCURRENCY });
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

    const random = lcg(units);
    const files = Array.from({ length: units }, (_, i) => ({ unit: codeOf(i), values: valuesOf(random) }));

    // All at once: 32 uploaders, each an intent then a PUT, as a browser upload does.
    const putStart = new Map<string, number>();
    const pending = [...files];
    const uploadBegan = Date.now();
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
          putStart.set(intent.uploadId, Date.now());
          await stack.clients.s3.send(
            new PutObjectCommand({
              Bucket: LOCAL.bucket,
              Key: objectKey(intent),
              Body: fileOf(file.unit, file.values),
              ContentType: 'text/csv',
            }),
          );
        }
      }),
    );
    const uploadSeconds = (Date.now() - uploadBegan) / 1000;
    await stack.queue.idle();

    // The run counts only if every file was accepted and counted once.
    const statuses = await stack.ledger.uploadStatuses([...putStart.keys()]);
    const accepted = [...statuses.values()].filter((s) => s === 'accepted').length;
    if (accepted !== units || committed.size !== units)
      throw new Error(
        `bench: ${accepted} of ${units} accepted, ${committed.size} committed; dead letters: ${stack.deadLetters.list().length}`,
      );
    const rollup = await stack.ledger.rollup(TOWN, 'month', PERIOD);
    const expected = sum(files.map((f) => f.values));
    for (const [k, v] of Object.entries(expected))
      if (Math.abs((rollup[k] ?? 0) - v) > 1e-6) throw new Error(`bench: rollup ${k} = ${rollup[k]}, expected ${v}`);

    const latencies = [...putStart].map(([id, start]) => committed.get(id)! - start).sort((a, b) => a - b);
    const first = Math.min(...putStart.values());
    const last = Math.max(...committed.values());
    const total = Object.values(requests).reduce((a, b) => a + b, 0);
    return {
      units,
      files: units,
      accepted,
      seconds: (last - first) / 1000,
      uploadSeconds,
      filesPerSecond: units / ((last - first) / 1000),
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: latencies.at(-1)!,
      requests: Object.fromEntries(Object.entries(requests).map(([name, n]) => [name.replace(/Command$/, ''), n])),
      requestsPerFile: total / accepted,
    };
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

function runIsolated(units: number): IngestRun {
  const out = execFileSync(process.execPath, ['--openssl-legacy-provider', '--import', 'tsx', WORKER, 'ingest', String(units)], {
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
}

/**
 * `runs` processes at the large size (medians), one at the small size: throughput and
 * latency of the large burst, and requests per file at both sizes.
 */
export function benchIngest(runs: number, sizes: { small: number; large: number } = { small: 100, large: 1000 }): IngestFigures {
  const small = runIsolated(sizes.small);
  const large = Array.from({ length: runs }, () => runIsolated(sizes.large));
  const m = (f: (r: IngestRun) => number) => median(large.map(f));
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
  };
}

const round = (x: number) => Math.round(x * 100) / 100;
