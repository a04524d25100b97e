/**
 * The route table (shared/api/routes.ts): exhaustive and consistent, since the dispatcher,
 * the OpenAPI document, the local gateway and the CDK routes are all generated from it;
 * and defineRoute's parsing, which hands a handler typed values and answers a bad request
 * with 400 before the handler runs.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { handleRequest } from '../../shared/api/app.ts';
import { AUTH_ERRORS, defineRoute } from '../../shared/api/define-route.ts';
import { json } from '../../shared/api/http.ts';
import { openApiDocument } from '../../shared/api/openapi.ts';
import { matchRoute, routeKey, ROUTES } from '../../shared/api/routes.ts';
import * as S from '../../shared/api/schemas.ts';
import { ROLES } from '../../shared/auth/roles.ts';
import type { ApiDeps } from '../../shared/ports/api.ts';

const namesInPath = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);

describe('the route table', () => {
  it('lists every route the resource files define (they export routes only)', async () => {
    const dir = new URL('../../shared/api/routes/', import.meta.url);
    const files = readdirSync(dir).filter((file) => file.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const exported = Object.entries((await import(new URL(file, dir).href)) as Record<string, unknown>);
      for (const [name, value] of exported) expect(ROUTES, `${file}: ${name}`).toContain(value);
    }
  });

  it('names each route once and routes each method and path once', () => {
    expect(new Set(ROUTES.map((r) => r.name)).size).toBe(ROUTES.length);
    expect(new Set(ROUTES.map(routeKey)).size).toBe(ROUTES.length);
  });

  it('gives every route a handler, and every guarded one roles, a refusal in Chinese and the auth errors', () => {
    for (const route of ROUTES) {
      expect(typeof route.serve, route.name).toBe('function');
      expect(route.summary, route.name).toMatch(/\p{Script=Han}/u);
      if (route.auth === 'public') {
        expect(route.roles, route.name).toEqual(ROLES);
        continue;
      }
      expect(route.roles.length, route.name).toBeGreaterThan(0);
      expect(route.refusal, route.name).toMatch(/^\p{Script=Han}/u);
      expect(route.errors, route.name).toEqual(expect.arrayContaining([...AUTH_ERRORS]));
    }
  });

  it('has a schema for each parameter its path names, and none it does not', () => {
    for (const route of ROUTES) expect(Object.keys(route.params ?? {}), route.path).toEqual(namesInPath(route.path));
  });

  it('has one OpenAPI operation per route, with its path parameters and nothing more', () => {
    // Prepare
    const doc = openApiDocument(ROUTES) as {
      paths: Record<string, Record<string, { operationId: string; parameters?: { name: string; in: string }[] }>>;
    };

    // Act
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
    );

    // Assess
    expect(operations.map((o) => o.key).sort()).toEqual(ROUTES.map(routeKey).sort());
    for (const route of ROUTES) {
      const op = operations.find((o) => o.key === routeKey(route))?.op;
      expect(op?.operationId).toBe(route.name);
      expect(op?.parameters?.filter((p) => p.in === 'path').map((p) => p.name) ?? []).toEqual(namesInPath(route.path));
    }
  });

  it('is what the local gateway routes on: every path, with parameters filled in, matches its own route', () => {
    for (const route of ROUTES) {
      const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => `x-${name}`);
      expect(matchRoute(route.method, path)?.route).toBe(route);
    }
  });
});

describe('defineRoute', () => {
  const deps = {} as ApiDeps;
  const caller = { kind: 'principal', principal: { role: 'town', town: 'EC' } } as const;
  const probe = (
    handle: (input: {
      params: { month: string };
      query: { layout: 'long' | 'wide'; unit?: string | undefined };
      body: S.CreateUploadRequest;
    }) => void,
  ) =>
    defineRoute({
      name: 'probe',
      method: 'POST',
      path: '/probe/{month}',
      auth: 'token',
      roles: ['town'],
      refusal: '试探',
      summary: '试探',
      params: { month: S.MonthParam },
      query: S.TemplateQuery,
      body: S.CreateUploadRequest,
      ok: { status: 200, description: '试探' },
      handle: async (input) => {
        handle(input);
        return json(200, {});
      },
    });

  it('hands the handler the parsed parameters, query (defaults applied) and body', async () => {
    // Prepare
    const seen = vi.fn();
    const route = probe(seen);

    // Act
    const response = await handleRequest(
      { route, pathParameters: { month: '2025-03' }, query: {}, headers: {}, body: '{"format":"csv"}', caller },
      deps,
    );

    // Assess
    expect(response.status).toBe(200);
    expect(seen).toHaveBeenCalledWith(
      expect.objectContaining({
        params: { month: '2025-03' },
        query: { layout: 'long', format: 'csv' },
        body: { format: 'csv' },
        principal: { role: 'town', town: 'EC' },
      }),
    );
  });

  it.each([
    [{ month: '2025-13' }, {}, '{"format":"csv"}', 'PARAMETER_INVALID', undefined],
    [{ month: '2025-03' }, { layout: 'tall' }, '{"format":"csv"}', 'PARAMETER_INVALID', '模板样式只能是 long、wide'],
    [{ month: '2025-03' }, {}, '{"format":"xls"}', 'PARAMETER_INVALID', '格式只能是 csv、json、xlsx'],
    [{ month: '2025-03' }, {}, '{"format":"csv","key":"x"}', 'PARAMETER_INVALID', '不认识的字段：key'],
    [{ month: '2025-03' }, {}, '', 'BODY_INVALID', '请求内容不是有效的 JSON：请求内容为空'],
  ])('answers a bad request (case %#) with 400 %s before the handler runs', async (pathParameters, query, body, code, message) => {
    const seen = vi.fn();
    const response = await handleRequest({ route: probe(seen), pathParameters, query, headers: {}, body, caller }, deps);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ code, ...(message ? { message } : {}) });
    expect(seen).not.toHaveBeenCalled();
  });

  it('checks the role before reading the request: a refused role learns nothing of its mistakes', async () => {
    const seen = vi.fn();
    const district = { kind: 'principal', principal: { role: 'district' } } as const;
    const response = await handleRequest(
      { route: probe(seen), pathParameters: { month: 'bad' }, query: {}, headers: {}, body: '{', caller: district },
      deps,
    );
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toEqual({ code: 'ROLE_FORBIDDEN', message: '区凭证不能试探。' });
    expect(seen).not.toHaveBeenCalled();
  });
});
