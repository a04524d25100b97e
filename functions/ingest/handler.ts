/**
 * Ingest: SQS messages wrapping S3 ObjectCreated notifications → the core ingest, the
 * batch's objects together (shared/ingest/batch.ts). A message fails when any of its
 * objects did; failed messages are returned in batchItemFailures, so only they are retried
 * (and after 3 receives they land in the dead-letter queue).
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { DynamoLedger } from '../../shared/adapters/dynamodb-ledger.ts';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store.ts';
import { ingestBatch } from '../../shared/ingest/batch.ts';
import type { ObjectCreated } from '../../shared/ingest/ingest.ts';
import { dynamodb, s3Client } from '../commons/clients.ts';
import { clockOf, FUNCTION_VARIABLES, readEnvironment } from '../commons/environment.ts';
import { correlationOf, reportIngested } from '../commons/ingested.ts';
import { errorField, invocationLog, type Log, logger, sinkAt } from '../commons/log.ts';
import { metricsOf } from '../commons/metrics.ts';
import { loadRegistry } from '../commons/registry.ts';

const env = readEnvironment(FUNCTION_VARIABLES.ingest);
const log = logger(env.LOG_LEVEL, { function: 'ingest' });
const metrics = metricsOf(env.METRICS_NAMESPACE, sinkAt(env.LOG_LEVEL));
const s3 = s3Client(env);
const store = new S3ObjectStore(s3, env.BUCKET_NAME);
const ledger = new DynamoLedger(dynamodb, env.TABLE_NAME);
const now = clockOf(env);

const SqsEventSchema = z.object({ Records: z.array(z.object({ messageId: z.string(), body: z.string() })) });
const S3Notification = z.union([
  z.object({
    Records: z.array(
      z.object({
        eventName: z.string(),
        eventTime: z.string(),
        s3: z.object({
          bucket: z.object({ name: z.string() }),
          object: z.object({
            key: z.string(),
            size: z.optional(z.number()),
            versionId: z.optional(z.string()),
            eTag: z.optional(z.string()),
            sequencer: z.optional(z.string()),
          }),
        }),
      }),
    ),
  }),
  // S3 sends this once when the notification is configured: nothing to do.
  z.object({ Event: z.literal('s3:TestEvent') }),
]);

/** S3 URL-encodes keys in notifications, with '+' for a space. */
export function decodeKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/** An object a message announced, and the message (its log) it came in. */
interface Announced {
  readonly messageId: string;
  readonly log: Log;
  readonly object: ObjectCreated;
}

export const handler = async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
  const { Records } = SqsEventSchema.parse(event);
  const invocation = invocationLog(log, context);
  const failed = new Set<string>();
  const fail = (messageId: string, messageLog: Log, error: unknown, key?: string) => {
    messageLog('error', 'ingest failed', { ...(key ? { key, ...correlationOf(key) } : {}), error: errorField(error) });
    metrics.add('ingestFailures');
    failed.add(messageId);
  };
  const announced: Announced[] = [];
  for (const message of Records) {
    const messageLog = invocation.with({ messageId: message.messageId });
    try {
      announced.push(...objectsOf(message.body).map((object) => ({ messageId: message.messageId, log: messageLog, object })));
    } catch (error) {
      fail(message.messageId, messageLog, error);
    }
  }
  if (announced.length) {
    // The batch's objects together: checked side by side, their one-month files written in one transaction.
    // Whatever stops the batch as a whole (the registry unreadable) fails each of its messages.
    const objects = announced.map((a) => a.object);
    const answers = await loadRegistry(store, env.UNITS_KEY)
      .then((registry) => ingestBatch(objects, { store, ledger, registry, now }))
      .catch((error: unknown) => announced.map(() => ({ error })));
    for (const [i, { messageId, log: messageLog, object }] of announced.entries()) {
      const answer = answers[i]!;
      if ('result' in answer) reportIngested(messageLog, metrics, object, answer.result);
      else fail(messageId, messageLog, answer.error, object.key);
    }
  }
  metrics.flush();
  return { batchItemFailures: Records.filter((m) => failed.has(m.messageId)).map((m) => ({ itemIdentifier: m.messageId })) };
};

/** The objects created in this bucket that a message's S3 notification announces (none for S3's test event). */
function objectsOf(body: string): ObjectCreated[] {
  const notification = S3Notification.parse(JSON.parse(body));
  if (!('Records' in notification)) return [];
  return notification.Records.filter((r) => r.eventName.startsWith('ObjectCreated:') && r.s3.bucket.name === env.BUCKET_NAME).map(
    ({ eventTime, s3: { object } }) => ({
      key: decodeKey(object.key),
      size: object.size ?? 0,
      eventTime,
      sequencer: object.sequencer ?? '',
      ...(object.versionId ? { versionId: object.versionId } : {}),
      ...(object.eTag ? { etag: object.eTag } : {}),
    }),
  );
}
