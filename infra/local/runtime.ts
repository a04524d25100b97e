/**
 * The local runtime: real local servers (DynamoDB Local, s3rver) and the same handlers
 * AWS runs, wired by the same table (infra/wiring.ts). S3 ObjectCreated under the
 * wired prefix → a local queue → the handler's module, with real-shaped events.
 *
 * A running stack writes `{dataDir}/stack.json`, so that CLI commands on the same data
 * dir use it instead of starting a second DynamoDB Local on the same files.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoLedger } from '../../shared/adapters/dynamodb-ledger.ts';
import { ensureTable } from '../../shared/adapters/dynamodb-table.ts';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store.ts';
import type { ObjectCreated } from '../../shared/ingest/ingest.ts';
import type { LogLevel } from '../../functions/commons/log.ts';
import { functionEnvironment, UNITS_KEY, type DeploymentValues } from '../environment.ts';
import { SCHEDULES, WIRING, type FunctionName } from '../wiring.ts';
import { firings, type ScheduleSpec } from '../../shared/publish/schedule.ts';
import { startMailSink, type MailSink } from './mail-sink.ts';
import { startLocalRobots, type LocalRobots } from './robots.ts';
import { startDynamoLocal, type RunningDynamo } from './dynamodb-local.ts';
import { startS3Gate } from './s3-gate.ts';
import { startHttpApi, type ApiHandler, type AuthorizerHandler, type RunningHttpApi } from './http-api.ts';
import { DeadLetterFiles, LocalQueue, type SqsHandler } from './queue.ts';
import { encodeKey, startS3Local, type RunningS3, type S3EventRecord } from './s3-local.ts';
import { LOCAL, localDeployment, sdkEnvironment, type Endpoints, type LocalRecipients } from './environment.ts';
import { lock, type StackFile } from './stack-file.ts';
import { freePort } from './processes.ts';
import { Registry } from '../../shared/registry.ts';

export { LOCAL, type Endpoints };
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEFAULT_UNITS_FILE = join(ROOT, 'config/units.json');

export interface StartOptions {
  /** Where S3 objects, the database and dead letters are kept; null: a throwaway (in-memory database). */
  readonly dataDir: string | null;
  readonly unitsFile?: string;
  /** Batches handled at once (Lambda containers); default 4. */
  readonly concurrency?: number;
  readonly backoffMs?: number;
  /** Process objects without an outcome at start-up (default true). */
  readonly reconcile?: boolean;
  /** A fixed clock (CUNBAO_NOW) for the functions and S3's event times. */
  readonly now?: string;
  /** Run the wired schedules on the clock (`npm start`); default false. */
  readonly schedules?: boolean;
  /** Serve the HTTP API on loopback at this port (0: any free one); default: not served. */
  readonly apiPort?: number;
  /** The API's stage throttling (default true). */
  readonly throttle?: boolean;
  /** The API authorizer's result cache (default true). */
  readonly authorizerCache?: boolean;
  /** The functions' LOG_LEVEL (default: this process's). */
  readonly logLevel?: LogLevel;
  /** Who the functions' mail is from and to (default LOCAL.mail). */
  readonly recipients?: LocalRecipients;
  /** Real group robots (NOTICE_ROBOTS, their secrets in NOTICE_SECRETS_FILE); absent: robots on the local webhook sink. */
  readonly robots?: { readonly config: string; readonly secretsFile?: string };
  /**
   * Wraps the handler the ingest queue calls, made once the functions' environment is set
   * (benches: a bare handler on the same servers and queue); default: the wired one.
   */
  readonly wrapIngest?: (wired: SqsHandler) => SqsHandler;
}

/** What start() hands the stack it has started. */
interface StackParts {
  readonly endpoints: Endpoints;
  readonly dataDir: string | null;
  readonly dynamo: RunningDynamo;
  readonly s3: RunningS3;
  readonly clients: { s3: S3Client; dynamodb: DynamoDBClient };
  readonly mail: MailSink;
  /** The webhook sink's robots (absent when real robots are configured). */
  readonly robots: LocalRobots | undefined;
  readonly handlers: { readonly ingest: SqsHandler; readonly summarize: ScheduledHandler; readonly reconcile: ScheduledHandler };
  readonly api: RunningHttpApi | undefined;
  readonly deadLetterDir: string;
  readonly options: StartOptions;
}

export type ScheduledHandler = (event: unknown) => Promise<unknown>;

