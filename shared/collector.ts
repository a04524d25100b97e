/**
 * Gathers the values a file reader finds into submissions (one per unit and month), and
 * records every error on the way. All three formats feed the same collector, so a rule
 * holds the same way whatever the file looks like.
 */
import { VALUE_KEYS, type MetricReference, type ValueKey } from './catalogue.ts';
import {
  cellName,
  describe,
  FORMULA_WITHOUT_RESULT,
  isWarning,
  shortened,
  type Finding,
  type FindingCode,
  type MessageFacts,
  type Place,
} from './findings.ts';
import type { CsvRecord } from './csv.ts';
import { MAX_VALUE, readValue, type ValueProblem, type ValueReading } from './numbers.ts';
import { chineseMonth, monthOf, readMonthCell, type Month } from './period.ts';
import { existsIn, type Registry, type ReportingUnit } from './registry.ts';

/**
 * Who is uploading: a village only its own unit (a full code), a town only its town's
 * units, the admin any (naming a town makes short codes and names that town's), the
 * district nothing.
 */
export type Uploader =
  | { readonly role: 'admin'; readonly town?: string }
  | { readonly role: 'town'; readonly town: string }
  | { readonly role: 'village'; readonly unit: string }
  | { readonly role: 'district' };

/** The town in which an uploader's short codes and names are read (none: the whole district). */
export function uploaderTown(uploader: Uploader): string | undefined {
  if (uploader.role === 'village') return uploader.unit.slice(0, uploader.unit.indexOf('/'));
  return uploader.role === 'district' ? undefined : uploader.town;
}

export interface CollectorOptions {
  readonly registry: Registry;
  readonly uploader: Uploader;
  readonly now: Date;
  /** Findings kept per list; the rest are counted in `omitted`. */
  readonly maxFindings: number;
}

/** A unit's month as it is being read: values by key index, NaN = not reported. */
export interface Draft {
  readonly unit: string;
  readonly period: Month;
  readonly values: Float64Array;
  /** Row (CSV) or record (JSON) where the draft began. */
  readonly row: number;
  /** Row of each key, kept only once a key comes from another row (long CSV). */
  rows?: number[];
  /** Keys given with a problem (their value stays NaN): given, for duplicates. */
  flawed?: Set<number>;
  /**
   * Per key, 1 where it was stated blank (its value stays NaN): cleared back to "not
   * reported". Made on a draft's first clear, from a slab like the values.
   */
  cleared?: Uint8Array;
  /** How many keys were stated blank. */
  clears: number;
  /** Totals the check filled in as the sum of their categories (not stated by the file). */
  implied?: number[];
  /** Where each key's column is: shared by all rows of a CSV, a draft's own in JSON. */
  readonly layout: Layout;
  /** How many keys were given (with a value, a problem, or blank to clear): 0 means an empty row. */
  given: number;
}

/** Whether a key was given in a draft (with a value, with a problem, or blank to clear it). */
function isGiven(draft: Draft, index: number): boolean {
  const v = draft.values[index]!;
  return !Number.isNaN(v) || (draft.flawed?.has(index) ?? false) || (draft.cleared !== undefined && draft.cleared[index] === 1);
}

function rowOf(draft: Draft, index: number): number {
  return draft.rows?.[index] || draft.row;
}

/**
 * Where things stand in a file: the unit and period columns, and the column (header or
 * JSON path) and spreadsheet letter of each key, by key index. Places in findings are
 * built from it only when a finding is made.
 */
export interface Layout {
  readonly unit: Column;
  readonly period: Column;
  readonly columns: (string | undefined)[];
  readonly letters: (string | undefined)[];
}

export interface Column {
  readonly title: string;
  readonly letter?: string;
}

const N = VALUE_KEYS.length;
// Drafts' values live in shared slabs outside the JS heap (NaN = not reported): a file of
// 40 000 rows would otherwise make the young-generation GC copy every draft, twice.
const DRAFTS_PER_SLAB = 2048;

