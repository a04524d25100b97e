/**
 * The JSON reader of uploaded files against JSON.parse: the same values for every valid
 * text, a refusal for every invalid one, and what JSON.parse hides (duplicate keys, the
 * number as written, the line of an error, a nesting limit instead of a stack overflow).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, parseJson } from '../../shared/json/parse.ts';
import type { JsonValue } from '../../shared/json/value.ts';

/** A parsed value as JSON.parse would give it (iterative: values may be deep). */
function toPlain(root: JsonValue): unknown {
  const result: { value?: unknown } = {};
  const work: [JsonValue, (plain: unknown) => void][] = [[root, (plain) => (result.value = plain)]];
  for (let job = work.pop(); job; job = work.pop()) {
    const [value, put] = job;
    if (value === null || typeof value !== 'object') put(value);
    else if (value.kind === 'number') put(Number(value.text));
    else if (value.kind === 'array') {
      const array: unknown[] = new Array(value.items.length);
      put(array);
      value.items.forEach((item, i) => {
        work.push([item, (plain) => (array[i] = plain)]);
      });
    } else {
      const object: Record<string, unknown> = {};
      put(object);
      value.keys.forEach((key, k) => {
        work.push([value.values[k]!, (plain) => Object.defineProperty(object, key, { value: plain, enumerable: true, writable: true })]);
      });
    }
  }
  return result.value;
}

