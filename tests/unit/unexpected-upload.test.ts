/**
 * An object nobody announced, as its upload record reads back (shared/adapters/dynamodb-keys.ts
 * `decodeUpload`): the system's own, its format its key's extension, made when recorded.
 */
import { describe, expect, it } from 'vitest';
import { decodeUpload, UNEXPECTED } from '../../shared/adapters/dynamodb-keys.ts';

const item = (key: string) => ({
  uploadId: 'unexpected-x',
  ...UNEXPECTED,
  status: 'rejected',
  key,
  receivedAt: '2025-04-03T01:00:00.000Z',
  processedAt: '2025-04-03T01:00:01.000Z',
  errors: [],
  warnings: [],
  submissions: [],
});

describe('decodeUpload of an unannounced object', () => {
  it.each([
    ['incoming/EC/V01/2025-03/x.xlsx', 'xlsx'],
    ['incoming/EC/V01/2025-03/x.json', 'json'],
    ['incoming/EC/V01/2025-03/x.csv', 'csv'],
    ['incoming/stray', 'csv'],
  ])('reads %s as %s, made when it was recorded, owned by no unit', (key, ext) => {
    // Act
    const record = decodeUpload(item(key));

    // Assess
    expect(record).toMatchObject({ ext, createdAt: '2025-04-03T01:00:01.000Z', uploader: { role: 'admin' }, maxBytes: 0 });
  });
});
