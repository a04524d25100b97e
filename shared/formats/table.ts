/**
 * The two table layouts, whatever the rows come from (a CSV file, a worksheet): long
 * (竖表: one row per value) and wide (横表: one row per unit and month, one column per
 * metric). The header row decides which: a 数值/value column means long.
 *
 * What Excel sheets made by people carry around the data is tolerated: title and
 * "填报单位：…" lines above the header, blank rows, 合计 rows, footers ("填报人：…") with
 * no values, and unit/month cells merged over several rows (exported on the first row
 * only: a blank unit or month takes the one above).
 *
 * A blank value states a clear (back to "not reported"): a long row naming a metric, or a
 * wide cell under a metric column in a row that has some value. A metric the file does
 * not name is not stated at all.
 */
import { resolveMetric, type ValueKey } from '../catalogue.ts';
import { Collector, newLayout, type Layout } from '../collector.ts';
import { columnLetter, type CsvRecord } from '../csv.ts';
import type { Place } from '../findings.ts';
import { COLUMN_TITLES, columnRole, type ColumnRole } from './columns.ts';

export type TableFormat = 'long' | 'wide';
type RowReader = (record: CsvRecord, row: number) => void;

/** Rows looked at for a header before the file is taken to have none. */
export const HEADER_SEARCH_ROWS = 10;

/** The name of the template workbook's sheet: a workbook's figures are looked for there first. */
export const TEMPLATE_SHEET = '月报表';

export interface TableOptions {
  /**
   * A row's cells must line up with the header's (a CSV row with a cell too many or too
   * few would shift values into the wrong column: RAGGED_ROW). A worksheet's cells are
   * addressed, so they cannot shift.
   */
  readonly aligned: boolean;
  /** How a month cell's text is read before the period is (a worksheet's date serials). */
  readonly periodText?: (raw: string) => string;
}

/** Gives each row (with its number) to `onRow` until it answers 'stop'. */
export type RowSource = (onRow: (record: CsvRecord, row: number) => 'stop' | undefined) => void;

/**
 * Reads the rows into the collector: the header is looked for in the first rows; returns
 * the layout found, if any. `finished` tells whether the rows ended normally (a CSV with a
 * broken quote did not: its missing header is not worth reporting then).
 */
export function readTable(rows: RowSource, collector: Collector, options: TableOptions): { format?: TableFormat; finish(): void } {
  let reader: RowReader | undefined;
  let format: TableFormat | undefined;
  let searched = 0;
  // The first line with two filled cells, used as the header if none is recognised, so
  // that the file is refused for what its header lacks.
  let fallback: { cells: string[]; row: number } | undefined;
  const start = (cells: string[], row: number): 'stop' | undefined => {
    // The header ends at its last title: a row of a million commas is read as its titles,
    // not as a million empty columns (the rows still line up with all of its cells).
    const header = cells.slice(0, lastFilled(cells) + 1);
    const roles = header.map(columnRole);
    format = roles.some((r) => r === 'value' || r === 'metric' || r === 'label') ? 'long' : 'wide';
    const read =
      format === 'long' ? longReader(header, roles, row, collector, options) : wideReader(header, roles, row, collector, options);
    reader = read && options.aligned ? alignedTo(header, cells.length, read, collector) : read;
    return reader ? undefined : 'stop';
  };
  rows((record, row) => {
    if (reader) {
      reader(record, row);
      return undefined;
    }
    if (record.isBlank()) return undefined;
    const cells = record.cells();
    if (looksLikeHeader(cells)) return start(cells, row);
    if (!fallback && cells.filter((c) => c.trim() !== '').length >= 2) fallback = { cells, row };
    return ++searched >= HEADER_SEARCH_ROWS ? 'stop' : undefined;
  });
  return {
    get format() {
      return format;
    },
    finish() {
      if (!reader && fallback) start(fallback.cells, fallback.row);
      else if (!reader && searched > 0) missing(collector, 'unit', { row: 1, column: null, kind: 'csv' }, 'long');
    },
  };
}

