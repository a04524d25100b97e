/**
 * fast-check arbitraries for property tests of the file check: valid submission sets,
 * the ways a file of them can be written (format, headers, newline, encoding, number
 * style), and byte mutations of a written file.
 */
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { METRICS, VALUE_KEYS, type Metric } from '../../shared/catalogue.ts';
import type { Submission } from '../../shared/check.ts';
import { UTF8_BOM } from '../../shared/csv.ts';
import { formatValue } from '../../shared/numbers.ts';
import { month } from '../../shared/period.ts';
import { writeSubmissions, type WrittenFormat } from '../../shared/write.ts';
import { district, registry } from './core.ts';

// ---------------------------------------------------------------------------------------
// Valid submissions
// ---------------------------------------------------------------------------------------

/** A set as written to a file, and as the core must return it (totals filled in, and listed as implied). */
export interface SubmissionCase {
  readonly written: Submission[];
  readonly expected: Submission[];
}

/** The first and last month a valid file may carry when the clock is NOW (2025-04-03). */
export const FIRST_MONTH = { year: 2000, month: 1 } as const;
export const LAST_MONTH = { year: 2025, month: 3 } as const;
const FIRST_INDEX = FIRST_MONTH.year * 12 + FIRST_MONTH.month - 1;
const LAST_INDEX = LAST_MONTH.year * 12 + LAST_MONTH.month - 1;

/** `YYYY-MM` from January 2000 to March 2025, the edges included often. */
export const periodArb: fc.Arbitrary<string> = fc
  .oneof(fc.integer({ min: FIRST_INDEX, max: LAST_INDEX }), fc.constantFrom(FIRST_INDEX, LAST_INDEX, LAST_INDEX - 1))
  .map((i) => month(Math.floor(i / 12), (i % 12) + 1));

/** A unit of the single-town registry, as the system names it (its full code, `EC/V03`). */
export const unitArb: fc.Arbitrary<string> = fc.constantFrom(...registry.codes());

/** A unit of the sample district (any of its three towns) that exists in every month up to LAST_MONTH. */
export const districtUnitArb: fc.Arbitrary<string> = fc.constantFrom(
  ...district.units.filter((u) => u.from === undefined || u.from <= '2000-01').map((u) => u.fullCode),
);

/** A count: non-negative integer, 0 and very large ones included. */
export const countArb: fc.Arbitrary<number> = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 0, max: 999 }),
  fc.integer({ min: 0, max: 1_000_000_000 }),
  fc.constantFrom(1000, 999_999, 1_000_000, 1_000_000_000),
);

/** Money in yuan with at most 2 decimals: integer cents / 100 (exact as JavaScript prints it). */
export const moneyArb: fc.Arbitrary<number> = fc
  .oneof(
    fc.constant(0),
    fc.integer({ min: 0, max: 100_000 }),
    fc.integer({ min: 0, max: 100_000_000_000 }),
    fc.constantFrom(1, 10, 50, 100, 12_345_678_905),
  )
  .map((cents) => cents / 100);

const valueArbOf = (m: Metric): fc.Arbitrary<number> => (m.valueType === 'money' ? moneyArb : countArb);

const DISPUTES = METRICS.find((m) => m.categories.length > 0)!;
const PLAIN_METRICS = METRICS.filter((m) => m.categories.length === 0);

/** `disputes_resolved` as written (total alone, categories alone, or both consistent) and as expected. */
type DisputeValues = { written: Record<string, number>; expected: Record<string, number> };

const categoriesArb: fc.Arbitrary<Record<string, number>> = fc
  .subarray([...DISPUTES.categories], { minLength: 1 })
  .chain((cats) =>
    fc.tuple(...cats.map(() => countArb)).map((vs) => Object.fromEntries(cats.map((c, i) => [`${DISPUTES.code}.${c.code}`, vs[i]!]))),
  );

const sum = (values: Record<string, number>): number => Object.values(values).reduce((a, b) => a + b, 0);

export const disputesArb: fc.Arbitrary<DisputeValues> = fc.oneof(
  countArb.map((total) => ({ written: { [DISPUTES.code]: total }, expected: { [DISPUTES.code]: total } })),
  categoriesArb.map((cats) => ({ written: cats, expected: { [DISPUTES.code]: sum(cats), ...cats } })),
  categoriesArb.map((cats) => {
    const both = { [DISPUTES.code]: sum(cats), ...cats };
    return { written: both, expected: both };
  }),
);

/** Catalogue order, as the core returns values (equality ignores order anyway). */
function ordered(values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(VALUE_KEYS.filter((k) => k.key in values).map((k) => [k.key, values[k.key]!]));
}

const plainValuesArb: fc.Arbitrary<Record<string, number>> = fc
  .subarray(PLAIN_METRICS)
  .chain((ms) => fc.tuple(...ms.map(valueArbOf)).map((vs) => Object.fromEntries(ms.map((m, i) => [m.code, vs[i]!]))));

