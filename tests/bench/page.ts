/**
 * The page in Chromium at district scale: 30 towns × 9 units × 12 months (and last year),
 * served by the local API Gateway (infra/local/http-api.ts) in front of the API's core on
 * memory ports, as a district officer opens it. Each figure beside its baseline in the
 * same browser, same run:
 * - the page's first render (a fresh profile: navigation → the page wired) against a bare
 *   HTML page from a node:http server on the same loopback;
 * - the district's desk shown (month chosen → 30 towns' lines and the live totals drawn)
 *   against the page fetching the same desk JSON alone;
 * - a chart shown (button → the SVG decoded in its <img>, the server rendering a new
 *   chart each run: another figure each time) against decoding the same SVG bytes in an
 *   <img> from a blob: URL (what the browser alone costs).
 * Medians of `runs`.
 */
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Page } from 'playwright-core';
import { startHttpApi } from '../../infra/local/http-api.ts';
import { handleRequest } from '../../shared/api/app.ts';
import { ROUTES, routeKey } from '../../shared/api/routes.ts';
import { VALUE_KEYS } from '../../shared/catalogue.ts';
import { loadPage } from '../../shared/web/page.ts';
import { launchChromium, DESKTOP } from '../support/browser.ts';
import { memoryApi, submission } from '../support/memory-api.ts';
import { median } from './measure.ts';

const TOWNS = 30;
const UNITS = 9;
const YEAR = '2025';
const MONTH = '2025-12';

export interface PageFigures {
  readonly towns: number;
  readonly runs: number;
  readonly firstRenderMs: number;
  readonly bareHtmlMs: number;
  readonly deskShownMs: number;
  readonly deskFetchMs: number;
  readonly chartShownMs: number;
  readonly svgDecodeMs: number;
  readonly svgKib: number;
}

/** The district: BQ with towns T001…T030 of V01…V09, as config/district.json is written. */
function districtDocument(): Record<string, unknown> {
  return {
    district: { code: 'BQ', name: '基准区' },
    towns: Array.from({ length: TOWNS }, (_, t) => ({
      code: `T${String(t + 1).padStart(3, '0')}`,
      name: `基准${t + 1}镇`,
      units: Array.from({ length: UNITS }, (_, u) => ({ code: `V0${u + 1}`, name: `${t + 1}-${u + 1}村`, type: 'village' })),
    })),
  };
}

/** The API's core on memory ports, every unit's months of last year and this (one in seven missing). */
function district() {
  const api = memoryApi(districtDocument());
  const units = api.registry.towns.flatMap((t) => t.units);
  for (const year of ['2024', YEAR])
    for (let m = 1; m <= 12; m++) {
      const period = `${year}-${String(m).padStart(2, '0')}`;
      units.forEach((u, i) => {
        if ((i + m) % 7 === 0) return;
        const values = Object.fromEntries(VALUE_KEYS.slice(0, 24).map((k, j) => [k.key, (i * 7 + j + m) % 40]));
        api.current.push(submission(u.fullCode, period, `${period}-28T00:00:00Z`, values));
      });
    }
  const deps = { ...api.deps, page: loadPage, now: () => new Date('2026-01-10T02:00:00Z') };
  const routes = new Map(ROUTES.map((r) => [routeKey(r), r]));
  return async (event: APIGatewayProxyEventV2) => {
    const route = routes.get(event.routeKey)!;
    const answer = await handleRequest(
      {
        route,
        pathParameters: (event.pathParameters ?? {}) as Record<string, string>,
        query: (event.queryStringParameters ?? {}) as Record<string, string>,
        headers: event.headers as Record<string, string>,
        isBase64Encoded: event.isBase64Encoded,
        caller: { kind: 'principal', principal: { role: 'district' } },
      },
      deps,
    );
    return { statusCode: answer.status, headers: answer.headers, body: answer.body, isBase64Encoded: answer.isBase64Encoded ?? false };
  };
}

