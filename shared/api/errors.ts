/**
 * The API's errors: a stable code, a Chinese message a secretary or an officer can act
 * on, and the HTTP status. Every error a request can meet is mapped here, in one place;
 * anything else is a 500 whose details go to the log, never to the caller.
 */
// The error class from zod's core by name: `z.core.` of zod/mini's namespace would bundle all of core, its locales included.
import { $ZodError } from 'zod/v4/core';
import { IssueError } from '../auth/principals.ts';
import { TokenError } from '../auth/tokens.ts';
import { ReviewError } from '../review/review.ts';

/**
 * Every code the API answers with, its status and when (in Chinese: the OpenAPI document
 * lists them, shared/api/openapi.ts). The status lives here only: an error is made by its
 * code.
 */
export const API_ERROR_CODES = {
  BODY_INVALID: { status: 400, when: '请求内容不是有效的 JSON' },
  BODY_TOO_LARGE: { status: 413, when: '请求内容超过 16 KB' },
  PARAMETER_INVALID: { status: 400, when: '路径、查询参数或请求字段不正确' },
  PERIOD_REQUIRED: { status: 400, when: '村（社区）上传时没有给出月份' },
  PERIOD_IN_FUTURE: { status: 400, when: '月份还没到' },
  UNIT_UNKNOWN: { status: 404, when: '单位不在名录中（或不在所指的镇）' },
  UNIT_FORBIDDEN: { status: 403, when: '村（社区）凭证用于别的单位' },
  UNIT_AMBIGUOUS: { status: 400, when: '短代码或名称在多个镇都有：请写完整代码 EC/V01 或指明镇' },
  TOWN_UNKNOWN: { status: 404, when: '镇（街道）代码不在名录中' },
  TOWN_FORBIDDEN: { status: 403, when: '镇凭证用于别的镇（或区）的单位、汇总、报送情况' },
  ORG_UNKNOWN: { status: 404, when: '路径中的镇或区代码不在名录中' },
  ROLE_FORBIDDEN: { status: 403, when: '凭证的角色不能调用此接口' },
  FILE_TOO_LARGE: { status: 413, when: '文件超过上限' },
  PERIOD_LOCKED: { status: 409, when: '该月已审核，或已过锁定日且镇未重新打开：本单位和镇不能再报送或更正' },
  UPLOAD_NOT_FOUND: { status: 404, when: '没有这个上传，或它不属于本凭证可见的单位、镇' },
  UPLOAD_EXISTS: { status: 409, when: '上传编号已存在' },
  TOKEN_NOT_FOUND: { status: 404, when: '没有这个凭证编号' },
  REASON_REQUIRED: { status: 400, when: '退回或重新打开时没有写原因（或原因过长）' },
  REVIEW_CONFLICT: { status: 409, when: '审核人看到的版本已被更正替换：请刷新后再审核' },
  REVIEW_STATE: { status: 409, when: '该月的状态不允许此操作（如未报不能审核、已审核要先重新打开才能退回）' },
  SUMMARY_NOT_PUBLISHED: { status: 404, when: '该期汇总尚未发布' },
  PERIOD_NOT_OVER: { status: 409, when: '该月尚未结束，不能发布其汇总' },
  NOT_FOUND: { status: 404, when: '没有这个接口地址' },
  METHOD_NOT_ALLOWED: { status: 405, when: '此地址不支持该请求方法' },
  TOO_MANY_REQUESTS: { status: 429, when: '请求太多，稍候再试' },
  INTERNAL: { status: 500, when: '服务器内部错误' },
} as const satisfies Record<string, { status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 429 | 500; when: string }>;

type ApiErrorCode = keyof typeof API_ERROR_CODES;

class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.status = API_ERROR_CODES[code].status;
  }
}

/** AWS errors that mean "slow down" (DynamoDB, S3): the caller may retry shortly. */
const THROTTLED = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'SlowDown',
  'TooManyRequestsException',
]);

export interface ErrorAnswer {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly headers?: Record<string, string>;
  /** For the log only: what went wrong inside. */
  readonly internal?: unknown;
}

/** What the caller is told about an error. */
export function answerOf(error: unknown): ErrorAnswer {
  if (error instanceof ApiError) return { status: error.status, code: error.code, message: error.message };
  if (error instanceof TokenError)
    return { status: 401, code: error.code, message: error.message, headers: { 'www-authenticate': 'Bearer realm="cunbao"' } };
  if (error instanceof IssueError) return { status: 400, code: error.code, message: error.message };
  if (error instanceof ReviewError) return { status: API_ERROR_CODES[error.code].status, code: error.code, message: error.message };
  if (error instanceof $ZodError) return { status: 400, code: 'PARAMETER_INVALID', message: zodMessage(error) };
  if (error instanceof Error && THROTTLED.has(error.name)) {
    return {
      status: 429,
      code: 'TOO_MANY_REQUESTS',
      message: '请求太多，请稍候几秒再试。',
      headers: { 'retry-after': '2' },
      internal: error,
    };
  }
  return { status: 500, code: 'INTERNAL', message: '服务器内部错误，请稍后重试；如一再出现，请联系镇管理员。', internal: error };
}

