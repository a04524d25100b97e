/**
 * Where an ingest burst's time goes, from timestamps (no profiler, so the run's figures stay
 * comparable): the handler's DynamoDB commands and S3 reads timed where it sends them, the
 * queue's batches timed by the phase switch (ingest-bare.ts). Per file, in milliseconds. The
 * split of handler time holds for messages handled one at a time (BENCH_INGEST_PARALLEL
 * overlaps the calls, and the rest turns negative).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { UNITS_KEY } from '../../infra/environment.ts';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store.ts';
import type { BatchTap, Phase } from './ingest-bare.ts';

export interface CallTimes {
  /** Milliseconds spent awaiting each kind of call, summed, and how many were made. */
  readonly ms: Record<string, number>;
  readonly calls: Record<string, number>;
  /** Items in all the TransactWriteItems sent. */
  transactItems: number;
}

const add = (times: CallTimes, name: string, ms: number) => {
  times.ms[name] = (times.ms[name] ?? 0) + ms;
  times.calls[name] = (times.calls[name] ?? 0) + 1;
};

/**
 * Times the ingest handler's calls: its DynamoDB client's commands (retries included) and
 * every S3ObjectStore read (the handler's store is module-private: its class is shared).
 */
export function timeCalls(dynamodb: DynamoDBClient): CallTimes {
  const times: CallTimes = { ms: {}, calls: {}, transactItems: 0 };
  dynamodb.middlewareStack.add(
    (next, context) => async (args) => {
      const start = performance.now();
      try {
        return await next(args);
      } finally {
        const name = (context.commandName ?? 'unknown').replace(/Command$/, '');
        add(times, name, performance.now() - start);
        const items = (args.input as { TransactItems?: unknown[] }).TransactItems;
        if (items) times.transactItems += items.length;
      }
    },
    { step: 'initialize', name: 'benchTimeCalls' },
  );
  const get = S3ObjectStore.prototype.get;
  S3ObjectStore.prototype.get = async function (this: S3ObjectStore, key, versionId) {
    const start = performance.now();
    try {
      return await get.call(this, key, versionId);
    } finally {
      add(times, key === UNITS_KEY ? 'GetObject(registry)' : 'GetObject', performance.now() - start);
    }
  };
  return times;
}

export interface Breakdown {
  readonly batches: number;
  readonly filesPerBatch: number;
  /** PUT start → S3's event enqueued (the PUT itself, the gate, s3rver's event). */
  readonly putToQueueMs: number;
  /** Enqueued → its batch handed to the handler (all batches in flight: waiting for a slot). */
  readonly queueWaitMs: number;
  /** Handler time per file (a batch's time ÷ its files): what bounds throughput at a fixed concurrency. */
  readonly handlerMs: number;
  /** Of the handler time: each call kind's, and the rest (parse, check, plan, marshalling, logs; and waiting for the event loop). */
  readonly calls: Record<string, number>;
  readonly otherMs: number;
  readonly requestsPerFile: Record<string, number>;
  readonly transactItemsPerFile: number;
}

const r1 = (x: number) => Math.round(x * 10) / 10;
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** One phase's breakdown; `putStart` by the time its files' PUTs began (the same order as the batches' messages is not needed). */
export function breakdownOf(batches: readonly BatchTap[], phase: Phase, putStarts: readonly number[], times?: CallTimes): Breakdown {
  const own = batches.filter((b) => b.phase === phase);
  const files = own.reduce((n, b) => n + b.sentAt.length, 0);
  const sent = own.flatMap((b) => b.sentAt);
  const handlerMs = own.reduce((n, b) => n + b.ms, 0) / files;
  const calls = Object.fromEntries(Object.entries(times?.ms ?? {}).map(([k, ms]) => [k, r1(ms / files)]));
  return {
    batches: own.length,
    filesPerBatch: r1(files / Math.max(1, own.length)),
    putToQueueMs: r1(mean(sent) - mean(putStarts)),
    queueWaitMs: r1(mean(own.flatMap((b) => b.sentAt.map((s) => b.startedAt - s)))),
    handlerMs: r1(handlerMs),
    calls,
    otherMs: r1(handlerMs - Object.values(times?.ms ?? {}).reduce((a, b) => a + b, 0) / files),
    requestsPerFile: Object.fromEntries(Object.entries(times?.calls ?? {}).map(([k, n]) => [k, r1(n / files)])),
    transactItemsPerFile: r1((times?.transactItems ?? 0) / files),
  };
}
