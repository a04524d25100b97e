/**
 * Corrections and review on the real ledger (DynamoDB Local, one table per case), through
 * the ingest as S3 events drive it: a correction changes only what it states, versions are
 * folded in upload order even when their events arrive out of order, a town's decisions
 * lock and unlock a month, and the month's audit trail keeps all of it
 * (docs/DOMAIN.md#corrections, #review, #lock-day).
 *
 * Clock: 2025-04-03 09:00 Beijing; March 2025 is open for its units until its lock day,
 * 20 April 2025.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoReviews } from '../../shared/adapters/dynamodb-reviews.ts';
import { VALUE_KEYS } from '../../shared/catalogue.ts';
import type { Uploader } from '../../shared/collector.ts';
import { reviewMonth } from '../../shared/review/act.ts';
import { auditTrail } from '../../shared/review/trail.ts';
import { newUploadId, uploadOrder } from '../../shared/uploads.ts';
import { district } from '../support/core.ts';
import {
  deliver,
  freshLedger,
  MemoryObjectStore,
  now,
  startDynamo,
  upload,
  type Deps,
  type DynamoServer,
} from '../support/ingest-harness.ts';

const UNIT = 'EC/V03';
const MONTH = '2025-03';
const SECRETARY: Uploader = { role: 'village', unit: UNIT };
const CLERK = { role: 'town', town: 'EC' } as const;

let server: DynamoServer;
beforeAll(async () => {
  server = await startDynamo();
}, 120_000);
afterAll(() => server?.stop());

let sent = 0;
async function fresh(label: string): Promise<Deps & { reviews: DynamoReviews }> {
  const { ledger, table } = await freshLedger(server, label);
  return { store: new MemoryObjectStore(), ledger, reviews: new DynamoReviews(server.client, table) };
}

/** A long CSV of the unit's month with these values (short codes, as the village writes them). */
function csv(values: Record<string, number | ''>): string {
  const rows = Object.entries(values).map(([k, v]) => `V03,${MONTH},${k},${v}`);
  return ['unit,period,metric,value', ...rows].join('\n') + '\n';
}

/** Every value key of the catalogue, the totals of broken-down metrics as their categories' sum. */
function fullMonth(): Record<string, number> {
  const values: Record<string, number> = {};
  for (const k of VALUE_KEYS) if (k.category !== null || k.metric.categories.length === 0) values[k.key] = k.index + 1;
  return values;
}

/** Sends a file as the secretary (or another uploader) at a time, and delivers its event. */
async function send(
  deps: Deps,
  body: string,
  at = '2025-04-02T01:00:00.000Z',
  uploader: Uploader = SECRETARY,
  ext: 'csv' | 'json' = 'csv',
) {
  const uploadId = newUploadId();
  sent++;
  const event = await upload(deps, {
    uploadId,
    unit: UNIT,
    period: MONTH,
    ext,
    bytes: new TextEncoder().encode(body),
    eventTime: at,
    sequencer: String(sent),
    uploader,
  });
  return { uploadId, event };
}

async function sendAndDeliver(deps: Deps, body: string, at?: string, uploader?: Uploader, ext?: 'csv' | 'json') {
  const { uploadId, event } = await send(deps, body, at, uploader, ext);
  await deliver(deps, event);
  return (await deps.ledger.getUpload(uploadId))!;
}

const ctx = (deps: Deps & { reviews: DynamoReviews }) => ({ reviews: deps.reviews, registry: district, now });

