/**
 * The monthly template as an Excel workbook: the CSV template's content (shared/write.ts
 * `template`, long or wide, the same header names), on a sheet 月报表 whose header is
 * frozen, whose codes and labels are locked (the sheet protected without a password) and
 * whose value cells are unlocked and validated — counts whole numbers ≥ 0, money ≥ 0 with
 * at most 2 decimals — and a sheet 填表说明 that explains, lists the dispute categories
 * and the units (the list a blank unit cell chooses from).
 */
import { VALUE_KEYS, type ValueKey } from '../catalogue.ts';
import { chineseMonth } from '../period.ts';
import type { ReportingUnit } from '../registry.ts';
import type { TemplateOptions } from '../write.ts';
import type { CellInput, Sheet, Validation } from '../xlsx/write/model.ts';
import { STYLES } from '../xlsx/write/styles.ts';
import { writeWorkbook } from '../xlsx/write/workbook.ts';
import { rangeRef, sheetPrefix } from '../xlsx/write/xml.ts';

const SHEET = '月报表';
const GUIDE = '填表说明';
/** The defined name of the units' codes on the guide, which a blank unit cell chooses from. */
const UNIT_CODES = 'UnitCodes';
const SPLIT_NOTE = '可只填下面各分类，合计自动计算';
const MONEY_NOTE = '单位：元，最多2位小数';

const labelWithUnit = (k: ValueKey) => `${k.label}(${k.metric.unit})`;
const isMoney = (k: ValueKey) => k.metric.valueType === 'money';
const isSplit = (k: ValueKey) => k.category === null && k.metric.categories.length > 0;

/**
 * Counts: whole ≥ 0; the total of a breakdown: the same, with its note shown when selected;
 * money: ≥ 0 with at most 2 decimals (a custom formula on the first cell of its ranges).
 * One rule per cell (Excel keeps one).
 */
function valueRules(keys: readonly ValueKey[], rangeOf: (k: ValueKey) => string, splitNote: string): Validation[] {
  const counts = keys.filter((k) => !isMoney(k) && !isSplit(k)).map(rangeOf);
  const splits = keys.filter(isSplit).map(rangeOf);
  const money = keys.filter(isMoney).map(rangeOf);
  const error = { title: '数值不对', text: '请填 0 或正整数；没有发生填 0，未统计的留空。' };
  const rules: Validation[] = [];
  if (counts.length) rules.push({ type: 'whole', min: 0, ranges: counts, error });
  if (splits.length) rules.push({ type: 'whole', min: 0, ranges: splits, error, prompt: { title: '合计', text: splitNote } });
  if (money.length) {
    const first = money[0]!.split(':')[0]!;
    rules.push({
      type: 'custom',
      formula: `AND(ISNUMBER(${first}),${first}>=0,ROUND(${first},2)=${first})`,
      ranges: money,
      prompt: { title: '金额（元）', text: MONEY_NOTE },
      error: { title: '金额不对', text: '请填不小于 0 的金额（元），最多 2 位小数。' },
    });
  }
  return rules;
}

/** `E2 E3 E4 E7` → `E2:E4 E7`: the long layout's cells of one rule, as runs of rows. */
function joinRuns(rule: Validation): Validation {
  const ranges: string[] = [];
  let start: number | undefined;
  const rows = rule.ranges.map((r) => Number(r.slice(1)));
  for (const [i, row] of rows.entries()) {
    start ??= row;
    if (rows[i + 1] !== row + 1) {
      ranges.push(start === row ? `E${row}` : `E${start}:E${row}`);
      start = undefined;
    }
  }
  return { ...rule, ranges };
}

function unitChoice(ranges: readonly string[]): Validation {
  return {
    type: 'list',
    source: UNIT_CODES,
    ranges,
    prompt: { title: '单位代码', text: '从下拉列表选择本单位代码（见“填表说明”中的单位名录）。' },
    error: { title: '单位代码不对', text: '请从下拉列表选择单位代码（见“填表说明”中的单位名录）。' },
  };
}

