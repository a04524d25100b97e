/**
 * The ingest bundle's cold start with and without a workbook in its first batch: a fresh
 * `node` per sample imports the deployed bundle (the CDK app's esbuild options) and hands
 * its handler one SQS batch of one upload — a CSV file, or the same month as an .xlsx made
 * by our writer — on a local DynamoDB and S3 of the bench's own (a table and bucket that
 * no queue watches). The workbook reader is loaded only when a workbook arrives: the CSV
 * batch is the baseline, and the difference is what a workbook adds to a cold start.
 *
 * `tsx tests/bench/ingest-cold.ts` runs this suite alone.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ensureTable } from '../../shared/adapters/dynamodb-table.ts';
import { DynamoLedger } from '../../shared/adapters/dynamodb-ledger.ts';
import { NODE_OPTIONS, ROOT } from '../../infra/cdk/bundling.ts';
import { functionEnvironment, UNITS_KEY } from '../../infra/environment.ts';
import { localDeployment, sdkEnvironment } from '../../infra/local/environment.ts';
import { LocalStack, notification } from '../../infra/local/runtime.ts';
import { WIRING } from '../../infra/wiring.ts';
import { CONTENT_TYPES } from '../../shared/layout.ts';
import type { Month } from '../../shared/period.ts';
import { existsIn, Registry } from '../../shared/registry.ts';
import { newUploadId, objectKey, type UploadIntent } from '../../shared/uploads.ts';
import { writeSubmissions } from '../../shared/write.ts';
import { writeWorkbook } from '../../shared/xlsx/write/workbook.ts';
import { bundle } from './bundles.ts';
import { median } from './measure.ts';
import { sheetRowsOf } from './parse-xlsx.ts';

/** March 2025 is last month, open and not yet late. */
const NOW = '2025-04-03T09:00:00+08:00';
const PERIOD: Month = '2025-03';
const TABLE = 'cunbao-bench-cold';
const BUCKET = 'cunbao-bench-cold';
/** What the first batch holds. */
type Format = 'csv' | 'xlsx';

export interface ColdSample {
  readonly importMs: number;
  readonly batchMs: number;
}

export interface IngestColdFigures {
  readonly samples: number;
  readonly csv: { readonly importMs: number; readonly batchMs: number; readonly totalMs: number };
  readonly xlsx: { readonly importMs: number; readonly batchMs: number; readonly totalMs: number };
  /** (import + first batch) with a workbook ÷ the same with a CSV file. */
  readonly ratio: number;
  readonly fileBytes: { readonly csv: number; readonly xlsx: number };
}

const VALUES = {
  general_hazards_found: 3,
  hazards_rectified: 2,
  'disputes_resolved.labor': 1,
  petitions_received: 2,
  veteran_aid_yuan: 1234.5,
};

/** A village's month as a secretary sends it: a wide CSV, or the same table as a workbook. */
function monthFile(format: Format, unit: string): Uint8Array {
  const csv = writeSubmissions([{ unit, period: PERIOD, values: VALUES }], { format: 'wide', headers: 'label', newline: '\n' });
  if (format === 'csv') return new TextEncoder().encode(csv);
  return writeWorkbook({ title: '月报表', sheets: [{ name: '月报表', rows: sheetRowsOf(csv) }] });
}

const run = promisify(execFile);

/**
 * One cold start: import the bundle, then one batch; both timed inside the fresh process.
 * Asynchronous: the local S3 answers from this process, which must not block meanwhile.
 */
