import { describe, expect, it } from 'vitest';
import { JsonArray, JsonNumber } from '../../shared/json/value.ts';
import { formatValue, readJsonValue, readValue } from '../../shared/numbers.ts';

describe('readValue', () => {
  it.each([
    ['0', 0],
    ['42', 42],
    [' 42 ', 42],
    ['１２', 12],
    ['1,000', 1000],
    ['1，000', 1000],
    ['12,345,678', 12345678],
    ['3.0', 3],
    ['+5', 5],
    ['-0', 0],
  ])('reads the count %j as %d', (raw, value) => {
    expect(readValue(raw, 'count')).toBe(value);
  });

  it('reads a blank cell as not reported, not as 0', () => {
    expect(readValue('', 'count')).toBeNull();
    expect(readValue('  ', 'count')).toBeNull();
    expect(readValue('\u3000', 'count')).toBeNull();
  });

  it.each([
    ['abc', 'NOT_A_NUMBER'],
    ['3处', 'NOT_A_NUMBER'],
    ['1,00', 'NOT_A_NUMBER'],
    ['1.2.3', 'NOT_A_NUMBER'],
    ['1e3', 'NOT_A_NUMBER'],
    ['99999999999999999', 'NOT_A_NUMBER'],
    ['-3', 'NEGATIVE'],
    ['－3', 'NEGATIVE'],
    ['2.5', 'NOT_INTEGER'],
  ])('names the problem of the count %j: %s', (raw, problem) => {
    expect(readValue(raw, 'count')).toBe(problem);
  });

  it('keeps money to the cent and refuses a third decimal', () => {
    expect(readValue('21000.50', 'money')).toBe(21000.5);
    expect(readValue('"1,234.56"'.slice(1, -1), 'money')).toBe(1234.56);
    expect(readValue('12.500', 'money')).toBe(12.5);
    expect(readValue('12.505', 'money')).toBe('TOO_MANY_DECIMALS');
  });
});

describe('readJsonValue', () => {
  const n = (text: string) => new JsonNumber(text);

  it('accepts numbers and numeric strings, and null as not reported', () => {
    expect(readJsonValue(n('3'), 'count')).toBe(3);
    expect(readJsonValue('1,000', 'count')).toBe(1000);
    expect(readJsonValue(null, 'count')).toBeNull();
    expect(readJsonValue(n('0.29'), 'money')).toBe(0.29);
  });

  it('names the problem of a bad JSON value', () => {
    const array = new JsonArray(0, 3, [1]);
    expect(readJsonValue(true, 'count')).toBe('NOT_A_NUMBER');
    expect(readJsonValue(array, 'count')).toBe('NOT_A_NUMBER');
    expect(readJsonValue(n('-1'), 'count')).toBe('NEGATIVE');
    expect(readJsonValue(n('1.5'), 'count')).toBe('NOT_INTEGER');
    expect(readJsonValue(n('1.005'), 'money')).toBe('TOO_MANY_DECIMALS');
    expect(readJsonValue(n('1e-7'), 'money')).toBe('TOO_MANY_DECIMALS');
  });
});

describe('formatValue', () => {
  it('writes counts plainly and money with its cents', () => {
    expect(formatValue(3000)).toBe('3000');
    expect(formatValue(2.5)).toBe('2.5');
    expect(formatValue(0.05)).toBe('0.05');
  });
});
