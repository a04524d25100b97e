/**
 * The API's request and response shapes, as zod schemas: the handler validates requests
 * with them and the OpenAPI document is generated from them (shared/api/openapi.ts), so
 * the two cannot disagree.
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

// ---------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------

export const ErrorBody = meta(
  z.object({ code: meta(z.string(), { examples: ['TOKEN_EXPIRED'] }), message: meta(z.string(), { description: '中文说明' }) }),
  { id: 'Error' },
);

export const Me = meta(
  z.object({
    role: z.enum(['village', 'town', 'district', 'admin']),
    roleName: z.string(),
    unit: z.optional(z.string()),
    unitName: z.optional(z.string()),
    tokenId: z.optional(z.string()),
    expiresAt: z.optional(z.string()),
    town: meta(z.string(), { description: '镇名（区级、管理员：区名）' }),
    /** The node the token is bound to: a unit's or a town's town, or the district. */
    org: z.object({ code: z.string(), name: z.string(), level: z.enum(['town', 'district']) }),
    /** The towns the caller may open (a town: its own; the district and admin: every town). */
    towns: z.array(z.object({ code: z.string(), name: z.string() })),
    /** The month a secretary most likely reports now: the previous month, Beijing time. */
    defaultPeriod: MonthParam,
    now: meta(z.string(), { description: '服务器当前时刻（ISO 8601）' }),
    deadlineDay: z.int(),
    lockDay: meta(z.int(), { description: '锁定日：次月几日之后本单位不能再更正（镇重新打开除外）' }),
    maxFileBytes: z.int(),
  }),
  { id: 'Me' },
);

export const CreatedUpload = meta(
  z.object({
    uploadId: UploadIdParam,
    key: meta(z.string(), { description: 'S3 对象键：incoming/{unit}/{period}/{uploadId}.{ext}' }),
    url: meta(z.url(), { description: '以 multipart/form-data POST 到此地址：先放 fields 中的全部字段，最后放 file' }),
    fields: z.record(z.string(), z.string()),
    expiresAt: z.string(),
    maxBytes: z.int(),
    statusUrl: z.string(),
  }),
  { id: 'CreatedUpload' },
);

export const FindingBody = meta(
  z.object({
    code: z.string(),
    message: z.string(),
    row: meta(z.nullable(z.int()), { description: '行号（表头为第 1 行）或 JSON 记录序号；null 指整个文件' }),
    column: z.nullable(z.string()),
    value: z.nullable(z.string()),
    unit: z.optional(z.string()),
    period: z.optional(z.string()),
    cell: meta(z.optional(z.string()), { description: 'Excel 工作簿中的单元格，如 月报表!E9（整行为 月报表!9:9）' }),
  }),
  { id: 'Finding' },
);

/** One value a correction changed: null where it was (or is now) not reported. */
const ChangeBody = meta(z.object({ key: z.string(), from: z.nullable(z.number()), to: z.nullable(z.number()) }), {
  id: 'Change',
  description: '一项数值的变化；null 表示未报',
});

const UploadedSubmissionBody = z.object({
  unit: z.string(),
  period: MonthParam,
  state: meta(z.enum(['current', 'superseded', 'locked']), {
    description: 'current：已计入；superseded：旧版（按上传先后合并在其位置）；locked：该月已锁定（PERIOD_LOCKED），未计入',
  }),
  version: meta(z.optional(z.int()), { description: '该单位该月的第几版（首次报送为 1）' }),
  changes: meta(z.optional(z.array(ChangeBody)), { description: '与此前现行数据相比的变化（首次报送：全部为新填）' }),
  unchanged: meta(z.optional(z.int()), { description: '未变化的已报数值项数' }),
});

const ReusedObjectBody = z.object({
  key: z.string(),
  versionId: z.optional(z.string()),
  receivedAt: z.string(),
  size: z.int(),
});

export const UploadStatusBody = meta(
  z.object({
    uploadId: UploadIdParam,
    status: z.enum(['pending', 'accepted', 'rejected']),
    unit: z.string(),
    period: z.string(),
    format: z.enum(UPLOAD_FORMATS),
    createdAt: z.string(),
    receivedAt: z.optional(z.string()),
    processedAt: z.optional(z.string()),
    versionId: meta(z.optional(z.string()), { description: '计入的那份文件在 S3 中的版本（桶开启版本控制时）：始终可读回' }),
    errors: z.array(FindingBody),
    warnings: z.array(FindingBody),
    submissions: z.array(UploadedSubmissionBody),
    reused: meta(z.optional(z.array(ReusedObjectBody)), {
      description: '同一次上传又收到的文件（表单被重复提交）：已记录，不计入任何数据（UPLOAD_REUSED）',
    }),
  }),
  { id: 'UploadStatus' },
);

export const SubmissionBody = meta(
  z.object({
    unit: z.string(),
    period: MonthParam,
    uploadId: z.string(),
    receivedAt: z.string(),
    firstReceivedAt: z.string(),
    values: z.record(z.string(), z.number()),
    warnings: z.array(FindingBody),
    version: meta(z.int(), { description: '已合并的版本数（第几版）' }),
  }),
  { id: 'Submission' },
);

