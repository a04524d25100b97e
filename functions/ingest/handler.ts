/**
 * Ingest: SQS messages wrapping S3 ObjectCreated notifications → the core ingest, one
 * object at a time. Failed messages are returned in batchItemFailures, so only they are
 * retried (and after 3 receives they land in the dead-letter queue).
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { DynamoLedger } from '../../shared/adapters/dynamodb-ledger.ts';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store.ts';
import { ingestObject } from '../../shared/ingest/ingest.ts';
import { dynamodb, s3Client } from '../commons/clients.ts';
import { clockOf, FUNCTION_VARIABLES, readEnvironment } from '../commons/environment.ts';
import { correlationOf, reportIngested } from '../commons/ingested.ts';
import { errorField, invocationLog, logger, sinkAt } from '../commons/log.ts';
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

export const handler = async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
  const { Records } = SqsEventSchema.parse(event);
  const invocation = invocationLog(log, context);
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const message of Records) {
    const messageLog = invocation.with({ messageId: message.messageId });
    let key: string | undefined;
    try {
      const notification = S3Notification.parse(JSON.parse(message.body));
      if (!('Records' in notification)) continue;
      const registry = await loadRegistry(store, env.UNITS_KEY);
      for (const record of notification.Records) {
        if (!record.eventName.startsWith('ObjectCreated:') || record.s3.bucket.name !== env.BUCKET_NAME) continue;
        const { object } = record.s3;
        key = decodeKey(object.key);
        const created = {
          key,
          size: object.size ?? 0,
          eventTime: record.eventTime,
          sequencer: object.sequencer ?? '',
          ...(object.versionId ? { versionId: object.versionId } : {}),
          ...(object.eTag ? { etag: object.eTag } : {}),
        };
        reportIngested(messageLog, metrics, created, await ingestObject(created, { store, ledger, registry, now }));
      }
    } catch (error) {
      messageLog('error', 'ingest failed', { ...(key ? { key, ...correlationOf(key) } : {}), error: errorField(error) });
      metrics.add('ingestFailures');
      batchItemFailures.push({ itemIdentifier: message.messageId });
    }
  }
  metrics.flush();
  return { batchItemFailures };
};
