/**
 * Reconciliation: objects under incoming/ whose upload has no outcome (an event lost, a
 * crash between PUT and queue) are found by listing (paginated) and ingested as the
 * events S3 would have sent. One path everywhere: the reconcile function runs it, on the
 * daily schedule in AWS and, locally, at start-up and for `cunbao reconcile`.
 */
import { BUCKET_PREFIXES, parseObjectKey } from '../layout.ts';
import type { Ledger } from '../ports/ledger.ts';
import type { ListedObject, ObjectStore } from '../ports/objects.ts';
import type { Registry } from '../registry.ts';
import { ingestObject, type IngestDeps, type IngestResult, type ObjectCreated } from './ingest.ts';

/** Status look-ups per round trip (DynamoDB BatchGetItem takes 100 keys). */
const BATCH = 100;

export interface ReconcileDeps extends Omit<IngestDeps, 'registry'> {
  /** The unit registry, asked for each object (a town may edit it during a long run). */
  readonly registry: () => Promise<Registry>;
  /** A fixed clock dates the found objects as it dates S3's events (locally, CUNBAO_NOW). */
  readonly datedAt?: Date;
}

/** One object found and what became of it. */
export type Reconciled = { readonly object: ObjectCreated } & ({ readonly result: IngestResult } | { readonly error: unknown });

export interface ReconcileResult {
  /** Objects without an outcome that were found. */
  readonly found: number;
  /** Of those, the ones whose ingest failed (found again on the next run). */
  readonly failed: number;
}

/** Objects ingested at once (as many as the local queue's handlers; the ledger decides races). */
const CONCURRENCY = 4;

/** Ingests every unprocessed object; one that fails does not stop the others. */
export async function reconcile(deps: ReconcileDeps, each: (reconciled: Reconciled) => void = () => {}): Promise<ReconcileResult> {
  let found = 0;
  let failed = 0;
  const ingest = async (object: ObjectCreated): Promise<void> => {
    try {
      each({ object, result: await ingestObject(object, { ...deps, registry: await deps.registry() }) });
    } catch (error) {
      failed++;
      each({ object, error });
    }
  };
  const running = new Set<Promise<void>>();
  for await (const listed of unprocessed(deps.store, deps.ledger, BUCKET_PREFIXES.incoming)) {
    found++;
    const task: Promise<void> = ingest(deps.datedAt ? { ...listed, eventTime: deps.datedAt.toISOString() } : listed).finally(() =>
      running.delete(task),
    );
    running.add(task);
    if (running.size >= CONCURRENCY) await Promise.race(running);
  }
  await Promise.all(running);
  return { found, failed };
}

/** Listed objects whose upload is unknown or still pending, as created events. */
async function* unprocessed(store: ObjectStore, ledger: Ledger, prefix: string): AsyncIterable<ObjectCreated> {
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
  return {
    key: object.key,
    size: object.size,
    eventTime: object.lastModified.toISOString(),
    sequencer: object.lastModified.getTime().toString(16).toUpperCase(),
  };
}