describe('a correction', () => {
  it('that states one value changes only that value and says so; the other values stay', async () => {
    // Prepare
    const deps = await fresh('one-row');
    const full = fullMonth();
    const first = await sendAndDeliver(deps, csv(full));
    const before = await deps.ledger.currentSubmission(UNIT, MONTH);
    // Act
    const second = await sendAndDeliver(deps, csv({ general_hazards_found: 10 }), '2025-04-02T02:00:00.000Z');
    // Assess
    const current = await deps.ledger.currentSubmission(UNIT, MONTH);
    expect(first.submissions?.[0]).toMatchObject({ state: 'current', version: 1 });
    expect(second.submissions?.[0]).toMatchObject({
      state: 'current',
      version: 2,
      changes: [{ key: 'general_hazards_found', from: full['general_hazards_found'], to: 10 }],
    });
    const total = Object.keys(current!.values).length;
    expect(second.submissions?.[0]?.unchanged).toBe(total - 1);
    expect(current!.values).toEqual({ ...before!.values, general_hazards_found: 10 });
    expect(current!.version).toBe(2);
    expect(await deps.ledger.rollup('EC', 'month', MONTH)).toMatchObject({
      general_hazards_found: 10,
      legal_literates: full['legal_literates'],
    });
  });

  it('that arrives before an older upload is folded with it in upload order', async () => {
    // Prepare: the older upload sets two values, the newer one corrects one of them
    const deps = await fresh('out-of-order');
    const older = await send(deps, csv({ general_hazards_found: 3, legal_trainings: 2 }), '2025-04-02T01:00:00.000Z');
    const newer = await send(deps, csv({ general_hazards_found: 5 }), '2025-04-02T03:00:00.000Z');
    // Act: the newer event is processed first
    await deliver(deps, newer.event);
    await deliver(deps, older.event);
    // Assess
    const current = await deps.ledger.currentSubmission(UNIT, MONTH);
    expect(current!.values).toEqual({ general_hazards_found: 5, legal_trainings: 2 });
    expect(current!.uploadId).toBe(newer.uploadId);
    expect(current!.firstReceivedAt).toBe('2025-04-02T01:00:00.000Z');
    const late = await deps.ledger.getUpload(older.uploadId);
    expect(late!.submissions?.[0]).toMatchObject({ state: 'superseded', version: 2 });
    expect(await deps.ledger.rollup('EC', 'month', MONTH)).toEqual({ general_hazards_found: 5, legal_trainings: 2 });
    expect((await deps.ledger.versions(UNIT, MONTH)).map((v) => v.order)).toEqual([
      uploadOrder('2025-04-02T01:00:00.000Z', older.uploadId),
      uploadOrder('2025-04-02T03:00:00.000Z', newer.uploadId),
    ]);
  });

  it('of a broken-down metric given by one category changes that category and the total follows', async () => {
    // Prepare
    const deps = await fresh('category');
    await sendAndDeliver(deps, csv({ 'disputes_resolved.labor': 2, 'disputes_resolved.family': 3 }));
    // Act
    await sendAndDeliver(deps, csv({ 'disputes_resolved.labor': 4 }), '2025-04-02T02:00:00.000Z');
    // Assess
    const current = await deps.ledger.currentSubmission(UNIT, MONTH);
    expect(current!.values).toMatchObject({ 'disputes_resolved.labor': 4, 'disputes_resolved.family': 3, disputes_resolved: 7 });
  });
});