function lastFilled(cells: readonly string[]): number {
  let at = cells.length - 1;
  while (at >= 0 && cells[at]!.trim() === '') at--;
  return at;
}

/**
 * RAGGED_ROW for a row that states something but whose cells do not line up with the
 * header: more cells than the header (an unquoted `1,000`; `…,,,5,` where the 5 slid
 * under 备注), or fewer where two or more are filled (a cell left out in the middle). A
 * line with a single filled cell (填报人：…) is a note, and a row of commas is blank.
 * Excel pads every row, the header too, to the same width, so its files always line up.
 * The header's `width` counts its cells past the last title too; a row may stop at that
 * title (nothing it leaves out has a name).
 */
function alignedTo(header: readonly string[], width: number, read: RowReader, collector: Collector): RowReader {
  return (record, row) => {
    if (record.count > width) {
      if (!record.isBlank()) return ragged(collector, record, width, { row, column: '', letter: columnLetter(width + 1), kind: 'csv' });
    } else if (record.count < header.length) {
      let filled = 0;
      for (let at = 0; at < record.count; at++) if (!record.isBlankAt(at)) filled++;
      if (filled >= 2) {
        const title = header[record.count]!.trim();
        return ragged(collector, record, width, { row, column: title, letter: columnLetter(record.count + 1), kind: 'csv' });
      }
    }
    read(record, row);
  };
}

function ragged(collector: Collector, record: CsvRecord, width: number, place: Place): void {
  collector.report('RAGGED_ROW', place, String(record.count), {
    expected: String(width),
    detail: record.count > width ? '，多出的单元格从这一列开始' : '，从这一列起缺少单元格',
  });
}

/** A header names at least two known columns or metrics; a title or 填报单位 line does not. */
export function looksLikeHeader(cells: readonly string[]): boolean {
  let known = 0;
  for (const cell of cells) {
    if (cell.trim() === '') continue;
    const role = columnRole(cell);
    if ((role !== undefined && role !== 'ignored') || resolveMetric(cell).ok) known++;
    if (known >= 2) return true;
  }
  return false;
}

function missing(collector: Collector, role: keyof typeof COLUMN_TITLES, place: Place, format: TableFormat): void {
  const need = format === 'long' ? '单位代码、月份、指标代码（或指标名称）、数值' : '单位代码、月份，以及各指标列';
  collector.report('MISSING_COLUMN', place, null, { expected: COLUMN_TITLES[role], detail: need });
}

/** Places of a sheet's cells, with titles and letters worked out once per column. */
function placer(header: readonly string[]): (row: number, at: number) => Place {
  const titles = header.map((h) => h.trim());
  const letters = header.map((_, at) => columnLetter(at + 1));
  return (row, at) => ({ row, column: titles[at] ?? '', letter: letters[at] ?? columnLetter(at + 1), kind: 'csv' });
}

function layoutOf(header: readonly string[], unitAt: number, periodAt: number): Layout {
  const column = (at: number) => ({ title: header[at]!.trim(), letter: columnLetter(at + 1) });
  return newLayout(column(unitAt), column(periodAt));
}

/** 合计/总计/小计 in the first filled cell or in one of the identifying columns: the sheet's own total. */
function isSumRow(record: CsvRecord, identifying: readonly number[]): boolean {
  let first = 0;
  while (first < record.count && record.isBlankAt(first)) first++;
  if (isSumCellAt(record, first)) return true;
  for (const at of identifying) if (isSumCellAt(record, at)) return true;
  return false;
}

function isSumCellAt(record: CsvRecord, at: number): boolean {
  return Collector.mayBeSumCell(record.firstChar(at)) && Collector.isSumCell(record.cell(at));
}

/** A blank unit or month cell takes the one above it (Excel exports merged cells so). */
function fillDown(): (record: CsvRecord, at: number) => string {
  const above: string[] = [];
  return (record, at) => {
    if (record.isBlankAt(at)) return above[at] ?? '';
    const last = above[at];
    if (last !== undefined && record.cellIs(at, last)) return last;
    const cell = record.cell(at);
    above[at] = cell;
    return cell;
  };
}