/** SDK clients for a stack's endpoints (what the handlers get from the environment). */
export function clientsFor(endpoints: Endpoints): { s3: S3Client; dynamodb: DynamoDBClient } {
  const common = { region: LOCAL.region, credentials: { accessKeyId: LOCAL.accessKeyId, secretAccessKey: LOCAL.secretAccessKey } };
  return {
    s3: new S3Client({
      ...common,
      endpoint: endpoints.s3,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
    dynamodb: new DynamoDBClient({ ...common, endpoint: endpoints.dynamodb }),
  };
}

export class LocalStack {
  readonly endpoints: Endpoints;
  readonly dataDir: string | null;
  private readonly dynamo: RunningDynamo;
  private readonly s3: RunningS3;
  readonly clients: { s3: S3Client; dynamodb: DynamoDBClient };
  readonly mail: MailSink;
  /** The webhook sink's robots (absent when real robots are configured). */
  readonly robots: LocalRobots | undefined;
  /** The real robots configured instead (StartOptions.robots). */
  readonly realRobots: StartOptions['robots'];
  readonly summarize: ScheduledHandler;
  readonly reconcileFunction: ScheduledHandler;
  readonly api: RunningHttpApi | undefined;
  readonly ledger: DynamoLedger;
  readonly store: S3ObjectStore;
  readonly queue: LocalQueue;
  readonly deadLetters: DeadLetterFiles;
  private control: Server | undefined;
  private stopping: Promise<void> | undefined;
  unlock: () => void = () => {};
  private clock: NodeJS.Timeout | undefined;
  /** CUNBAO_NOW, when the stack's clock is fixed. */
  fixedNow: string | undefined;
  /** False loses S3's events (as a crash between PUT and queue would): for tests of reconcile. */
  deliverEvents = true;

  private constructor(parts: StackParts) {
    const { clients, options, s3 } = parts;
    this.endpoints = parts.endpoints;
    this.dataDir = parts.dataDir;
    this.dynamo = parts.dynamo;
    this.s3 = s3;
    this.clients = clients;
    this.mail = parts.mail;
    this.robots = parts.robots;
    this.realRobots = options.robots;
    this.summarize = parts.handlers.summarize;
    this.reconcileFunction = parts.handlers.reconcile;
    this.api = parts.api;
    this.ledger = new DynamoLedger(clients.dynamodb, LOCAL.table);
    this.store = new S3ObjectStore(clients.s3, LOCAL.bucket);
    this.deadLetters = new DeadLetterFiles(parts.deadLetterDir);
    const trigger = WIRING.ingest.trigger;
    this.queue = new LocalQueue({
      trigger,
      handler: options.wrapIngest?.(parts.handlers.ingest) ?? parts.handlers.ingest,
      deadLetters: this.deadLetters,
      concurrency: options.concurrency ?? 4,
      backoffMs: options.backoffMs ?? 200,
      region: LOCAL.region,
    });
    s3.onObjectCreated((record) => {
      if (this.deliverEvents && decodeURIComponent(record.s3.object.key).startsWith(trigger.objectPrefix))
        this.queue.send(JSON.stringify({ Records: [record] }));
    });
  }

  static async start(options: StartOptions): Promise<LocalStack> {
    const dataDir = options.dataDir ? resolve(options.dataDir) : null;
    const scratch = dataDir ?? join(fileURLToPath(new URL('../../', import.meta.url)), '.data', 'tmp', `${process.pid}-${Date.now()}`);
    mkdirSync(scratch, { recursive: true });
    const unlock = dataDir ? lock(dataDir) : () => rmSync(scratch, { recursive: true, force: true });
    let started: [RunningDynamo, RunningS3];
    try {
      started = await Promise.all([
        startDynamoLocal(dataDir ? join(dataDir, 'dynamodb') : null),
        startS3Local(join(scratch, 's3'), LOCAL.bucket, options.now ? () => new Date(options.now!) : undefined),
      ]);
    } catch (error) {
      unlock();
      throw error;
    }
    const [dynamo, s3] = started;
    // s3rver ignores POST policies and signatures: every S3 client (the functions', the
    // CLI's, a browser's presigned POST) goes through the gate, which enforces them as S3 does.
    const gate = await startS3Gate({
      upstream: s3.endpoint,
      credentials: { accessKeyId: LOCAL.accessKeyId, secretAccessKey: LOCAL.secretAccessKey },
      region: LOCAL.region,
    }).catch(async (error: unknown) => {
      await Promise.allSettled([dynamo.stop(), s3.stop()]);
      unlock();
      throw error;
    });
    const front: RunningS3 = {
      ...s3,
      endpoint: gate.endpoint,
      stop: async () => void (await Promise.allSettled([gate.stop(), s3.stop()])),
    };
    const mail = await startMailSink(join(scratch, 'outbox'));
    const endpoints = { s3: gate.endpoint, dynamodb: dynamo.endpoint };
    let robots: LocalRobots | undefined;
    try {
      const clients = clientsFor(endpoints);
      await ensureTable(clients.dynamodb, LOCAL.table);
      const units = readFileSync(options.unitsFile ?? DEFAULT_UNITS_FILE);
      await new S3ObjectStore(clients.s3, LOCAL.bucket).put(UNITS_KEY, units, 'application/json');
      robots = options.robots ? undefined : await startLocalRobots(scratch, Registry.fromJson(units.toString('utf8'), 'units'));
      const apiPort = options.apiPort === undefined ? undefined : options.apiPort || (await freePort());
      const deployment = localDeployment({
        endpoints,
        mailSink: mail,
        now: options.now,
        logLevel: options.logLevel,
        recipients: options.recipients,
        robots: options.robots ?? { config: robots!.config, secretsFile: robots!.secretsFile },
        ...(apiPort === undefined ? {} : { pageUrl: `http://127.0.0.1:${apiPort}` }),
      });
      const load = <T>(name: FunctionName) => loadHandler<T>(name, endpoints, deployment);
      const handlers = {
        ingest: await load<SqsHandler>('ingest'),
        summarize: await load<ScheduledHandler>('summarize'),
        reconcile: await load<ScheduledHandler>('reconcile'),
      };
      const api =
        options.apiPort === undefined
          ? undefined
          : await startHttpApi({
              port: apiPort!,
              api: await load<ApiHandler>('api'),
              authorizer: await load<AuthorizerHandler>('authorizer'),
              ...(options.throttle === undefined ? {} : { throttle: options.throttle }),
              ...(options.authorizerCache === undefined ? {} : { authorizerCache: options.authorizerCache }),
            });
      const stack = new LocalStack({
        endpoints,
        dataDir,
        dynamo,
        s3: front,
        clients,
        mail,
        robots,
        handlers,
        api,
        deadLetterDir: deadLetterDir(scratch),
        options,
      });
      stack.unlock = unlock;
      stack.fixedNow = options.now;
      if (options.reconcile ?? true) await stack.reconcile();
      if (options.schedules) stack.startClock();
      return stack;
    } catch (error) {
      await Promise.allSettled([dynamo.stop(), front.stop(), mail.stop(), robots?.sink.stop()]);
      unlock();
      throw error;
    }
  }

  /**
   * Objects under incoming/ with no outcome yet (an event lost, a crash between PUT and
   * queue) are ingested by the reconcile function, as in AWS. Returns how many it found.
   */
  async reconcile(): Promise<number> {
    const result = await this.reconcileFunction({ action: 'reconcile' });
    const found = typeof result === 'object' && result !== null && 'found' in result ? result.found : undefined;
    if (typeof found !== 'number') throw new Error(`the reconcile function answered ${JSON.stringify(result)}`);
    return found;
  }

  /** Re-sends dead letters (all, or the given ids) through the queue. */
  replay(ids?: readonly string[]): number {
    const letters = this.deadLetters.list().filter((l) => !ids || ids.includes(l.messageId));
    for (const letter of letters) {
      this.deadLetters.remove(letter.messageId);
      this.queue.send(letter.body);
    }
    return letters.length;
  }

  /**
   * Serves a small control endpoint on loopback (reconcile, replay, idle; and for tests,
   * sending a raw message or losing S3's events) and announces it with the endpoints in
   * `{dataDir}/stack.json`, for CLI commands run beside it.
   */
  async publish(): Promise<StackFile> {
    this.control = createServer((req, res) => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        let body: unknown;
        if (req.method === 'POST' && url.pathname === '/reconcile') body = { sent: await this.reconcile() };
        else if (req.method === 'POST' && url.pathname === '/messages') body = { messageId: this.queue.send(await text(req)) };
        else if (req.method === 'POST' && url.pathname === '/events') {
          this.deliverEvents = url.searchParams.get('deliver') !== 'false';
          body = { deliver: this.deliverEvents };
        } else if (req.method === 'POST' && url.pathname === '/replay')
          body = { sent: this.replay(url.searchParams.getAll('id').length ? url.searchParams.getAll('id') : undefined) };
        else if (req.method === 'GET' && url.pathname === '/idle') {
          await this.queue.idle();
          body = { idle: true };
        } else {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      })().catch((error: unknown) => res.writeHead(500).end(String(error)));
    });
    await new Promise<void>((done) => this.control!.listen(0, '127.0.0.1', done));
    const { port } = this.control.address() as { port: number };
    const file: StackFile = {
      pid: process.pid,
      endpoints: this.endpoints,
      control: `http://127.0.0.1:${port}`,
      bucket: LOCAL.bucket,
      table: LOCAL.table,
      mail: { host: this.mail.host, port: this.mail.port, outbox: this.mail.outbox },
      ...(this.robots ? { robots: { sink: this.robots.sink.url, config: this.robots.config, secretsFile: this.robots.secretsFile } } : {}),
      ...(this.api ? { api: this.api.url } : {}),
    };
    if (this.dataDir) writeFileSync(join(this.dataDir, 'stack.json'), JSON.stringify(file, null, 2));
    return file;
  }

  /**
   * EventBridge Scheduler, locally: once a minute, the schedules that fired since the last
   * tick invoke the summarize function (what they do is idempotent, so a restart is harmless).
   */
  startClock(): void {
    let last = new Date();
    const tick = async () => {
      const now = new Date();
      const fired = (specs: readonly ScheduleSpec[]) => specs.some((spec) => firings(spec, last, now).length > 0);
      last = now;
      // The summarize function catches up every schedule it missed (runUntil); reconcile just runs.
      if (fired(SCHEDULES)) await this.summarize({ runUntil: now.toISOString() });
      if (fired(WIRING.reconcile.trigger.schedules)) await this.reconcileFunction(WIRING.reconcile.trigger.schedules[0].input);
    };
    this.clock = setInterval(() => void tick().catch(() => undefined), 60_000);
    this.clock.unref();
  }

  /** Resolves with Java's exit status if DynamoDB Local dies while the stack runs. */
  javaDied(): Promise<number> {
    return this.dynamo.died;
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      clearInterval(this.clock);
      this.queue.stop();
      if (this.dataDir) rmSync(join(this.dataDir, 'stack.json'), { force: true });
      this.control?.close();
      await this.api?.stop();
      this.clients.s3.destroy();
      this.clients.dynamodb.destroy();
      await Promise.allSettled([this.s3.stop(), this.dynamo.stop(), this.mail.stop(), this.robots?.sink.stop()]);
      this.unlock();
    })();
    return this.stopping;
  }
}