async function bareServer(): Promise<{ url: string; close: () => void }> {
  const server = createServer((_, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><html lang="zh-CN"><title>村报</title><p>村报</p></html>');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() };
}

const elapsed = async (f: () => Promise<unknown>) => {
  const t = performance.now();
  await f();
  return performance.now() - t;
};

/** An <img> as the page has it (the project's TypeScript has no DOM library). */
type PageImage = { src: string; decode(): Promise<void> };

/** In the page: fetches `path` with the token and decodes its SVG in an <img> from a blob: URL; ms of the decode, bytes. */
async function decodeInPage([path, token]: readonly string[]): Promise<[number, number]> {
  const svg = await (await fetch(path!, { headers: { Authorization: `Bearer ${token}` } })).blob();
  const img = new (globalThis as unknown as { Image: new () => PageImage }).Image();
  const t = performance.now();
  img.src = URL.createObjectURL(svg);
  await img.decode();
  return [performance.now() - t, svg.size];
}

/** In the page: ms to fetch and parse `path`'s JSON with the token. */
async function fetchInPage([path, token]: readonly string[]): Promise<number> {
  const t = performance.now();
  await (await fetch(path!, { headers: { Authorization: `Bearer ${token}` } })).json();
  return performance.now() - t;
}

async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('html[data-ready=true]');
  await page.fill('#token', 'cb_bench');
  await page.click('#login');
  await page.waitForSelector('#login-status.ok');
}

export async function benchPage(runs = 7): Promise<PageFigures> {
  const gateway = await startHttpApi({
    api: district(),
    authorizer: async () => ({
      isAuthorized: true,
      context: { role: 'district', unit: '', tokenId: 'bench', expiresAt: '2099-01-01T00:00:00Z' },
    }),
    port: 0,
    throttle: false,
  });
  const bare = await bareServer();
  const browser = await launchChromium();
  const figures = {
    first: [] as number[],
    bare: [] as number[],
    desk: [] as number[],
    fetch: [] as number[],
    chart: [] as number[],
    decode: [] as number[],
  };
  let svgBytes = 0;
  try {
    for (let run = 0; run <= runs; run++) {
      const context = await browser.newContext(DESKTOP);
      const page = await context.newPage();
      const bareMs = await elapsed(() => page.goto(bare.url));
      const firstMs = await elapsed(async () => {
        await page.goto(`${gateway.url}/`);
        await page.waitForSelector('html[data-ready=true]');
      });
      await signIn(page, `${gateway.url}/`);
      const deskMs = await elapsed(async () => {
        await page.fill('#period', MONTH);
        await page.dispatchEvent('#period', 'change');
        await page.waitForSelector(`#towns[data-period="${MONTH}"] tbody tr:nth-child(${TOWNS})`);
        await page.waitForSelector('#desk-totals-section:not([hidden]) #desk-totals tbody tr[data-key]');
      });
      const fetchMs = await page.evaluate(fetchInPage, ['/v1/orgs/BQ/desk/2025-12', 'cb_bench']);
      // Another figure each run: the server renders a chart it has not drawn before.
      const metric = VALUE_KEYS[run % 24]!.key;
      await page.selectOption('#chart-kind', 'towns');
      await page.selectOption('#chart-metric', metric);
      const chartMs = await elapsed(async () => {
        await page.click('#show-chart');
        await page.waitForSelector('#chart:not([hidden]) #chart-image[src^="blob:"]');
        // (waitForFunction would eval a string, which the page's CSP forbids.)
        await page.$eval('#chart-image', (img) => (img as unknown as { decode(): Promise<void> }).decode());
      });
      const [decodeMs, size] = await page.evaluate(decodeInPage, [
        `/v1/orgs/BQ/charts/towns?metric=${metric}&month=${MONTH}&view=desktop`,
        'cb_bench',
      ]);
      svgBytes = size;
      await context.close();
      if (run === 0) continue; // warm-up: Chromium's and the server's first use
      figures.first.push(firstMs);
      figures.bare.push(bareMs);
      figures.desk.push(deskMs);
      figures.fetch.push(fetchMs);
      figures.chart.push(chartMs);
      figures.decode.push(decodeMs);
    }
  } finally {
    await browser.close();
    bare.close();
    await gateway.stop();
  }
  const r = (xs: number[]) => Math.round(median(xs) * 10) / 10;
  return {
    towns: TOWNS,
    runs,
    firstRenderMs: r(figures.first),
    bareHtmlMs: r(figures.bare),
    deskShownMs: r(figures.desk),
    deskFetchMs: r(figures.fetch),
    chartShownMs: r(figures.chart),
    svgDecodeMs: r(figures.decode),
    svgKib: Math.round((svgBytes / 1024) * 10) / 10,
  };
}

export function pageLines(f: PageFigures): string[] {
  const ratio = (a: number, b: number) => Math.round((a / b) * 10) / 10;
  return [
    `the page in Chromium, a district of ${f.towns} towns × ${UNITS} units × 12 months, median of ${f.runs} runs (fresh profile each):`,
    `  first render            ${f.firstRenderMs} ms to the page wired; a bare HTML page ${f.bareHtmlMs} ms (${ratio(f.firstRenderMs, f.bareHtmlMs)}×)`,
    `  the district's desk     ${f.deskShownMs} ms from the month chosen to ${f.towns} towns and the totals drawn; its JSON alone ${f.deskFetchMs} ms (${ratio(f.deskShownMs, f.deskFetchMs)}×)`,
    `  a towns chart           ${f.chartShownMs} ms from the button to the SVG (${f.svgKib} KiB) decoded, rendered by the server; decoding the same SVG alone ${f.svgDecodeMs} ms (${ratio(f.chartShownMs, f.svgDecodeMs)}×)`,
  ];
}