function longReader(
  header: string[],
  roles: (ColumnRole | undefined)[],
  headerRow: number,
  collector: Collector,
  options: TableOptions,
): RowReader | undefined {
  const at = (role: ColumnRole) => roles.indexOf(role);
  const [unitAt, periodAt, metricAt, labelAt, valueAt] = [at('unit'), at('period'), at('metric'), at('label'), at('value')];
  const headerPlace: Place = { row: headerRow, column: null, kind: 'csv' };
  if (unitAt < 0) missing(collector, 'unit', headerPlace, 'long');
  if (periodAt < 0) missing(collector, 'period', headerPlace, 'long');
  if (metricAt < 0 && labelAt < 0) missing(collector, 'metric', headerPlace, 'long');
  if (valueAt < 0) missing(collector, 'value', headerPlace, 'long');
  if (collector.failed) return undefined;

  const place = placer(header);
  // Every value of a long file stands in its one value column.
  const layout = layoutOf(header, unitAt, periodAt);
  layout.columns.fill(header[valueAt]!.trim());
  layout.letters.fill(columnLetter(valueAt + 1));
  const identifying = [unitAt, periodAt, metricAt, labelAt].filter((i) => i >= 0);
  const cellOrAbove = fillDown();
  const monthText = options.periodText ?? ((raw: string) => raw);
  // Each code and label pair resolved once; a bad one is reported at its first row with a value.
  const resolved = new Map<string, { target: ValueKey | null; report?: (row: number) => void }>();

  const metricOf = (record: CsvRecord, row: number, quiet: boolean): ValueKey | undefined => {
    const code = metricAt >= 0 ? record.cell(metricAt).trim() : '';
    const label = labelAt >= 0 ? record.cell(labelAt).trim() : '';
    const id = `${code}\u0000${label}`;
    let entry = resolved.get(id);
    if (!entry) {
      entry = resolveRowMetric(code, label);
      resolved.set(id, entry);
    }
    if (!quiet && entry.report) {
      entry.report(row);
      entry.report = undefined;
    }
    return entry.target ?? undefined;
  };

  // The metric of a row from its code and/or its label, or how to report why not.
  const resolveRowMetric = (code: string, label: string): { target: ValueKey | null; report?: (row: number) => void } => {
    const byCode = code ? resolveMetric(code) : undefined;
    const byLabel = label ? resolveMetric(label) : undefined;
    if (!byCode && !byLabel) {
      const detail = '指标代码和指标名称都为空，无法知道这个数值属于哪个指标';
      return {
        target: null,
        report: (row) => collector.report('UNKNOWN_METRIC', place(row, metricAt >= 0 ? metricAt : labelAt), '', { detail }),
      };
    }
    if (byCode && !byCode.ok) return { target: null, report: (row) => collector.unresolved(byCode, place(row, metricAt), code) };
    if (!byCode && byLabel && !byLabel.ok)
      return { target: null, report: (row) => collector.unresolved(byLabel, place(row, labelAt), label) };
    if (byCode?.ok && byLabel?.ok && byCode.target !== byLabel.target) {
      const detail = `指标代码“${code}”（${byCode.target.label}）与指标名称“${label}”不一致，请以模板为准改正其中一个`;
      return { target: null, report: (row) => collector.report('UNKNOWN_METRIC', place(row, labelAt), label, { detail }) };
    }
    return { target: byCode?.ok ? byCode.target : byLabel?.ok ? byLabel.target : null };
  };

  return (record, row) => {
    if (isSumRow(record, identifying)) return;
    // A blank value clears its metric (docs/DOMAIN.md#corrections), but only in a row that
    // names a known metric, a unit and a month: a footer or a note row states nothing.
    const blank = record.isBlankAt(valueAt);
    if (blank && !metricOf(record, row, true)) return;
    const unitText = cellOrAbove(record, unitAt);
    const periodText = monthText(cellOrAbove(record, periodAt));
    if (blank && (unitText.trim() === '' || periodText.trim() === '')) return;
    const unit = collector.unit(unitText, row, layout);
    const period = collector.period(periodText, row, layout);
    const target = metricOf(record, row, blank);
    if (!unit || !period || !target) return;
    const draft = collector.draft(unit, period, row, layout, false, periodText);
    if (draft) collector.put(draft, target, record.cell(valueAt), row);
  };
}

