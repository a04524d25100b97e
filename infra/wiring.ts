/**
 * The one wiring table: which functions exist, what triggers them, with which batch size,
 * retries and dead-letter queue. The local runtime (infra/local) and the CDK app read
 * this same table, so that what runs on a laptop is what AWS runs.
 */

import type { ScheduleSpec } from '../shared/publish/schedule.ts';

export const BUCKET_PREFIXES = {
  /** Uploaded files, as sent: `incoming/{unit}/{period}/{uploadId}.{csv|json}`. */
  incoming: 'incoming/',
  /** Why a file was rejected: `reports/{unit}/{period}/{uploadId}.json`. */
  reports: 'reports/',
  /** Configuration a town edits without a deploy: `config/units.json` (the unit registry). */
  config: 'config/',
  /** Published summaries: `summaries/{monthly|annual}/{period}.v{n}.json` and `.latest.json`. */
  summaries: 'summaries/',
} as const;

export interface QueueTrigger {
  readonly kind: 'queue';
  /** Objects created under this prefix are sent to the queue (S3 ObjectCreated → SQS). */
  readonly objectPrefix: string;
  readonly queue: string;
  readonly batchSize: number;
  /** Receives before a message goes to the dead-letter queue. */
  readonly maxReceiveCount: number;
  readonly deadLetterQueue: string;
  /** How long a received message stays hidden (and the function's timeout, at most). */
  readonly visibilityTimeoutSeconds: number;
  /** The handler answers with batchItemFailures: only failed messages are retried. */
  readonly reportBatchItemFailures: true;
}

/** EventBridge Scheduler schedules (Asia/Shanghai); each invokes the function with its input. */
export interface ScheduleTrigger {
  readonly kind: 'schedule';
  readonly schedules: readonly ScheduleSpec[];
}

export interface FunctionWiring {
  /** Module exporting `handler`, relative to the repository root. */
  readonly entry: string;
  readonly trigger: QueueTrigger | ScheduleTrigger;
  /** What the function may touch (grants are derived from this in AWS). */
  readonly access: {
    readonly table: 'read' | 'readwrite';
    readonly bucketRead: readonly string[];
    readonly bucketWrite: readonly string[];
  };
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
      visibilityTimeoutSeconds: 60,
      reportBatchItemFailures: true,
    },
    access: { table: 'readwrite', bucketRead: [BUCKET_PREFIXES.incoming, BUCKET_PREFIXES.config], bucketWrite: [BUCKET_PREFIXES.reports] },
    timeoutSeconds: 30,
    memoryMb: 512,
  },
  summarize: {
    entry: 'functions/summarize/handler.ts',
    trigger: {
      kind: 'schedule',
      schedules: [
        // 催报: on day 3 at 09:00, the units that have not sent last month.
        { name: 'remind', cron: 'cron(0 9 3 * ? *)', timezone: 'Asia/Shanghai', input: { action: 'remind' } },
        // Day 6 at 08:00 (after the day-5 deadline): last month's summary; in January the year's too.
        { name: 'publish', cron: 'cron(0 8 6 * ? *)', timezone: 'Asia/Shanghai', input: { action: 'publish' } },
      ],
    },
    access: { table: 'readwrite', bucketRead: [BUCKET_PREFIXES.config, BUCKET_PREFIXES.summaries], bucketWrite: [BUCKET_PREFIXES.summaries] },
    timeoutSeconds: 300,
    memoryMb: 1024,
  },
} as const satisfies Record<string, FunctionWiring>;

/** Every schedule of the table, for the local runtime and `cunbao run-schedule`. */
export const SCHEDULES: readonly ScheduleSpec[] = Object.values(WIRING).flatMap((f: FunctionWiring) => (f.trigger.kind === 'schedule' ? f.trigger.schedules : []));

export type FunctionName = keyof typeof WIRING;
