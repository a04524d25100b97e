/**
 * An operation's responses in the OpenAPI document: the 2xx answer with its media types,
 * headers and example; 304 for a route with an ETag; and every error — the API's own
 * `{code, message}` (the route's statuses and 500) and API Gateway's `{message}`, which
 * answers some statuses before the function runs (shared/api/gateway-schemas.ts).
 */
import * as z from 'zod/mini';
import { DOCX_TYPE } from '../report.ts';
import { XLSX_TYPE } from '../xlsx/write/model.ts';
import type { Route } from './define-route.ts';
import { ERROR_EXAMPLES, GATEWAY_EXAMPLES, okExample } from './openapi-examples.ts';
import { ErrorBody } from './answer-schemas.ts';
import { ANSWERS } from './answers.ts';
import { GatewayErrorBody } from './gateway-schemas.ts';

const uri = (id: string) => `#/components/schemas/${id}`;

/** A schema registered with an id is a `$ref` to components; any other is written inline (and may not hold a registered one). */
export function schemaOf(schema: z.ZodMiniType): Record<string, unknown> {
  const id = z.globalRegistry.get(schema)?.id;
  if (id) return { $ref: uri(id) };
  const inline = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
  // Its $defs would be resolved against the document's root, where they are not.
  if (inline['$defs']) throw new Error('an inline schema holds a registered one: register the outer schema too');
  delete inline['$schema'];
  return inline;
}

const STATUS_TEXT: Record<number, string> = {
  400: '请求不正确',
  401: '缺少凭证或凭证无效、过期、已撤销',
  403: '凭证无权访问（ROLE_FORBIDDEN、UNIT_FORBIDDEN、TOWN_FORBIDDEN）',
  404: '不存在（如 ORG_UNKNOWN、TOWN_UNKNOWN、UNIT_UNKNOWN、UPLOAD_NOT_FOUND、SUMMARY_NOT_PUBLISHED）',
  409: '冲突',
  413: '内容太大',
  429: '请求太多',
  500: '服务器内部错误（INTERNAL）',
};

/** What API Gateway answers by itself, and when: `{"message": …}`, never the API's code. */
const GATEWAY_TEXT: Record<keyof typeof GATEWAY_EXAMPLES, string> = {
  401: 'API Gateway 的 Unauthorized：请求没有 Authorization 头（不调用授权函数）',
  403: 'API Gateway 的 Forbidden：IAM（SigV4）签名不对（districtAuth=iam 部署的区级接口）',
  413: 'API Gateway 的 Request Entity Too Large：请求超过 10 MB',
  429: 'API Gateway 的 Too Many Requests：超过接口的限流',
  500: 'API Gateway 的 Internal Server Error：函数本身出错',
};

/** The statuses API Gateway may answer for a route: before any route, after the authorizer, instead of the function. */
function gatewayStatuses(route: Route): (keyof typeof GATEWAY_EXAMPLES)[] {
  return [...(route.auth === 'public' ? [] : [401 as const]), ...(route.auth === 'reader' ? [403 as const] : []), 413, 429, 500];
}

const header = (description: string, schema: object, required = true) => ({ description, required, schema });

function okHeaders(route: Route): Record<string, unknown> {
  const { ok } = route;
  return {
    'Cache-Control': header('缓存要求', { type: 'string', const: ok.cacheControl ?? 'no-store' }),
    ...(route.etag ? { ETag: { $ref: '#/components/headers/ETag' } } : {}),
    ...(ok.attachment
      ? { 'Content-Disposition': header('附件下载：文件名（filename* 为 UTF-8 中文名）', { type: 'string' }, ok.json === undefined) }
      : {}),
    ...(ok.location ? { Location: header('所建资源的地址（即 statusUrl）', { type: 'string' }) } : {}),
  };
}

