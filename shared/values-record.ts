/**
 * Values by key index (NaN = not reported) → `{code: number}` in catalogue order.
 *
 * Why generated code: filling an object with 42 computed keys goes through V8's
 * megamorphic keyed store (~5 µs an object); one named store per key, each at its own
 * site, is ~1.6 µs, and an object literal for a complete submission (every key given, as
 * in a filled-in template) ~0.6 µs. The source is built only from the catalogue's own
 * keys, each checked against a strict pattern, never from input.
 */
import { VALUE_KEYS } from './catalogue.ts';

type Builder = (values: ArrayLike<number>) => Record<string, number>;

function compile(): Builder {
  const keys = VALUE_KEYS.map((k) => {
    if (!/^[a-z_]+(\.[a-z_]+)?$/.test(k.key)) throw new Error(`catalogue key not safe to compile: ${k.key}`);
    return JSON.stringify(k.key);
  });
  const literal = keys.map((key, i) => `${key}: v[${i}]`).join(', ');
  // x !== x only for NaN: not reported, so not written.
  const stores = keys.map((key, i) => `x = v[${i}]; if (x === x) o[${key}] = x;`).join(' ');
  const source = `"use strict";
    let complete = true;
    for (let i = 0; i < ${keys.length}; i++) if (v[i] !== v[i]) { complete = false; break; }
    if (complete) return { ${literal} };
    const o = {}; let x; ${stores} return o;`;
  return new Function('v', source) as Builder;
}

export const valuesRecord: Builder = compile();
