/**
 * DynamoDB requests per accepted file as the district grows: registries of 1, 30 and 300
 * towns × 9 units, the same number of single-month files each (villages sending their own
 * unit), counted through the ingest handler's real SDK client (a middleware counter)
 * against DynamoDB Local. The ingest adds a file's deltas to its town's and the
 * district's shards in one transaction, so the count must be the same at every size
 * (today 3: GetItem upload, Query unit state, TransactWriteItems); a figure, not an
 * assertion, but a run whose files are not all accepted and counted once fails.
 *
 * One file at a time, so that each queue batch holds one file: batches write several
 * files in one transaction, by an amount that depends on which files happen to meet in
 * a batch (1 town's files collide on its few units; 300 towns' rarely do). That would
 * blur what is measured here; the ingest bench measures the batches.
 *
 * Each size is a fresh process (the handler module binds its SDK clients to its first stack).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCAL, LocalStack } from '../../infra/local/runtime.ts';
import { addMonths, type Month } from '../../shared/period.ts';
import { sum, type Values } from '../../shared/rollup.ts';
import { newUploadId, objectKey, type UploadIntent } from '../../shared/uploads.ts';
import { countRequests, fileOf, valuesOf } from './ingest.ts';

const NOW = '2025-04-03T09:00:00+08:00';
const LAST: Month = '2025-03';
const UNITS_PER_TOWN = 9;
const DISTRICT = 'BD';
/** Files per size: a few hundred are enough to count; at 1 town they are 24 months of its 9 units. */
const FILES = 216;
/** One: see above (each upload waits for its file to be ingested before the next is sent). */
const UPLOADERS = 1;

const townCode = (t: number) => `T${String(t + 1).padStart(3, '0')}`;
const unitCode = (u: number) => (u === UNITS_PER_TOWN - 1 ? 'TOWN' : `V0${u + 1}`);

function districtDocument(towns: number): unknown {
  return {
    district: { code: DISTRICT, name: '基准区' },
    deadlineDay: 5,
    lockDay: 20,
    towns: Array.from({ length: towns }, (_, t) => ({
      code: townCode(t),
      name: `基准${t + 1}镇`,
      units: Array.from({ length: UNITS_PER_TOWN }, (_, u) => ({
        code: unitCode(u),
        name: `${townCode(t)}${unitCode(u)}村`,
        type: u === UNITS_PER_TOWN - 1 ? 'town_office' : 'village',
      })),
    })),
  };
}

/**
 * The files: unit-months month by month (the latest first), the units of each month town
 * after town in turn, so that the files spread over as many towns as there are.
 */
function plan(towns: number): { town: string; unit: string; period: Month; values: Values }[] {
  const random = (() => {
    let s = towns >>> 0;
    return () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  })();
  const units = Array.from({ length: towns * UNITS_PER_TOWN }, (_, i) => ({
    town: townCode(i % towns),
    unit: unitCode(Math.floor(i / towns)),
  }));
  return Array.from({ length: FILES }, (_, i) => ({
    ...units[i % units.length]!,
    period: addMonths(LAST, -Math.floor(i / units.length)),
    values: valuesOf(random),
  }));
}

export interface TownsRun {
  readonly towns: number;
  readonly units: number;
  readonly files: number;
  readonly requests: Record<string, number>;
  readonly requestsPerFile: number;
}