async function coldStart(file: string, env: Record<string, string>, event: unknown): Promise<ColdSample> {
  const script = [
    'const t0 = performance.now();',
    'const { handler } = await import(process.env.BENCH_MODULE);',
    'const t1 = performance.now();',
    'const out = await handler(JSON.parse(process.env.BENCH_EVENT));',
    'const t2 = performance.now();',
    "if (out.batchItemFailures.length > 0) throw new Error('the batch failed');",
    'process.stdout.write(JSON.stringify({ importMs: t1 - t0, batchMs: t2 - t1 }));',
  ].join(' ');
  const { stdout } = await run(process.execPath, [...NODE_OPTIONS.split(' '), '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env, BENCH_MODULE: pathToFileURL(file).href, BENCH_EVENT: JSON.stringify(event) },
    timeout: 60_000,
  });
  return JSON.parse(stdout) as ColdSample;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

export async function benchIngestCold(samples = 11): Promise<IngestColdFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'cunbao-bench-cold-'));
  const stack = await LocalStack.start({ dataDir: join(dir, 'data'), unitsFile: join(ROOT, 'config/district.json'), now: NOW });
  try {
    const built = await bundle(join(ROOT, WIRING.ingest.entry), join(dir, 'ingest'));
    // A table and bucket of the bench's own: the stack's queue watches only its own bucket.
    await ensureTable(stack.clients.dynamodb, TABLE);
    await stack.clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const registry = readFileSync(join(ROOT, 'config/district.json'));
    await stack.clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: UNITS_KEY, Body: registry }));
    const ledger = new DynamoLedger(stack.clients.dynamodb, TABLE);
    // The ingest sends no mail: the sink's address is never used.
    const deployment = localDeployment({
      endpoints: stack.endpoints,
      mailSink: { host: '127.0.0.1', port: 1 },
      now: NOW,
      logLevel: 'silent',
    });
    const env = {
      ...functionEnvironment('ingest', { ...deployment, tableName: TABLE, bucketName: BUCKET }),
      ...sdkEnvironment(stack.endpoints),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };

    // Each sample its own unit (an upload counts once; past months are locked): the same
    // figures of last month, as CSV or workbook.
    const units = Registry.fromJson(registry.toString('utf8'), 'config/district.json')
      .units.filter((u) => existsIn(u, PERIOD))
      .map((u) => u.fullCode);
    if (units.length < 2 * samples + 1) throw new Error(`bench: ${units.length} units for ${samples} samples`);
    const fileBytes = { csv: 0, xlsx: 0 };
    const ids: string[] = [];
    const eventFor = async (format: Format): Promise<unknown> => {
      const unit = units[ids.length]!;
      const intent: UploadIntent = {
        uploadId: newUploadId(),
        uploader: { role: 'village', unit },
        unit,
        period: PERIOD,
        ext: format,
        createdAt: new Date(NOW).toISOString(),
        maxBytes: 5 << 20,
      };
      if (!(await ledger.putIntent(intent))) throw new Error('bench: upload id taken');
      ids.push(intent.uploadId);
      const body = monthFile(format, unit);
      fileBytes[format] = body.length;
      const key = objectKey(intent);
      await stack.clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentType: CONTENT_TYPES[format] }));
      const created = notification({ key, size: body.length, eventTime: new Date(NOW).toISOString() });
      const record = { ...created, s3: { ...created.s3, bucket: { name: BUCKET } } };
      return { Records: [{ messageId: intent.uploadId, body: JSON.stringify({ Records: [record] }) }] };
    };

    const times = { csv: [] as ColdSample[], xlsx: [] as ColdSample[] };
    await coldStart(built.file, env, await eventFor('csv')); // untimed: the file cache
    for (let round = 0; round < samples; round++)
      for (const format of round % 2 ? (['xlsx', 'csv'] as const) : (['csv', 'xlsx'] as const))
        times[format].push(await coldStart(built.file, env, await eventFor(format)));

    // The figures count only if every upload was read and accepted (a refusal is faster).
    const statuses = await ledger.uploadStatuses(ids);
    const refused = ids.filter((id) => statuses.get(id) !== 'accepted');
    if (refused.length > 0)
      throw new Error(
        `bench: ${refused.length} of ${ids.length} cold-start uploads not accepted: ${refused.map((id) => statuses.get(id)).join(', ')}`,
      );

    const figure = (list: readonly ColdSample[]) => ({
      importMs: round1(median(list.map((s) => s.importMs))),
      batchMs: round1(median(list.map((s) => s.batchMs))),
      totalMs: round1(median(list.map((s) => s.importMs + s.batchMs))),
    });
    const csv = figure(times.csv);
    const xlsx = figure(times.xlsx);
    return { samples, csv, xlsx, ratio: Math.round((xlsx.totalMs / csv.totalMs) * 100) / 100, fileBytes };
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function ingestColdLines(f: IngestColdFigures): string[] {
  return [
    `ingest bundle cold start (fresh node: import, then one SQS batch of one upload; local DynamoDB and S3), median of ${f.samples} each:`,
    `  CSV batch (${f.fileBytes.csv} B)      import ${f.csv.importMs} ms + batch ${f.csv.batchMs} ms = ${f.csv.totalMs} ms`,
    `  workbook batch (${f.fileBytes.xlsx} B) import ${f.xlsx.importMs} ms + batch ${f.xlsx.batchMs} ms = ${f.xlsx.totalMs} ms: ${f.ratio}× the CSV cold start`,
  ];
}

if (process.argv[1] && relative(process.argv[1], fileURLToPath(import.meta.url)) === '') {
  process.env.LOG_LEVEL = 'warn';
  const figures = await benchIngestCold(Number(process.env.BENCH_COLD_SAMPLES ?? 11));
  process.stdout.write(ingestColdLines(figures).join('\n') + '\n');
}
