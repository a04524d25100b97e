/**
 * Measures what one of each billed action uses, by running it on the local stack (DynamoDB
 * Local, s3rver behind the S3 gate, the local queue and gateway, the wired handlers): an
 * upload's intent, the ingest of a typical monthly file, of a correction and of a rejected
 * file, a status poll, a summary and a desk read, the day-3 reminder and the day-6
 * publication of the sample district (config/district.json). Prints the figures as JSON
 * when run directly; `measureInChild` runs it in a fresh process, since the handlers bind
 * their SDK clients to the first stack of a process.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startHttpApi, type RunningHttpApi } from '../../infra/local/http-api.ts';
import type { SqsHandler } from '../../infra/local/queue.ts';
import { LOCAL, LocalStack } from '../../infra/local/runtime.ts';
import { BUCKET_PREFIXES } from '../../infra/wiring.ts';
import { DynamoTokens } from '../../shared/adapters/dynamodb-tokens.ts';
import type { Principal } from '../../shared/auth/principals.ts';
import { issueToken } from '../../shared/auth/tokens.ts';
import { Registry } from '../../shared/registry.ts';
import { Meter } from './meter.ts';
import { tableBytes } from './table-bytes.ts';
import { correctedFile, rejectedFile, typicalFile } from './files.ts';
import type { Measured, ScenarioName, Usage } from './usage.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const UNITS_FILE = join(ROOT, 'config/district.json');
/** March 2025 is last month and not yet late; the reminder and the publication are of March. */
const NOW = '2025-04-03T09:00:00+08:00';
const PERIOD = '2025-03';
/** Units that never send March, so that the reminder has someone to remind. */
const MISSING = ['EC/V08', 'SH/V07'];
/** The unit whose upload is measured, and the one sent before it to warm the modules up. */
const MEASURED = 'EC/V01';
const WARM_UP = 'SH/V01';

interface Run {
  readonly stack: LocalStack;
  readonly api: RunningHttpApi;
  readonly meter: Meter;
  readonly token: (principal: Principal) => Promise<string>;
  readonly logs: { metering: boolean };
}

async function call(run: Run, path: string, token: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${run.api.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status !== 200 && response.status !== 201) throw new Error(`${path}: ${response.status} ${text}`);
  return (text.startsWith('{') ? JSON.parse(text) : {}) as Record<string, unknown>;
}

/** The presigned POST a browser sends, then the pipeline run through (S3 event → queue → ingest). */
async function post(run: Run, form: Record<string, unknown>, file: string): Promise<void> {
  const data = new FormData();
  for (const [name, value] of Object.entries(form['fields'] as Record<string, string>)) data.append(name, value);
  data.append('file', new Blob([new TextEncoder().encode(file)]), 'file');
  const response = await fetch(form['url'] as string, { method: 'POST', body: data });
  if (response.status >= 300) throw new Error(`presigned POST: ${response.status} ${await response.text()}`);
  run.meter.browserPost(Buffer.byteLength(file));
  await run.stack.queue.idle();
}

async function expectStatus(run: Run, uploadId: string, status: string): Promise<void> {
  const got = (await run.stack.ledger.getUpload(uploadId))?.status;
  if (got !== status) throw new Error(`upload ${uploadId}: ${got}, expected ${status}`);
}

/** Asks for an upload (the intent), for a village's own unit. */
async function intent(run: Run, token: string, file: string): Promise<Record<string, unknown>> {
  return call(run, '/v1/uploads', token, { period: PERIOD, format: 'csv', size: Buffer.byteLength(file) });
}

/** Sends one unit's file, unmetered (the rest of the district's month). */
async function load(run: Run, unit: string): Promise<void> {
  const token = await run.token({ role: 'village', unit });
  const file = typicalFile(unit.split('/')[1]!, PERIOD, unit.length);
  const form = await intent(run, token, file);
  await post(run, form, file);
  await expectStatus(run, form['uploadId'] as string, 'accepted');
}

