/**
 * One example per JSON answer of the OpenAPI document, by the answer's schema id: a town
 * of the sample district (鹅池镇 EC of 黔江区 QJ, config/district.json) in March 2025,
 * shortened (two units, a few figures). Hand-written, and validated against the schemas
 * by tests/unit/openapi-contract.test.ts, so they cannot drift from what the API sends.
 */
import * as z from 'zod/mini';
import { GATEWAY_MESSAGES } from './gateway-schemas.ts';

const FIGURES = { petitions_received: 7, petitions_closed: 5, general_hazards_found: 3 };
const REVIEW = { state: 'submitted', version: 1, reopened: false, locked: false };
const TOKEN_INFO = {
  tokenId: '77fe49a6f57e73be',
  role: 'village',
  unit: 'EC/V03',
  principal: 'village:EC/V03',
  createdAt: '2025-04-01T02:00:00.000Z',
  expiresAt: '2025-06-30T02:00:00.000Z',
  note: '石柱村 张书记',
  status: 'active',
};
const FINDING = {
  code: 'LATE',
  message: '2025-03 的数据在截止日之后收到，记为迟报。',
  row: null,
  column: null,
  value: null,
  unit: 'EC/V03',
  period: '2025-03',
};
const COMPLETENESS = {
  org: 'EC',
  orgName: '鹅池镇',
  level: 'town',
  period: '2025-03',
  deadline: '2025-04-04T16:00:00.000Z',
  deadlineText: '2025年4月5日',
  units: [
    {
      unit: 'V01',
      fullCode: 'EC/V01',
      town: 'EC',
      name: '鹅池社区',
      status: 'on_time',
      firstReceivedAt: '2025-04-02T02:00:00.000Z',
      receivedAt: '2025-04-02T02:00:00.000Z',
      uploadId: 'mhx2k9q1-0001a1b2c3d4e5f6',
      warnings: 0,
      review: REVIEW,
    },
    {
      unit: 'V02',
      fullCode: 'EC/V02',
      town: 'EC',
      name: '南溪村',
      status: 'missing',
      warnings: 0,
      review: { ...REVIEW, state: 'missing', version: 0 },
    },
  ],
  summary: { expected: 2, received: 1, onTime: 1, late: 0, missing: 1, approved: 0, returned: 0 },
  published: null,
};
const SUMMARY_COMPLETENESS = { expected: 2, submitted: 1, onTime: 1, late: 0, approved: 0, missing: ['V02'] };
const DERIVED = { rectificationRate: null, roadRectificationRate: null, foodRectificationRate: null, petitionsInProgress: 2 };
const COMPARISON = {
  period: '2025-02',
  comparableUnits: 1,
  current: FIGURES,
  totals: { petitions_received: 4 },
  change: { petitions_received: 3 },
};
const SUMMARY = {
  org: 'EC',
  level: 'town',
  kind: 'monthly',
  period: '2025-03',
  revision: 1,
  publishedAt: '2025-04-06T00:00:00.000Z',
  version: 1,
  reviewAsOf: '2025-04-06T00:00:00.000Z',
  changes: [],
  totals: FIGURES,
  derived: DERIVED,
  units: { V01: FIGURES },
  completeness: SUMMARY_COMPLETENESS,
  review: { V01: 'submitted', V02: 'missing' },
  warnings: [FINDING],
  comparisons: {
    previousMonth: COMPARISON,
    sameMonthLastYear: { period: '2024-03', comparableUnits: 0, current: null, totals: null, change: null },
  },
  flags: [],
  unreported: ['legal_literates'],
};
const VERSION = {
  uploadId: 'mhx2k9q1-0001a1b2c3d4e5f6',
  receivedAt: '2025-04-02T02:00:00.000Z',
  version: 1,
  values: FIGURES,
  cleared: [],
  changes: [{ key: 'petitions_received', from: null, to: 7 }],
  unchanged: 0,
  warnings: [],
};
const UNIT_MONTH = {
  period: '2025-03',
  review: REVIEW,
  receivedAt: '2025-04-02T02:00:00.000Z',
  firstReceivedAt: '2025-04-02T02:00:00.000Z',
  onTime: true,
  deadline: '2025-04-04T16:00:00.000Z',
  deadlineText: '2025年4月5日',
  lockAt: '2025-04-19T16:00:00.000Z',
  lockText: '2025年4月20日',
};