describe('the review of a unit-month', () => {
  it('approved: the secretary’s next upload is refused as PERIOD_LOCKED and counted nowhere', async () => {
    // Prepare
    const deps = await fresh('approve');
    await sendAndDeliver(deps, csv({ general_hazards_found: 3 }));
    // Act
    const approved = await reviewMonth(CLERK, UNIT, MONTH, { action: 'approve', version: 1 }, ctx(deps));
    const refused = await sendAndDeliver(deps, csv({ general_hazards_found: 9 }), '2025-04-02T05:00:00.000Z');
    // Assess
    expect(approved).toMatchObject({ state: 'approved', version: 1, locked: true });
    expect(refused.status).toBe('rejected');
    expect(refused.errors?.map((e) => e.code)).toEqual(['PERIOD_LOCKED']);
    expect(refused.errors?.[0]?.message).toContain('已审核');
    expect((await deps.ledger.currentSubmission(UNIT, MONTH))!.values).toEqual({ general_hazards_found: 3 });
  });

  it('approving a version that a correction replaced meanwhile fails with REVIEW_CONFLICT', async () => {
    // Prepare
    const deps = await fresh('conflict');
    await sendAndDeliver(deps, csv({ general_hazards_found: 3 }));
    await sendAndDeliver(deps, csv({ general_hazards_found: 4 }), '2025-04-02T02:00:00.000Z');
    // Act
    const approving = reviewMonth(CLERK, UNIT, MONTH, { action: 'approve', version: 1 }, ctx(deps));
    // Assess
    await expect(approving).rejects.toMatchObject({ code: 'REVIEW_CONFLICT' });
    expect((await deps.reviews.month(UNIT, MONTH)).review).toBeUndefined();
  });

  it('returned with a reason: 已退回 with the reason; the next upload makes it 已报 again', async () => {
    // Prepare
    const deps = await fresh('return');
    await sendAndDeliver(deps, csv({ general_hazards_found: 3 }));
    // Act
    const returned = await reviewMonth(CLERK, UNIT, MONTH, { action: 'return', version: 1, reason: '隐患数与台账不符' }, ctx(deps));
    const withoutReason = reviewMonth(CLERK, UNIT, MONTH, { action: 'return', version: 1 }, ctx(deps));
    await expect(withoutReason).rejects.toMatchObject({ code: 'REASON_REQUIRED' });
    await sendAndDeliver(deps, csv({ general_hazards_found: 2 }), '2025-04-02T06:00:00.000Z');
    // Assess
    expect(returned).toMatchObject({ state: 'returned', reason: '隐患数与台账不符', locked: false });
    const month = await deps.reviews.month(UNIT, MONTH);
    expect(month.current!.version).toBe(2);
    const { monthReview } = await import('../../shared/review/review.ts');
    expect(monthReview(month.current!.version, month.review, undefined).state).toBe('submitted');
  });

  it('after the lock day refuses the unit and the town, until the town reopens it; the admin is not bound but marked', async () => {
    // Prepare
    const deps = await fresh('lock-day');
    const afterLock = '2025-04-21T02:00:00.000Z';
    await sendAndDeliver(deps, csv({ general_hazards_found: 3 }));
    // Act
    const byUnit = await sendAndDeliver(deps, csv({ general_hazards_found: 4 }), afterLock);
    const byTown = await sendAndDeliver(deps, csv({ general_hazards_found: 4 }), afterLock, CLERK);
    const byAdmin = await sendAndDeliver(deps, csv({ legal_trainings: 1 }), '2025-04-21T02:30:00.000Z', { role: 'admin', town: 'EC' });
    const reopened = await reviewMonth(
      CLERK,
      UNIT,
      MONTH,
      { action: 'reopen', version: 2, reason: '补报漏报的隐患' },
      { ...ctx(deps), now: () => new Date('2025-04-21T02:40:00.000Z') },
    );
    const afterReopen = await sendAndDeliver(deps, csv({ general_hazards_found: 5 }), '2025-04-21T03:00:00.000Z');
    // Assess
    expect(byUnit.errors?.map((e) => e.code)).toEqual(['PERIOD_LOCKED']);
    expect(byUnit.errors?.[0]?.message).toContain('锁定日');
    expect(byTown.errors?.map((e) => e.code)).toEqual(['PERIOD_LOCKED']);
    expect(reopened).toMatchObject({ state: 'submitted', reopened: true, locked: false });
    expect(afterReopen.status).toBe('accepted');
    expect(byAdmin.status).toBe('accepted');
    expect((await deps.ledger.currentSubmission(UNIT, MONTH))!.values).toEqual({ general_hazards_found: 5, legal_trainings: 1 });
    const versions = await deps.ledger.versions(UNIT, MONTH);
    expect(versions.map((v) => [v.version, v.overrideLock ?? false])).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ]);
  });

  it('keeps every event of the month in its audit trail, in time order, with who, why and the version', async () => {
    // Prepare
    const deps = await fresh('trail');
    await sendAndDeliver(deps, csv({ general_hazards_found: 3 }));
    const clock = { now: () => new Date('2025-04-03T02:00:00.000Z') };
    await reviewMonth(CLERK, UNIT, MONTH, { action: 'return', version: 1, reason: '请补填培训次数' }, { ...ctx(deps), ...clock });
    await sendAndDeliver(deps, csv({ legal_trainings: 2 }), '2025-04-03T03:00:00.000Z');
    const approve = { now: () => new Date('2025-04-03T04:00:00.000Z') };
    await reviewMonth(CLERK, UNIT, MONTH, { action: 'approve', version: 2 }, { ...ctx(deps), ...approve });
    await sendAndDeliver(deps, csv({ legal_trainings: 3 }), '2025-04-03T05:00:00.000Z');
    // Act
    const trail = await deps.reviews.trail(UNIT, MONTH);
    const events = auditTrail(MONTH, trail.versions, trail.entries, { lockDay: district.lockDay, now: new Date('2025-05-01T00:00:00Z') });
    // Assess
    expect(events.map((e) => [e.kind, e.version, e.by])).toEqual([
      ['version', 1, 'village:EC/V03'],
      ['return', 1, 'town:EC'],
      ['version', 2, 'village:EC/V03'],
      ['approve', 2, 'town:EC'],
      ['refused', 2, 'village:EC/V03'],
      ['lock', 2, 'system'],
    ]);
    expect(events[1]?.reason).toBe('请补填培训次数');
    expect(events[2]?.changes).toEqual([{ key: 'legal_trainings', from: null, to: 2 }]);
  });
});

describe('a presigned form posted twice', () => {
  it('records the second object as reused, counts it nowhere, and the counted version stays readable', async () => {
    // Prepare
    const deps = await fresh('reused');
    const { uploadId, event } = await send(deps, csv({ general_hazards_found: 3 }));
    await deliver(deps, event);
    const second = deps.store.putVersion(event.key, new TextEncoder().encode(csv({ general_hazards_found: 99 })), 'text/csv');
    const again = { ...event, versionId: second, eventTime: '2025-04-02T01:05:00.000Z', size: 60 };
    // Act
    const result = await deliver(deps, again);
    await deliver(deps, again);
    // Assess
    const record = await deps.ledger.getUpload(uploadId);
    expect(result.outcome).toBe('reused');
    expect(record!.reused).toEqual([{ key: event.key, versionId: second, receivedAt: '2025-04-02T01:05:00.000Z', size: 60 }]);
    expect((await deps.ledger.currentSubmission(UNIT, MONTH))!.values).toEqual({ general_hazards_found: 3 });
    const counted = await deps.store.get(event.key, record!.versionId);
    expect(new TextDecoder().decode(counted)).toContain(',3');
  });
});
