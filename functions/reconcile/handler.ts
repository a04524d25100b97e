/**
 * Reconcile: invoked once a day by EventBridge Scheduler (`{"action":"reconcile"}`). Every
 * object under incoming/ without an outcome (its S3 event lost) is ingested now, exactly
 * as the ingest function would have: the ledger's conditional writes make a late or
 * repeated ingest harmless.
 */
import * as z from 'zod/mini';
import { DynamoLedger } from '../../shared/adapters/dynamodb-ledger.ts';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store.ts';
import { ingestObject } from '../../shared/ingest/ingest.ts';
import { unprocessed } from '../../shared/ingest/reconcile.ts';
import { BUCKET_PREFIXES } from '../../infra/wiring.ts';
import { dynamodb, s3Client } from '../commons/clients.ts';
import { clockOf, readEnvironment } from '../commons/environment.ts';
import { logger } from '../commons/log.ts';
import { loadRegistry } from '../commons/registry.ts';

const env = readEnvironment(['TABLE_NAME', 'BUCKET_NAME', 'UNITS_KEY', 'CUNBAO_NOW', 'LOG_LEVEL', 'AWS_ENDPOINT_URL_S3']);
const log = logger(env.LOG_LEVEL);
const s3 = s3Client(env);
const store = new S3ObjectStore(s3, env.BUCKET_NAME);
const ledger = new DynamoLedger(dynamodb, env.TABLE_NAME);
const now = clockOf(env);

const ReconcileInput = z.object({ action: z.literal('reconcile') });

export const handler = async (event: unknown): Promise<{ found: number; failed: number }> => {
  ReconcileInput.parse(event);
  let found = 0;
  let failed = 0;
  for await (const object of unprocessed(store, ledger, BUCKET_PREFIXES.incoming)) {
    found++;
    try {
      const result = await ingestObject(object, { store, ledger, registry: await loadRegistry(store, env.UNITS_KEY), now });
      log('info', 'reconciled', { key: object.key, ...result });
    } catch (error) {
      // One bad object must not stop the others; it is found again tomorrow.
      failed++;
      log('error', 'reconcile failed', { key: object.key, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    }
  }
  return { found, failed };
};