/** The values of one submission: a non-empty random subset of the catalogue. */
export const valuesArb: fc.Arbitrary<DisputeValues> = fc
  .tuple(plainValuesArb, fc.option(disputesArb, { nil: undefined }))
  .filter(([plain, disputes]) => disputes !== undefined || Object.keys(plain).length > 0)
  .map(([plain, disputes]) => ({
    written: ordered({ ...plain, ...disputes?.written }),
    expected: ordered({ ...plain, ...disputes?.expected }),
  }));

/**
 * Keys a submission may clear beside its written values: any it does not write, except
 * the dispute total beside written categories (a blank total there is the sum, implied).
 */
export function clearedArb(written: Readonly<Record<string, number>>): fc.Arbitrary<string[]> {
  const withCategories = DISPUTES.categories.some((c) => `${DISPUTES.code}.${c.code}` in written);
  const candidates = VALUE_KEYS.map((k) => k.key).filter((key) => !(key in written) && !(withCategories && key === DISPUTES.code));
  return fc.subarray(candidates, { maxLength: Math.min(4, candidates.length) });
}

/** The totals the core adds up itself: the dispute total, when only categories are written. */
function impliedOf(written: Readonly<Record<string, number>>): string[] {
  const categories = DISPUTES.categories.some((c) => `${DISPUTES.code}.${c.code}` in written);
  return categories && !(DISPUTES.code in written) ? [DISPUTES.code] : [];
}

/** A submission with its lists, each only when not empty (as the core returns them). */
function submission(unit: string, period: string, values: Record<string, number>, cleared: string[], implied: string[]): Submission {
  return { unit, period, values, ...(cleared.length ? { cleared } : {}), ...(implied.length ? { implied } : {}) };
}

/**
 * 1..maxLength submissions with distinct (unit, period), of the single town's units or of
 * `units`; with `clears`, each may also clear a few keys it does not write.
 */
export function submissionCaseArb(maxLength = 6, units: fc.Arbitrary<string> = unitArb, clears = false): fc.Arbitrary<SubmissionCase> {
  const withClears = valuesArb.chain((values) =>
    (clears ? clearedArb(values.written) : fc.constant<string[]>([])).map((cleared) => ({ ...values, cleared })),
  );
  return fc
    .uniqueArray(fc.record({ unit: units, period: periodArb, values: withClears }), {
      minLength: 1,
      maxLength,
      selector: (s) => `${s.unit}|${s.period}`,
    })
    .map((items) => ({
      written: items.map(({ unit, period, values }) => submission(unit, period, values.written, values.cleared, [])),
      expected: items.map(({ unit, period, values }) =>
        submission(unit, period, values.expected, values.cleared, impliedOf(values.written)),
      ),
    }));
}

/**
 * What the core reads back from a case written in `format`. Wide has one header for all
 * rows: a row's blank cell under a column another row uses clears that key, unless it is
 * a total its categories imply.
 */
export function expectedIn(c: SubmissionCase, format: WrittenFormat): Submission[] {
  if (format !== 'wide') return c.expected;
  const columns = new Set(c.written.flatMap((s) => [...Object.keys(s.values), ...(s.cleared ?? [])]));
  return c.expected.map((s) => {
    const cleared = VALUE_KEYS.filter((k) => columns.has(k.key) && !(k.key in s.values)).map((k) => k.key);
    return submission(s.unit, s.period, { ...s.values }, cleared, [...(s.implied ?? [])]);
  });
}

/** Sorted by unit and month, for comparing sets of submissions. */
export function byUnitAndPeriod(submissions: readonly Submission[]): Submission[] {
  const id = (s: Submission) => `${s.unit}|${s.period}`;
  return [...submissions].sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
}

// ---------------------------------------------------------------------------------------
// How a file is written
// ---------------------------------------------------------------------------------------

export type FileEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030';
export type NumberStyle = 'plain' | 'full-width' | 'thousands';

export interface FileStyle {
  readonly format: WrittenFormat;
  readonly headers: 'code' | 'label';
  readonly newline: '\n' | '\r\n';
  readonly encoding: FileEncoding;
  readonly number: NumberStyle;
}

const FULL_WIDTH_ZERO = 0xff10;

/** How a secretary's Excel may show a number: plain, full-width digits, or "1,234,567.5". */
export const NUMBER_STYLES: Record<NumberStyle, (value: number) => string> = {
  plain: formatValue,
  'full-width': (v) => formatValue(v).replace(/[0-9]/g, (d) => String.fromCharCode(FULL_WIDTH_ZERO + Number(d))),
  thousands: (v) => {
    const [whole, fraction] = formatValue(v).split('.');
    const grouped = whole!.replace(/\B(?=(\d{3})+$)/g, ',');
    return fraction === undefined ? grouped : `${grouped}.${fraction}`;
  },
};

