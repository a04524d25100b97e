import { describe, expect, it } from 'vitest';
import { check } from '../support/core.ts';

const LONG = 'unit,period,metric,label,value,note\r\n';

describe('readCsvFile: rows that do not line up with the header (RAGGED_ROW)', () => {
  it('refuses a long row with a cell too many, naming the row and the first extra column', () => {
    // Prepare: the 5 stands under "note", one column right of "value"
    const text = `${LONG}V03,2025-03,general_hazards_found,,,5,\r\n`;

    // Act
    const result = check(text);

    // Assess
    expect(result.status).toBe('rejected');
    expect(result.errors).toEqual([expect.objectContaining({ code: 'RAGGED_ROW', row: 2, column: '', value: '7' })]);
    expect(result.errors[0]!.message).toContain('第2行G列');
    expect(result.errors[0]!.message).toContain('表头却有 6 列');
  });

  it('refuses a wide row where an unquoted 1,000 shifts every later column', () => {
    // Prepare
    const text = 'unit,period,leaflets_distributed,general_hazards_found\r\nV03,2025-03,1,000,5\r\n';

    // Act
    const result = check(text);

    // Assess
    expect(result.errors).toEqual([expect.objectContaining({ code: 'RAGGED_ROW', row: 2, column: '', value: '5' })]);
    expect(result.errors[0]!.message).toContain('E列');
  });

  it('refuses a long row with a cell too few, naming the first column it lacks', () => {
    // Prepare: the label left out, so the 5 would stand under "label" and the value be blank (a clear)
    const text = `${LONG}V03,2025-03,general_hazards_found,5\r\n`;

    // Act
    const result = check(text);

    // Assess
    expect(result.errors).toEqual([expect.objectContaining({ code: 'RAGGED_ROW', row: 2, column: 'value', value: '4' })]);
  });

  it('accepts a row of commas and a one-cell note line below the data', () => {
    // Prepare
    const text = `${LONG}V03,2025-03,general_hazards_found,,5,\r\n,,,,,,,\r\n填报人：张三\r\n`;

    // Act
    const result = check(text);

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.submissions).toEqual([{ unit: 'EC/V03', period: '2025-03', values: { general_hazards_found: 5 } }]);
  });

  it('accepts a quoted "1,000" in a wide file (the separator inside quotes is the number’s)', () => {
    // Prepare
    const text = 'unit,period,leaflets_distributed,general_hazards_found\r\nV03,2025-03,"1,000",5\r\n';

    // Act
    const result = check(text);

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.submissions[0]!.values).toEqual({ leaflets_distributed: 1000, general_hazards_found: 5 });
  });
});