function okContent(route: Route): Record<string, unknown> {
  const { ok } = route;
  const content: Record<string, unknown> = {};
  if (ok.json) content['application/json'] = { schema: schemaOf(ANSWERS[ok.json]), example: okExample(ANSWERS[ok.json], route.name) };
  if (ok.csv) content['text/csv'] = { schema: { type: 'string' } };
  if (ok.xlsx) content[XLSX_TYPE] = { schema: { type: 'string', contentMediaType: XLSX_TYPE } };
  if (ok.html) content['text/html'] = { schema: { type: 'string' } };
  if (ok.svg) content['image/svg+xml'] = { schema: { type: 'string' } };
  if (ok.markdown) content['text/markdown'] = { schema: { type: 'string' } };
  if (ok.docx) content[DOCX_TYPE] = { schema: { type: 'string', contentMediaType: DOCX_TYPE } };
  return content;
}

/** The name of an error response in components: `E401` (the API's), `G413` (the gateway's), `EG401` (either). */
const errorName = (status: number, api: boolean, gateway: boolean) => `${api ? 'E' : ''}${gateway ? 'G' : ''}${status}`;

/** One error status: the API's body, the gateway's, or either (then both examples). */
function errorResponse(status: number, api: boolean, gateway: boolean): Record<string, unknown> {
  const apiBody = schemaOf(ErrorBody);
  const Gateway = schemaOf(GatewayErrorBody);
  const apiExample = ERROR_EXAMPLES[status];
  const gatewayExample = GATEWAY_EXAMPLES[status as keyof typeof GATEWAY_EXAMPLES];
  const media =
    api && gateway
      ? { schema: { oneOf: [apiBody, Gateway] }, examples: { api: { value: apiExample }, gateway: { value: gatewayExample } } }
      : { schema: api ? apiBody : Gateway, example: api ? apiExample : gatewayExample };
  const description = [api ? STATUS_TEXT[status] : undefined, gateway ? GATEWAY_TEXT[status as keyof typeof GATEWAY_TEXT] : undefined];
  return {
    description: description.filter(Boolean).join('；或 '),
    // The API's answers are `no-store`; the gateway's carry no Cache-Control.
    ...(api
      ? {
          headers: {
            'Cache-Control': header('本接口的回答：no-store', { type: 'string', const: 'no-store' }, !gateway),
            ...(status === 401 ? { 'WWW-Authenticate': header('本接口的回答：Bearer realm="cunbao"', { type: 'string' }, false) } : {}),
            ...(status === 429 ? { 'Retry-After': header('本接口的回答：几秒后再试', { type: 'string' }, false) } : {}),
          },
        }
      : {}),
    content: { 'application/json': media },
  };
}

/** A route's error statuses, each with who answers it: the API, the gateway, or either. */
function errorsOf(route: Route): { status: number; api: boolean; gateway: boolean }[] {
  const api = new Set<number>([...route.errors, 500]);
  const gateway = new Set<number>(gatewayStatuses(route));
  return [...new Set([...api, ...gateway])]
    .sort((a, b) => a - b)
    .map((status) => ({ status, api: api.has(status), gateway: gateway.has(status) }));
}

/** The error responses the routes refer to (components.responses), each written once. */
export function errorResponses(routes: readonly Route[]): Record<string, unknown> {
  const all = routes.flatMap(errorsOf).sort((a, b) => a.status - b.status);
  return Object.fromEntries(all.map(({ status, api, gateway }) => [errorName(status, api, gateway), errorResponse(status, api, gateway)]));
}

export function responsesOf(route: Route): Record<string, unknown> {
  const { ok } = route;
  const responses: Record<string, unknown> = {
    [String(ok.status)]: { description: ok.description, headers: okHeaders(route), content: okContent(route) },
  };
  if (route.etag)
    responses['304'] = {
      description: '未变（If-None-Match 与 ETag 相同）：没有内容',
      headers: { ETag: { $ref: '#/components/headers/ETag' }, 'Cache-Control': okHeaders(route)['Cache-Control'] },
    };
  for (const { status, api, gateway } of errorsOf(route))
    responses[String(status)] = { $ref: `#/components/responses/${errorName(status, api, gateway)}` };
  return responses;
}

/** The document's shared headers. */
export const HEADERS = {
  ETag: header('内容的 ETag：下次带 If-None-Match，未变时回答 304', { type: 'string' }),
};
