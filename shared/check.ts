/**
 * The one entry point of the core for an uploaded file: bytes in, trusted monthly values
 * or precise Chinese findings out. Pure: the clock, the registry, the uploader and the
 * unit's earlier months are all inputs.
 */
import { METRICS, VALUE_KEYS } from './catalogue.ts';
import { Collector, type Draft, type Uploader } from './collector.ts';
import { decodeText, type TextEncoding } from './decode.ts';
import type { Finding, Place } from './findings.ts';
import { readCsvFile } from './formats/csv-file.ts';
import { readJsonFile } from './formats/json-file.ts';
import { isWorkbook, type ReadWorkbook } from './formats/workbook.ts';
import { DEFAULT_MAX_BYTES } from './limits.ts';
import { formatValue } from './numbers.ts';
import { valuesRecord } from './values-record.ts';
import type { Registry } from './registry.ts';
import { raiseWarnings, type Submission } from './warnings.ts';

export type { Submission } from './warnings.ts';
export type { Uploader } from './collector.ts';

export { DEFAULT_MAX_BYTES } from './limits.ts';
const DEFAULT_MAX_FINDINGS = 1000;

export interface CheckContext {
  readonly registry: Registry;
  readonly uploader: Uploader;
  /** The clock: decides FUTURE_PERIOD. */
  readonly now: Date;
  /** When the file arrived (decides LATE); defaults to `now`. */
  readonly receivedAt?: Date;
  /** The current submissions of the file's units in earlier months (for year-to-date and outliers). */
  readonly history?: readonly Submission[];
  readonly maxBytes?: number;
  readonly maxFindings?: number;
  /**
   * The workbook reader, which the caller loads when the bytes are a workbook
   * (shared/formats/workbook.ts `workbookReaderFor`): the core stays synchronous and the
   * xlsx code is loaded only for workbooks.
   */
  readonly workbook?: ReadWorkbook;
}

type FileFormat = 'long' | 'wide' | 'json';

export interface FileCheck {
  readonly status: 'accepted' | 'rejected';
  readonly format: FileFormat | null;
  readonly encoding: TextEncoding | null;
  /** For a workbook, the sheet the figures were read from. */
  readonly sheet?: string;
  /** Accepted submissions; empty when the file is rejected (a file counts whole or not at all). */
  readonly submissions: Submission[];
  readonly errors: Finding[];
  readonly warnings: Finding[];
  /** Findings beyond the limit, counted but not listed. */
  readonly omitted: { readonly errors: number; readonly warnings: number };
}

const fileLevel = { row: null, column: null, kind: 'file' } as const;
const UNDECODABLE_DETAIL = {
  spreadsheet: '这是 Excel 工作簿（.xlsx/.xls），不是 CSV',
  binary: '文件不是文本，可能是图片、压缩包或工作簿',
  encoding: '既不是 UTF-8 也不是 GB18030/GBK 编码',
} as const;

export function checkFile(bytes: Uint8Array, context: CheckContext): FileCheck {
  return readFile(bytes, context).warn(context.history ?? []);
}

/**
 * A file read and checked, its warnings not raised yet: they need the units' earlier
 * months, which a caller reads only once it knows the file's units (the ingest).
 */
/** Where a submission is in its file: its rows, and its unit and month cells at the first of them. */
interface SubmissionPlace {
  /** Every row (CSV) or record (JSON) the unit-month came from, in order. */
  readonly rows: readonly number[];
  readonly unit: Place;
  readonly period: Place;
}

export interface FileRead {
  readonly status: 'accepted' | 'rejected';
  /** Accepted submissions; empty when the file is rejected. */
  readonly submissions: readonly Submission[];
  /** Where an accepted submission came from (the ingest reports a wrong month or unit there). */
  placeOf(submission: Pick<Submission, 'unit' | 'period'>): SubmissionPlace | undefined;
  /** Raises the warnings against these earlier months (once) and gives the whole check. */
  warn(history: readonly Submission[]): FileCheck;
}

