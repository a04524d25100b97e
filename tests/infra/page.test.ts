/**
 * The api function as deployed (bundled with the CDK app's esbuild options, which
 * tests/infra/commercial.test.ts checks against the synthesized asset) serves the built
 * page and its CSP at `GET /`, with no esbuild and no build code inside.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFunction, ROOT } from '../../infra/cdk/bundling.ts';
import { WIRING } from '../../infra/wiring.ts';
import { loadPage } from '../../shared/web/page.ts';

// The api function's declared variables (its mail: the publish button sends the summary).
const ENV = {
  TABLE_NAME: 'cunbao-test',
  BUCKET_NAME: 'cunbao-test',
  AWS_REGION: 'cn-northwest-1',
  MAIL_TRANSPORT: 'ses',
  MAIL_FROM: 'cunbao@ec.test',
  MAIL_TO_TOWN: 'clerk@ec.test',
} as const;
const saved = Object.fromEntries(Object.keys(ENV).map((k) => [k, process.env[k]]));
let outDir: string;
let metafile: Metafile;
let handler: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'cunbao-api-page-'));
  ({ metafile } = await buildFunction(join(ROOT, WIRING.api.entry), outDir, { metafile: true }));
  Object.assign(process.env, ENV); // read once, at the bundle's import (its cold start)
  ({ handler } = (await import(pathToFileURL(join(outDir, 'index.mjs')).href)) as { handler: typeof handler });
});

afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rmSync(outDir, { recursive: true, force: true });
});

describe('the api function as bundled', () => {
  it('serves at GET / the page and the CSP loadPage() gives', async () => {
    // Prepare
    const event: APIGatewayProxyEventV2 = {
      version: '2.0',
      routeKey: 'GET /',
      rawPath: '/',
      rawQueryString: '',
      headers: { accept: 'text/html' },
      isBase64Encoded: false,
      requestContext: {
        accountId: '123456789012',
        apiId: 'api',
        domainName: 'api.example.cn',
        domainPrefix: 'api',
        http: { method: 'GET', path: '/', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' },
        requestId: 'page-test',
        routeKey: 'GET /',
        stage: '$default',
        time: '01/Dec/2026:00:00:00 +0000',
        timeEpoch: 0,
      },
    };

    // Act
    const response = await handler(event);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'content-security-policy': loadPage().csp });
    expect(response.body).toBe(loadPage().html);
  });

  it('carries the page as a built constant: no esbuild, no build code, no web/ sources', () => {
    // Prepare
    const inputs = Object.keys(metafile.inputs);

    // Assess
    expect(inputs).toContain('shared/web/page.generated.ts');
    expect(
      inputs.filter((file) => file.includes('node_modules/esbuild') || file === 'shared/web/build.ts' || file.startsWith('web/')),
    ).toEqual([]);
    expect(statSync(join(outDir, 'index.mjs')).size).toBeLessThan(1024 * 1024);
  });
});
