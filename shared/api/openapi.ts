/**
 * The OpenAPI 3.1 document of the API, generated from the route table and the same zod
 * schemas that validate the requests (OpenAPI 3.1 schemas are JSON Schema 2020-12, what
 * `z.toJSONSchema` writes).
 */
import * as z from 'zod/mini';
import type { IssueErrorCode } from '../auth/principals.ts';
import type { TokenErrorCode } from '../auth/tokens.ts';
import type { Route } from './define-route.ts';
import { API_ERROR_CODES } from './errors.ts';
import { errorResponses, HEADERS, responsesOf, schemaOf } from './openapi-responses.ts';
// Loads every answer's module: a schema is in the registry, hence in components, once its module has run.
import './answers.ts';

/** The codes of refused tokens (401) and of refused token requests (400), besides the API's own. */
const TOKEN_CODES: Record<TokenErrorCode, string> = {
  TOKEN_MISSING: '缺少凭证',
  TOKEN_MALFORMED: '凭证格式不正确',
  TOKEN_UNKNOWN: '没有这个凭证',
  TOKEN_EXPIRED: '凭证已过期',
  TOKEN_REVOKED: '凭证已被撤销',
};
const ISSUE_CODES: Record<IssueErrorCode, string> = {
  ROLE_UNKNOWN: '签发凭证：角色不对',
  UNIT_REQUIRED: '签发 village 凭证：缺少单位',
  UNIT_NOT_ALLOWED: '签发凭证：此角色不能指定单位',
  UNIT_UNKNOWN: '签发凭证：单位不在名录中',
  UNIT_AMBIGUOUS: '签发凭证：单位在多个镇都有，请写完整代码或指明镇',
  TOWN_REQUIRED: '签发 town 凭证：多镇部署必须指定镇',
  TOWN_UNKNOWN: '签发凭证：镇不在名录中',
  TOWN_NOT_ALLOWED: '签发凭证：此角色不能指定镇',
  EXPIRY_INVALID: '签发凭证：有效期不对',
  NOTE_INVALID: '签发凭证：备注不对',
};

/** Every error code with its status and when it is answered: the document's `x-error-codes`. */
function errorCodes(): { code: string; status: number; description: string }[] {
  return [
    ...Object.entries(API_ERROR_CODES).map(([code, { status, when }]) => ({ code, status, description: when })),
    ...Object.entries(TOKEN_CODES).map(([code, description]) => ({ code, status: 401, description })),
    // UNIT_UNKNOWN, UNIT_AMBIGUOUS and TOWN_UNKNOWN of a token request are 400 (the body is wrong), not the path's 404.
    ...Object.entries(ISSUE_CODES).map(([code, description]) => ({ code, status: 400, description })),
  ];
}

const DESCRIPTION = [
  '村（社区）上传月报、镇和区查看汇总。凭证：Authorization: Bearer cb_…；区级接口在 AWS 中国区也可用 IAM（SigV4）。',
  '',
  '层级：区 → 镇（街道）→ 单位。单位的完整代码为 {镇}/{单位}（如 EC/V01），镇内可只写单位代码。',
  '/v1/orgs/{org}/… 指明层级：org 为镇代码（如 EC）或区代码（如 QJ）。',
  '不带 org 的旧接口（/v1/summaries/…、/v1/completeness/{month}、/v1/units/{unit}/…）：镇凭证指本镇，',
  '其他凭证指本部署的默认层级（只有一个镇时为该镇，否则为全区；单位代码在多镇部署中须能唯一确定）。',
  '',
  '权限：村（社区）只能报送和查看本单位；镇只能报送和查看本镇的单位、上传、汇总和报送情况，',
  '查看别的镇得 403 TOWN_FORBIDDEN（别的镇的上传编号得 404 UPLOAD_NOT_FOUND，不透露其存在）；',
  '区级可查看各镇和全区（只读）；管理员可做一切。',
  '',
  'API Gateway 自己的回答不是 {code, message}，而是 {message}（GatewayError）：没有 Authorization 头 401 Unauthorized、',
  '超过限流 429 Too Many Requests、请求超过 10 MB 413 Request Entity Too Large、函数出错 500 Internal Server Error、',
  '没有这个地址 404 Not Found；districtAuth=iam 部署的区级接口 IAM 签名不对 403 Forbidden。',
  '',
  '错误码（x-error-codes 列出全部）：',
  ...errorCodes().map((e) => `- ${e.code}（${e.status}）：${e.description}`),
].join('\n');