/** Any format, headers, newline and encoding; full-width and thousands only for CSV (JSON numbers are plain). */
export const fileStyleArb: fc.Arbitrary<FileStyle> = fc
  .record({
    format: fc.constantFrom<WrittenFormat>('long', 'wide', 'json'),
    headers: fc.constantFrom<'code' | 'label'>('code', 'label'),
    newline: fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'),
    encoding: fc.constantFrom<FileEncoding>('utf-8', 'utf-8-bom', 'gb18030'),
    number: fc.constantFrom<NumberStyle>('plain', 'full-width', 'thousands'),
  })
  .map((style) => (style.format === 'json' ? { ...style, number: 'plain' as const } : style));

export function encodeText(text: string, encoding: FileEncoding): Uint8Array {
  if (encoding === 'gb18030') return new Uint8Array(iconv.encode(text, 'gb18030'));
  return new TextEncoder().encode(encoding === 'utf-8-bom' ? UTF8_BOM + text : text);
}

/** The bytes of a file of these submissions, written in this style. */
export function writeFile(submissions: readonly Submission[], style: FileStyle): Uint8Array {
  const text = writeSubmissions(submissions, {
    format: style.format,
    headers: style.headers,
    newline: style.newline,
    number: NUMBER_STYLES[style.number],
  });
  return encodeText(text, style.encoding);
}

/** A valid file: its submissions as expected back, its style, and its bytes. */
export interface ValidFile {
  readonly expected: Submission[];
  readonly style: FileStyle;
  readonly bytes: Uint8Array;
}

export function validFileArb(maxSubmissions = 4, clears = false): fc.Arbitrary<ValidFile> {
  return fc
    .tuple(submissionCaseArb(maxSubmissions, unitArb, clears), fileStyleArb)
    .map(([c, style]) => ({ expected: expectedIn(c, style.format), style, bytes: writeFile(c.written, style) }));
}

// ---------------------------------------------------------------------------------------
// Byte mutations
// ---------------------------------------------------------------------------------------

/** ASCII that matters to the readers: CSV and JSON syntax, line ends, signs, digits, letters. */
export const SYNTAX_BYTES = [
  0x22, 0x2c, 0x0a, 0x0d, 0x09, 0x20, 0x7b, 0x7d, 0x5b, 0x5d, 0x3a, 0x2d, 0x2b, 0x2e, 0x30, 0x31, 0x39, 0x65, 0x41,
];
/** Bytes that break decoding: NUL, invalid UTF-8, BOM and UTF-16 marks, GB18030 lead bytes. */
export const ENCODING_BYTES = [0x00, 0xff, 0xfe, 0xef, 0xbb, 0xbf, 0x80, 0xc3, 0xe4, 0x81, 0xa3];

// Mostly syntax, so that most damaged files still decode and reach the CSV and JSON readers.
const byteArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SYNTAX_BYTES) },
  { weight: 1, arbitrary: fc.constantFrom(...ENCODING_BYTES) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) },
);

/** One edit; positions are taken modulo the length of the bytes it is applied to. */
export type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'replace'; readonly at: number; readonly byte: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: readonly number[] }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'duplicate'; readonly at: number; readonly length: number; readonly to: number };

const position = fc.nat({ max: 1_000_000 });

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: position, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('replace' as const), at: position, byte: byteArb }),
  fc.record({ kind: fc.constant('insert' as const), at: position, bytes: fc.array(byteArb, { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('duplicate' as const), at: position, length: fc.integer({ min: 1, max: 64 }), to: position }),
);

export function applyMutation(bytes: Uint8Array, m: Mutation): Uint8Array {
  const n = bytes.length;
  const at = (p: number) => (n === 0 ? 0 : p % n);
  const join = (...parts: (Uint8Array | readonly number[])[]) => {
    const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
    let offset = 0;
    for (const p of parts) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  };
  switch (m.kind) {
    case 'flip': {
      if (n === 0) return bytes;
      const out = bytes.slice();
      const i = at(m.at);
      out[i] = out[i]! ^ (1 << m.bit);
      return out;
    }
    case 'replace': {
      if (n === 0) return bytes;
      const out = bytes.slice();
      out[at(m.at)] = m.byte;
      return out;
    }
    case 'insert': {
      const i = m.at % (n + 1);
      return join(bytes.subarray(0, i), m.bytes, bytes.subarray(i));
    }
    case 'delete': {
      const i = at(m.at);
      return join(bytes.subarray(0, i), bytes.subarray(i + m.length));
    }
    case 'truncate':
      return bytes.slice(0, m.at % (n + 1));
    case 'duplicate': {
      const from = at(m.at);
      const slice = bytes.slice(from, from + m.length);
      const to = m.to % (n + 1);
      return join(bytes.subarray(0, to), slice, bytes.subarray(to));
    }
  }
}

export function applyMutations(bytes: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  return mutations.reduce(applyMutation, bytes);
}