const FIELD_NAMES: Record<string, string> = {
  role: '角色',
  expires: '有效期',
  note: '备注',
  tokenId: '凭证编号',
  limit: '条数',
  cursor: '翻页位置',
  period: '月份',
  unit: '单位',
  format: '格式',
  size: '文件大小',
  month: '月份',
  year: '年份',
  uploadId: '上传编号',
  layout: '模板样式',
  org: '镇或区代码',
  town: '镇代码',
  chart: '图表',
  view: '版式',
  metric: '指标代码（见 /v1/catalogue）',
};

/** A zod error in Chinese: which field, what was expected. */
function zodMessage(error: $ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const field = issue.path.map(String).join('.');
      const name = FIELD_NAMES[field] ?? field;
      if (issue.code === 'unrecognized_keys') return `不认识的字段：${issue.keys.join('、')}`;
      if (issue.code === 'invalid_value') return `${name}只能是 ${issue.values.map(String).join('、')}`;
      if (field === 'period' || field === 'month') return `${name}应写成 YYYY-MM，如 2025-03`;
      if (field === 'year') return `${name}应写成四位数字，如 2025`;
      if (issue.code === 'invalid_type' && issue.input === undefined) return `缺少${name}`;
      return `${name || '请求'}不正确`;
    })
    .join('；');
}

export const apiErrors = {
  bodyInvalid: (why: string) => new ApiError('BODY_INVALID', `请求内容不是有效的 JSON：${why}`),
  bodyTooLarge: (limit: number) =>
    new ApiError(
      'BODY_TOO_LARGE',
      `请求内容太大（上限 ${Math.round(limit / 1024)} KB）。文件不要放在请求里：先申请上传，再把文件直接传到返回的地址。`,
    ),
  periodRequired: () => new ApiError('PERIOD_REQUIRED', '请选择报送月份（YYYY-MM）。'),
  periodInFuture: (period: string) => new ApiError('PERIOD_IN_FUTURE', `${period} 还没到，不能报送未来月份。`),
  unitUnknown: (unit: string) => new ApiError('UNIT_UNKNOWN', `没有代码为“${unit}”的填报单位，请核对单位代码。`),
  unitForbidden: (own: string, asked: string) =>
    new ApiError('UNIT_FORBIDDEN', `本凭证属于 ${own}，只能报送和查看本单位的数据，不能用于 ${asked}。`),
  unitAmbiguous: (unit: string, candidates: readonly string[]) =>
    new ApiError('UNIT_AMBIGUOUS', `单位“${unit}”在多个镇都有（${candidates.join('、')}），请写完整代码（如 ${candidates[0]}）或指明镇。`),
  townUnknown: (town: string) => new ApiError('TOWN_UNKNOWN', `没有代码为“${town}”的镇（街道），请核对代码。`),
  townForbidden: (own: string, asked: string) =>
    new ApiError('TOWN_FORBIDDEN', `本凭证属于${own}，只能报送和查看本镇的数据，不能用于 ${asked}。`),
  orgUnknown: (org: string) => new ApiError('ORG_UNKNOWN', `没有代码为“${org}”的镇（街道）或区，请核对代码（如 EC、QJ）。`),
  roleForbidden: (roleName: string, what: string) => new ApiError('ROLE_FORBIDDEN', `${roleName}凭证不能${what}。`),
  fileTooLarge: (size: number, max: number) =>
    new ApiError('FILE_TOO_LARGE', `文件有 ${mib(size)}，超过上限 ${mib(max)}。请删去多余的工作表内容、图片或空行后另存为 CSV 再传。`),
  periodLocked: (what: string, why: string) =>
    new ApiError('PERIOD_LOCKED', `${what}${why}，不能再报送或更正。如确需更正，请联系镇里“重新打开”该月。`),
  uploadNotFound: (id: string) => new ApiError('UPLOAD_NOT_FOUND', `找不到上传编号 ${id}（或它不属于本凭证的单位、镇）。`),
  uploadExists: (id: string) => new ApiError('UPLOAD_EXISTS', `上传编号 ${id} 已存在，请重新申请上传。`),
  periodNotOver: (why: string) => new ApiError('PERIOD_NOT_OVER', why),
  cursorInvalid: () => new ApiError('PARAMETER_INVALID', '翻页位置（cursor）不正确：请用上一页返回的 cursor，或不带它从第一页开始。'),
  summaryNotPublished: (what: string) =>
    new ApiError('SUMMARY_NOT_PUBLISHED', `${what}的汇总尚未发布。月度汇总在次月6日8时发布，年度汇总在次年1月6日发布。`),
  chartDistrictOnly: (org: string) =>
    new ApiError('PARAMETER_INVALID', `各镇对比图（towns）只有全区才有；${org}请看本镇各单位对比（units）。`),
  tokenNotFound: (id: string) => new ApiError('TOKEN_NOT_FOUND', `没有编号为 ${id} 的凭证。`),
  notFound: () => new ApiError('NOT_FOUND', '没有这个接口地址。'),
  methodNotAllowed: (method: string) => new ApiError('METHOD_NOT_ALLOWED', `此地址不支持 ${method} 请求。`),
} as const;

function mib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
