/**
 * The API's request shapes (path parameters, queries, bodies), as zod schemas: the
 * handler validates requests with them and the OpenAPI document is generated from them
 * (shared/api/openapi.ts), so the two cannot disagree. What the API answers is described
 * in answer-schemas.ts, which the api's cold start does not load.
 */
// zod/mini, as the rest of the code base: these schemas are in the api's cold start, and classic zod's methods are not tree-shaken.
import * as z from 'zod/mini';
import { meta } from './meta.ts';
import { UPLOAD_FORMATS } from '../layout.ts';

// ---------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------

export const MonthParam = meta(z.string().check(z.regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/)), {
  description: '月份，YYYY-MM（如 2025-03）',
  examples: ['2025-03'],
});
export const YearParam = meta(z.string().check(z.regex(/^[0-9]{4}$/)), { description: '年份，YYYY', examples: ['2025'] });
export const UnitParam = meta(z.string().check(z.regex(/^[A-Za-z0-9_]{1,32}$/)), { description: '单位代码（如 V03）', examples: ['V03'] });
export const TownParam = meta(z.string().check(z.regex(/^[A-Z][A-Z0-9_]{1,15}$/)), {
  description: '镇（街道）代码，如 EC',
  examples: ['EC'],
});
/** A town's code or the district's: the node a summary or a completeness belongs to. */
export const OrgParam = meta(z.string().check(z.regex(/^[A-Z][A-Z0-9_]{1,15}$/)), {
  description: '镇（街道）或区的代码，如 EC、QJ',
  examples: ['EC'],
});
export const UploadIdParam = meta(z.string().check(z.regex(/^[a-z0-9-]{8,64}$/)), {
  description: '上传编号',
  examples: ['mhx2k9q1-0001a1b2c3d4e5f6'],
});
export const TokenIdParam = meta(z.string().check(z.regex(/^[0-9a-f]{16}$/)), {
  description: '凭证编号（16 位十六进制，不是凭证本身）',
  examples: ['77fe49a6f57e73be'],
});

// ---------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------

const FormatQuery = z.object({
  format: meta(z._default(z.enum(['json', 'csv', 'xlsx']), 'json'), {
    description: 'json（默认）、csv（UTF-8 带 BOM，可直接用 Excel 打开）或 xlsx（Excel 工作簿：每个单位一列，未报的单位标明“未报”）',
  }),
});
/** The annual report's query: its format. */
export const ReportQuery = z.strictObject({
  format: meta(z._default(z.enum(['md', 'html', 'docx']), 'docx'), {
    description: 'docx（默认：Word/WPS 文档，带标题、正文、统计表和图）、html（带图表）或 md（Markdown，无图）',
  }),
});
/** A summary's query: its format, and approved figures only (docs/DOMAIN.md#review). */
export const SummaryQuery = z.extend(FormatQuery, {
  approved: meta(z.optional(z.enum(['only'])), {
    description: 'only：只计已审核的单位月份，按现行数据实时汇总（不是已发布的版本），并列出未计入的单位',
  }),
});
export const TemplateQuery = z.object({
  unit: meta(z.optional(UnitParam), { description: '单位代码；村（社区）凭证默认且只能是本单位' }),
  layout: meta(z._default(z.enum(['long', 'wide']), 'long'), {
    description: 'long：一行一个指标（默认，适合一个单位）；wide：一行一个单位',
  }),
  format: meta(z._default(z.enum(['csv', 'xlsx']), 'csv'), {
    description: 'csv（默认，UTF-8 带 BOM）或 xlsx（Excel 工作簿：表头冻结、代码和名称锁定、数值校验、附填表说明）',
  }),
});
export const UnitMonthsQuery = z.strictObject({ to: meta(z.optional(MonthParam), { description: '列到哪个月（默认：上个月）' }) });
export const TokenListQuery = z.object({
  limit: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(1000))),
  cursor: z.optional(z.string().check(z.maxLength(512))),
});

// ---------------------------------------------------------------------------------------
// Bodies
// ---------------------------------------------------------------------------------------

/** The largest JSON body the API reads (an upload request is a few dozen bytes). */
export const MAX_BODY_BYTES = 16 * 1024;

export const CreateUploadRequest = meta(
  z.strictObject({
    period: meta(z.optional(MonthParam), { description: '文件所属月份；村（社区）必填，镇可省略（文件含多个月时）' }),
    unit: meta(z.optional(z.string().check(z.minLength(1), z.maxLength(64))), {
      description:
        '单位代码（本镇代码、完整代码 EC/V01、12位区划代码或名称）；村（社区）只能是本单位（可省略），镇可省略（文件含多个单位时）',
    }),
    town: meta(z.optional(TownParam), { description: '镇代码：管理员上传时，文件中的短代码和名称按此镇解读' }),
    format: meta(z.enum(UPLOAD_FORMATS), { description: '文件格式：csv、json，或 Excel 工作簿 xlsx' }),
    size: meta(z.optional(z.int().check(z.gte(1))), { description: '文件字节数（可选）：超过上限时立即告知，不必等上传' }),
  }),
  { id: 'CreateUploadRequest' },
);

export type CreateUploadRequest = z.infer<typeof CreateUploadRequest>;

export const ReviewRequest = meta(
  z.strictObject({
    action: z.enum(['approve', 'return', 'reopen']),
    version: meta(z.int().check(z.gte(0)), {
      description: '审核人看到的版本（ReviewState.version）：其间若有更正，操作失败（REVIEW_CONFLICT）',
    }),
    reason: meta(z.optional(z.string().check(z.maxLength(500))), { description: '退回、重新打开时必填' }),
  }),
  { id: 'ReviewRequest' },
);

export const IssueTokenRequest = meta(
  z.strictObject({
    role: meta(z.string(), { description: 'village、town、district 或 admin' }),
    unit: meta(z.optional(z.string().check(z.maxLength(64))), {
      description: 'village 凭证的单位：完整代码 EC/V03、区划代码，或 town 所指镇（只有一个镇时为该镇）内的代码或名称',
    }),
    town: meta(z.optional(TownParam), { description: 'town 凭证的镇（多镇部署必填）；village 凭证按此镇解读单位代码' }),
    expires: meta(z.optional(z.string().check(z.maxLength(64))), {
      description: '有效期：90d、12h、2025-12-31 或带时区的时间；默认 90d，最长一年',
    }),
    note: meta(z.optional(z.string().check(z.maxLength(400))), { description: '持有人备注，如“石柱村 张书记”' }),
  }),
  { id: 'IssueTokenRequest' },
);