/** One accepted upload of a unit-month: what it stated and what it changed. */
export const VersionBody = meta(
  z.object({
    uploadId: z.string(),
    receivedAt: z.string(),
    version: z.int(),
    values: meta(z.record(z.string(), z.number()), { description: '本版填写的数值（未提及的项保持原值）' }),
    cleared: meta(z.array(z.string()), { description: '本版清空（留空或 null）的项' }),
    changes: z.array(ChangeBody),
    unchanged: z.int(),
    warnings: z.array(FindingBody),
  }),
  { id: 'Version' },
);

export const SubmissionsBody = meta(
  z.object({
    unit: z.string(),
    unitName: z.string(),
    period: MonthParam,
    current: z.nullable(SubmissionBody),
    history: meta(z.array(VersionBody), { description: '该月的全部版本，按上传先后：每版所填的数值与它带来的变化' }),
  }),
  { id: 'Submissions' },
);

const CompletenessCounts = z.object({
  expected: z.int(),
  received: z.int(),
  onTime: z.int(),
  late: z.int(),
  missing: z.int(),
  approved: meta(z.int(), { description: '已审核的单位数' }),
  returned: meta(z.int(), { description: '已退回、待重报的单位数' }),
});

/** A unit-month's review state (docs/DOMAIN.md#review). */
export const ReviewStateBody = meta(
  z.object({
    state: meta(z.enum(['missing', 'submitted', 'approved', 'returned']), { description: '未报 / 已报 / 已审核 / 已退回' }),
    version: meta(z.int(), { description: '现行数据的版本（未报为 0）；审核操作须带上所见的版本' }),
    reason: meta(z.optional(z.string()), { description: '退回或重新打开的原因' }),
    reviewedAt: z.optional(z.string()),
    reviewedBy: z.optional(z.string()),
    reopened: meta(z.boolean(), { description: '镇已重新打开该月：锁定日后仍可更正' }),
    locked: meta(z.boolean(), { description: '本单位此刻不能再报送或更正（已审核，或已过锁定日且未重新打开）' }),
  }),
  { id: 'ReviewState' },
);

/** A review's answer: the state, and for a return what became of its notices. */
export const ReviewResultBody = meta(
  z.extend(ReviewStateBody, {
    notices: meta(
      z.optional(
        z.array(
          z.object({
            channel: meta(z.string(), { description: 'mail，或群机器人的 id' }),
            status: meta(z.enum(['sent', 'already-sent', 'busy', 'failed']), {
              description: '已发送 / 此前已发送 / 另一进程正在发送 / 重试后仍失败',
            }),
          }),
        ),
      ),
      { description: '退回通知（邮件、群机器人）的发送结果' },
    ),
  }),
  { id: 'ReviewResult' },
);

/** One month of a unit, as a secretary sees it on login. */
export const UnitMonthBody = meta(
  z.object({
    period: MonthParam,
    review: ReviewStateBody,
    receivedAt: meta(z.optional(z.string()), { description: '最近一次报送的时刻' }),
    firstReceivedAt: z.optional(z.string()),
    onTime: z.optional(z.boolean()),
    deadline: meta(z.string(), { description: '报送截止（ISO 8601）：此刻及以后首次收到的算迟报' }),
    deadlineText: z.string(),
    lockAt: meta(z.string(), { description: '锁定日（ISO 8601）：此刻及以后本单位不能再更正' }),
    lockText: z.string(),
  }),
  { id: 'UnitMonth' },
);

export const UnitMonthsQuery = z.strictObject({ to: meta(z.optional(MonthParam), { description: '列到哪个月（默认：上个月）' }) });

export const UnitMonthsBody = meta(
  z.object({
    unit: z.string(),
    unitName: z.string(),
    town: z.string(),
    months: meta(z.array(UnitMonthBody), { description: '最近的月份在前' }),
  }),
  { id: 'UnitMonths' },
);

/** One event of a unit-month's audit trail. */
const AuditEventBody = meta(
  z.object({
    kind: meta(z.enum(['version', 'approve', 'return', 'reopen', 'refused', 'lock']), {
      description: 'version：一次报送或更正；approve/return/reopen：审核；refused：锁定期间的报送被拒；lock：到锁定日',
    }),
    at: z.string(),
    by: meta(z.string(), { description: '谁（凭证的角色与单位，如“村（社区）EC/V03”）' }),
    version: meta(z.int(), { description: '所涉版本' }),
    reason: z.optional(z.string()),
    uploadId: z.optional(z.string()),
    changes: z.optional(z.array(ChangeBody)),
    unchanged: z.optional(z.int()),
    overrideLock: meta(z.optional(z.boolean()), { description: '管理员在锁定的月份写入（不受锁定约束）' }),
  }),
  { id: 'AuditEvent' },
);

