/**
 * The one wiring table: which functions exist, what triggers them, with which batch size,
 * retries and dead-letter queue. The local runtime (infra/local) and the CDK app read
 * this same table, so that what runs on a laptop is what AWS runs.
 */

import { FUNCTION_VARIABLES, type VariableName } from '../functions/commons/environment.ts';
import { BUCKET_PREFIXES } from '../shared/layout.ts';
import { SCHEDULES, type ScheduleSpec } from '../shared/publish/schedule.ts';

// The bucket layout is the core's (shared/layout.ts): the grants below use its prefixes.
export { BUCKET_PREFIXES } from '../shared/layout.ts';

export interface QueueTrigger {
  readonly kind: 'queue';
  /** Objects created under this prefix are sent to the queue (S3 ObjectCreated → SQS). */
  readonly objectPrefix: string;
  readonly queue: string;
  readonly batchSize: number;
  /** Receives before a message goes to the dead-letter queue. */
  readonly maxReceiveCount: number;
  readonly deadLetterQueue: string;
  /**
   * How long a received message stays hidden: at least 6 × the function's timeout (AWS's
   * advice: a batch that runs long, then its retries, must not be handed out twice meanwhile).
   */
  readonly visibilityTimeoutSeconds: number;
  /** An alarm when the oldest message has waited this long (a file not yet checked). */
  readonly oldestMessageAlarmSeconds: number;
  /** The handler answers with batchItemFailures: only failed messages are retried. */
  readonly reportBatchItemFailures: true;
}

/** EventBridge Scheduler schedules (Asia/Shanghai); each invokes the function with its input. */
interface ScheduleTrigger {
  readonly kind: 'schedule';
  readonly schedules: readonly ScheduleSpec[];
}

/**
 * The HTTP API (API Gateway HTTP API, payload format 2.0; locally infra/local/http-api.ts).
 * Its routes are the API's own table (shared/api/routes.ts), handlers included, which the
 * CDK construct and the local gateway read themselves: the wiring stays data, light to import.
 */
interface HttpTrigger {
  readonly kind: 'http';
  /** The authorizer function for `token` routes (and `reader` routes unless IAM is chosen). */
  readonly authorizer: 'authorizer';
  /** Stage throttling: requests per second and burst (429 beyond them). */
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  /** API Gateway's own limit on a request's size (413 beyond it). */
  readonly maxRequestBytes: number;
}

/** A Lambda authorizer (simple responses) for the HTTP API, its result cached per token. */
interface AuthorizerTrigger {
  readonly kind: 'authorizer';
  readonly identitySource: '$request.header.Authorization';
  /** Cache of a token's answer: a revoked token keeps working at most this long. */
  readonly resultsCacheTtlSeconds: number;
}

/** A DynamoDB action the functions use (never Scan, DeleteItem or BatchWriteItem). */
export type TableAction = 'GetItem' | 'BatchGetItem' | 'Query' | 'PutItem' | 'UpdateItem' | 'ConditionCheckItem';

/** What the ledger's readers and writers send: reads, conditional writes, transactions. */
const LEDGER: readonly TableAction[] = ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'ConditionCheckItem'];

export interface FunctionWiring {
  /** Module exporting `handler`, relative to the repository root. */
  readonly entry: string;
  readonly trigger: QueueTrigger | ScheduleTrigger | HttpTrigger | AuthorizerTrigger;
  /** What the function may touch (its IAM policy is written from this in AWS). */
  readonly access: {
    /**
     * The DynamoDB actions it may take on the table (and GSI1, with Query): exactly those its
     * code can send — tests/unit/table-actions.test.ts reads them from the handler's imports.
     * A TransactWriteItems is authorized item by item, by PutItem, UpdateItem and
     * ConditionCheckItem; no function scans, deletes or batch-writes.
     */
    readonly table: readonly TableAction[];
    readonly bucketRead: readonly string[];
    readonly bucketWrite: readonly string[];
  };
  /** The variables the function reads at cold start (functions/commons/environment.ts), all set by infra/environment.ts. */
  readonly environment: readonly VariableName[];
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
}