function wideReader(
  header: string[],
  roles: (ColumnRole | undefined)[],
  headerRow: number,
  collector: Collector,
  options: TableOptions,
): RowReader | undefined {
  const unitAt = roles.indexOf('unit');
  const periodAt = roles.indexOf('period');
  const headerPlace: Place = { row: headerRow, column: null, kind: 'csv' };
  if (unitAt < 0) missing(collector, 'unit', headerPlace, 'wide');
  if (periodAt < 0) missing(collector, 'period', headerPlace, 'wide');
  if (collector.failed) return undefined;

  // Resolve every metric column once; cells are then read by column index.
  const place = placer(header);
  const layout = layoutOf(header, unitAt, periodAt);
  const columns: { at: number; target: ValueKey }[] = [];
  const unnamed: number[] = [];
  const taken = new Map<number, string>();
  header.forEach((cell, at) => {
    const title = cell.trim();
    if (roles[at] !== undefined) return;
    if (title === '') {
      unnamed.push(at);
      return;
    }
    const ref = resolveMetric(title);
    if (!ref.ok) {
      collector.unresolved(ref, place(headerRow, at), title);
      return;
    }
    const first = taken.get(ref.target.index);
    if (first !== undefined) {
      collector.report('DUPLICATE_METRIC', place(headerRow, at), title, {
        metricLabel: ref.target.label,
        detail: `与“${first}”列是同一指标`,
      });
      return;
    }
    taken.set(ref.target.index, title);
    columns.push({ at, target: ref.target });
    layout.columns[ref.target.index] = title;
    layout.letters[ref.target.index] = columnLetter(at + 1);
  });
  if (!collector.failed && columns.length === 0) missing(collector, 'metric', headerPlace, 'wide');
  if (collector.failed) return undefined;

  const cellOrAbove = fillDown();
  const monthText = options.periodText ?? ((raw: string) => raw);
  const identifying = [unitAt, periodAt];
  const targets = columns.map((c) => c.target);
  const ats = Int32Array.from(columns, (c) => c.at);
  const valueColumns = [...columns.map((c) => c.at), ...unnamed];
  const hasValues = (record: CsvRecord): boolean => {
    for (const at of valueColumns) if (!record.isBlankAt(at)) return true;
    for (let at = header.length; at < record.count; at++) if (!record.isBlankAt(at)) return true;
    return false;
  };
  const unnamedValue = (record: CsvRecord, at: number, row: number): void => {
    const raw = record.cell(at).trim();
    if (raw)
      collector.report('UNKNOWN_METRIC', place(row, at), raw, {
        detail: `第${columnLetter(at + 1)}列没有表头，不知道数值${raw}属于哪个指标`,
      });
  };
  return (record, row) => {
    // The unit and month are read first: a merged cell's value must reach the rows below.
    const unitText = cellOrAbove(record, unitAt);
    const periodText = monthText(cellOrAbove(record, periodAt));
    // A row without any value (a footer, an unfilled template row) states nothing; in a
    // row with one, a blank cell clears its column's metric (docs/DOMAIN.md#corrections).
    if (!hasValues(record) || isSumRow(record, identifying)) return;
    // A value past the header's last title has no header either.
    for (const at of unnamed) unnamedValue(record, at, row);
    for (let at = header.length; at < record.count; at++) unnamedValue(record, at, row);
    const unit = collector.unit(unitText, row, layout);
    const period = collector.period(periodText, row, layout);
    if (!unit || !period) return;
    const draft = collector.draft(unit, period, row, layout, true, periodText);
    if (!draft) return;
    collector.putRow(draft, targets, ats, record, row);
  };
}
