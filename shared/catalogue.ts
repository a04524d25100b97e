/**
 * The metric catalogue (指标目录) of docs/DOMAIN.md#metric-catalogue: every figure a reporting unit may send.
 *
 * A "value key" addresses one reported number: a metric code (`general_hazards_found`) or,
 * for a metric broken down by category, `code.category` (`disputes_resolved.labor`).
 * Keys have a fixed index (catalogue order) so that hot paths can keep values in arrays.
 */
import { once } from './once.ts';

type MetricKind = 'flow' | 'stock';
/** `count`: a non-negative integer; `money`: yuan with at most 2 decimals. */
export type ValueType = 'count' | 'money';

interface Category {
  readonly code: string;
  readonly label: string;
}

export interface Metric {
  readonly code: string;
  readonly label: string;
  /** Unit of measure in Chinese (人, 次, 处 …). */
  readonly unit: string;
  readonly kind: MetricKind;
  readonly section: string;
  readonly valueType: ValueType;
  readonly categories: readonly Category[];
}

/** One addressable number: a metric total, or one category of a broken-down metric. */
export interface ValueKey {
  readonly index: number;
  /** `code` or `code.category`. */
  readonly key: string;
  /** Chinese label: `排查化解矛盾纠纷` or `排查化解矛盾纠纷(劳动关系)`. */
  readonly label: string;
  readonly metric: Metric;
  readonly category: Category | null;
}

const DISPUTE_CATEGORIES: readonly Category[] = [
  { code: 'land_acquisition', label: '征地拆迁' },
  { code: 'labor', label: '劳动关系' },
  { code: 'family', label: '婚恋家庭' },
  { code: 'land_transfer', label: '土地流转' },
  { code: 'other', label: '其他' },
];

type Row = [code: string, label: string, unit: string, kind: MetricKind, section: string];

// The table of docs/DOMAIN.md#metrics, in its order (which is also the order of templates and summaries).
const ROWS: readonly Row[] = [
  ['legal_literates', '法律明白人人数', '人', 'stock', '法治队伍与学法'],
  ['legal_trainings', '法律明白人和人民调解员培训', '次', 'flow', '法治队伍与学法'],
  ['law_study_sessions', '干部职工学法', '场', 'flow', '法治队伍与学法'],
  ['law_study_attendance', '干部职工学法参学', '人次', 'flow', '法治队伍与学法'],
  ['leadership_law_study', '中心组/党委会学习习近平法治思想', '次', 'flow', '法治队伍与学法'],
  ['rule_of_law_meetings', '法治政府建设专题会', '次', 'flow', '法治队伍与学法'],
  ['major_hazards_found', '排查重大事故隐患', '处', 'flow', '安全生产'],
  ['general_hazards_found', '排查一般隐患', '处', 'flow', '安全生产'],
  ['hazards_rectified', '隐患完成整改', '处', 'flow', '安全生产'],
  ['geohazard_monitors_upgraded', '地质灾害隐患点监测设备升级', '处', 'flow', '自然灾害防治'],
  ['emergency_drills', '防汛抗旱应急演练', '次', 'flow', '自然灾害防治'],
  ['emergency_plans_revised', '修订村级应急预案', '份', 'flow', '自然灾害防治'],
  ['ebike_joint_enforcements', '电动自行车隐患联合执法', '次', 'flow', '消防安全'],
  ['ebike_shops_inspected', '检查电动自行车销售门店', '家', 'flow', '消防安全'],
  ['illegal_charging_cases', '查处违规充电行为', '起', 'flow', '消防安全'],
  ['leaflets_distributed', '发放宣传资料', '份', 'flow', '消防安全'],
  ['gas_issues_rectified', '整改燃气安全问题', '项', 'flow', '消防安全'],
  ['gas_alarms_installed', '安装燃气报警器', '户', 'flow', '消防安全'],
  ['rcd_installed', '安装漏电保护器', '个', 'flow', '消防安全'],
  ['rectification_notices', '下达整改通知书', '份', 'flow', '消防安全'],
  ['traffic_violations', '查处超载、酒驾等违法行为', '起', 'flow', '道路交通'],
  ['road_hazards_found', '排查临水临崖道路安全隐患', '处', 'flow', '道路交通'],
  ['road_hazards_fixed', '整治临水临崖道路安全隐患', '处', 'flow', '道路交通'],
  ['warning_signs_added', '增设道路安全警示标志', '个', 'flow', '道路交通'],
  ['food_units_inspected', '检查食品生产经营单位', '家次', 'flow', '食品药品安全'],
  ['food_hazards_found', '发现食品安全隐患', '个', 'flow', '食品药品安全'],
  ['food_hazards_closed', '食品安全隐患整改销号', '个', 'flow', '食品药品安全'],
  ['stability_meetings', '研究部署平安稳定工作', '次', 'flow', '平安稳定'],
  ['stability_issues_logged', '录入平安稳定问题', '条', 'flow', '平安稳定'],
  ['disputes_resolved', '排查化解矛盾纠纷', '件', 'flow', '平安稳定'],
  ['petitions_received', '受理群众来信来访', '件', 'flow', '信访'],
  ['petitions_closed', '办结群众来信来访', '件', 'flow', '信访'],
  ['joint_instructions_handled', '签收办理信访稳定联合调度指令', '件', 'flow', '信访'],
  ['escalated_petitions', '到市进京走访', '件', 'flow', '信访'],
  ['visitors_received', '接访下访群众', '人次', 'flow', '信访'],
  ['visitor_issues_resolved', '解决群众反映问题', '件次', 'flow', '信访'],
  ['veteran_aid_yuan', '发放优抚对象“解三难”补助资金', '元', 'flow', '退役军人'],
];

