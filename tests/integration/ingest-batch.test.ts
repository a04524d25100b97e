/**
 * A queue batch ingested together (shared/ingest/batch.ts) on DynamoDB Local, through the
 * real SDK: its one-month files of different units written in one transaction, everything
 * else as if delivered alone, and exactly once through a cancelled transaction and a crash.
 * The property test (ingest.property.test.ts) runs batches among its random schedules too.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { IngestResult, ObjectCreated } from '../../shared/ingest/ingest.ts';
import type { FinishingChange } from '../../shared/ports/ledger.ts';
import type { BatchAnswer } from '../../shared/ingest/batch.ts';
import { writeSubmissions } from '../../shared/write.ts';
import {
  cents,
  CrashError,
  CrashingLedger,
  type Deps,
  deliver,
  deliverBatch,
  FIRST_EVENT_MS,
  freshLedger,
  MemoryObjectStore,
  sequencer,
  WriteCounter,
  upload,
} from '../support/ingest-harness.ts';

let client: DynamoDBClient;
/** The DynamoDB commands sent, by name, in the order sent. */
const sent: string[] = [];

beforeAll(() => {
  client = new DynamoDBClient({
    endpoint: inject('stack').endpoints.dynamodb,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'countCommands' },
  );
});
afterAll(() => client?.destroy());

async function fresh(label: string): Promise<Deps & { drop(): Promise<void> }> {
  const { ledger, drop } = await freshLedger({ client }, label);
  return { ledger, store: new MemoryObjectStore(), drop };
}

let n = 0;

/** Puts one file (intent, then object) of these rows, `seconds` after the first event time. */
function put(deps: Deps, unit: string, period: string, csv: string, seconds: number, intent = true): Promise<ObjectCreated> {
  n++;
  return upload(deps, {
    uploadId: `batch-${String(n).padStart(4, '0')}`,
    unit,
    period,
    ext: 'csv',
    bytes: new TextEncoder().encode(csv),
    eventTime: new Date(FIRST_EVENT_MS + seconds * 1000).toISOString(),
    sequencer: sequencer('long', n),
    intent,
  });
}

const march = (unit: string, general_hazards_found: number, seconds: number, deps: Deps) =>
  put(
    deps,
    unit,
    '2025-03',
    writeSubmissions([{ unit, period: '2025-03', values: { general_hazards_found } }], { format: 'long', headers: 'code' }),
    seconds,
  );

const outcomes = (answers: readonly BatchAnswer[]) => answers.map((a) => ('result' in a ? a.result.outcome : 'error'));
const idOf = (event: ObjectCreated) => event.key.split('/').at(-1)!.split('.')[0]!;
const villages = (count: number) => Array.from({ length: count }, (_, i) => `EC/V0${i + 1}`);

describe('a queue batch of one-month files of different units', () => {
  it('is written in one transaction after one read of their intents, each file counted once', async () => {
    // Prepare: eight villages' Marches, 1…8 hazards.
    const deps = await fresh('batch-together');
    try {
      const events = await Promise.all(villages(8).map((unit, i) => march(unit, i + 1, i, deps)));

      // Act
      sent.length = 0;
      const answers = await deliverBatch(deps, events);

      // Assess: all accepted; one BatchGetItem for the intents, one transaction for all eight writes.
      expect(outcomes(answers)).toEqual(events.map(() => 'accepted'));
      expect(sent.filter((c) => c === 'TransactWriteItemsCommand')).toHaveLength(1);
      expect(sent.filter((c) => c === 'BatchGetItemCommand')).toHaveLength(1);
      expect(sent).not.toContain('GetItemCommand');
      const month = await deps.ledger.rollupWithVersion('EC', 'month', '2025-03');
      expect(cents(month.totals)).toEqual({ general_hazards_found: 3600 });
      expect(month.version, 'one change per file').toBe(8);
      expect(cents(await deps.ledger.rollup('QJ', 'year', '2025'))).toEqual({ general_hazards_found: 3600 });
      for (const [i, event] of events.entries()) {
        const record = await deps.ledger.getUpload(idOf(event));
        expect(record?.status).toBe('accepted');
        expect(record?.submissions?.map((s) => [s.unit, s.state, s.version])).toEqual([[villages(8)[i], 'current', 1]]);
        expect((await deps.ledger.versions(villages(8)[i]!, '2025-03')).map((v) => v.uploadId)).toEqual([idOf(event)]);
      }
    } finally {
      await deps.drop();
    }
  });
});

