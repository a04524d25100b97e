/**
 * The OpenAPI 3.1 document of the API, generated from the route table and the same zod
 * schemas that validate the requests (OpenAPI 3.1 schemas are JSON Schema 2020-12, what
 * `z.toJSONSchema` writes).
 */
import * as z from 'zod';
import type { Route } from './define-route.ts';
import { ErrorBody } from './schemas.ts';

const STATUS_TEXT: Record<number, string> = {
  400: '请求不正确',
  401: '缺少凭证或凭证无效、过期、已撤销',
  403: '凭证无权访问',
  404: '不存在',
  409: '冲突',
  413: '内容太大',
  429: '请求太多',
};

const uri = (id: string) => `#/components/schemas/${id}`;

/** A schema registered with an id is a `$ref` to components; any other is written inline. */
function ref(schema: z.ZodType): Record<string, unknown> {
  const id = z.globalRegistry.get(schema)?.id;
  if (id) return { $ref: uri(id) };
  const inline = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
  delete inline['$schema'];
  return inline;
}

function operation(route: Route): Record<string, unknown> {
  const parameters = [
    ...Object.entries(route.params ?? {}).map(([name, schema]) => ({
      name,
      in: 'path',
      required: true,
      schema: ref(schema),
      description: z.globalRegistry.get(schema)?.description,
    })),
    ...Object.entries(route.query?.shape ?? {}).map(([name, schema]) => ({
      name,
      in: 'query',
      required: false,
      schema: ref(schema as z.ZodType),
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
  const { ok } = route;
  const content: Record<string, unknown> = {};
  if (ok.json) content['application/json'] = { schema: ref(ok.json) };
  if (ok.csv) content['text/csv'] = { schema: { type: 'string' } };
  if (ok.html) content['text/html'] = { schema: { type: 'string' } };
  const responses: Record<string, unknown> = { [String(ok.status)]: { description: ok.description, content } };
  if (route.etag) responses['304'] = { description: '未变（If-None-Match 与 ETag 相同）' };
  for (const status of route.errors)
    responses[String(status)] = { description: STATUS_TEXT[status], content: { 'application/json': { schema: ref(ErrorBody) } } };
  return {
    operationId: route.name,
    summary: route.summary,
    ...(route.auth === 'public' ? { security: [] } : route.auth === 'reader' ? { security: [{ bearer: [] }, { sigv4: [] }] } : {}),
    'x-roles': route.roles,
    ...(parameters.length ? { parameters } : {}),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: ref(route.body) } } } } : {}),
    responses,
  };
}

const documents = new WeakMap<readonly Route[], object>();

export function openApiDocument(routes: readonly Route[]): object {
  const cached = documents.get(routes);
  if (cached) return cached;
  const { schemas } = z.toJSONSchema(z.globalRegistry, { uri, unrepresentable: 'any', io: 'input' }) as {
    schemas: Record<string, Record<string, unknown>>;
  };
  for (const schema of Object.values(schemas)) delete schema['$schema'];
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
      description: '村（社区）上传月报、镇和区查看汇总。凭证：Authorization: Bearer cb_…；区级接口在 AWS 中国区也可用 IAM（SigV4）。',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      schemas,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: '由镇管理员用 cunbao token issue 发放' },
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