export function deadLetterDir(dataDir: string): string {
  return join(dataDir, 'dlq', WIRING.ingest.trigger.deadLetterQueue);
}

function text(req: import('node:http').IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

/** The notification record S3 sends for a created object. */
export function notification(object: ObjectCreated): S3EventRecord {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: LOCAL.region,
    eventTime: object.eventTime,
    eventName: 'ObjectCreated:Put',
    s3: { bucket: { name: LOCAL.bucket }, object: { key: encodeKey(object.key), size: object.size, sequencer: object.sequencer ?? '' } },
  };
}

/**
 * Imports a wired handler with the environment AWS would give it: Lambda's own variables
 * and the function's declared ones, from the producer the CDK app uses (infra/environment.ts).
 * Their modules keep their SDK clients (made at import), so one process serves one stack's endpoints.
 */
let loaded: { endpoints: Endpoints; handlers: Map<FunctionName, unknown> } | undefined;
async function loadHandler<T>(name: FunctionName, endpoints: Endpoints, deployment: DeploymentValues): Promise<T> {
  if (loaded && loaded.endpoints.s3 !== endpoints.s3) throw new Error('one local stack per process: the handlers are bound to the first');
  if (!loaded) {
    Object.assign(process.env, sdkEnvironment(endpoints));
    loaded = { endpoints, handlers: new Map() };
  }
  let handler = loaded.handlers.get(name);
  if (!handler) {
    // The functions share this process's environment: each reads only its declared set.
    Object.assign(process.env, functionEnvironment(name, deployment));
    handler = ((await import(pathToFileURL(join(ROOT, WIRING[name].entry)).href)) as { handler: unknown }).handler;
    loaded.handlers.set(name, handler);
  }
  return handler as T;
}
