/**
 * What the API answers, as zod schemas: the OpenAPI document is generated from them and
 * the contract tests check every route's live answers against it. Nothing at run time
 * parses an answer, so the api's cold start never makes these (about 200 schemas, some
 * 10 ms of a cold start): a route names its answer (answers.ts) and its handler uses the
 * types only (`import type`). Loaded with the OpenAPI document.
 */
import * as z from 'zod/mini';
import { UPLOAD_FORMATS } from '../layout.ts';
import { meta } from './meta.ts';
import { MonthParam, OrgParam, TokenIdParam, UploadIdParam } from './schemas.ts';

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

export const TokenListBody = meta(z.object({ tokens: z.array(TokenInfoBody), cursor: z.optional(z.string()) }), { id: 'TokenList' });

export const RevocationBody = meta(z.object({ info: TokenInfoBody, alreadyRevoked: z.boolean() }), { id: 'Revocation' });