export function newLayout(unit: Column, period: Column): Layout {
  return {
    unit,
    period,
    columns: new Array<string | undefined>(N).fill(undefined),
    letters: new Array<string | undefined>(N).fill(undefined),
  };
}

const SUM_ROW_MARK = /^(合计|总计|小计|合\s*计|total)/i;

export class Collector {
  readonly errors: Finding[] = [];
  readonly warnings: Finding[] = [];
  /** Findings beyond `maxFindings`, counted but not kept. */
  readonly omitted = { errors: 0, warnings: 0 };
  /** unit → period → draft, in the order met. */
  private readonly drafts = new Map<string, Map<Month, Draft>>();
  private readonly order: Draft[] = [];
  private readonly unitCache = new Map<string, string | null>();
  /** Unit-months already reported as outside the unit's from/until. */
  private readonly absent = new Set<string>();
  private readonly periodCache = new Map<string, Month | null>();
  private readonly currentMonth: Month;
  private slab = new Float64Array(0);
  private slabUsed = 0;
  // Clears too: a sparse wide file clears a dozen keys in each of its rows.
  private marks = new Uint8Array(0);
  private marksUsed = 0;

  /** How places are said: rows of a sheet, or records of a JSON array. */
  kind: 'csv' | 'json' = 'csv';
  /** The worksheet the rows come from, when the file is a workbook. */
  sheet: string | undefined;

  constructor(readonly options: CollectorOptions) {
    this.currentMonth = monthOf(options.now);
  }

  get failed(): boolean {
    return this.errors.length > 0;
  }

  /** Records a finding; `facts` may be a function, so that findings past the limit cost nothing. */
  report(
    code: FindingCode,
    place: Place,
    value: string | null,
    facts?: MessageFacts | (() => MessageFacts),
    about?: { unit?: string; period?: string },
  ): void {
    const warning = isWarning(code);
    const list = warning ? this.warnings : this.errors;
    if (list.length >= this.options.maxFindings) {
      this.omitted[warning ? 'warnings' : 'errors']++;
      return;
    }
    const shown = value === null ? null : shortened(value);
    const short = place.column !== null && place.column !== shortened(place.column) ? { ...place, column: shortened(place.column) } : place;
    // A workbook's cells are named with their sheet (工作表“月报表”第9行, 月报表!E9).
    const at = this.sheet !== undefined && short.kind === 'csv' ? { ...short, sheet: this.sheet } : short;
    const message = describe(code, at, shown, typeof facts === 'function' ? facts() : facts);
    const cell = cellName(at);
    list.push({ code, row: at.row, column: at.column, value: shown, message, ...(cell ? { cell } : {}), ...about });
  }

  /** Records a finding about a draft's key (or its period); nothing is built past the limit. */
  reportAbout(draft: Draft, at: number | 'period', code: FindingCode, value: string, facts: MessageFacts | (() => MessageFacts)): void {
    const list = isWarning(code) ? this.warnings : this.errors;
    if (list.length >= this.options.maxFindings) {
      this.omitted[list === this.warnings ? 'warnings' : 'errors']++;
      return;
    }
    const place = at === 'period' ? this.periodPlaceOf(draft) : this.placeOf(draft, at);
    this.report(code, place, value, facts, { unit: draft.unit, period: draft.period });
  }

  /** 合计/总计/小计: the label of a sheet's own total row. */
  static isSumCell(text: string): boolean {
    return SUM_ROW_MARK.test(text.trim());
  }

  /** Cheap pre-test of isSumCell on a cell's first character (合, 总, 小, t, T). */
  static mayBeSumCell(firstChar: number): boolean {
    return firstChar === 0x5408 || firstChar === 0x603b || firstChar === 0x5c0f || (firstChar | 0x20) === 0x74;
  }

