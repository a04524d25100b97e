import { describe, expect, it } from 'vitest';
import { addMonths, chineseDateTime, chineseDeadline, deadlineOf, monthOf, readMonthCell } from '../../shared/period.ts';

describe('readMonthCell', () => {
  it.each([
    ['2025-03', '2025-03', false],
    ['2025-3', '2025-03', true],
    ['2025/3', '2025-03', true],
    ['2025/03', '2025-03', true],
    ['2025年3月', '2025-03', true],
    ['2025年03月份', '2025-03', true],
    ['２０２５－０３', '2025-03', true],
    ['202503', '2025-03', true],
    ['2025/3/1', '2025-03', true],
    ['2025-03-31 00:00:00', '2025-03', true],
    ['Mar-25', '2025-03', true],
    ['March 2025', '2025-03', true],
    ['45717', '2025-03', true],
    ['2025.3', '2025-03', true],
    ['2025.10', '2025-10', true],
    [' 2025-12 ', '2025-12', false],
  ])('reads %j as %s', (raw, month, repaired) => {
    // Act
    const read = readMonthCell(raw);

    // Assess
    expect(read).toEqual({ ok: true, month, repaired });
  });

  it('refuses 2025.1, which Excel also writes for October', () => {
    expect(readMonthCell('2025.1')).toEqual({ ok: false, reason: 'ambiguous' });
  });

  it.each(['2025-13', '2025-00', '3月', '25-Mar', '2025/2/30', '1999-12', 'abc', '', '2025-03-01x'])('refuses %j', (raw) => {
    expect(readMonthCell(raw)).toMatchObject({ ok: false });
  });
});

describe('periods in Asia/Shanghai', () => {
  it('puts an instant in its Shanghai month, not its UTC month', () => {
    // 2025-03-31T16:30Z is already 1 April 00:30 in Shanghai.
    expect(monthOf(new Date('2025-03-31T16:30:00Z'))).toBe('2025-04');
    expect(monthOf(new Date('2025-03-31T15:59:59Z'))).toBe('2025-03');
  });

  it('counts months across years', () => {
    expect(addMonths('2025-01', -1)).toBe('2024-12');
    expect(addMonths('2024-12', 1)).toBe('2025-01');
    expect(addMonths('2025-03', -15)).toBe('2023-12');
  });

  it('ends the deadline at the close of day 5 of the next month, Shanghai time', () => {
    // Prepare
    const deadline = deadlineOf('2025-03', 5);

    // Assess
    expect(deadline.toISOString()).toBe('2025-04-05T16:00:00.000Z');
    expect(deadlineOf('2025-12', 5).toISOString()).toBe('2026-01-05T16:00:00.000Z');
    expect(chineseDeadline('2025-03', 5)).toBe('2025年4月5日');
  });

  it('writes an instant as a Shanghai date and time of day (the page’s times)', () => {
    // Assess: 2025-03-31T16:05Z is already 1 April in Shanghai
    expect(chineseDateTime(new Date('2025-03-31T16:05:00Z'))).toBe('2025年4月1日 00:05');
    expect(chineseDateTime(new Date('2025-05-03T01:00:00Z'))).toBe('2025年5月3日 09:00');
  });
});