export const HistoryBody = meta(
  z.object({
    unit: z.string(),
    unitName: z.string(),
    period: MonthParam,
    review: ReviewStateBody,
    events: meta(z.array(AuditEventBody), { description: '按时间先后' }),
  }),
  { id: 'History' },
);

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

/** A unit's line of a month's completeness. */
export const CompletenessUnit = z.object({
  unit: meta(z.string(), { description: '单位代码（镇内代码；区级为完整代码 EC/V01）' }),
  fullCode: meta(z.string(), { description: '完整代码 {镇}/{单位}' }),
  town: z.string(),
  name: z.string(),
  status: z.enum(['on_time', 'late', 'missing']),
  firstReceivedAt: z.optional(z.string()),
  receivedAt: z.optional(z.string()),
  uploadId: z.optional(z.string()),
  warnings: z.int(),
  review: ReviewStateBody,
});

export const CompletenessBody = meta(
  z.object({
    org: meta(OrgParam, { description: '镇（街道）或区的代码' }),
    orgName: z.string(),
    level: z.enum(['town', 'district']),
    period: MonthParam,
    deadline: meta(z.string(), { description: '迟报的起点（ISO 8601 时刻）：此刻及以后首次收到的算迟报' }),
    deadlineText: meta(z.string(), { description: '截止日，中文（如“2025年4月5日”）' }),
    units: z.array(CompletenessUnit),
    summary: CompletenessCounts,
    /** The district's: each town's counts and its missing units by name (absent for a town). */
    towns: meta(
      z.optional(
        z.array(
          z.object({
            code: z.string(),
            name: z.string(),
            summary: CompletenessCounts,
            missingUnits: z.array(z.object({ unit: z.string(), name: z.string() })),
            url: meta(z.string(), { description: '该镇的报送情况' }),
          }),
        ),
      ),
      { description: '区级：各镇报送情况（镇级没有此项）' },
    ),
    published: meta(z.nullable(z.object({ revision: z.int(), url: z.string() })), { description: '已发布的月度汇总（未发布为 null）' }),
  }),
  { id: 'Completeness' },
);

export const CatalogueBody = meta(
  z.object({
    metrics: z.array(
      z.object({ code: z.string(), label: z.string(), unit: z.string(), kind: z.enum(['flow', 'stock']), section: z.string() }),
    ),
    keys: z.array(z.object({ key: z.string(), metric: z.string(), label: z.string(), unit: z.string(), category: z.optional(z.string()) })),
  }),
  { id: 'Catalogue' },
);

const UnitEntry = z.object({
  code: meta(z.string(), { description: '单位代码：只有一个镇时为镇内代码（V01），跨镇时为完整代码（EC/V01）' }),
  fullCode: meta(z.string(), { description: '完整代码 {镇}/{单位}' }),
  town: z.string(),
  name: z.string(),
  type: z.string(),
});

export const UnitsBody = meta(
  z.object({
    town: meta(z.string(), { description: '镇名（区级、管理员在多镇部署中：区名）' }),
    org: z.object({ code: z.string(), name: z.string(), level: z.enum(['town', 'district']) }),
    deadlineDay: z.int(),
    units: meta(z.array(UnitEntry), { description: '凭证可见的全部单位（村、社区和镇：本镇；区级、管理员：全区）' }),
    towns: z.array(z.object({ code: z.string(), name: z.string(), units: z.array(UnitEntry) })),
  }),
  { id: 'Units' },
);

// ---------------------------------------------------------------------------------------
// Credentials (admin)
// ---------------------------------------------------------------------------------------

export const TokenIdParam = meta(z.string().check(z.regex(/^[0-9a-f]{16}$/)), {
  description: '凭证编号（16 位十六进制，不是凭证本身）',
  examples: ['77fe49a6f57e73be'],
});

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

const TokenInfoBody = meta(
  z.object({
    tokenId: TokenIdParam,
    role: z.enum(['village', 'town', 'district', 'admin']),
    unit: meta(z.optional(z.string()), { description: 'village 凭证的单位（完整代码 EC/V03）' }),
    town: meta(z.optional(z.string()), { description: 'town 凭证的镇代码' }),
    principal: meta(z.string(), { description: '凭证代表的节点：village:EC/V03、town:EC、district、admin' }),
    createdAt: z.string(),
    expiresAt: z.string(),
    revokedAt: z.optional(z.string()),
    note: z.optional(z.string()),
    status: z.enum(['active', 'expired', 'revoked']),
  }),
  { id: 'TokenInfo' },
);

export const IssuedTokenBody = meta(
  z.object({ token: meta(z.string(), { description: '凭证本身：只在此显示一次，系统只保存摘要' }), info: TokenInfoBody }),
  { id: 'IssuedToken' },
);
export const TokenListQuery = z.object({
  limit: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(1000))),
  cursor: z.optional(z.string().check(z.maxLength(512))),
});
export const TokenListBody = meta(z.object({ tokens: z.array(TokenInfoBody), cursor: z.optional(z.string()) }), { id: 'TokenList' });
export const RevocationBody = meta(z.object({ info: TokenInfoBody, alreadyRevoked: z.boolean() }), { id: 'Revocation' });
