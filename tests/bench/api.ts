/**
 * The HTTP API on loopback: requests/s and p99 latency of `GET /v1/summaries/monthly/{month}`
 * as the district reads it (local API Gateway → authorizer → api function → s3rver), with
 * autocannon, against a baseline in the same run: a bare node:http server answering the
 * same bytes. And the cost of checking a token: the same GET with the authorizer's cache
 * (as wired: one check per token per 60 s) and without it (every request verifies the
 * token: a DynamoDB GetItem and a SHA-256), plus the check's own CPU time (in memory).
 *
 * The stack runs in a child process (`api.ts child`), autocannon in this one, so that the
 * load generator does not share the server's event loop.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { median } from './measure.ts';

const SELF = fileURLToPath(import.meta.url);
const MONTH = '2025-03';
const PATH = `/v1/summaries/monthly/${MONTH}`;

interface Served {
  /** node:http in the same child, answering the summary's bytes from memory. */
  readonly baseline: string;
  /** The API with the authorizer's cache, and without it. */
  readonly cached: string;
  readonly uncached: string;
  readonly token: string;
  readonly summaryBytes: number;
  /** verifyToken on an in-memory store, µs per check (CPU only). */
  readonly verifyCpuMicros: number;
  /** verifyToken against DynamoDB Local, ms per check (median). */
  readonly verifyDynamoMs: number;
}

export interface ApiFigures {
  readonly connections: number;
  readonly seconds: number;
  readonly runs: number;
  readonly summaryBytes: number;
  readonly baseline: { readonly rps: number; readonly p99Ms: number };
  readonly api: { readonly rps: number; readonly p99Ms: number; readonly p50Ms: number };
  readonly uncached: { readonly rps: number; readonly p99Ms: number };
  readonly notModified: { readonly rps: number; readonly p99Ms: number };
  readonly ratio: number;
  readonly tokenCheck: { readonly cpuMicros: number; readonly dynamoMs: number; readonly perRequestMs: number };
}

async function load(
  url: string,
  headers: Record<string, string>,
  connections: number,
  seconds: number,
): Promise<{ rps: number; p99Ms: number; p50Ms: number }> {
  const result = await autocannon({ url, connections, duration: seconds, headers });
  if (result.non2xx > 0 && !headers['if-none-match']) throw new Error(`${url}: ${result.non2xx} answers were not 2xx`);
  if (result.errors > 0) throw new Error(`${url}: ${result.errors} errors`);
  return { rps: result.requests.average, p99Ms: result.latency.p99, p50Ms: result.latency.p50 };
}

export async function benchApi(runs: number, seconds = 5, connections = 10): Promise<ApiFigures> {
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '--import', 'tsx', SELF, 'child'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'error', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`bench api child exited ${code}`)));
    });
    const served = JSON.parse(line) as Served;
    const etag = (await fetch(`${served.cached}${PATH}`, { headers: { authorization: `Bearer ${served.token}` } })).headers.get('etag')!;
    const baselineUrl = `${served.baseline}${PATH}`;
    const auth = { authorization: `Bearer ${served.token}` };
    const rounds: {
      baseline: Awaited<ReturnType<typeof load>>;
      api: Awaited<ReturnType<typeof load>>;
      uncached: Awaited<ReturnType<typeof load>>;
      notModified: Awaited<ReturnType<typeof load>>;
    }[] = [];
    await load(`${served.cached}${PATH}`, auth, connections, 2); // warm-up
    for (let i = 0; i < runs; i++) {
      rounds.push({
        baseline: await load(baselineUrl, {}, connections, seconds),
        api: await load(`${served.cached}${PATH}`, auth, connections, seconds),
        uncached: await load(`${served.uncached}${PATH}`, auth, connections, seconds),
        notModified: await load(`${served.cached}${PATH}`, { ...auth, 'if-none-match': etag }, connections, seconds),
      });
    }
    const med = (pick: (r: (typeof rounds)[number]) => number) => Math.round(median(rounds.map(pick)) * 10) / 10;
    const api = { rps: med((r) => r.api.rps), p99Ms: med((r) => r.api.p99Ms), p50Ms: med((r) => r.api.p50Ms) };
    const uncached = { rps: med((r) => r.uncached.rps), p99Ms: med((r) => r.uncached.p99Ms) };
    return {
      connections,
      seconds,
      runs,
      summaryBytes: served.summaryBytes,
      baseline: { rps: med((r) => r.baseline.rps), p99Ms: med((r) => r.baseline.p99Ms) },
      api,
      uncached,
      notModified: { rps: med((r) => r.notModified.rps), p99Ms: med((r) => r.notModified.p99Ms) },
      ratio: Math.round((med((r) => r.baseline.rps) / api.rps) * 10) / 10,
      tokenCheck: {
        cpuMicros: served.verifyCpuMicros,
        dynamoMs: served.verifyDynamoMs,
        // What a request pays for a check, from the throughput with and without the cache.
        perRequestMs: Math.round((1000 / uncached.rps - 1000 / api.rps) * connections * 1000) / 1000,
      },
    };
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit').catch(() => undefined);
  }
}

