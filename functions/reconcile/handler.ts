/**
 * Reconcile: invoked once a day by EventBridge Scheduler (`{"action":"reconcile"}`), and
 * locally by the runtime at start-up and for `cunbao reconcile`. Every object under
 * incoming/ without an outcome (its S3 event lost) is ingested now, exactly as the ingest
 * function would have (shared/ingest/reconcile.ts): the ledger's conditional writes make
 * a late or repeated ingest harmless.
 */
import * as z from 'zod/mini';
import { DynamoLedger } from '../../shared/adapters/dynamodb-ledger.ts';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store.ts';
import { reconcile, type ReconcileResult } from '../../shared/ingest/reconcile.ts';
import { dynamodb, s3Client } from '../commons/clients.ts';
import { clockOf, FUNCTION_VARIABLES, readEnvironment } from '../commons/environment.ts';
import type { Context } from 'aws-lambda';
import { correlationOf, reportIngested } from '../commons/ingested.ts';
import { errorField, invocationLog, logger, sinkAt } from '../commons/log.ts';
import { metricsOf } from '../commons/metrics.ts';
import { loadRegistry } from '../commons/registry.ts';

const env = readEnvironment(FUNCTION_VARIABLES.reconcile);
const log = logger(env.LOG_LEVEL, { function: 'reconcile' });
const metrics = metricsOf(env.METRICS_NAMESPACE, sinkAt(env.LOG_LEVEL));
const s3 = s3Client(env);
const store = new S3ObjectStore(s3, env.BUCKET_NAME);
const ledger = new DynamoLedger(dynamodb, env.TABLE_NAME);
const now = clockOf(env);

const ReconcileInput = z.object({ action: z.literal('reconcile') });

export const handler = async (event: unknown, context?: Context): Promise<ReconcileResult> => {
  // 1. The schedule's input; 2. ingest what has no outcome; 3. log each object and the run.
  ReconcileInput.parse(event);
  const invocation = invocationLog(log, context);
  const deps = { store, ledger, now, registry: () => loadRegistry(store, env.UNITS_KEY), ...(env.CUNBAO_NOW ? { datedAt: now() } : {}) };
  const result = await reconcile(deps, (done) => {
    // The same line and metrics as the ingest function's: a reconciled upload is an ingested one.
    if ('result' in done) reportIngested(invocation, metrics, done.object, done.result, { via: 'reconcile' });
    else {
      invocation('error', 'reconcile failed', { key: done.object.key, ...correlationOf(done.object.key), error: errorField(done.error) });
      metrics.add('ingestFailures');
    }
  });
  invocation('info', 'reconciled', { ...result });
  metrics.flush();
  return result;
};
