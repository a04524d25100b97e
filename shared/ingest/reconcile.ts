/**
 * Reconciliation: objects under incoming/ whose upload has no outcome (an event lost, a
 * crash between PUT and queue) are found by listing (paginated) and handed back as the
 * events S3 would have sent. Used at local start-up, by `cunbao reconcile`, and by the
 * daily schedule in AWS.
 */
import { parseObjectKey } from '../uploads.ts';
import type { ObjectCreated } from './ingest.ts';
import type { Ledger, ListedObject, ObjectStore } from './ports.ts';

/** Status look-ups per round trip (DynamoDB BatchGetItem takes 100 keys). */
const BATCH = 100;

export async function* unprocessed(store: ObjectStore, ledger: Ledger, prefix: string): AsyncIterable<ObjectCreated> {
  let page: ListedObject[] = [];
  const flush = async function* (): AsyncIterable<ObjectCreated> {
    const ids = page.map((o) => parseObjectKey(o.key)?.uploadId).filter((id): id is string => id !== undefined);
    const statuses = await ledger.uploadStatuses(ids);
    for (const object of page) {
      const id = parseObjectKey(object.key)?.uploadId;
      const status = id ? statuses.get(id) : undefined;
      if (status === undefined || status === 'pending') yield asCreated(object);
    }
    page = [];
  };
  for await (const object of store.objects(prefix)) {
    page.push(object);
    if (page.length === BATCH) yield* flush();
  }
  yield* flush();
}

/** The event S3 would have sent: its time from the object's LastModified. */
function asCreated(object: ListedObject): ObjectCreated {
  return { key: object.key, size: object.size, eventTime: object.lastModified.toISOString(), sequencer: object.lastModified.getTime().toString(16).toUpperCase() };
}