function accepts(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const JSONISH = [...'{}[],:"\\/ \n\t\r0123456789-+.eEtrufalsnbx\u00e9\u2028\u0001'];

describe('parseJson', () => {
  it('reads every valid text to the values JSON.parse gives', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 0, 1, 2, '\t', '\r\n'), (value, indent) => {
        // Prepare
        const text = JSON.stringify(value, null, indent as string | number | undefined);

        // Act
        const parsed = parseJson(text);

        // Assess
        expect(parsed.ok).toBe(true);
        if (parsed.ok) expect(toPlain(parsed.value)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['escapes', '"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00"'],
    ['a lone surrogate', '"\\ud800"'],
    ['U+2028 unescaped', '"\u2028"'],
    ['numbers', '[0,-0,1.5,-2e10,3E+2,4e-2,1e400,0.000001,123456789012345678901234567890]'],
    ['literals', ' [true,false,null] '],
    ['a key __proto__', '{"__proto__":1,"a":{}}'],
    ['an empty key', '{"":[]}'],
  ])('reads %s as JSON.parse does', (_what, text) => {
    // Act
    const parsed = parseJson(text);

    // Assess
    expect(parsed.ok && toPlain(parsed.value)).toEqual(JSON.parse(text));
  });

  it.each([
    '',
    ' ',
    '{',
    '[1,]',
    '[,1]',
    '{"a":1,}',
    '{"a" 1}',
    '{a:1}',
    "{'a':1}",
    '01',
    '-',
    '-a',
    '1.',
    '.5',
    '1e',
    '1e+',
    '+1',
    '0x10',
    'NaN',
    '-Infinity',
    'tru',
    'truex',
    'nul',
    '"a\tb"',
    '"\\x"',
    '"\\u12"',
    '"\\u00G0"',
    '"abc',
    '[1 2]',
    '\u00a01',
    '\ufeff1',
    '1 2',
    '{"a":1}}',
    '[]]',
    '{"a":1 "b":2}',
  ])('refuses %j as JSON.parse does', (text) => {
    // Act
    const parsed = parseJson(text);

    // Assess
    expect(accepts(text)).toBe(false);
    expect(parsed.ok).toBe(false);
  });

  it('refuses exactly what JSON.parse refuses, on random and damaged texts', () => {
    const damaged = fc
      .tuple(fc.json(), fc.nat(), fc.constantFrom(...JSONISH), fc.constantFrom('insert', 'delete', 'replace'))
      .map(([text, at, c, how]) => {
        const i = at % (text.length + 1);
        if (how === 'insert') return text.slice(0, i) + c + text.slice(i);
        return text.slice(0, i) + (how === 'replace' ? c : '') + text.slice(i + 1);
      });
    const random = fc.string({ unit: fc.constantFrom(...JSONISH), maxLength: 40 });
    fc.assert(
      fc.property(fc.oneof(damaged, random), (text) => {
        // Act
        const parsed = parseJson(text);

        // Assess
        expect(parsed.ok, text).toBe(accepts(text));
        if (parsed.ok && parsed.duplicates.length === 0) expect(toPlain(parsed.value)).toEqual(JSON.parse(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('says the line of a syntax error', () => {
    // Act
    const parsed = parseJson('{\n  "unit": "V03",\n  "period": "2025-03"\n  "values": {}\n}');

    // Assess
    expect(parsed).toMatchObject({ ok: false, reason: 'syntax', line: 4 });
  });

  it('keeps each number as written', () => {
    // Act
    const parsed = parseJson('[1e309, 1.50, -0, 9999999999999.0]');

    // Assess
    const texts =
      parsed.ok && parsed.value !== null && typeof parsed.value === 'object' && parsed.value.kind === 'array' ? parsed.value.items : [];
    expect(texts.map((n) => (typeof n === 'object' && n?.kind === 'number' ? n.text : n))).toEqual([
      '1e309',
      '1.50',
      '-0',
      '9999999999999.0',
    ]);
  });

  it('reports each key met again, with its path and value, and keeps the first', () => {
    // Act
    const parsed = parseJson('[{"a":1},{"v":{"x":3,"x":5,"x":[7]},"u":"A","u":"B"}]');

    // Assess
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.duplicates.map((d) => [d.path, toPlain(d.value)])).toEqual([
      [[1, 'v', 'x'], 5],
      [[1, 'v', 'x'], [7]],
      [[1, 'u'], 'B'],
    ]);
    expect(toPlain(parsed.value)).toEqual([{ a: 1 }, { v: { x: 3 }, u: 'A' }]);
  });

  it('says the index of each array on the way to a duplicate', () => {
    // Act
    const parsed = parseJson('[1,[true,[]],[{}, {"b":[0,{"a":1,"a":2}]}]]');

    // Assess
    expect(parsed.ok && parsed.duplicates.map((d) => d.path)).toEqual([[2, 1, 'b', 1, 'a']]);
  });

  it('leaves what is deeper than buildDepth hollow, and still finds its duplicate keys', () => {
    // Act
    const parsed = parseJson('[{"v":{"x":[1,{"y":2,"y":3}]}}]', { buildDepth: 2 });

    // Assess
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.duplicates.map((d) => d.path)).toEqual([[0, 'v', 'x', 1, 'y']]);
    const record =
      parsed.value !== null && typeof parsed.value === 'object' && parsed.value.kind === 'array' ? parsed.value.items[0] : null;
    const values = record !== null && typeof record === 'object' && record.kind === 'object' ? record.get('v') : null;
    expect(values).toMatchObject({ kind: 'object', hollow: true, keys: [], start: 6, end: 29 });
  });

  it('finds duplicates among many keys of one object', () => {
    // Prepare
    const keys = Array.from({ length: 1000 }, (_, i) => `"k${i % 600}":${i}`);

    // Act
    const parsed = parseJson(`{${keys.join(',')}}`);

    // Assess
    expect(parsed.ok && parsed.duplicates.map((d) => d.path[0])).toEqual(Array.from({ length: 400 }, (_, i) => `k${i}`));
  });

  it(`reads ${MAX_DEPTH} levels of nesting and refuses one more, at its line`, () => {
    // Prepare
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

    // Act
    const deepest = parseJson(nested(MAX_DEPTH));
    const deeper = parseJson(`\n${nested(MAX_DEPTH + 1)}`);

    // Assess
    expect(deepest.ok).toBe(true);
    expect(deeper).toMatchObject({ ok: false, reason: 'depth', line: 2, position: 1 + MAX_DEPTH });
  });

  it('refuses 5 MiB of open brackets without overflowing the stack', () => {
    // Act
    const parsed = parseJson('['.repeat(5 * 1024 * 1024));

    // Assess
    expect(parsed).toMatchObject({ ok: false, reason: 'depth', line: 1 });
  });
});