  /**
   * The unit of a row, or undefined after reporting why not. Each distinct bad text is
   * reported once (at its first row), not on every one of its rows.
   */
  unit(raw: string, row: number, layout: Layout): string | undefined {
    const cached = this.unitCache.get(raw);
    if (cached !== undefined) return cached ?? undefined;
    const text = raw.trim();
    const place = this.at(row, layout.unit);
    const { registry, uploader } = this.options;
    const town = uploaderTown(uploader);
    const found = registry.resolve(text, town);
    let code: string | null = null;
    if (found.unit === undefined && found.problem === 'ambiguous') {
      const names = found.candidates.map((u) => `${u.fullCode} ${registry.findTown(u.town)?.name ?? u.town}${u.name}`);
      this.report('AMBIGUOUS_UNIT', place, text, { expected: names.join('、'), detail: found.candidates[0]?.fullCode ?? '' });
    } else if (found.unit === undefined) {
      this.report('UNKNOWN_UNIT', place, text, { expected: unitList(registry, town) });
    } else if (!allowed(uploader, found.unit)) {
      this.report('UNIT_NOT_ALLOWED', place, text, { expected: allowedText(registry, uploader) });
    } else {
      code = found.unit.fullCode;
    }
    this.unitCache.set(raw, code);
    return code ?? undefined;
  }

  /** The month of a row (repairing what Excel did to it), or undefined after reporting why not. */
  period(raw: string, row: number, layout: Layout): Month | undefined {
    const cached = this.periodCache.get(raw);
    if (cached !== undefined) return cached ?? undefined;
    const text = raw.trim();
    const place = this.at(row, layout.period);
    const read = readMonthCell(text);
    let result: Month | null = null;
    if (!read.ok) {
      const detail =
        read.reason === 'ambiguous' ? '无法分辨是1月还是10月，Excel 可能把 10 月写成了 .1' : text === '' ? '月份为空' : undefined;
      this.report('BAD_PERIOD', place, text, detail ? { detail } : {});
    } else if (read.month > this.currentMonth) {
      this.report('FUTURE_PERIOD', place, text, { expected: chineseMonth(this.currentMonth), detail: read.month });
    } else {
      result = read.month;
    }
    this.periodCache.set(raw, result);
    return result ?? undefined;
  }

  /**
   * The draft of a unit's month. `ownRow`: the caller's row is the whole submission (wide
   * CSV, JSON), so meeting the same unit and month again is a duplicate; `written` is the
   * period as the file wrote it, for that message.
   */
  draft(unit: string, period: Month, row: number, layout: Layout, ownRow: boolean, written: string): Draft | undefined {
    let months = this.drafts.get(unit);
    if (!months) {
      months = new Map();
      this.drafts.set(unit, months);
    }
    const existing = months.get(period);
    if (!existing && !this.exists(unit, period, row, layout)) return undefined;
    if (existing) {
      if (!ownRow) return existing;
      const first = this.kind === 'json' ? `第${existing.row}条记录` : `第${existing.row}行`;
      const facts = { metricLabel: `${unit} ${period} 的整行数据`, detail: `${unit} ${period} 已在${first}出现` };
      this.report('DUPLICATE_METRIC', this.at(row, layout.period), written.trim(), facts, { unit, period });
      return undefined;
    }
    // Every field set here, optional ones too, so that all drafts share one shape.
    const draft: Draft = {
      unit,
      period,
      values: this.nextValues(),
      row,
      layout,
      given: 0,
      rows: undefined,
      flawed: undefined,
      cleared: undefined,
      clears: 0,
      implied: undefined,
    };
    months.set(period, draft);
    this.order.push(draft);
    return draft;
  }

  /** Whether the unit exists in the month (from/until); reported once per unit and month if not. */
  private exists(fullCode: string, period: Month, row: number, layout: Layout): boolean {
    const unit = this.options.registry.get(fullCode);
    if (!unit || existsIn(unit, period)) return true;
    const key = `${fullCode} ${period}`;
    if (!this.absent.has(key)) {
      this.absent.add(key);
      const month = chineseMonth(period);
      const detail =
        unit.from && period < unit.from
          ? `（${unit.name}）自 ${unit.from} 起才设立，${month}还没有这个单位`
          : `（${unit.name}）已于 ${unit.until} 后撤销，${month}已没有这个单位`;
      this.report('UNKNOWN_UNIT', this.at(row, layout.unit), unit.code, { detail }, { unit: fullCode, period });
    }
    return false;
  }