/** The long layout: a row per value key, the value in E (单位代码,月份,指标代码,指标名称,数值,备注). */
function longSheet(code: string | undefined, period: string, chooseUnit: boolean): Sheet {
  const header = ['单位代码', '月份', '指标代码', '指标名称', '数值', '备注'].map((value) => ({ value, style: STYLES.header }));
  const rows: CellInput[][] = [header];
  for (const k of VALUE_KEYS) {
    const note = isSplit(k) ? SPLIT_NOTE : isMoney(k) ? MONEY_NOTE : '';
    rows.push([
      code ? { value: code, style: STYLES.text } : { value: null, style: STYLES.inputText },
      { value: period, style: STYLES.inputText },
      { value: k.key, style: STYLES.text },
      { value: labelWithUnit(k), style: STYLES.text },
      { value: null, style: isMoney(k) ? STYLES.inputMoney : STYLES.inputInteger },
      { value: note, style: STYLES.inputText },
    ]);
  }
  const validations = valueRules(VALUE_KEYS, (k) => `E${k.index + 2}`, SPLIT_NOTE).map(joinRuns);
  if (chooseUnit) validations.push(unitChoice([`A2:A${rows.length}`]));
  return {
    name: SHEET,
    rows,
    columns: [
      { width: 12, style: STYLES.inputText },
      { width: 10, style: STYLES.inputText },
      { width: 34 },
      { width: 46 },
      { width: 12 },
      { width: 32, style: STYLES.inputText },
    ],
    freeze: { rows: 1 },
    protect: true,
    validations,
  };
}

/** The wide layout: a row per unit (code and name locked), a column per value key (单位代码,单位名称,月份,…). */
function wideSheet(units: readonly ReportingUnit[], many: boolean, period: string): Sheet {
  const header = ['单位代码', '单位名称', '月份', ...VALUE_KEYS.map(labelWithUnit)].map((value) => ({ value, style: STYLES.header }));
  const rows: CellInput[][] = [header];
  for (const u of units)
    rows.push([
      { value: many ? u.fullCode : u.code, style: STYLES.text },
      { value: u.name, style: STYLES.text },
      { value: period, style: STYLES.inputText },
      ...VALUE_KEYS.map((k) => ({ value: null, style: isMoney(k) ? STYLES.inputMoney : STYLES.inputInteger })),
    ]);
  const bottom = Math.max(1, units.length);
  const column = (k: ValueKey) => rangeRef(1, 3 + k.index, bottom, 3 + k.index);
  return {
    name: SHEET,
    rows,
    columns: [{ width: many ? 12 : 10 }, { width: 16 }, { width: 10, style: STYLES.inputText }, ...VALUE_KEYS.map(() => ({ width: 14 }))],
    heights: { 0: 72 },
    freeze: { rows: 1, columns: 2 },
    protect: true,
    validations: valueRules(VALUE_KEYS, column, `${SPLIT_NOTE}（右侧各分类列）`),
  };
}

/** What the guide says, in order (the long layout's or the wide one's). */
function instructions(what: string, wide: boolean, unitGiven: boolean, splitLabels: string): string[] {
  return [
    `本模板用于填报${what}。${wide ? '工作表“月报表”每行一个单位、每列一个指标' : '工作表“月报表”每行一个指标，只在“数值”一列填写'}，填写浅黄色的格子。`,
    '数值留空表示“未报告”；没有发生的请填 0。',
    '计数类指标只能填 0 或正整数；“解三难”补助资金的单位为元，最多 2 位小数。',
    `排查化解矛盾纠纷分为${splitLabels}：可只填各分类，合计自动计算；如同时填写合计，应等于各分类之和。`,
    `${wide || unitGiven ? '单位代码已填好' : '单位代码请从下拉列表选择（见下方单位名录）'}；月份写成 2025-03 的形式（已设为文本，请勿改成日期）。`,
    '指标代码、指标名称等已锁定，以防误改（工作表保护没有密码）；请不要增删行、列或改动表头。',
    '填好后保存，直接上传本文件（.xlsx）；也可另存为 CSV（逗号分隔）后上传。',
  ];
}