describe('a queue batch of every kind of event', () => {
  it('answers each as if it came alone: corrections of one month in upload order, a duplicate, a rejected file, a file of two months, an unannounced object', async () => {
    // Prepare
    const deps = await fresh('batch-mixed');
    try {
      const first = await march('EC/V01', 2, 1, deps);
      const correction = await march('EC/V01', 5, 2, deps);
      const bad = await put(
        deps,
        'EC/V02',
        '2025-03',
        'unit,period,metric,label,value,note\nEC/V02,2025-03,general_hazards_found,,三个,\n',
        3,
      );
      const two = await put(
        deps,
        'EC/V03',
        'unknown',
        writeSubmissions(
          [
            { unit: 'EC/V03', period: '2025-01', values: { general_hazards_found: 1 } },
            { unit: 'EC/V03', period: '2025-02', values: { general_hazards_found: 1 } },
          ],
          { format: 'wide', headers: 'code' },
        ),
        4,
      );
      const stranger = await put(deps, 'EC/V04', '2025-03', 'unit,period,metric,label,value,note\n', 5, false);
      const other = await march('EC/V05', 7, 6, deps);

      // Act: the correction comes before the file it corrects; the first file comes twice.
      const answers = await deliverBatch(deps, [correction, first, bad, first, two, stranger, other]);

      // Assess
      expect(outcomes(answers)).toEqual(['accepted', 'accepted', 'rejected', 'duplicate', 'accepted', 'unexpected', 'accepted']);
      expect((answers[2] as { result: IngestResult & { codes: string[] } }).result.codes).toContain('NOT_A_NUMBER');
      expect((await deps.ledger.versions('EC/V01', '2025-03')).map((v) => v.uploadId)).toEqual([idOf(first), idOf(correction)]);
      expect(cents(await deps.ledger.rollup('EC', 'month', '2025-03'))).toEqual({ general_hazards_found: 1200 });
      expect(cents(await deps.ledger.rollup('EC', 'year', '2025'))).toEqual({ general_hazards_found: 1400 });
      expect((await deps.ledger.getUpload(idOf(two)))?.submissions?.map((s) => s.period)).toEqual(['2025-01', '2025-02']);
      expect((await deps.ledger.getUpload(idOf(bad)))?.status).toBe('rejected');
    } finally {
      await deps.drop();
    }
  });
});

/** A ledger on which another upload commits just before the batch's transaction. */
class Overtaken extends WriteCounter {
  constructor(
    inner: Deps['ledger'],
    private readonly before: () => Promise<unknown>,
  ) {
    super(inner);
  }
  override async applyTogether(changes: readonly FinishingChange[]): Promise<boolean[]> {
    await this.before();
    return super.applyTogether(changes);
  }
}

describe("a queue batch whose transaction another writer's change cancels", () => {
  it('writes none of it together, and then each file alone, deciding again: each counted once', async () => {
    // Prepare: four villages' Marches; V02's March comes from another upload (earlier) meanwhile.
    const deps = await fresh('batch-cancelled');
    try {
      const events = await Promise.all(villages(4).map((unit, i) => march(unit, 10, 10 + i, deps)));
      const meanwhile = await march('EC/V02', 1, 1, deps);
      const ledger = new Overtaken(deps.ledger, () => deliver(deps, meanwhile));

      // Act
      const answers = await deliverBatch(deps, events, ledger);

      // Assess: none written together; all accepted alone; V02's month holds both uploads in upload order.
      expect(outcomes(answers)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
      expect(ledger.together).toBe(0);
      expect(ledger.alone).toBeGreaterThanOrEqual(4);
      expect((await deps.ledger.versions('EC/V02', '2025-03')).map((v) => [v.uploadId, v.version])).toEqual([
        [idOf(meanwhile), 1],
        [idOf(events[1]!), 2],
      ]);
      const month = await deps.ledger.rollupWithVersion('EC', 'month', '2025-03');
      expect(cents(month.totals)).toEqual({ general_hazards_found: 4000 });
      expect(month.version).toBe(5);
    } finally {
      await deps.drop();
    }
  });
});

describe('a queue batch whose function dies', () => {
  it('after its transaction committed: delivered again, every file is a duplicate, counted once', async () => {
    // Prepare
    const deps = await fresh('batch-crash-after');
    try {
      const events = await Promise.all(villages(5).map((unit, i) => march(unit, 2, i, deps)));
      await expect(deliverBatch(deps, events, new CrashingLedger(deps.ledger, 1))).rejects.toBeInstanceOf(CrashError);

      // Act: SQS delivers the batch again.
      const again = await deliverBatch(deps, events);

      // Assess
      expect(outcomes(again)).toEqual(events.map(() => 'duplicate'));
      const month = await deps.ledger.rollupWithVersion('EC', 'month', '2025-03');
      expect(cents(month.totals)).toEqual({ general_hazards_found: 1000 });
      expect(month.version).toBe(5);
    } finally {
      await deps.drop();
    }
  });

  it('before its transaction: delivered again, every file is counted once', async () => {
    // Prepare
    const deps = await fresh('batch-crash-before');
    try {
      const events = await Promise.all(villages(5).map((unit, i) => march(unit, 2, i, deps)));
      await expect(deliverBatch(deps, events, new CrashingLedger(deps.ledger, 0))).rejects.toBeInstanceOf(CrashError);
      const untouched = cents(await deps.ledger.rollup('EC', 'month', '2025-03'));

      // Act
      const again = await deliverBatch(deps, events);

      // Assess
      expect(untouched).toEqual({});
      expect(outcomes(again)).toEqual(events.map(() => 'accepted'));
      expect(cents(await deps.ledger.rollup('EC', 'month', '2025-03'))).toEqual({ general_hazards_found: 1000 });
    } finally {
      await deps.drop();
    }
  });
});