const EXAMPLES: Readonly<Record<string, unknown>> = {
  Me: {
    role: 'village',
    roleName: '村（社区）',
    unit: 'EC/V03',
    unitName: '石柱村',
    tokenId: '77fe49a6f57e73be',
    expiresAt: '2025-06-30T02:00:00.000Z',
    town: '鹅池镇',
    org: { code: 'EC', name: '鹅池镇', level: 'town' },
    towns: [{ code: 'EC', name: '鹅池镇' }],
    defaultPeriod: '2025-03',
    now: '2025-04-03T01:00:00.000Z',
    deadlineDay: 5,
    lockDay: 20,
    maxFileBytes: 5242880,
  },
  Catalogue: {
    metrics: [{ code: 'legal_literates', label: '法律明白人人数', unit: '人', kind: 'stock', section: '法治队伍与学法' }],
    keys: [{ key: 'legal_literates', metric: 'legal_literates', label: '法律明白人人数', unit: '人' }],
  },
  Units: {
    town: '鹅池镇',
    org: { code: 'EC', name: '鹅池镇', level: 'town' },
    deadlineDay: 5,
    units: [{ code: 'V01', fullCode: 'EC/V01', town: 'EC', name: '鹅池社区', type: 'community' }],
    towns: [{ code: 'EC', name: '鹅池镇', units: [{ code: 'V01', fullCode: 'EC/V01', town: 'EC', name: '鹅池社区', type: 'community' }] }],
  },
  CreatedUpload: {
    uploadId: 'mhx2k9q1-0001a1b2c3d4e5f6',
    key: 'incoming/EC/V03/2025-03/mhx2k9q1-0001a1b2c3d4e5f6.csv',
    url: 'https://cunbao-bucket.s3.cn-northwest-1.amazonaws.com.cn/',
    fields: { key: 'incoming/EC/V03/2025-03/mhx2k9q1-0001a1b2c3d4e5f6.csv', 'Content-Type': 'text/csv' },
    expiresAt: '2025-04-03T01:15:00.000Z',
    maxBytes: 5242880,
    statusUrl: '/v1/uploads/mhx2k9q1-0001a1b2c3d4e5f6',
  },
  UploadStatus: {
    uploadId: 'mhx2k9q1-0001a1b2c3d4e5f6',
    status: 'accepted',
    unit: 'EC/V03',
    period: '2025-03',
    format: 'csv',
    createdAt: '2025-04-03T01:00:00.000Z',
    receivedAt: '2025-04-03T01:00:05.000Z',
    processedAt: '2025-04-03T01:00:06.000Z',
    errors: [],
    warnings: [],
    submissions: [
      {
        unit: 'EC/V03',
        period: '2025-03',
        state: 'current',
        version: 1,
        changes: [{ key: 'petitions_received', from: null, to: 7 }],
        unchanged: 0,
      },
    ],
  },
  Summary: SUMMARY,
  Submissions: {
    unit: 'EC/V01',
    unitName: '鹅池社区',
    period: '2025-03',
    current: {
      unit: 'EC/V01',
      period: '2025-03',
      uploadId: 'mhx2k9q1-0001a1b2c3d4e5f6',
      receivedAt: '2025-04-02T02:00:00.000Z',
      firstReceivedAt: '2025-04-02T02:00:00.000Z',
      values: FIGURES,
      warnings: [],
      version: 1,
    },
    history: [VERSION],
  },
  UnitMonths: { unit: 'EC/V01', unitName: '鹅池社区', town: 'EC', months: [UNIT_MONTH] },
  History: {
    unit: 'EC/V01',
    unitName: '鹅池社区',
    period: '2025-03',
    review: REVIEW,
    events: [
      {
        kind: 'version',
        at: '2025-04-02T02:00:00.000Z',
        by: '村（社区）EC/V01',
        version: 1,
        uploadId: 'mhx2k9q1-0001a1b2c3d4e5f6',
        changes: VERSION.changes,
        unchanged: 0,
      },
    ],
  },
  ReviewResult: {
    state: 'returned',
    version: 1,
    reason: '信访办结数多于受理数，请核对',
    reviewedAt: '2025-04-03T01:00:00.000Z',
    reviewedBy: '镇 EC',
    reopened: false,
    locked: false,
    notices: [{ channel: 'mail', status: 'sent' }],
  },
  Completeness: COMPLETENESS,
  Desk: {
    ...COMPLETENESS,
    units: [{ ...COMPLETENESS.units[1] }, { ...COMPLETENESS.units[0], values: FIGURES }],
    publication: { state: 'unpublished', message: '尚未发布。' },
    publish: { allowed: true },
    live: { ...SUMMARY, revision: undefined, publishedAt: undefined, version: undefined, reviewAsOf: undefined, changes: undefined },
    yearToDate: {
      from: '2025-01',
      through: '2025-03',
      summary: {
        org: 'EC',
        level: 'town',
        kind: 'annual',
        period: '2025',
        totals: FIGURES,
        derived: DERIVED,
        units: { V01: FIGURES },
        completeness: { ...SUMMARY_COMPLETENESS, expected: 6, submitted: 3, onTime: 3 },
        approvedMonths: { V01: 0, V02: 0 },
        byMonth: { '2025-03': SUMMARY_COMPLETENESS },
        flags: [],
        unreported: [],
      },
    },
  },
  PublishResult: {
    org: 'EC',
    period: '2025-03',
    revision: 1,
    published: true,
    message: '已发布鹅池镇2025年3月汇总第 1 版。',
    notices: [{ channel: 'mail', status: 'sent' }],
    url: '/v1/orgs/EC/summaries/monthly/2025-03',
  },
  IssuedToken: { token: 'cb_5mDq0…', info: TOKEN_INFO },
  TokenList: { tokens: [TOKEN_INFO], cursor: 'eyJQSyI6IlRPS0VOIn0' },
  Revocation: { info: { ...TOKEN_INFO, revokedAt: '2025-04-03T01:00:00.000Z', status: 'revoked' }, alreadyRevoked: false },
  // The document itself (GET /v1/openapi.json), its beginning.
  openapi: { openapi: '3.1.0', info: { title: '村报 API', version: '1' } },
};