function operation(route: Route): Record<string, unknown> {
  const parameters = [
    ...Object.entries(route.params ?? {}).map(([name, schema]) => ({
      name,
      in: 'path',
      required: true,
      schema: schemaOf(schema),
      description: z.globalRegistry.get(schema)?.description,
    })),
    ...Object.entries(route.query?.shape ?? {}).map(([name, schema]) => ({
      name,
      in: 'query',
      required: false,
      schema: schemaOf(schema as z.ZodMiniType),
    })),
    ...(route.etag
      ? [
          {
            name: 'If-None-Match',
            in: 'header',
            required: false,
            schema: { type: 'string' },
            description: '上次得到的 ETag：未变时回答 304',
          },
        ]
      : []),
  ];
  return {
    operationId: route.name,
    summary: route.summary,
    ...(route.auth === 'public' ? { security: [] } : route.auth === 'reader' ? { security: [{ bearer: [] }, { sigv4: [] }] } : {}),
    'x-roles': route.roles,
    ...(parameters.length ? { parameters } : {}),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(route.body) } } } } : {}),
    responses: responsesOf(route),
  };
}

/**
 * Every registered schema, by its id: the requests' (loaded with the routes) and the
 * answers' (loaded above, with answers.ts). Answers are written as the API sends them
 * (`output`: an object lists its fields, `additionalProperties: false`, so a contract test
 * catches a field the document does not name); request bodies as the API reads them
 * (`input`). The `$id` zod writes is dropped: `#/components/schemas/X` is a `$ref`, not a
 * valid `$id`.
 */
function componentSchemas(routes: readonly Route[]): Record<string, Record<string, unknown>> {
  const written = (io: 'input' | 'output') =>
    (
      z.toJSONSchema(z.globalRegistry, { uri: (id) => `#/components/schemas/${id}`, unrepresentable: 'any', io }) as {
        schemas: Record<string, Record<string, unknown>>;
      }
    ).schemas;
  const [input, output] = [written('input'), written('output')];
  const bodies = new Set(routes.flatMap((r) => (r.body ? [z.globalRegistry.get(r.body)?.id ?? ''] : [])));
  return Object.fromEntries(
    Object.entries(output).map(([id, schema]) => {
      const { $id: _id, $schema: _schema, ...rest } = bodies.has(id) ? (input[id] ?? schema) : schema;
      return [id, rest];
    }),
  );
}

const documents = new WeakMap<readonly Route[], object>();

export function openApiDocument(routes: readonly Route[]): object {
  const cached = documents.get(routes);
  if (cached) return cached;
  const schemas = componentSchemas(routes);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const methods = paths[route.path] ?? {};
    methods[route.method.toLowerCase()] = operation(route);
    paths[route.path] = methods;
  }
  const document = {
    openapi: '3.1.0',
    info: {
      title: '村报 API',
      version: '1',
      description: DESCRIPTION,
    },
    'x-error-codes': errorCodes(),
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      schemas,
      responses: errorResponses(routes),
      headers: HEADERS,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: '由管理员用 cunbao token issue 发放（village 凭证属于一个单位，town 凭证属于一个镇）',
        },
        sigv4: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'AWS SigV4（部署时选择 districtAuth=iam 时，区级接口使用）',
        },
      },
    },
    paths,
  };
  documents.set(routes, document);
  return document;
}