  /** A place in a column of the file. */
  at(row: number | null, column: Column): Place {
    return { row, column: column.title, kind: this.kind, ...(column.letter ? { letter: column.letter } : {}) };
  }

  /** Where a draft's period was read, for findings about the whole submission. */
  periodPlaceOf(draft: Draft): Place {
    return this.at(draft.row, draft.layout.period);
  }

  /** Reports a metric name that the catalogue does not know (or a category it lacks). */
  unresolved(ref: Exclude<MetricReference, { ok: true }>, place: Place, text: string): void {
    if (ref.code === 'UNKNOWN_CATEGORY') {
      const expected = ref.metric.categories.map((c) => `${c.code}（${c.label}）`).join('、');
      this.report('UNKNOWN_CATEGORY', place, ref.category, { metricLabel: ref.metric.label, expected });
    } else {
      this.report('UNKNOWN_METRIC', place, text);
    }
  }

  private nextValues(): Float64Array {
    if (this.slabUsed === this.slab.length) {
      this.slab = new Float64Array(N * DRAFTS_PER_SLAB).fill(NaN);
      this.slabUsed = 0;
    }
    this.slabUsed += N;
    return this.slab.subarray(this.slabUsed - N, this.slabUsed);
  }

  private nextMarks(): Uint8Array {
    if (this.marksUsed === this.marks.length) {
      this.marks = new Uint8Array(N * DRAFTS_PER_SLAB);
      this.marksUsed = 0;
    }
    this.marksUsed += N;
    return this.marks.subarray(this.marksUsed - N, this.marksUsed);
  }

  /**
   * Reads cell `at` of a CSV record into a draft, without a string for plain digits. A
   * blank cell clears its key: the caller reads only rows that state some value.
   */
  putCell(draft: Draft, target: ValueKey, record: CsvRecord, at: number, row: number): void {
    const i = target.index;
    const v = record.digits(at);
    if (v >= 0 && v <= MAX_VALUE && row === draft.row && !isGiven(draft, i)) {
      draft.values[i] = v;
      draft.given++;
      return;
    }
    if (record.isBlankAt(at)) this.store(draft, target, null, '', row);
    else this.put(draft, target, record.cell(at), row);
  }

  /**
   * Reads a wide row's value cells into the draft that the row just began: cell `ats[k]`
   * holds key `targets[k]`, each key once. Nothing of the draft is given yet, so plain
   * digits go straight in, without putCell's tests for a key given before.
   */
  putRow(draft: Draft, targets: readonly ValueKey[], ats: Int32Array, record: CsvRecord, row: number): void {
    const values = draft.values;
    for (let k = 0; k < targets.length; k++) {
      const v = record.digits(ats[k]!);
      if (v >= 0 && v <= MAX_VALUE) {
        values[targets[k]!.index] = v;
        draft.given++;
      } else this.putCell(draft, targets[k]!, record, ats[k]!, row);
    }
  }

  /** Reads one CSV value cell into a draft (its column is in the draft's layout); blank clears. */
  put(draft: Draft, target: ValueKey, raw: string, row: number): void {
    this.store(draft, target, readValue(raw, target.metric.valueType), raw, row);
  }

  /**
   * Puts one JSON value, read already (readJsonValue), into a draft; `written` is the value
   * as the file has it, `path` where it stands (values.x.y); a `null` reading clears.
   */
  putJson(draft: Draft, target: ValueKey, reading: ValueReading, written: string, row: number, path: string): void {
    if (!isGiven(draft, target.index)) draft.layout.columns[target.index] = path;
    this.store(draft, target, reading, written, row, path);
  }

