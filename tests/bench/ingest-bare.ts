/**
 * The bare path the ingest bench compares against, on the same stack in the same process:
 * each S3 event goes through the same local queue (the wiring's batch size, the bench's
 * concurrency) to a handler that reads the object (GetObject) and sends ONE
 * TransactWriteItems (the file's item, and 1 added to a counter shard) — nothing else: no
 * intent read, no registry, no parse or check, no state read. The stack's `wrapIngest`
 * seam switches the queue between it and the wired ingest handler, so both phases share
 * s3rver behind the gate, DynamoDB Local and the queue.
 */
import { DynamoDBClient, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { LOCAL } from '../../infra/local/runtime.ts';
import type { SqsHandler } from '../../infra/local/queue.ts';
import { s3Client } from '../../functions/commons/s3.ts';
import { SHARDS } from '../../shared/rollup.ts';
import type { CallTimes } from './ingest-bare-breakdown.ts';

export type Phase = 'ingest' | 'bare';

/** One batch the queue handed over: when, how many, how long the handler took. */
export interface BatchTap {
  readonly phase: Phase;
  readonly startedAt: number;
  readonly ms: number;
  /** Each message's SentTimestamp (when S3's event was enqueued). */
  readonly sentAt: readonly number[];
}

export interface PhaseSwitch {
  phase: Phase;
  /** When each bare file's transaction was acknowledged, by object key. */
  readonly bareWritten: Map<string, number>;
  readonly batches: BatchTap[];
  /** Bare messages handed back for a retry (a transaction conflict on a counter shard). */
  bareFailures: number;
  /** The bare handler's calls, timed as the ingest's are. */
  readonly bareTimes: CallTimes;
  /** For StartOptions.wrapIngest: the queue calls the phase's handler, timed per batch. */
  readonly wrap: (wired: SqsHandler) => SqsHandler;
}

export function phaseSwitch(): PhaseSwitch {
  const sw: PhaseSwitch = {
    phase: 'ingest',
    bareWritten: new Map(),
    batches: [],
    bareFailures: 0,
    bareTimes: { ms: {}, calls: {}, transactItems: 0 },
    wrap: (wired) => {
      // Made here, once the stack has set the functions' environment (endpoints, credentials).
      const bare = bareHandler(sw);
      return async (event) => {
        const phase = sw.phase;
        const startedAt = Date.now();
        const handler = phase === 'bare' ? bare : wired;
        try {
          return await (PARALLEL ? eachAtOnce(handler, event) : handler(event));
        } finally {
          const sentAt = event.Records.map((r) => Number(r.attributes.SentTimestamp));
          sw.batches.push({ phase, startedAt, ms: Date.now() - startedAt, sentAt });
        }
      };
    },
  };
  return sw;
}

/**
 * BENCH_INGEST_PARALLEL=1, an experiment for both phases: a batch's messages handled at
 * once (one handler call each), as if each container worked its batch concurrently.
 */
const PARALLEL = process.env.BENCH_INGEST_PARALLEL === '1';

async function eachAtOnce(handler: SqsHandler, event: SQSEvent): Promise<SQSBatchResponse> {
  const answers = await Promise.all(event.Records.map((r) => handler({ Records: [r] })));
  return { batchItemFailures: answers.flatMap((a) => a?.batchItemFailures ?? []) };
}

/** S3 URL-encodes keys in notifications, with '+' for a space. */
const decodeKey = (key: string) => decodeURIComponent(key.replace(/\+/g, ' '));

/** Messages one at a time, as the ingest handler does; a failed one is handed back for a retry. */
function bareHandler(sw: PhaseSwitch): SqsHandler {
  // Clients as the functions make them (the environment's endpoints), of their own.
  const s3 = s3Client({ AWS_ENDPOINT_URL_S3: process.env.AWS_ENDPOINT_URL_S3 });
  const dynamodb = new DynamoDBClient({});
  let n = 0;
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const batchItemFailures: { itemIdentifier: string }[] = [];
    for (const message of event.Records) {
      try {
        const { Records } = JSON.parse(message.body) as { Records: { s3: { object: { key: string } } }[] };
        for (const record of Records) {
          const key = decodeKey(record.s3.object.key);
          const bytes = await timed(sw.bareTimes, 'GetObject', async () => {
            const out = await s3.send(new GetObjectCommand({ Bucket: LOCAL.bucket, Key: key }));
            return out.Body!.transformToByteArray();
          });
          await timed(sw.bareTimes, 'TransactWriteItems', () => dynamodb.send(bareTransaction(key, bytes.length, n++ % SHARDS)));
          sw.bareTimes.transactItems += 2;
          sw.bareWritten.set(key, Date.now());
        }
      } catch {
        sw.bareFailures++;
        batchItemFailures.push({ itemIdentifier: message.messageId });
      }
    }
    return { batchItemFailures };
  };
}

async function timed<T>(times: CallTimes, name: string, call: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await call();
  } finally {
    times.ms[name] = (times.ms[name] ?? 0) + performance.now() - start;
    times.calls[name] = (times.calls[name] ?? 0) + 1;
  }
}

/** The file's item (once) and its counter shard, in one transaction. */
function bareTransaction(key: string, bytes: number, shard: number): TransactWriteItemsCommand {
  return new TransactWriteItemsCommand({
    TransactItems: [
      {
        Put: {
          TableName: LOCAL.table,
          Item: { PK: { S: `BARE#${key}` }, SK: { S: 'FILE' }, bytes: { N: String(bytes) }, at: { N: String(Date.now()) } },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        Update: {
          TableName: LOCAL.table,
          Key: { PK: { S: 'BARE#COUNTER' }, SK: { S: `SHARD#${shard}` } },
          UpdateExpression: 'ADD files :one, bytes :bytes',
          ExpressionAttributeValues: { ':one': { N: '1' }, ':bytes': { N: String(bytes) } },
        },
      },
    ],
  });
}
