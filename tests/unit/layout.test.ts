/**
 * The bucket's keys (shared/layout.ts): an upload's key names its unit as a full code, one
 * town's units (`EC/ALL`) or any (`ALL/ALL`), and reads back as what it was built from.
 */
import { describe, expect, it } from 'vitest';
import { anyUnitOf, objectKey, parseObjectKey, reportKey, summaryKey } from '../../shared/layout.ts';

describe('objectKey / parseObjectKey', () => {
  it.each([
    ['EC/V01', '2025-03', 'csv'],
    ['SH/TOWN', '2025-03', 'json'],
    ['EC/ALL', 'unknown', 'csv'],
    ['ALL/ALL', 'unknown', 'json'],
  ] as const)('round-trips the unit %s and period %s', (unit, period, ext) => {
    // Prepare
    const intent = { unit, period, uploadId: 'lx2k9-00a1b2c3d4e5f6a7', ext };

    // Act
    const key = objectKey(intent);

    // Assess
    expect(key).toBe(`incoming/${unit}/${period}/${intent.uploadId}.${ext}`);
    expect(parseObjectKey(key)).toEqual(intent);
  });

  it('builds the intents of several units: one town’s, or any', () => {
    expect(anyUnitOf('EC')).toBe('EC/ALL');
    expect(anyUnitOf()).toBe('ALL/ALL');
  });

  it.each([
    ['a unit without its town (round 1’s keys)', 'incoming/V01/2025-03/lx2k9-00a1b2c3d4e5.csv'],
    ['a lower-case town', 'incoming/ec/V01/2025-03/lx2k9-00a1b2c3d4e5.csv'],
    ['a unit below a unit', 'incoming/EC/V01/V02/2025-03/lx2k9-00a1b2c3d4e5.csv'],
    ['a path that climbs', 'incoming/EC/../2025-03/lx2k9-00a1b2c3d4e5.csv'],
    ['another extension', 'incoming/EC/V01/2025-03/lx2k9-00a1b2c3d4e5.xls'],
    ['a month that is not one', 'incoming/EC/V01/2025-3/lx2k9-00a1b2c3d4e5.csv'],
  ])('reads no upload from %s', (_, key) => {
    expect(parseObjectKey(key)).toBeUndefined();
  });
});

describe('reportKey / summaryKey', () => {
  it('puts a rejected upload’s report under its town and unit, and a summary under its org', () => {
    expect(reportKey('EC/V01', '2025-03', 'abc')).toBe('reports/EC/V01/2025-03/abc.json');
    expect(reportKey('ALL/ALL', 'unknown', 'abc')).toBe('reports/ALL/ALL/unknown/abc.json');
    expect(summaryKey('QJ', 'monthly', '2025-03', 2)).toBe('summaries/QJ/monthly/2025-03.v2.json');
    expect(summaryKey('EC', 'annual', '2025', 'latest')).toBe('summaries/EC/annual/2025.latest.json');
  });
});
