/**
 * Issue 13, hole 1: JSON nested thousands deep overflowed the stack in the collector. It
 * is now an ordinary finding: an array or object where a number belongs is NOT_A_NUMBER,
 * nesting past the reader's limit is MALFORMED (docs/DOMAIN.md#hostile-input).
 */
import { describe, expect, it } from 'vitest';
import type { FileCheck } from '../../shared/check.ts';
import { MAX_DEPTH } from '../../shared/json/parse.ts';
import { check } from '../support/core.ts';

const village = { uploader: { role: 'village', unit: 'EC/V03' } } as const;
const record = (value: string) => `{"unit":"V03","period":"2025-03","values":{"general_hazards_found":${value}}}`;
const nested = (depth: number, inner = '') => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;
const where = (result: FileCheck) => result.errors.map((e) => ({ code: e.code, row: e.row, column: e.column, value: e.value }));

describe('nesting in a JSON file', () => {
  it('refuses a value nested 5 000 deep as MALFORMED at its line, without a crash', () => {
    // Prepare: the repro of issue 13, about 10 KB.
    const text = record(nested(5000));

    // Act
    const result = check(text, village);

    // Assess
    expect(result.status).toBe('rejected');
    expect(where(result)).toEqual([{ code: 'MALFORMED', row: 1, column: null, value: null }]);
    expect(result.errors[0]?.message).toContain(`嵌套超过 ${MAX_DEPTH} 层`);
  });

  it('refuses an array where a number belongs as NOT_A_NUMBER, shown as written', () => {
    // Act
    const result = check(record(nested(3, '1')), village);

    // Assess
    expect(where(result)).toEqual([{ code: 'NOT_A_NUMBER', row: 1, column: 'values.general_hazards_found', value: '[[[1]]]' }]);
  });

  it('refuses an object under a metric without categories as NOT_A_NUMBER', () => {
    // Act
    const result = check(record('{"a":{"b":1}}'), village);

    // Assess
    expect(where(result)).toEqual([{ code: 'NOT_A_NUMBER', row: 1, column: 'values.general_hazards_found', value: '{"a":{"b":1}}' }]);
  });

  it('refuses a category nested as an array, at its record and path', () => {
    // Prepare
    const text = `[${record('1')},{"unit":"V03","period":"2025-02","values":{"disputes_resolved":{"labor":[2]}}}]`;

    // Act
    const result = check(text, village);

    // Assess
    expect(where(result)).toEqual([{ code: 'NOT_A_NUMBER', row: 2, column: 'values.disputes_resolved.labor', value: '[2]' }]);
  });

  it('shows a long nested value by its start only', () => {
    // Act
    const result = check(record(nested(MAX_DEPTH - 3, '1')), village);

    // Assess
    expect(result.errors[0]?.code).toBe('NOT_A_NUMBER');
    expect(result.errors[0]?.value).toBe(`${'['.repeat(MAX_DEPTH - 3)}1${']'.repeat(100 - MAX_DEPTH + 2)}…`);
  });

  it('refuses nesting past the limit in a note too, at the line where it goes too deep', () => {
    // Prepare
    const text = `{"unit":"V03","period":"2025-03",\n"values":{"general_hazards_found":1},\n"note":${nested(MAX_DEPTH)}}`;

    // Act
    const result = check(text, village);

    // Assess
    expect(where(result)).toEqual([{ code: 'MALFORMED', row: 3, column: null, value: null }]);
  });
});