export const WIRING = {
  ingest: {
    entry: 'functions/ingest/handler.ts',
    trigger: {
      kind: 'queue',
      objectPrefix: BUCKET_PREFIXES.incoming,
      queue: 'ingest',
      batchSize: 10,
      maxReceiveCount: 3,
      deadLetterQueue: 'ingest-dlq',
      // 6 × the 30 s timeout.
      visibilityTimeoutSeconds: 180,
      // A secretary waits for her answer: a quarter of an hour is already far too long.
      oldestMessageAlarmSeconds: 900,
      reportBatchItemFailures: true,
    },
    access: { table: LEDGER, bucketRead: [BUCKET_PREFIXES.incoming, BUCKET_PREFIXES.config], bucketWrite: [BUCKET_PREFIXES.reports] },
    environment: FUNCTION_VARIABLES.ingest,
    timeoutSeconds: 30,
    memoryMb: 512,
  },
  summarize: {
    entry: 'functions/summarize/handler.ts',
    trigger: {
      kind: 'schedule',
      schedules: SCHEDULES,
    },
    access: {
      table: LEDGER,
      bucketRead: [BUCKET_PREFIXES.config, BUCKET_PREFIXES.summaries],
      bucketWrite: [BUCKET_PREFIXES.summaries],
    },
    environment: FUNCTION_VARIABLES.summarize,
    timeoutSeconds: 300,
    memoryMb: 1024,
  },
  reconcile: {
    // Objects under incoming/ with no outcome (an S3 event lost) are ingested once a day.
    entry: 'functions/reconcile/handler.ts',
    trigger: {
      kind: 'schedule',
      schedules: [{ name: 'reconcile', cron: 'cron(30 2 * * ? *)', timezone: 'Asia/Shanghai', input: { action: 'reconcile' } }],
    },
    access: { table: LEDGER, bucketRead: [BUCKET_PREFIXES.incoming, BUCKET_PREFIXES.config], bucketWrite: [BUCKET_PREFIXES.reports] },
    environment: FUNCTION_VARIABLES.reconcile,
    timeoutSeconds: 900,
    memoryMb: 512,
  },
  api: {
    entry: 'functions/api/handler.ts',
    trigger: {
      kind: 'http',
      authorizer: 'authorizer',
      throttle: { rateLimit: 200, burstLimit: 400 },
      maxRequestBytes: 10 * 1024 * 1024,
    },
    // bucketWrite incoming/: the function signs the presigned POSTs, which S3 checks
    // against the signer's own permission; it never writes an object itself.
    access: {
      table: LEDGER,
      bucketRead: [BUCKET_PREFIXES.config, BUCKET_PREFIXES.summaries],
      bucketWrite: [BUCKET_PREFIXES.incoming],
    },
    environment: FUNCTION_VARIABLES.api,
    timeoutSeconds: 10,
    memoryMb: 512,
  },
  authorizer: {
    entry: 'functions/authorizer/handler.ts',
    trigger: { kind: 'authorizer', identitySource: '$request.header.Authorization', resultsCacheTtlSeconds: 60 },
    // A token's item by its id (DynamoTokenReader): nothing else.
    access: { table: ['GetItem'], bucketRead: [], bucketWrite: [] },
    environment: FUNCTION_VARIABLES.authorizer,
    timeoutSeconds: 5,
    memoryMb: 256,
  },
} as const satisfies Record<string, FunctionWiring>;

/** The summarize function's schedules (shared/publish/schedule.ts), for importers of the wiring. */
export { SCHEDULES };

/** Every function a schedule invokes, with its schedules (the local clock, the CDK app). */
export const SCHEDULED: readonly { readonly name: FunctionName; readonly schedules: readonly ScheduleSpec[] }[] = (
  Object.keys(WIRING) as FunctionName[]
).flatMap((name) => {
  const trigger: FunctionWiring['trigger'] = WIRING[name].trigger;
  return trigger.kind === 'schedule' ? [{ name, schedules: trigger.schedules }] : [];
});

export type FunctionName = keyof typeof WIRING;
