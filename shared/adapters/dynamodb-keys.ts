/**
 * The single-table key design (documented in README):
 *
 * | item                 | PK                    | SK                      | GSI1PK        | GSI1SK       |
 * |----------------------|-----------------------|-------------------------|---------------|--------------|
 * | upload (intent, outcome) | `UPLOAD#{id}`     | `UPLOAD`                |               |              |
 * | current submission   | `UNIT#{unit}`         | `MONTH#{yyyy-mm}`       | `MONTH#{yyyy-mm}` | `UNIT#{unit}` |
 * | history (every version) | `UNIT#{unit}`      | `HIST#{yyyy-mm}#{order}`|               |              |
 * | unit's year          | `UNIT#{unit}`         | `YEAR#{yyyy}`           | `YEAR#{yyyy}` | `UNIT#{unit}` |
 * | month rollup shard   | `ROLLUP#MONTH#{yyyy-mm}` | `SHARD#{00..15}`     |               |              |
 * | year rollup shard    | `ROLLUP#YEAR#{yyyy}`  | `SHARD#{00..15}`        |               |              |
 * | credential (hash only) | `TOKEN#{tokenId}`   | `TOKEN`                 | `TOKENS`      | `{createdAt}#{tokenId}` |
 *
 * `HIST#` < `MONTH#` < `YEAR#`: one Query of a unit from `MONTH#{from}` to `YEAR#{year}`
 * reads its current months and its years, without its history.
 */
export const key = {
  upload: (id: string) => ({ PK: `UPLOAD#${id}`, SK: 'UPLOAD' }),
  current: (unit: string, period: string) => ({ PK: `UNIT#${unit}`, SK: `MONTH#${period}` }),
  history: (unit: string, period: string, order: string) => ({ PK: `UNIT#${unit}`, SK: `HIST#${period}#${order}` }),
  unitYear: (unit: string, year: string) => ({ PK: `UNIT#${unit}`, SK: `YEAR#${year}` }),
  monthShard: (period: string, shard: number) => ({ PK: `ROLLUP#MONTH#${period}`, SK: `SHARD#${String(shard).padStart(2, '0')}` }),
  yearShard: (year: string, shard: number) => ({ PK: `ROLLUP#YEAR#${year}`, SK: `SHARD#${String(shard).padStart(2, '0')}` }),
  token: (tokenId: string) => ({ PK: `TOKEN#${tokenId}`, SK: 'TOKEN' }),
} as const;

/** GSI1 partition of every token: `token list` is one Query of it, in creation order. */
export const TOKENS_PARTITION = 'TOKENS';

/** Rollup shards keep one top-level number attribute per value key, so ADD can create it. */
export const ROLLUP_ATTRIBUTE_PREFIX = 'v:';
/** …and a counter of the changes applied to them (summed over shards: the rollup's version). */
export const CHANGES_ATTRIBUTE = 'changes';