  /** A key's value, problem or clear (`null`): each key once per unit and month. */
  private store(draft: Draft, target: ValueKey, reading: ValueReading, raw: string, row: number, path?: string): void {
    const i = target.index;
    if (isGiven(draft, i)) {
      this.duplicate(draft, target, raw, row, path);
      return;
    }
    draft.given++;
    if (row !== draft.row) {
      draft.rows ??= new Array<number>(N).fill(0);
      draft.rows[i] = row;
    }
    if (typeof reading === 'number') {
      draft.values[i] = reading;
      return;
    }
    if (reading === null) {
      draft.cleared ??= this.nextMarks();
      draft.cleared[i] = 1;
      draft.clears++;
      return;
    }
    draft.flawed ??= new Set();
    draft.flawed.add(i);
    this.problem(draft, target, reading, raw, row, path);
  }

  /** A value that is not one (kept off the hot path: its place and message are built here). */
  private problem(draft: Draft, target: ValueKey, problem: ValueProblem, raw: string, row: number, path: string | undefined): void {
    const about = { unit: draft.unit, period: draft.period };
    // A workbook's formula without its result (some programs leave computing it to Excel).
    const formula = this.sheet !== undefined && raw.trimStart().startsWith('=');
    const facts = { metricLabel: target.label, unitOfMeasure: target.metric.unit, ...(formula ? { detail: FORMULA_WITHOUT_RESULT } : {}) };
    this.report(problem, this.placeIn(draft, target.index, row, path), raw.trim(), facts, about);
  }

  /** A key given a second time in a unit's month (a value or a clear, either time). */
  private duplicate(draft: Draft, target: ValueKey, raw: string, row: number, path: string | undefined): void {
    const i = target.index;
    const at = rowOf(draft, i);
    const how = draft.cleared?.[i] === 1 ? '已留空（清除此项）' : '已填写';
    const first = this.kind === 'json' ? `第${at}条记录“${draft.layout.columns[i]}”${how}` : `第${at}行${how}`;
    const facts = { metricLabel: target.label, detail: `${draft.unit} ${draft.period}，${first}` };
    this.report('DUPLICATE_METRIC', this.placeIn(draft, i, row, path), raw.trim(), facts, { unit: draft.unit, period: draft.period });
  }

  /** Where a key stands in a given row: its CSV column, or its JSON path. */
  private placeIn(draft: Draft, index: number, row: number, path: string | undefined): Place {
    return path === undefined ? { ...this.placeOf(draft, index), row } : { row, column: path, kind: this.kind };
  }

  /** Where a draft's key was given, for warnings raised after reading. */
  placeOf(draft: Draft, index: number): Place {
    const letter = draft.layout.letters[index];
    return {
      row: isGiven(draft, index) ? rowOf(draft, index) : null,
      column: draft.layout.columns[index] ?? null,
      kind: this.kind,
      ...(letter ? { letter } : {}),
    };
  }

  get allDrafts(): readonly Draft[] {
    return this.order;
  }
}

function allowed(uploader: Uploader, unit: ReportingUnit): boolean {
  switch (uploader.role) {
    case 'village':
      return uploader.unit === unit.fullCode;
    case 'town':
      return uploader.town === unit.town;
    case 'admin':
      return true;
    case 'district':
      return false;
  }
}

/** What an uploader may send for, in words (UNIT_NOT_ALLOWED). */
function allowedText(registry: Registry, uploader: Uploader): string {
  if (uploader.role === 'village') {
    const own = registry.get(uploader.unit);
    return own ? `本单位（${own.code} ${own.name}）` : '本单位';
  }
  if (uploader.role === 'town') return `本镇（${registry.findTown(uploader.town)?.name ?? uploader.town}）的单位`;
  return '任何单位';
}

/** The unit codes an uploader would use (UNKNOWN_UNIT): its town's short codes, or full codes. */
function unitList(registry: Registry, town: string | undefined): string {
  if (town !== undefined)
    return registry
      .unitsOf(town)
      .map((u) => u.code)
      .join('、');
  const all = registry.units.map((u) => (registry.singleTown ? u.code : u.fullCode));
  return all.length > 30 ? `${all.slice(0, 30).join('、')} 等 ${all.length} 个` : all.join('、');
}