/** The example of a route's JSON answer: by its schema's id, or by the route's name for an inline schema. */
export function okExample(schema: z.ZodMiniType, route: string): unknown {
  return JSON.parse(JSON.stringify(EXAMPLES[z.globalRegistry.get(schema)?.id ?? route] ?? null));
}

/** The API's `{code, message}`, one per status. */
export const ERROR_EXAMPLES: Readonly<Record<number, { code: string; message: string }>> = {
  400: { code: 'PARAMETER_INVALID', message: '月份应写成 YYYY-MM，如 2025-03' },
  401: { code: 'TOKEN_EXPIRED', message: '凭证已于 2025-03-31 过期，请联系镇管理员重新发放。' },
  403: { code: 'ROLE_FORBIDDEN', message: '区级凭证不能上传文件（区级只能查看汇总，不能报送）。' },
  404: { code: 'UNIT_UNKNOWN', message: '没有代码为“V99”的填报单位，请核对单位代码。' },
  409: { code: 'PERIOD_LOCKED', message: '石柱村 2025年3月的数据已经镇审核，不能再报送或更正。如确需更正，请联系镇里“重新打开”该月。' },
  413: { code: 'BODY_TOO_LARGE', message: '请求内容太大（上限 16 KB）。文件不要放在请求里：先申请上传，再把文件直接传到返回的地址。' },
  429: { code: 'TOO_MANY_REQUESTS', message: '请求太多，请稍候几秒再试。' },
  500: { code: 'INTERNAL', message: '服务器内部错误，请稍后重试；如一再出现，请联系镇管理员。' },
};

/** API Gateway's `{message}`, by status. */
export const GATEWAY_EXAMPLES = Object.fromEntries(Object.entries(GATEWAY_MESSAGES).map(([s, message]) => [s, { message }])) as {
  readonly [S in keyof typeof GATEWAY_MESSAGES]: { readonly message: string };
};