/** New mail in the sink's outbox: recipients (To and Cc addresses) and bytes. */
function outboxReader(outbox: string): () => { recipients: number; bytes: number } {
  const seen = new Set<string>();
  return () => {
    let recipients = 0;
    let bytes = 0;
    for (const name of readdirSync(outbox).filter((n) => n.endsWith('.eml') && !seen.has(n))) {
      seen.add(name);
      const raw = readFileSync(join(outbox, name), 'utf8');
      bytes += Buffer.byteLength(raw);
      const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
      for (const line of head.split(/\r?\n/)) if (/^(to|cc):/i.test(line)) recipients += (line.match(/@/g) ?? []).length;
    }
    return { recipients, bytes };
  };
}

async function countObjects(stack: LocalStack, prefix: string): Promise<number> {
  let n = 0;
  for await (const _ of stack.store.objects(prefix)) n += 1;
  return n;
}

/** The stack, with the metered pieces wrapped: the gateway's two functions, the queue's ingest, its messages. */
async function start(meter: Meter, logs: { metering: boolean }): Promise<Run> {
  const stack = await LocalStack.start({ dataDir: null, unitsFile: UNITS_FILE, now: NOW, apiPort: 0, reconcile: false, logLevel: 'info' });
  meter.ignore(stack.clients.s3, stack.clients.dynamodb);
  // A second gateway in front of the same handler modules, each timed (as the API bench does).
  const { api, authorizer } = stack.api!.handlers;
  const gateway = await startHttpApi({
    port: 0,
    throttle: false,
    api: meter.timed('api', api),
    authorizer: meter.timed('authorizer', authorizer),
  });
  // infra/local has no hook for the queue's handler: its options are reached from here.
  const queue = stack.queue as unknown as { options: { handler: SqsHandler }; send(body: string): string };
  if (typeof queue.options?.handler !== 'function') throw new Error('LocalQueue changed: its handler is no longer at options.handler');
  queue.options.handler = meter.timed('ingest', queue.options.handler);
  const send = queue.send.bind(queue);
  queue.send = (body) => {
    meter.sqsMessage();
    return send(body);
  };
  const tokens = new DynamoTokens(stack.clients.dynamodb, LOCAL.table);
  const issuedAt = new Date('2025-04-01T00:00:00Z');
  const token = async (principal: Principal) =>
    (await issueToken({ principal, expiresAt: new Date('2025-06-01T00:00:00Z') }, tokens, issuedAt)).token;
  return { stack, api: gateway, meter, token, logs };
}

/**
 * The functions log one JSON line per event on stderr: for the whole run, the lines are
 * counted while a scenario runs and dropped (never shown) in between.
 */
