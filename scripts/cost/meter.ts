/**
 * Counts what the functions send to AWS while a scenario runs, from outside their code: a
 * middleware on every S3 and DynamoDB client the functions create (their clients are made
 * inside the handler modules, so the clients' `send` is wrapped once, on the prototype, to
 * attach it), plus the invocations, log bytes, queue messages and mail the runner reports.
 * DynamoDB's own figure is used for request units: the middleware asks every data-plane
 * command for `ReturnConsumedCapacity: 'TOTAL'`, which DynamoDB Local answers as DynamoDB does.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import type { FunctionName } from '../../infra/wiring.ts';
import type { Invocations, Usage } from './usage.ts';

/** DynamoDB commands that accept ReturnConsumedCapacity, and whether they read. */
const DYNAMO_DATA: Record<string, 'read' | 'write'> = {
  GetItemCommand: 'read',
  BatchGetItemCommand: 'read',
  QueryCommand: 'read',
  ScanCommand: 'read',
  TransactGetItemsCommand: 'read',
  PutItemCommand: 'write',
  UpdateItemCommand: 'write',
  DeleteItemCommand: 'write',
  BatchWriteItemCommand: 'write',
  TransactWriteItemsCommand: 'write',
};

/** S3 requests billed at the PUT/COPY/POST/LIST rate; every other one (GET, HEAD…) at the GET rate. */
const S3_PUT_TIER = new Set(['PutObject', 'CopyObject', 'PostObject', 'ListObjects', 'ListObjectsV2', 'ListObjectVersions']);

type Tally = {
  invocations: Partial<Record<FunctionName, { count: number; ms: number }>>;
  rru: number;
  wru: number;
  dynamo: Record<string, number>;
  s3: Record<string, number>;
  putBytes: number;
  sqsMessages: number;
  logBytes: number;
  mailRecipients: number;
  mailBytes: number;
  robotNotices: number;
};

const fresh = (): Tally => ({
  invocations: {},
  rru: 0,
  wru: 0,
  dynamo: {},
  s3: {},
  putBytes: 0,
  sqsMessages: 0,
  logBytes: 0,
  mailRecipients: 0,
  mailBytes: 0,
  robotNotices: 0,
});

const bump = (counts: Record<string, number>, key: string, by = 1) => {
  counts[key] = (counts[key] ?? 0) + by;
};

/** CapacityUnits of a response (one object, or one per table for batches and transactions). */
function capacityOf(output: unknown): number {
  const consumed = (output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
  const all = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  return all.reduce((sum: number, c: { CapacityUnits?: number }) => sum + (c.CapacityUnits ?? 0), 0);
}

function bodyBytes(body: unknown): number {
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (body instanceof Uint8Array) return body.byteLength;
  return 0;
}

/**
 * The metrics an Embedded Metric Format line creates: CloudWatch bills each distinct
 * namespace, dimension values and metric name as one custom metric.
 */
function emfMetrics(line: string): string[] {
  type Emf = { _aws?: { CloudWatchMetrics?: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] } };
  const record = JSON.parse(line) as Emf & Record<string, unknown>;
  return (record._aws?.CloudWatchMetrics ?? []).flatMap((d) =>
    d.Dimensions.flatMap((dims) => {
      const where = dims.map((k) => `${k}=${String(record[k])}`).join(',');
      return d.Metrics.map((m) => `${d.Namespace}/${m.Name}{${where}}`);
    }),
  );
}

export class Meter {
  private tally = fresh();
  private readonly attached = new WeakSet<object>();
  private readonly ignored = new WeakSet<object>();
  private readonly metrics = new Set<string>();

  /** Wraps the clients' send so that every client, whenever made, is metered from its first request. */
  install(): void {
    for (const Client of [S3Client, DynamoDBClient] as const) {
      const prototype = Client.prototype as unknown as { send: (...args: unknown[]) => unknown };
      const original = prototype.send;
      const meter = this;
      prototype.send = function (this: S3Client | DynamoDBClient, ...args: unknown[]) {
        meter.attach(this);
        return original.apply(this, args);
      };
    }
  }