export const METRICS: readonly Metric[] = ROWS.map(([code, label, unit, kind, section]) => ({
  code,
  label,
  unit,
  kind,
  section,
  valueType: code === 'veteran_aid_yuan' ? 'money' : 'count',
  categories: code === 'disputes_resolved' ? DISPUTE_CATEGORIES : [],
}));

/** Every value key in catalogue order: each metric, followed by its categories. */
export const VALUE_KEYS: readonly ValueKey[] = METRICS.flatMap((metric) => [
  { metric, category: null, key: metric.code, label: metric.label },
  ...metric.categories.map((category) => ({
    metric,
    category,
    key: `${metric.code}.${category.code}`,
    label: `${metric.label}(${category.label})`,
  })),
]).map((k, index) => ({ ...k, index }));

const byKey = new Map(VALUE_KEYS.map((k) => [k.key, k]));

export function valueKey(key: string): ValueKey | undefined {
  return byKey.get(key);
}

/** The result of reading a metric name written by a person (a header or a cell). */
export type MetricReference =
  | { readonly ok: true; readonly target: ValueKey }
  | { readonly ok: false; readonly code: 'UNKNOWN_METRIC' }
  | { readonly ok: false; readonly code: 'UNKNOWN_CATEGORY'; readonly metric: Metric; readonly category: string };

/**
 * Normalises what people write: NFKC folds full-width letters, digits and brackets
 * (（劳动关系） → (劳动关系)); spaces and quotes are dropped (“解三难” or 解三难), commas
 * become 、 and Latin is lower-cased.
 */
export function normaliseName(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s\u200b\ufeff"'“”‘’„‟″]+/g, '')
    .replace(/,/g, '、')
    .toLowerCase();
}

/**
 * Every name a metric may be written as, normalised, made with the first name read: about
 * 500 NFKC normalisations, 1–2 ms at a cold start, that functions which read no file
 * (summaries, the API) never need.
 */
const names = once(() => {
  const units = new Set(METRICS.map((m) => normaliseName(m.unit)));
  const exact = new Map<string, ValueKey>();
  for (const k of VALUE_KEYS) {
    const { metric: m, category: c } = k;
    const written = c
      ? [k.key, `${m.label}(${c.label})`, `${m.label}-${c.label}`, `${m.label}.${c.label}`, `${m.code}(${c.label})`, `${m.code}.${c.label}`]
      : [m.code, m.label];
    for (const name of written) {
      exact.set(normaliseName(name), k);
      // Templates print the unit of measure after the label: 排查一般隐患(处).
      exact.set(normaliseName(`${name}(${m.unit})`), k);
    }
  }
  return { units, exact };
});

/** Resolves a metric code or Chinese label, with or without category and unit. */
export function resolveMetric(text: string): MetricReference {
  const name = normaliseName(text);
  const { exact, units } = names();
  const hit = exact.get(name);
  if (hit) return { ok: true, target: hit };
  // Classify the miss: a known metric with an unknown category is UNKNOWN_CATEGORY.
  const parts = /^(.+?)(?:\.|\(|-)(.+?)\)?$/.exec(name);
  const base = parts ? exact.get(parts[1]!) : undefined;
  if (parts && base && base.category === null) {
    // 排查一般隐患(个): a unit of measure, even a different one, is not a category.
    if (base.metric.categories.length === 0 && units.has(parts[2]!)) return { ok: true, target: base };
    // The category as written (not lower-cased), for the message.
    const written = /^(.+?)(?:\.|\(|-)(.+?)\)?$/.exec(text.normalize('NFKC').replace(/\s+/g, ''))?.[2] ?? parts[2]!;
    return { ok: false, code: 'UNKNOWN_CATEGORY', metric: base.metric, category: written };
  }
  return { ok: false, code: 'UNKNOWN_METRIC' };
}
