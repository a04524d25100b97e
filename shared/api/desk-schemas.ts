/**
 * The clerk's desk's schemas (shared/api/routes/desk.ts): the month's completeness with
 * each unit's figures, the live totals, where the publication stands, the year to date;
 * and the answer of the publish button.
 */
import * as z from 'zod/mini';
import { meta } from './meta.ts';
import { CompletenessBody, CompletenessUnit } from './answer-schemas.ts';
import { MonthParam, OrgParam } from './schemas.ts';
import { SummaryBody } from './summary-schemas.ts';

const DeskUnit = z.extend(CompletenessUnit, {
  values: meta(z.optional(z.record(z.string(), z.number())), {
    description: '该单位本月现行数据（未报则没有）：按指标键，空白未填的键不在其中',
  }),
});

const Publication = meta(
  z.object({
    state: meta(z.enum(['unpublished', 'current', 'changed']), {
      description: 'unpublished：尚未发布；current：已发布的版本与现有数据一致；changed：发布后数据有变更（更正或迟报），待重新发布',
    }),
    revision: meta(z.optional(z.int()), { description: '已发布的最新版本号' }),
    publishedAt: meta(z.optional(z.string()), { description: '该版本的发布时间' }),
    message: meta(z.string(), { description: '中文说明，如“数据已变更，待重新发布（已发布的是第 3 版）。”' }),
  }),
  { id: 'DeskPublication' },
);

export const DeskBody = meta(
  z.extend(CompletenessBody, {
    units: meta(z.array(DeskUnit), { description: '按处理的先后：未报、已退回、待审核、已审核；同一状态内按名录顺序' }),
    publication: Publication,
    publish: meta(
      z.object({ allowed: z.boolean(), reason: meta(z.optional(z.string()), { description: '不能发布的原因（该月尚未结束）' }) }),
      { description: '现在能否发布该月（镇、管理员凭证；该月结束后）' },
    ),
    live: meta(SummaryBody, { description: '按现有数据实时计算的月度汇总（与发布时的算法相同，未发布）' }),
    yearToDate: meta(
      z.object({
        from: MonthParam,
        through: MonthParam,
        summary: meta(SummaryBody, { description: '1 月至本月的累计（年度汇总的算法；各月报送情况在 byMonth 中）' }),
      }),
      { description: '本年累计：1 月至本月' },
    ),
  }),
  { id: 'Desk' },
);

export const PublishBody = meta(
  z.object({
    org: OrgParam,
    period: MonthParam,
    revision: meta(z.int(), { description: '发布后的最新版本号' }),
    published: meta(z.boolean(), { description: 'true：发布了新版本；false：内容与已发布的版本相同，未重新发布' }),
    message: z.string(),
    notices: meta(z.array(z.object({ channel: z.string(), status: z.string() })), {
      description: '邮件、群机器人的发送结果（新版本才发送；未配置则为空）',
    }),
    url: meta(z.string(), { description: '该月已发布的汇总' }),
  }),
  { id: 'PublishResult' },
);
