/**
 * The hostile files of issue 13 and what the check must answer: small ones committed in
 * corpus/, big ones built here at any size (5 MiB, the upload limit, in the scale test
 * and in `npm run fuzz`). The expectation is the file's first error, or acceptance.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { FileCheck } from '../../shared/check.ts';
import type { FindingCode } from '../../shared/findings.ts';
import { MAX_VALUE } from '../../shared/numbers.ts';

export type Expected =
  | { readonly status: 'accepted'; readonly value?: number }
  /** Any sound answer: only the property and the time are checked (a case whose code is not settled yet). */
  | { readonly status: 'any' }
  | { readonly status: 'rejected'; readonly code: FindingCode; readonly row: number | null; readonly column: string | null };

const CORPUS = new URL('./corpus/', import.meta.url);

const rejected = (code: FindingCode, row: number | null, column: string | null): Expected => ({ status: 'rejected', code, row, column });

/** What each committed file must give, by name (a village V03 of 鹅池镇 uploads it). */
export const SMALL: Readonly<Record<string, Expected>> = {
  'nested-5000.json': rejected('MALFORMED', 1, null),
  'nested-value.json': rejected('NOT_A_NUMBER', 1, 'values.general_hazards_found'),
  'period-long-cell.csv': rejected('BAD_PERIOD', 2, 'period'),
  'duplicate-metric-key.json': rejected('DUPLICATE_METRIC', 1, 'values.general_hazards_found'),
  'duplicate-metric-label.json': rejected('DUPLICATE_METRIC', 1, 'values.排查一般隐患'),
  'duplicate-category-key.json': rejected('DUPLICATE_METRIC', 1, 'values.disputes_resolved.labor'),
  'duplicate-unit-key.json': rejected('MALFORMED', 1, 'unit'),
  'superscript-digit.csv': rejected('NOT_A_NUMBER', 2, 'general_hazards_found'),
  'circled-digit.json': rejected('NOT_A_NUMBER', 1, 'values.general_hazards_found'),
  'circled-fifty.csv': rejected('NOT_A_NUMBER', 2, 'general_hazards_found'),
  'math-digit.json': rejected('NOT_A_NUMBER', 1, 'values.general_hazards_found'),
  'full-width-digits.csv': { status: 'accepted', value: 1234 },
  'cap-decimal.csv': rejected('NOT_A_NUMBER', 2, 'general_hazards_found'),
  'cap-decimal.json': rejected('NOT_A_NUMBER', 1, 'values.general_hazards_found'),
  'cap-decimal-string.json': rejected('NOT_A_NUMBER', 1, 'values.general_hazards_found'),
  'exponent-309.json': rejected('NOT_A_NUMBER', 1, 'values.general_hazards_found'),
  'exponent-count.json': { status: 'accepted', value: 100 },
  'exponent-fraction.json': rejected('NOT_INTEGER', 1, 'values.general_hazards_found'),
};

export interface CorpusFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** The committed files (each listed in SMALL: the scale test checks that none is left out). */
export function corpusFiles(): CorpusFile[] {
  return (
    readdirSync(CORPUS)
      .filter((name) => /\.(csv|json)$/.test(name) && name !== 'biome.json')
      .sort()
      // A copy, not a Buffer: Buffer's slice() is a view, and a byte edit would change the seed.
      .map((name) => ({ name, bytes: new Uint8Array(readFileSync(new URL(name, CORPUS))) }))
  );
}

export interface BigCase {
  readonly name: string;
  readonly expected: Expected;
  /** The file at about `bytes` long (never longer). */
  build(bytes: number): Uint8Array;
}

const encoder = new TextEncoder();
const HEADER = 'unit,period,general_hazards_found\n';
const csvRow = (unit: string, period: string, value: string) => `${HEADER}${unit},${period},${value}\n`;
const record = (value: string, key = 'general_hazards_found') => `{"unit":"V03","period":"2025-03","values":{"${key}":${value}}}`;

/** `make(n)` is a text whose length grows with n: n is found so that its UTF-8 fits in `bytes`, about. */
function sized(bytes: number, make: (n: number) => string): Uint8Array {
  const small = encoder.encode(make(1000)).length;
  const perUnit = Math.max(1e-3, (encoder.encode(make(2000)).length - small) / 1000);
  let n = Math.max(1, Math.floor((bytes - small) / perUnit) + 1000);
  for (;;) {
    const built = encoder.encode(make(n));
    if (built.length <= bytes) return built;
    n -= Math.ceil((built.length - bytes) / perUnit) + 1;
  }
}

/** One value key written again and again (each repeat a finding: all but the first 1000 counted only). */
function repeatedKeys(n: number): string {
  const member = '"general_hazards_found":1,';
  return `{"unit":"V03","period":"2025-03","values":{${member.repeat(n)}"hazards_rectified":1}}`;
}