/** 填表说明: the instructions, the dispute categories, and the units a blank unit cell chooses from (rows of the codes returned). */
function guideSheet(
  title: string,
  lines: readonly string[],
  units: readonly { code: string; name: string }[],
): { sheet: Sheet; codes?: string } {
  const rows: CellInput[][] = [[{ value: '填表说明', style: STYLES.title }], [{ value: title, style: STYLES.subtitle }]];
  const merges = ['A1:D1', 'A2:D2'];
  const heights: Record<number, number> = { 0: 24 };
  for (const [i, line] of lines.entries()) {
    merges.push(`A${rows.length + 1}:D${rows.length + 1}`);
    // About 40 Chinese characters to a line across the four columns; merged cells do not grow by themselves.
    heights[rows.length] = 16 * Math.ceil((line.length + 3) / 40) + 2;
    rows.push([{ value: `${i + 1}. ${line}`, style: { wrap: true, vertical: 'top' } }]);
  }
  rows.push([], [{ value: '矛盾纠纷分类', style: { bold: true } }]);
  rows.push(['指标代码', '分类名称', '分类代码'].map((value) => ({ value, style: STYLES.header })));
  for (const k of VALUE_KEYS.filter((v) => v.category))
    rows.push([k.key, k.category!.label, k.category!.code].map((value) => ({ value, style: STYLES.text })));
  let codes: string | undefined;
  if (units.length) {
    rows.push([], [{ value: '单位名录', style: { bold: true } }]);
    rows.push(['单位代码', '单位名称'].map((value) => ({ value, style: STYLES.header })));
    const first = rows.length + 1;
    for (const u of units) rows.push([u.code, u.name].map((value) => ({ value, style: STYLES.text })));
    codes = `${sheetPrefix(GUIDE)}$A$${first}:$A$${rows.length}`;
  }
  const sheet: Sheet = { name: GUIDE, rows, columns: [{ width: 36 }, { width: 22 }, { width: 18 }, { width: 14 }], merges, heights };
  return codes ? { sheet, codes } : { sheet };
}

/** The template of `template()` (shared/write.ts) as an .xlsx workbook: 月报表 and 填表说明. */
export function templateWorkbook(options: TemplateOptions): Uint8Array {
  const { registry, unit, period } = options;
  const known = unit === undefined ? undefined : registry.get(unit);
  const units = unit ? registry.units.filter((u) => u.fullCode === unit) : registry.unitsOf(options.town ?? registry.defaultOrg.code);
  // Short codes within one town; full codes where the template spans the district's towns.
  const many = new Set(units.map((u) => u.town)).size > 1;
  const place = registry.findTown(known?.town ?? options.town ?? '')?.name ?? registry.defaultOrg.name;
  const what = `${place}${known ? known.name : ''}${chineseMonth(period)}法治统计月报`;
  const wide = options.format === 'wide';
  const splitLabels = VALUE_KEYS.filter((k) => k.category).map((k) => k.category!.label);
  const listed = known ? [] : units.map((u) => ({ code: many ? u.fullCode : u.code, name: u.name }));
  const guide = guideSheet(
    `${what}填报模板`,
    instructions(what, wide, !!known, `${splitLabels.join('、')} ${splitLabels.length} 类`),
    listed,
  );
  const main = wide ? wideSheet(units, many, period) : longSheet(known?.code, period, !known && !!guide.codes);
  return writeWorkbook({
    title: `${what}填报模板`,
    sheets: [main, guide.sheet],
    ...(guide.codes && !wide && !known ? { names: { [UNIT_CODES]: guide.codes } } : {}),
  });
}
