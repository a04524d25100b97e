import { describe, expect, it } from 'vitest';
import { deltas, shardOf, SHARDS, sum, yearOf } from '../../shared/rollup.ts';

describe('deltas', () => {
  it('gives new − old per key, only where it changed, as exact decimals', () => {
    // Act
    const d = deltas(
      { general_hazards_found: 4, petitions_received: 2, veteran_aid_yuan: 0.1 },
      { general_hazards_found: 6, petitions_received: 2, veteran_aid_yuan: 0.3, hazards_rectified: 1 },
    );

    // Assess
    expect(d).toEqual({ general_hazards_found: '2', hazards_rectified: '1', veteran_aid_yuan: '0.20' });
  });

  it('takes a key that disappears in a correction back out', () => {
    expect(deltas({ general_hazards_found: 4, veteran_aid_yuan: 1234.56 }, {})).toEqual({
      general_hazards_found: '-4',
      veteran_aid_yuan: '-1234.56',
    });
  });
});

describe('sum', () => {
  it('adds money in cents, so that 0.1 + 0.2 is 0.3', () => {
    expect(sum([{ veteran_aid_yuan: 0.1 }, { veteran_aid_yuan: 0.2 }, { general_hazards_found: 3 }])).toEqual({
      veteran_aid_yuan: 0.3,
      general_hazards_found: 3,
    });
  });
});

describe('yearOf', () => {
  it('adds flows over the months and takes a stock metric from the latest month that has it', () => {
    // Prepare
    const months = new Map<string, Record<string, number>>([
      ['2025-03', { legal_literates: 40, legal_trainings: 1 }],
      ['2025-01', { legal_literates: 30, legal_trainings: 2 }],
      ['2025-02', { legal_trainings: 2 }],
    ]);

    // Act
    const year = yearOf(months);

    // Assess
    expect(year).toEqual({ legal_literates: 40, legal_trainings: 5 });
  });
});

describe('shardOf', () => {
  it('puts a unit always in the same shard, and spreads 1 000 units over all shards', () => {
    expect(shardOf('V03')).toBe(shardOf('V03'));
    const used = new Set(Array.from({ length: 1000 }, (_, i) => shardOf(`U${i}`)));
    expect(used.size).toBe(SHARDS);
  });
});