  /** Clients of the measuring code itself (setup, checks): not the functions'. */
  ignore(...clients: object[]): void {
    for (const client of clients) this.ignored.add(client);
  }

  private attach(client: S3Client | DynamoDBClient): void {
    if (this.attached.has(client) || this.ignored.has(client)) return;
    this.attached.add(client);
    const isDynamo = client instanceof DynamoDBClient;
    (client.middlewareStack as DynamoDBClient['middlewareStack']).add(
      (next, context) => async (args) => {
        const name = context.commandName ?? 'unknown';
        const kind = isDynamo ? DYNAMO_DATA[name] : undefined;
        const input = args.input as Record<string, unknown>;
        const result = await next(kind ? { ...args, input: { ...input, ReturnConsumedCapacity: 'TOTAL' } } : args);
        if (isDynamo) this.dynamo(name, kind, result.output);
        else this.s3(name.replace(/Command$/, ''), input['Body']);
        return result;
      },
      { step: 'initialize', name: 'costMeter' },
    );
  }

  private dynamo(name: string, kind: 'read' | 'write' | undefined, output: unknown): void {
    bump(this.tally.dynamo, name.replace(/Command$/, ''));
    if (kind === 'read') this.tally.rru += capacityOf(output);
    if (kind === 'write') this.tally.wru += capacityOf(output);
  }

  private s3(name: string, body: unknown): void {
    bump(this.tally.s3, name);
    if (name === 'PutObject') this.tally.putBytes += bodyBytes(body);
  }

  /** A browser's presigned POST (S3 bills it as a PUT-tier request). */
  browserPost(bytes: number): void {
    this.s3('PostObject', undefined);
    this.tally.putBytes += bytes;
  }

  /** Wraps a handler: each call is an invocation of `name`, timed. */
  timed<A extends unknown[], R>(name: FunctionName, handler: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
    return async (...args: A) => {
      const began = performance.now();
      try {
        return await handler(...args);
      } finally {
        const calls = this.tally.invocations[name] ?? { count: 0, ms: 0 };
        calls.count += 1;
        calls.ms += performance.now() - began;
        this.tally.invocations[name] = calls;
      }
    };
  }

  sqsMessage(): void {
    this.tally.sqsMessages += 1;
  }

  /** A chunk the functions wrote to their log: its bytes, and the custom metrics of its EMF lines. */
  log(chunk: string): void {
    this.tally.logBytes += Buffer.byteLength(chunk);
    for (const line of chunk.split('\n')) if (line.startsWith('{"_aws"')) for (const metric of emfMetrics(line)) this.metrics.add(metric);
  }

  /** Every custom metric (namespace, dimensions, name) the functions published so far, by EMF. */
  customMetrics(): string[] {
    return [...this.metrics].sort();
  }

  mail(recipients: number, bytes: number): void {
    this.tally.mailRecipients += recipients;
    this.tally.mailBytes += bytes;
  }

  robots(notices: number): void {
    this.tally.robotNotices += notices;
  }

  /** What was used since the last take (or start), and a fresh count from here. */
  take(): Usage {
    const t = this.tally;
    this.tally = fresh();
    const s3Tier = (put: boolean) =>
      Object.entries(t.s3)
        .filter(([name]) => S3_PUT_TIER.has(name) === put)
        .reduce((sum, [, n]) => sum + n, 0);
    const invocations = Object.fromEntries(
      Object.entries(t.invocations).map(([name, i]) => [name, { count: i.count, ms: Math.round(i.ms * 10) / 10 } satisfies Invocations]),
    );
    return {
      invocations,
      dynamodb: { rru: t.rru, wru: t.wru, requests: t.dynamo },
      s3: { put: s3Tier(true), get: s3Tier(false), putBytes: t.putBytes, requests: t.s3 },
      sqsMessages: t.sqsMessages,
      logBytes: t.logBytes,
      mailRecipients: t.mailRecipients,
      mailBytes: t.mailBytes,
      robotNotices: t.robotNotices,
    };
  }
}