export function readFile(bytes: Uint8Array, context: Omit<CheckContext, 'history'>): FileRead {
  // 1. Size, then decoding: nothing else is worth doing on a file that fails these.
  // 2. Read by format into drafts (errors are collected, never thrown).
  // 3. Finish the drafts: category totals; a file with an error is rejected as a whole.
  // 4. Warnings on what is accepted, when the caller has the history (`warn`).
  const collector = new Collector({
    registry: context.registry,
    uploader: context.uploader,
    now: context.now,
    maxFindings: context.maxFindings ?? DEFAULT_MAX_FINDINGS,
  });
  const maxBytes = context.maxBytes ?? DEFAULT_MAX_BYTES;
  let sheet: string | undefined;
  const result = (format: FileFormat | null, encoding: TextEncoding | null, submissions: Submission[] = []): FileCheck => ({
    status: collector.failed ? 'rejected' : 'accepted',
    format,
    encoding,
    ...(sheet !== undefined ? { sheet } : {}),
    submissions: collector.failed ? [] : submissions,
    errors: collector.errors,
    warnings: collector.warnings,
    omitted: collector.omitted,
  });
  const rejected = (format: FileFormat | null, encoding: TextEncoding | null): FileRead => {
    const check = result(format, encoding);
    return { status: 'rejected', submissions: [], placeOf: () => undefined, warn: () => check };
  };

  if (bytes.length > maxBytes) {
    collector.report('TOO_LARGE', fileLevel, size(bytes.length, maxBytes), { expected: size(maxBytes, bytes.length) });
    return rejected(null, null);
  }
  let format: FileFormat | null;
  let encoding: TextEncoding | null = null;
  if (isWorkbook(bytes)) {
    if (!context.workbook) throw new Error('a workbook arrived without the workbook reader (shared/formats/workbook.ts)');
    const read = context.workbook(bytes, collector);
    format = read.format ?? null;
    sheet = read.sheet;
  } else {
    const decoded = decodeText(bytes);
    if (!decoded.ok) {
      collector.report('UNDECODABLE', fileLevel, null, { detail: UNDECODABLE_DETAIL[decoded.reason] });
      return rejected(null, null);
    }
    encoding = decoded.encoding;
    const text = decoded.text;
    const firstChar = text.firstVisible();
    if (firstChar === undefined) {
      collector.report('EMPTY_FILE', fileLevel, null);
      return rejected(null, encoding);
    }
    format = 'json';
    if (firstChar === '{' || firstChar === '[') {
      collector.kind = 'json';
      readJsonFile(text.whole(), collector);
    } else {
      format = readCsvFile(text, collector) ?? null;
    }
  }

  const drafts = collector.allDrafts.filter(statesSomething);
  for (let d = 0; d < drafts.length; d++) completeCategories(drafts[d]!, collector);
  if (!collector.failed && drafts.length === 0) collector.report('EMPTY_FILE', fileLevel, null);
  if (collector.failed) return rejected(format, encoding);

  const submissions = drafts.map(toSubmission);
  let warned: FileCheck | undefined;
  const warn = (history: readonly Submission[]): FileCheck => {
    // Raised once: the collector keeps what it reported, a second pass would repeat it.
    warned ??= raise(history);
    return warned;
  };
  const raise = (history: readonly Submission[]): FileCheck => {
    raiseWarnings({
      drafts,
      history,
      receivedAt: context.receivedAt ?? context.now,
      deadlineDay: context.registry.deadlineDay,
      report: (code, draft, at, value, facts) => collector.reportAbout(draft, at, code, value, facts),
    });
    return result(format, encoding, submissions);
  };
  const placeOf = (s: Pick<Submission, 'unit' | 'period'>): SubmissionPlace | undefined => {
    const draft = drafts.find((d) => d.unit === s.unit && d.period === s.period);
    if (!draft) return undefined;
    const rows = [...new Set([draft.row, ...(draft.rows ?? []).filter((r) => r > 0)])].sort((a, b) => a - b);
    return { rows, unit: collector.at(draft.row, draft.layout.unit), period: collector.at(draft.row, draft.layout.period) };
  };
  return { status: 'accepted', submissions, placeOf, warn };
}

