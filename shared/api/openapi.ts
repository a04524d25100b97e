/**
 * The OpenAPI 3.1 document of the API, generated from the route table and the same zod
 * schemas that validate the requests (OpenAPI 3.1 schemas are JSON Schema 2020-12, what
 * `z.toJSONSchema` writes).
 */
import * as z from 'zod';
import { ROUTES, type RouteName } from './routes.ts';
import * as S from './schemas.ts';

interface Operation {
  readonly path?: Record<string, z.ZodType>;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  /** The 2xx answer: a schema (JSON), or a content type with a description. */
  readonly ok: { readonly status: number; readonly schema?: z.ZodType; readonly csv?: boolean; readonly html?: boolean; readonly description: string };
  readonly errors: readonly number[];
  readonly etag?: boolean;
}

const AUTH_ERRORS = [401, 403, 429] as const;

const OPERATIONS: Record<RouteName, Operation> = {
  page: { ok: { status: 200, html: true, description: '填报页面' }, errors: [] },
  openapi: { ok: { status: 200, description: '本文档' }, errors: [] },
  me: { ok: { status: 200, schema: S.Me, description: '凭证信息' }, errors: AUTH_ERRORS },
  catalogue: { ok: { status: 200, schema: S.CatalogueBody, description: '指标目录' }, errors: AUTH_ERRORS },
  units: { ok: { status: 200, schema: S.UnitsBody, description: '单位名录' }, errors: AUTH_ERRORS },
  template: { path: { period: S.MonthParam }, query: S.TemplateQuery, ok: { status: 200, csv: true, description: 'CSV 模板（UTF-8 带 BOM）' }, errors: [400, ...AUTH_ERRORS, 404] },
  createUpload: { body: S.CreateUploadRequest, ok: { status: 201, schema: S.CreatedUpload, description: '预签名 POST：把 fields 与文件以 multipart/form-data 提交到 url' }, errors: [400, ...AUTH_ERRORS, 404, 409, 413] },
  getUpload: { path: { uploadId: S.UploadIdParam }, ok: { status: 200, schema: S.UploadStatusBody, description: '处理结果' }, errors: [400, ...AUTH_ERRORS, 404] },
  monthlySummary: { path: { month: S.MonthParam }, query: S.FormatQuery, ok: { status: 200, schema: S.SummaryBody, csv: true, description: '月度汇总' }, errors: [400, ...AUTH_ERRORS, 404], etag: true },
  annualSummary: { path: { year: S.YearParam }, query: S.FormatQuery, ok: { status: 200, schema: S.SummaryBody, csv: true, description: '年度汇总' }, errors: [400, ...AUTH_ERRORS, 404], etag: true },
  submissions: { path: { unit: S.UnitParam, month: S.MonthParam }, ok: { status: 200, schema: S.SubmissionsBody, description: '现行报送与历史' }, errors: [400, ...AUTH_ERRORS, 404] },
  completeness: { path: { month: S.MonthParam }, ok: { status: 200, schema: S.CompletenessBody, description: '各单位报送情况' }, errors: [400, ...AUTH_ERRORS] },
  issueToken: { body: S.IssueTokenRequest, ok: { status: 201, schema: S.IssuedTokenBody, description: '新凭证' }, errors: [400, ...AUTH_ERRORS, 413] },
  listTokens: { query: S.TokenListQuery, ok: { status: 200, schema: S.TokenListBody, description: '凭证列表' }, errors: [400, ...AUTH_ERRORS] },
  revokeToken: { path: { tokenId: S.TokenIdParam }, ok: { status: 200, schema: S.RevocationBody, description: '已撤销' }, errors: [400, ...AUTH_ERRORS, 404] },
};

const STATUS_TEXT: Record<number, string> = { 400: '请求不正确', 401: '缺少凭证或凭证无效、过期、已撤销', 403: '凭证无权访问', 404: '不存在', 409: '冲突', 413: '内容太大', 429: '请求太多' };

let cached: object | undefined;

export function openApiDocument(): object {
  if (cached) return cached;
  const uri = (id: string) => `#/components/schemas/${id}`;
  const { schemas } = z.toJSONSchema(z.globalRegistry, { uri, unrepresentable: 'any', io: 'input' }) as { schemas: Record<string, Record<string, unknown>> };
  for (const schema of Object.values(schemas)) delete schema['$schema'];
  const ref = (schema: z.ZodType) => {
    const id = z.globalRegistry.get(schema)?.id;
    if (id) return { $ref: uri(id) };
    const inline = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
    delete inline['$schema'];
    return inline;
  };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const op = OPERATIONS[route.name];
    const parameters = [
      ...Object.entries(op.path ?? {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema: ref(schema), description: z.globalRegistry.get(schema)?.description })),
      ...Object.entries(op.query?.shape ?? {}).map(([name, schema]) => ({ name, in: 'query', required: false, schema: ref(schema as z.ZodType) })),
      ...(op.etag ? [{ name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' }, description: '上次得到的 ETag：未变时回答 304' }] : []),
    ];
    const content: Record<string, unknown> = {};
    if (op.ok.schema) content['application/json'] = { schema: ref(op.ok.schema) };
    if (op.ok.csv) content['text/csv'] = { schema: { type: 'string' } };
    if (op.ok.html) content['text/html'] = { schema: { type: 'string' } };
    if (route.name === 'openapi') content['application/json'] = { schema: { type: 'object' } };
    const responses: Record<string, unknown> = { [String(op.ok.status)]: { description: op.ok.description, content } };
    if (op.etag) responses['304'] = { description: '未变（If-None-Match 与 ETag 相同）' };
    for (const status of op.errors) responses[String(status)] = { description: STATUS_TEXT[status], content: { 'application/json': { schema: { $ref: uri('Error') } } } };
    (paths[route.path] ??= {})[route.method.toLowerCase()] = {
      operationId: route.name,
      summary: route.summary,
      ...(route.auth === 'public' ? { security: [] } : route.auth === 'reader' ? { security: [{ bearer: [] }, { sigv4: [] }] } : {}),
      'x-roles': route.roles,
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: ref(op.body) } } } } : {}),
      responses,
    };
  }
  cached = {
    openapi: '3.1.0',
    info: { title: '村报 API', version: '1', description: '村（社区）上传月报、镇和区查看汇总。凭证：Authorization: Bearer cb_…；区级接口在 AWS 中国区也可用 IAM（SigV4）。' },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      schemas,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: '由镇管理员用 cunbao token issue 发放' },
        sigv4: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'AWS SigV4（部署时选择 districtAuth=iam 时，区级接口使用）' },
      },
    },
    paths,
  };
  return cached;
}