function captureLogs(meter: Meter): { metering: boolean; restore(): void } {
  const write = process.stderr.write.bind(process.stderr);
  const capture = {
    metering: false,
    restore: () => {
      process.stderr.write = write;
    },
  };
  process.stderr.write = ((chunk: string | Uint8Array) => {
    if (capture.metering) meter.log(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stderr.write;
  return capture;
}

/** Runs `act` and returns what it used, its log bytes and mail included. */
async function scenario(run: Run, act: () => Promise<void>): Promise<Usage> {
  run.meter.take();
  run.logs.metering = true;
  try {
    await act();
  } finally {
    run.logs.metering = false;
  }
  return run.meter.take();
}

/** The village's upload and its follow-ups: intent, accepted ingest, status poll, correction, rejection. */
async function uploads(run: Run, out: Partial<Record<ScenarioName, Usage>>): Promise<{ fileBytes: number; perAcceptedFile: number }> {
  const village = await run.token({ role: 'village', unit: MEASURED });
  const file = typicalFile('V01', PERIOD, 1);
  const before = await tableBytes(run.stack.clients.dynamodb, LOCAL.table);
  let form: Record<string, unknown> = {};
  out.uploadIntent = await scenario(run, async () => {
    form = await intent(run, village, file);
  });
  out.ingestAccepted = await scenario(run, () => post(run, form, file));
  await expectStatus(run, form['uploadId'] as string, 'accepted');
  const perAcceptedFile = (await tableBytes(run.stack.clients.dynamodb, LOCAL.table)) - before;
  out.statusRead = await scenario(run, async () => void (await call(run, `/v1/uploads/${form['uploadId'] as string}`, village)));
  const again = correctedFile('V01', PERIOD, 1);
  form = await intent(run, village, again);
  out.ingestCorrection = await scenario(run, () => post(run, form, again));
  await expectStatus(run, form['uploadId'] as string, 'accepted');
  const bad = rejectedFile('V01', PERIOD, 1);
  form = await intent(run, village, bad);
  out.ingestRejected = await scenario(run, () => post(run, form, bad));
  await expectStatus(run, form['uploadId'] as string, 'rejected');
  return { fileBytes: Buffer.byteLength(file), perAcceptedFile };
}

/** The month's schedules on the whole district, then a town clerk's reads of the result. */
async function schedules(run: Run, out: Partial<Record<ScenarioName, Usage>>): Promise<number> {
  const mail = outboxReader(run.stack.mail.outbox);
  const robots = () => run.stack.robots?.sink.received().length ?? 0;
  const summarize = run.meter.timed('summarize', run.stack.summarize);
  const schedule = async (action: 'remind' | 'publish') => {
    const sent = robots();
    await summarize({ action });
    const { recipients, bytes } = mail();
    run.meter.mail(recipients, bytes);
    run.meter.robots(robots() - sent);
  };
  mail();
  out.remind = await scenario(run, () => schedule('remind'));
  const before = await tableBytes(run.stack.clients.dynamodb, LOCAL.table);
  out.publish = await scenario(run, () => schedule('publish'));
  const perPublication = (await tableBytes(run.stack.clients.dynamodb, LOCAL.table)) - before;
  // The daily reconcile, over every object the month left under incoming/.
  const reconcile = run.meter.timed('reconcile', run.stack.reconcileFunction);
  out.reconcile = await scenario(run, async () => void (await reconcile({ action: 'reconcile' })));
  const town = await run.token({ role: 'town', town: 'EC' });
  out.summaryRead = await scenario(run, async () => void (await call(run, `/v1/orgs/EC/summaries/monthly/${PERIOD}`, town)));
  out.deskRead = await scenario(run, async () => void (await call(run, `/v1/orgs/EC/desk/${PERIOD}`, town)));
  return perPublication;
}

/** Every scenario, on a fresh stack in this process. */
async function measure(): Promise<Measured> {
  const meter = new Meter();
  meter.install();
  const logs = captureLogs(meter);
  const run = await start(meter, logs);
  try {
    const registry = Registry.fromJson(readFileSync(UNITS_FILE, 'utf8'), 'config/district.json');
    const out: Partial<Record<ScenarioName, Usage>> = {};
    // Unmetered: a first upload warms the modules up, so that the figures are a warm
    // container's; then the rest of the district sends March, but for MISSING.
    await load(run, WARM_UP);
    const { fileBytes, perAcceptedFile } = await uploads(run, out);
    const rest = registry.expected(registry.defaultOrg, PERIOD).filter((u) => ![MEASURED, WARM_UP, ...MISSING].includes(u.fullCode));
    for (const unit of rest) await load(run, unit.fullCode);
    const perPublication = await schedules(run, out);
    return {
      measuredAt: new Date().toISOString().slice(0, 10),
      registry: { towns: registry.towns.length, units: registry.units.length },
      scenarios: out as Record<ScenarioName, Usage>,
      tableBytes: { perAcceptedFile, perPublication },
      fileBytes,
      incomingObjects: await countObjects(run.stack, BUCKET_PREFIXES.incoming),
      customMetrics: meter.customMetrics(),
    };
  } finally {
    await run.api.stop();
    await run.stack.stop();
    logs.restore();
  }
}

const SELF = fileURLToPath(import.meta.url);

/** `measure()` in a fresh process (one stack per process), its figures read from its stdout. */
export function measureInChild(): Measured {
  const out = execFileSync(process.execPath, ['--openssl-legacy-provider', '--import', 'tsx', SELF], {
    encoding: 'utf8',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 << 20,
  });
  return JSON.parse(out) as Measured;
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const measured = await measure();
  // SDK sockets may linger after the stack stops: leave once the figures are written.
  process.stdout.write(`${JSON.stringify(measured, null, 2)}\n`, () => process.exit(0));
}