export function apiLines(f: ApiFigures): string[] {
  return [
    `HTTP API on loopback, GET ${PATH} as the district (summary ${Math.round(f.summaryBytes / 1024)} KiB), autocannon ${f.connections} connections × ${f.seconds} s, median of ${f.runs} runs:`,
    `  baseline node:http, same bytes  ${f.baseline.rps} req/s, p99 ${f.baseline.p99Ms} ms`,
    `  cunbao API (authorizer cached)  ${f.api.rps} req/s, p50 ${f.api.p50Ms} ms, p99 ${f.api.p99Ms} ms (baseline/API ${f.ratio}×)`,
    `  If-None-Match → 304             ${f.notModified.rps} req/s, p99 ${f.notModified.p99Ms} ms`,
    `  token checked on every request  ${f.uncached.rps} req/s, p99 ${f.uncached.p99Ms} ms`,
    `  token check: ${f.tokenCheck.cpuMicros} µs CPU (parse + SHA-256 + constant-time compare), ${f.tokenCheck.dynamoMs} ms with its DynamoDB Local GetItem; ≈ ${f.tokenCheck.perRequestMs} ms per request when not cached`,
  ];
}

// ---------------------------------------------------------------------------------------
// The child: a stack serving the API, a published summary, a district token
// ---------------------------------------------------------------------------------------

async function child(): Promise<void> {
  const { LocalStack } = await import('../../infra/local/runtime.ts');
  const { startHttpApi } = await import('../../infra/local/http-api.ts');
  const { DynamoTokens } = await import('../../shared/adapters/dynamodb-tokens.ts');
  const { DynamoSummaries } = await import('../../shared/adapters/dynamodb-summaries.ts');
  const { issueToken, verifyToken } = await import('../../shared/auth/tokens.ts');
  const { MemoryTokens } = await import('../support/memory-tokens.ts');
  const { publish } = await import('../../shared/publish/publish.ts');
  const { Registry } = await import('../../shared/registry.ts');
  const { newUploadId, objectKey } = await import('../../shared/uploads.ts');
  const { DEFAULT_MAX_BYTES } = await import('../../shared/check.ts');
  const { readFileSync } = await import('node:fs');
  const now = '2025-04-03T09:00:00+08:00';
  const stack = await LocalStack.start({ dataDir: null, apiPort: 0, throttle: false, now, reconcile: false });
  process.once('SIGTERM', () => void stack.stop().then(() => process.exit(0)));
  const registry = Registry.parse(JSON.parse(readFileSync(new URL('../../config/units.json', import.meta.url), 'utf8')));
  // A real month: every unit's file through the pipeline, then the summary published.
  for (const unit of registry.units) {
    const intent = {
      uploadId: newUploadId(),
      uploader: { role: 'admin' as const },
      unit: unit.fullCode,
      period: MONTH,
      ext: 'csv' as const,
      createdAt: new Date(now).toISOString(),
      maxBytes: DEFAULT_MAX_BYTES,
    };
    await stack.ledger.putIntent(intent);
    const file = [
      'unit,period,metric,label,value,note',
      `${unit.code},${MONTH},petitions_received,,${unit.code.length + 3},`,
      `${unit.code},${MONTH},legal_trainings,,2,`,
    ].join('\n');
    await stack.store.put(objectKey(intent), new TextEncoder().encode(file), 'text/csv');
  }
  await stack.queue.idle();
  const archive = new DynamoSummaries(stack.clients.dynamodb, 'cunbao', stack.store);
  await publish('monthly', MONTH, { reader: stack.ledger, archive, store: stack.store, registry, now: () => new Date(now) });
  const tokens = new DynamoTokens(stack.clients.dynamodb, 'cunbao');
  const issuedAt = new Date('2025-04-03T00:00:00Z');
  const { token } = await issueToken({ principal: { role: 'district' }, expiresAt: new Date('2025-06-01T00:00:00Z') }, tokens, issuedAt);

  // The token check alone: CPU (memory store), then with DynamoDB Local.
  const memory = new MemoryTokens();
  const local = await issueToken({ principal: { role: 'district' }, expiresAt: new Date('2025-06-01T00:00:00Z') }, memory, issuedAt);
  for (let i = 0; i < 2000; i++) await verifyToken(local.token, memory, issuedAt);
  const n = 20_000;
  let t = performance.now();
  for (let i = 0; i < n; i++) await verifyToken(local.token, memory, issuedAt);
  const verifyCpuMicros = Math.round(((performance.now() - t) / n) * 1000 * 100) / 100;
  const dynamoTimes: number[] = [];
  for (let i = 0; i < 300; i++) {
    t = performance.now();
    await verifyToken(token, tokens, issuedAt);
    dynamoTimes.push(performance.now() - t);
  }
  // The same handlers behind a second gateway without the authorizer's cache.
  const uncached = await startHttpApi({ port: 0, throttle: false, authorizerCache: false, ...stack.api!.handlers });
  const summary = (await stack.store.get(`summaries/${registry.defaultOrg.code}/monthly/${MONTH}.latest.json`))!;
  const summaryBytes = summary.length;
  const baseline = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(summary));
  baseline.listen(0, '127.0.0.1');
  await once(baseline, 'listening');
  const served: Served = {
    baseline: `http://127.0.0.1:${(baseline.address() as { port: number }).port}`,
    cached: stack.api!.url,
    uncached: uncached.url,
    token,
    summaryBytes,
    verifyCpuMicros,
    verifyDynamoMs: Math.round(median(dynamoTimes.slice(50)) * 1000) / 1000,
  };
  process.stdout.write(JSON.stringify(served) + '\n');
}

if (process.argv[1] === SELF && process.argv[2] === 'child') {
  child().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
