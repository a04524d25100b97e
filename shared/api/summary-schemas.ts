/**
 * The published summary's schema (shared/summary.ts `Summary` and shared/ports/summaries.ts
 * `PublishedSummary`), as the summary routes answer it. Revisions published before a field
 * existed are served as they were stored, so such fields are optional; no field was ever
 * removed, so the objects are closed (the document says `additionalProperties: false`).
 */
import * as z from 'zod/mini';
import { meta } from './meta.ts';
import { FindingBody } from './answer-schemas.ts';
import { OrgParam } from './schemas.ts';

const Figures = z.record(z.string(), z.number());

const Derived = meta(
  z.object({
    rectificationRate: meta(z.nullable(z.number()), { description: '隐患整改率（0–1；无隐患时为 null）' }),
    roadRectificationRate: z.nullable(z.number()),
    foodRectificationRate: z.nullable(z.number()),
    petitionsInProgress: meta(z.number(), { description: '信访办理中：受理数减办结数' }),
  }),
  { id: 'Derived', description: '派生指标' },
);

const Completeness = meta(
  z.object({
    expected: meta(z.int(), { description: '应报单位数（年度：单位月份数）' }),
    submitted: z.int(),
    onTime: z.int(),
    late: z.int(),
    approved: meta(z.optional(z.int()), { description: '已审核的单位月份数（年度：截至已结束的月份）；审核功能上线前发布的版本没有' }),
    missing: meta(z.array(z.string()), { description: '未报的单位（镇级：镇内代码；区级：完整代码）' }),
  }),
  { id: 'SummaryCompleteness', description: '报送情况' },
);

const Comparison = meta(
  z.object({
    period: z.string(),
    comparableUnits: meta(z.optional(z.int()), {
      description: '两期均报送的单位数（只比较这些单位）；此功能上线前的版本没有，其变化不可比',
    }),
    current: meta(z.optional(z.nullable(Figures)), { description: '本期可比单位的合计（null：无可比单位）' }),
    totals: meta(z.nullable(Figures), { description: '对比期可比单位的合计（null：无可比单位，即无数据，不是 0）' }),
    change: meta(z.nullable(Figures), { description: '本期减对比期，只列有变化的指标（null：无可比数据）' }),
  }),
  { id: 'Comparison' },
);

const Flag = meta(
  z.object({
    code: z.enum(['RATE_OVER_100', 'NEGATIVE_IN_PROGRESS', 'OUTLIER']),
    where: meta(z.string(), { description: 'total（本级合计）、单位代码（镇级）或镇代码（区级）' }),
    field: meta(z.string(), { description: '派生指标名（rectificationRate 等），或 OUTLIER 时文件中的列名' }),
    value: meta(z.string(), { description: '所标记的数字（比率为百分数）' }),
    message: meta(z.string(), { description: '中文说明：为什么需要核对' }),
  }),
  { id: 'SummaryFlag' },
);

const Change = meta(
  z.object({
    what: z.enum(['total', 'unit', 'town', 'missing']),
    key: meta(z.optional(z.string()), { description: '指标键（missing 没有）' }),
    unit: meta(z.optional(z.string()), { description: 'what 为 unit 时：单位代码' }),
    town: meta(z.optional(z.string()), { description: 'what 为 town 时：镇代码' }),
    before: z.nullable(z.union([z.number(), z.string()])),
    after: z.nullable(z.union([z.number(), z.string()])),
  }),
  { id: 'SummaryChange', description: '与上一版相比的一项变化（missing：未报单位名单，以“、”分隔）' },
);

/** A published summary, as stored (shared/publish): totals, units, completeness, comparisons, flags, changes. */
export const SummaryBody = meta(
  z.object({
    org: meta(OrgParam, { description: '镇（街道）或区的代码' }),
    level: z.enum(['town', 'district']),
    kind: z.enum(['monthly', 'annual']),
    period: z.string(),
    revision: meta(z.optional(z.int()), { description: '已发布的版本号（?approved=only 的实时汇总没有）' }),
    publishedAt: meta(z.optional(z.string()), { description: '发布时间（?approved=only 的实时汇总没有）' }),
    version: meta(z.optional(z.int()), { description: '生成时汇总数据的版本（计入的变更数）；已发布的版本才有' }),
    reviewAsOf: meta(z.optional(z.string()), { description: '已发布的版本所载审核状态的时刻（即发布时间；此后的审核见 ?approved=only）' }),
    changes: meta(z.optional(z.array(Change)), { description: '与上一版相比的变化（第 1 版为空）；已发布的版本才有' }),
    basis: meta(z.optional(z.enum(['approved'])), {
      description: 'approved：只计已审核的单位月份（?approved=only）；没有此项：全部现行数据',
    }),
    leftOut: meta(z.optional(z.array(z.string())), {
      description: '?approved=only：未计入的单位（未报、已报未审核或已退回；年度：至少有一个月未计入）',
    }),
    totals: Figures,
    derived: Derived,
    units: meta(z.record(z.string(), Figures), { description: '镇级：各单位的数值（按镇内代码）；区级为空（各单位数值见各镇的汇总）' }),
    completeness: meta(Completeness, { description: '报送情况；区级另在 towns 中按镇给出' }),
    byMonth: meta(z.optional(z.record(z.string(), Completeness)), { description: '年度：各月的报送情况（按月份 YYYY-MM）' }),
    review: meta(z.optional(z.record(z.string(), z.enum(['missing', 'submitted', 'approved', 'returned']))), {
      description: '镇级月度：各单位该月的审核状态（未报 / 已报 / 已审核 / 已退回，按镇内代码）',
    }),
    approvedMonths: meta(z.optional(z.record(z.string(), z.int())), { description: '镇级年度：各单位已审核的月数（按镇内代码）' }),
    towns: meta(
      z.optional(z.record(z.string(), z.object({ name: z.string(), totals: Figures, derived: Derived, completeness: Completeness }))),
      { description: '区级：各镇的合计、派生指标和报送情况（按镇代码；未报单位为完整代码）' },
    ),
    warnings: meta(z.optional(z.array(FindingBody)), { description: '镇级月度：各单位现行文件的警告（按名录顺序）' }),
    comparisons: meta(z.optional(z.object({ previousMonth: Comparison, sameMonthLastYear: Comparison })), {
      description: '月度：较上月、较上年同月，只比较两期均报送的单位',
    }),
    flags: meta(z.optional(z.array(Flag)), {
      description: '需要核对的数字（整改率超过 100%、办理中为负数、明显偏离本单位历史的数值）；此功能上线前的版本没有',
    }),
    unreported: meta(z.optional(z.array(z.string())), {
      description: '无任何单位报送的指标（totals 中为 0，但并非报送了 0）；此功能上线前的版本没有',
    }),
  }),
  { id: 'Summary' },
);