/**
 * Whether a draft states anything: a value, or a clear (docs/DOMAIN.md#corrections). A
 * month with every key blank and none set is the template uploaded unfilled: it states
 * nothing, so that a blank template sent by mistake does not empty the month.
 */
function statesSomething(draft: Draft): boolean {
  return draft.given > 0 && draft.clears !== VALUE_KEYS.length;
}

/** Broken-down metrics: the index of the total and of its categories (which follow it). */
const BROKEN_DOWN = METRICS.filter((m) => m.categories.length > 0).map((metric) => {
  const total = VALUE_KEYS.findIndex((k) => k.metric === metric && k.category === null);
  return { metric, total, categories: metric.categories.map((_, c) => total + 1 + c) };
});

/**
 * A broken-down metric's total is the sum of its categories when only categories are
 * given (cleared ones count for nothing), and it is then listed as implied; when both
 * are given and differ, the total stays as written and is flagged. A total left blank
 * beside given categories is implied too, not cleared: the templates say "可只填下面各分类，
 * 合计自动计算", and a total cleared while its categories stand would contradict them.
 */
function completeCategories(draft: Draft, collector: Collector): void {
  for (const { metric, total, categories } of BROKEN_DOWN) {
    let sum = 0;
    let given = 0;
    for (const i of categories) {
      const v = draft.values[i]!;
      if (!Number.isNaN(v)) {
        sum += v;
        given++;
      }
    }
    if (given === 0) continue;
    const written = draft.values[total]!;
    if (Number.isNaN(written)) {
      // A total with a problem is already an error: the file is rejected.
      if (draft.flawed?.has(total)) continue;
      draft.values[total] = sum;
      if (draft.cleared?.[total] === 1) {
        draft.cleared[total] = 0;
        draft.clears--;
      }
      draft.implied ??= [];
      draft.implied.push(total);
    } else if (written !== sum) {
      collector.reportAbout(draft, total, 'CATEGORY_SUM_MISMATCH', formatValue(written), {
        metricLabel: metric.label,
        expected: formatValue(sum),
      });
    }
  }
}

function toSubmission(draft: Draft): Submission {
  const { unit, period, cleared, clears, implied } = draft;
  const values = valuesRecord(tagged(draft.values));
  if (clears === 0 && !implied) return { unit, period, values };
  const submission: { -readonly [K in keyof Submission]: Submission[K] } = { unit, period, values };
  if (cleared && clears > 0) submission.cleared = marked(cleared);
  // Filled in catalogue order already (completeCategories walks the metrics in order).
  if (implied) submission.implied = implied.map((i) => VALUE_KEYS[i]!.key);
  return submission;
}

/**
 * A draft's values copied into a tagged array, whole numbers as small integers. Read from
 * a Float64Array, every element comes out as a boxed double, and the object built from
 * them keeps a 16-byte box per field: two thirds of what a wide file allocated. From this
 * array the fields are stored unboxed. Reused: the builder reads it before the next draft.
 */
const TAGGED = Array.from<number>({ length: VALUE_KEYS.length });

function tagged(values: Float64Array): readonly number[] {
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    // -0 stays a double: x | 0 would make it 0.
    TAGGED[i] = (x | 0) === x && !(x === 0 && 1 / x < 0) ? x | 0 : x;
  }
  return TAGGED;
}

/** The keys marked 1, in catalogue order. */
function marked(marks: Uint8Array): string[] {
  const keys: string[] = [];
  for (let i = 0; i < marks.length; i++) if (marks[i] === 1) keys.push(VALUE_KEYS[i]!.key);
  return keys;
}

/** A file size for people: MiB, KiB or bytes; with the bytes too where two sizes would read alike. */
function size(n: number, other: number): string {
  const text = (x: number) =>
    x >= 1024 * 1024 ? `${(x / 1024 / 1024).toFixed(2)} MiB` : x >= 1024 ? `${(x / 1024).toFixed(1)} KiB` : `${x} 字节`;
  return text(n) === text(other) && n >= 1024 ? `${text(n)}（${n} 字节）` : text(n);
}