export const BIG: readonly BigCase[] = [
  {
    name: 'period cell of spaces',
    expected: rejected('BAD_PERIOD', 2, 'period'),
    build: (b) => sized(b, (n) => csvRow('V03', `2025-3-1${' '.repeat(n)}x`, '3')),
  },
  {
    name: 'value nested in brackets',
    expected: rejected('MALFORMED', 1, null),
    build: (b) => sized(b, (n) => record('['.repeat(n) + ']'.repeat(n))),
  },
  { name: 'brackets never closed', expected: rejected('MALFORMED', 1, null), build: (b) => sized(b, (n) => '['.repeat(n)) },
  {
    name: 'records each nested to the limit',
    expected: rejected('NOT_A_NUMBER', 1, 'values.general_hazards_found'),
    build: (b) =>
      sized(b, (n) => `[${Array.from({ length: Math.ceil(n / 200) }, () => record(`${'['.repeat(61)}1${']'.repeat(61)}`)).join(',')}]`),
  },
  {
    name: 'one key written 100k times and more',
    expected: rejected('DUPLICATE_METRIC', 1, 'values.general_hazards_found'),
    build: (b) => sized(b, (n) => repeatedKeys(Math.ceil(n / 26))),
  },
  {
    name: 'a one-letter key written 870k times',
    expected: rejected('DUPLICATE_METRIC', 1, 'values.a'),
    build: (b) => sized(b, (n) => `{"unit":"V03","period":"2025-03","values":{${'"a":1,'.repeat(n)}"b":1}}`),
  },
  {
    name: 'records each with a second unit',
    expected: rejected('MALFORMED', 1, 'unit'),
    build: (b) =>
      sized(b, (n) => {
        const one = '{"unit":"V03","unit":"V04","period":"2025-03","values":{"general_hazards_found":3}}';
        return `[${Array.from({ length: Math.ceil(n / 90) }, () => one).join(',')}]`;
      }),
  },
  { name: 'empty records', expected: rejected('MISSING_COLUMN', 1, 'unit'), build: (b) => sized(b, (n) => `[${'{},'.repeat(n)}{}]`) },
  { name: 'records that are arrays', expected: rejected('MALFORMED', 1, null), build: (b) => sized(b, (n) => `[${'[],'.repeat(n)}[]]`) },
  {
    name: 'a number of 5 MiB digits',
    expected: rejected('NOT_A_NUMBER', 1, 'values.general_hazards_found'),
    build: (b) => sized(b, (n) => record('9'.repeat(n))),
  },
  {
    name: 'a fraction of 5 MiB zeros',
    expected: rejected('NOT_INTEGER', 1, 'values.general_hazards_found'),
    build: (b) => sized(b, (n) => record(`0.${'0'.repeat(n)}1`)),
  },
  {
    name: 'an exponent of 5 MiB digits',
    expected: { status: 'accepted', value: 100 },
    build: (b) => sized(b, (n) => record(`1e${'0'.repeat(n)}2`)),
  },
  {
    name: 'a string of odd digits',
    expected: rejected('NOT_A_NUMBER', 1, 'values.general_hazards_found'),
    build: (b) => sized(b, (n) => record(`"${'1²'.repeat(n)}"`)),
  },
  {
    name: 'a key of 5 MiB',
    expected: rejected('UNKNOWN_METRIC', 1, `values.${'a'.repeat(93)}…`),
    build: (b) => sized(b, (n) => record('1', 'a'.repeat(n))),
  },
  {
    name: 'a cell of 5 MiB nines',
    expected: rejected('NOT_A_NUMBER', 2, 'general_hazards_found'),
    build: (b) => sized(b, (n) => csvRow('V03', '2025-03', '9'.repeat(n))),
  },
  {
    name: 'a cell of the cap with 5 MiB decimals',
    expected: rejected('NOT_A_NUMBER', 2, 'general_hazards_found'),
    build: (b) => sized(b, (n) => csvRow('V03', '2025-03', `${MAX_VALUE}.${'0'.repeat(n)}1`)),
  },
  {
    name: 'a cell of circled digits',
    expected: rejected('NOT_A_NUMBER', 2, 'general_hazards_found'),
    build: (b) => sized(b, (n) => csvRow('V03', '2025-03', '①'.repeat(n))),
  },
  // The header ends at its last title; a row may stop there (nothing it leaves out has a name).
  {
    name: 'a header of 5 MiB commas',
    expected: { status: 'accepted', value: 3 },
    build: (b) => sized(b, (n) => `${HEADER.trimEnd()}${','.repeat(n)}\nV03,2025-03,3\n`),
  },
  {
    name: 'a header of 5 MiB titles nobody knows',
    expected: rejected('UNKNOWN_METRIC', 1, 'x'),
    build: (b) => sized(b, (n) => `unit,period,${'x,'.repeat(n)}general_hazards_found\nV03,2025-03,${','.repeat(n)}3\n`),
  },
  {
    name: 'a row of 5 MiB commas under a short header',
    expected: rejected('RAGGED_ROW', 2, ''),
    build: (b) => sized(b, (n) => `${HEADER}V03,2025-03,3${','.repeat(n)}x\n`),
  },
  {
    name: 'a unit cell of 5 MiB',
    expected: rejected('UNKNOWN_UNIT', 2, 'unit'),
    build: (b) => sized(b, (n) => csvRow(`V${'0'.repeat(n)}3`, '2025-03', '3')),
  },
];

/** How a check differs from what a hostile file must give (undefined: it does not). */
export function mismatch(result: FileCheck, expected: Expected): string | undefined {
  const first = result.errors[0];
  if (expected.status === 'any') return undefined;
  if (expected.status === 'accepted') {
    const value = result.submissions[0]?.values.general_hazards_found;
    if (result.status !== 'accepted') return `rejected: ${first?.code} at ${first?.row}/${first?.column}`;
    return expected.value === undefined || value === expected.value ? undefined : `accepted with ${value}, not ${expected.value}`;
  }
  const got = first && { code: first.code, row: first.row, column: first.column };
  const want = { code: expected.code, row: expected.row, column: expected.column };
  return JSON.stringify(got) === JSON.stringify(want) ? undefined : `got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`;
}
