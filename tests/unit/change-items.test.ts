/**
 * How several files' changes share transactions (shared/adapters/dynamodb-change-items.ts):
 * each change whole in one, at most 100 items each, a rollup shard touched once with the
 * changes' deltas summed exactly, and a change touching an earlier one's items left out.
 */
import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { MAX_TRANSACTION_ITEMS, packChanges } from '../../shared/adapters/dynamodb-change-items.ts';
import { plan, type Planned } from '../../shared/ingest/plan.ts';
import type { FinishingChange, SubmissionChange, UnitState } from '../../shared/ports/ledger.ts';
import { addDeltas } from '../../shared/rollup.ts';

const TABLE = 'cunbao';
const ROLLUPS = ['EC', 'QJ'];

const empty = (): UnitState => ({ current: new Map(), years: new Map(), reviews: new Map() });

/** A village's first March, planned on an empty ledger. */
function changeOf(unit: string, uploadId: string, values: Record<string, number>, period = '2025-03'): SubmissionChange {
  const planned: Planned = {
    submission: { unit, period, values, warnings: [] },
    order: `2025-04-02T08:00:00.000Z#${uploadId}`,
    uploadId,
    receivedAt: '2025-04-02T08:00:00.000Z',
    uploader: { role: 'admin' },
    lockDay: 10,
  };
  const decided = plan(empty(), planned, ROLLUPS);
  if (decided.kind !== 'change') throw new Error(`expected a change, got ${decided.kind}`);
  return decided.change;
}

function finishing(change: SubmissionChange): FinishingChange {
  const { uploadId, unit, period } = change.version;
  return {
    change,
    outcome: {
      uploadId,
      status: 'accepted',
      key: `incoming/${unit}/${period}/${uploadId}.csv`,
      receivedAt: change.version.receivedAt,
      processedAt: '2025-04-02T08:00:01.000Z',
      errors: [],
      warnings: [],
      submissions: [{ unit, period, state: 'current', version: 1 }],
    },
  };
}

const villages = (n: number) => Array.from({ length: n }, (_, i) => `EC/V${String(i + 1).padStart(2, '0')}`);

const keyOf = (item: TransactWriteItem) => {
  const k = item.Put?.Item ?? item.Update?.Key ?? item.ConditionCheck?.Key ?? {};
  return `${k['PK']?.S}|${k['SK']?.S}`;
};

/** The rollup shard updates of a transaction (ADD …), by key. */
const shardUpdates = (items: readonly TransactWriteItem[]) =>
  items.filter((i) => i.Update?.UpdateExpression?.startsWith('ADD')).map((i) => i.Update!);

describe('addDeltas', () => {
  it('sums decimal deltas exactly per key, money in cents', () => {
    // Prepare: three units' deltas to one shard.
    const all: Record<string, string>[] = [
      { general_hazards_found: '2', veteran_aid_yuan: '0.10' },
      { general_hazards_found: '3', veteran_aid_yuan: '0.20' },
      { veteran_aid_yuan: '1200.05' },
    ];

    // Act
    const summed = addDeltas(all);

    // Assess: 0.1 + 0.2 is 0.30, not 0.30000000000000004.
    expect(summed).toEqual({ general_hazards_found: '5', veteran_aid_yuan: '1200.35' });
  });

  it('keeps a key whose deltas cancel out, as adding them one after another would leave it', () => {
    expect(addDeltas([{ general_hazards_found: '4' }, { general_hazards_found: '-4' }])).toEqual({ general_hazards_found: '0' });
  });
});

describe('packChanges', () => {
  it('writes ten villages of a town in one transaction, each rollup shard once with the summed deltas and the number of changes', () => {
    // Prepare: ten first Marches of town EC, 2 hazards each.
    const changes = villages(10).map((unit, i) => finishing(changeOf(unit, `u-${i}`, { general_hazards_found: 2 })));

    // Act
    const packed = packChanges(TABLE, changes);

    // Assess: one transaction holding every change; no item twice; the shards add up to 10 changes, 20 hazards per org and scope.
    expect(packed).toHaveLength(1);
    const [only] = packed;
    expect(only!.changes).toEqual(changes.map((_, i) => i));
    const keys = only!.items.map(keyOf);
    expect(new Set(keys).size).toBe(keys.length);
    expect(only!.items.length).toBeLessThanOrEqual(MAX_TRANSACTION_ITEMS);
    const updates = shardUpdates(only!.items);
    for (const org of ROLLUPS) {
      for (const scope of ['MONTH#2025-03', 'YEAR#2025']) {
        const mine = updates.filter((u) => u.Key!['PK']!.S === `ROLLUP#${org}#${scope}`);
        const total = (name: string) =>
          mine.reduce((n, u) => n + Number(u.ExpressionAttributeValues![name === 'changes' ? ':n' : ':a0']!.N), 0);
        expect(mine.length, `${org} ${scope} shards`).toBeGreaterThan(0);
        expect(total('changes'), `${org} ${scope} changes`).toBe(10);
        expect(total('hazards'), `${org} ${scope} hazards`).toBe(20);
      }
    }
  });

  it('splits many changes into transactions of at most 100 items, each change whole in exactly one', () => {
    // Prepare: thirty villages' first Marches (about nine items each).
    const changes = villages(30).map((unit, i) => finishing(changeOf(unit, `u-${i}`, { general_hazards_found: 1 })));

    // Act
    const packed = packChanges(TABLE, changes);

    // Assess
    expect(packed.length).toBeGreaterThan(1);
    for (const t of packed) expect(t.items.length).toBeLessThanOrEqual(MAX_TRANSACTION_ITEMS);
    expect(packed.flatMap((t) => t.changes).sort((a, b) => a - b)).toEqual(changes.map((_, i) => i));
    for (const t of packed) {
      const histories = t.items.filter((i) => i.Put?.Item?.['type']?.S === 'history').length;
      expect(histories, 'one history item per change').toBe(t.changes.length);
    }
  });

  it("leaves out a change touching an earlier change's items: the same unit's month, or its year", () => {
    // Prepare: V01's March twice (two uploads), V01's February, and V02's March.
    const changes = [
      finishing(changeOf('EC/V01', 'u-a', { general_hazards_found: 1 })),
      finishing(changeOf('EC/V01', 'u-b', { general_hazards_found: 2 })),
      finishing(changeOf('EC/V01', 'u-c', { general_hazards_found: 3 }, '2025-02')),
      finishing(changeOf('EC/V02', 'u-d', { general_hazards_found: 4 })),
    ];

    // Act
    const packed = packChanges(TABLE, changes);

    // Assess: the first V01 change and V02's are packed; the other two are left to be decided again alone.
    expect(packed.flatMap((t) => t.changes)).toEqual([0, 3]);
  });
});