/** One size, in this process (called by worker.ts). */
export async function townsRun(towns: number): Promise<TownsRun> {
  process.env.LOG_LEVEL = 'warn';
  const dir = mkdtempSync(join(tmpdir(), 'cunbao-bench-towns-'));
  const unitsFile = join(dir, 'district.json');
  writeFileSync(unitsFile, JSON.stringify(districtDocument(towns)));
  const stack = await LocalStack.start({ dataDir: join(dir, 'data'), unitsFile, now: NOW });
  try {
    const { dynamodb } = (await import('../../functions/commons/clients.ts')) as { dynamodb: DynamoDBClient };
    const requests = countRequests(dynamodb);
    const files = plan(towns);
    const ids: string[] = [];
    // A unit's months one after another (each sent once the one before is decided): two
    // files of one unit in flight at once may conflict and retry, which is not the towns'
    // doing. Units UPLOADERS at a time.
    const byUnit = new Map<string, typeof files>();
    for (const f of files) byUnit.set(`${f.town}/${f.unit}`, [...(byUnit.get(`${f.town}/${f.unit}`) ?? []), f]);
    const chains = [...byUnit];
    await Promise.all(
      Array.from({ length: UPLOADERS }, async () => {
        for (let chain = chains.shift(); chain; chain = chains.shift()) {
          const [unit, months] = chain;
          for (const file of months) ids.push(await send(stack, unit, file));
        }
      }),
    );
    await stack.queue.idle();
    const counted = { ...requests };
    await verify(stack, files, ids);
    const total = Object.values(counted).reduce((a, b) => a + b, 0);
    return {
      towns,
      units: towns * UNITS_PER_TOWN,
      files: files.length,
      requests: Object.fromEntries(Object.entries(counted).map(([name, n]) => [name.replace(/Command$/, ''), n])),
      requestsPerFile: total / files.length,
    };
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Records the intent of the town's administrator loading a past month (a village could not:
 * most of these months are past their lock day), PUTs its file and waits for the ingest.
 */
async function send(stack: LocalStack, unit: string, file: ReturnType<typeof plan>[number]): Promise<string> {
  const intent: UploadIntent = {
    uploadId: newUploadId(),
    uploader: { role: 'admin', town: unit.slice(0, unit.indexOf('/')) },
    unit,
    period: file.period,
    ext: 'csv',
    createdAt: new Date().toISOString(),
    maxBytes: 1 << 20,
  };
  if (!(await stack.ledger.putIntent(intent))) throw new Error(`upload id ${intent.uploadId} taken`);
  const body = fileOf(file.unit, file.values, file.period);
  await stack.clients.s3.send(new PutObjectCommand({ Bucket: LOCAL.bucket, Key: objectKey(intent), Body: body, ContentType: 'text/csv' }));
  for (let waited = 0; (await stack.ledger.getUpload(intent.uploadId))?.status === 'pending'; waited += 10) {
    if (waited > 30_000) throw new Error(`bench towns: upload ${intent.uploadId} still pending`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return intent.uploadId;
}

/** The run counts only if every file was accepted and the district's month totals are their sum. */
async function verify(stack: LocalStack, files: ReturnType<typeof plan>, ids: readonly string[]): Promise<void> {
  const statuses = await stack.ledger.uploadStatuses(ids);
  const accepted = [...statuses.values()].filter((s) => s === 'accepted').length;
  if (accepted !== files.length) throw new Error(`bench towns: ${accepted} of ${files.length} accepted`);
  const expected = sum(files.filter((f) => f.period === LAST).map((f) => f.values));
  const rollup = await stack.ledger.rollup(DISTRICT, 'month', LAST);
  for (const [k, v] of Object.entries(expected))
    if (Math.abs((rollup[k] ?? 0) - v) > 1e-6) throw new Error(`bench towns: district rollup ${k} = ${rollup[k]}, expected ${v}`);
}

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

function runIsolated(towns: number): TownsRun {
  const out = execFileSync(process.execPath, ['--openssl-legacy-provider', '--import', 'tsx', WORKER, 'towns', String(towns)], {
    encoding: 'utf8',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out) as TownsRun;
}

export interface TownsFigures {
  readonly files: number;
  readonly unitsPerTown: number;
  /** Handler DynamoDB requests per accepted file, by number of towns. */
  readonly requestsPerFile: Record<string, number>;
  /** By command, at each number of towns. */
  readonly byCommand: Record<string, Record<string, number>>;
  /** Whether the three counts are equal (the requirement). */
  readonly equal: boolean;
}

/** One fresh process per size (~25 s each: a local stack, and FILES files). */
export function benchTowns(sizes: readonly number[] = [1, 30, 300]): TownsFigures {
  const runs = sizes.map(runIsolated);
  const perFile = (r: TownsRun, n: number) => Math.round((n / r.files) * 100) / 100;
  return {
    files: FILES,
    unitsPerTown: UNITS_PER_TOWN,
    requestsPerFile: Object.fromEntries(runs.map((r) => [r.towns, perFile(r, r.requestsPerFile * r.files)])),
    byCommand: Object.fromEntries(
      runs.map((r) => [r.towns, Object.fromEntries(Object.entries(r.requests).map(([name, n]) => [name, perFile(r, n)]))]),
    ),
    equal: new Set(runs.map((r) => r.requestsPerFile)).size === 1,
  };
}

/** The bench's lines for people. */
export function townsLines(f: TownsFigures): string[] {
  const sizes = Object.keys(f.requestsPerFile);
  return [
    `DynamoDB requests per accepted file by district size (${f.files} files each, ${f.unitsPerTown} units per town, counted at the ingest's SDK client):`,
    ...sizes.map(
      (t) =>
        `  ${t.padStart(3)} towns               ${f.requestsPerFile[t]} (${Object.entries(f.byCommand[t] ?? {})
          .map(([name, n]) => `${name} ${n}`)
          .join(', ')})`,
    ),
    `  equal                   ${f.equal ? 'yes' : 'NO: the count grows with the towns'}`,
  ];
}
