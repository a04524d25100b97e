/**
 * The page's charts in Chromium, on the run's stack: the district's towns side by side on
 * a desktop and a town's trend on a phone, each an SVG image whose bars and points carry
 * the month's figures (read from the SVG the page received), its title the image's alt,
 * its figures in words under it; no CSP violation, no console error. Screenshots are kept
 * under tests/artifacts/.
 *
 * Units and months of this file: HX/V01, HX/V02, SH/V01 in 2008 (another file fills all of EC's 2008, so
 * 鹅池镇's bars are not asserted).
 */
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFor } from '../support/api.ts';
import { DESKTOP, launchChromium, PHONE, screenshot, type Watched, watch } from '../support/browser.ts';
import { csvFile, uploadThroughStack } from '../support/publish-harness.ts';
import { connectStack, type StackHandle } from '../support/stack.ts';
import { apiUrl } from '../support/api.ts';

const MONTH = '2008-03';

let stack: StackHandle;
let browser: Browser;
const contexts: BrowserContext[] = [];
const tokens = { town: '', district: '' };

beforeAll(async () => {
  stack = connectStack();
  tokens.town = await tokenFor(stack, { role: 'town', town: 'HX' });
  tokens.district = await tokenFor(stack, { role: 'district' });
  const sent = await uploadThroughStack(stack, [
    csvFile('HX/V01', '2008-01', { general_hazards_found: 3 }),
    csvFile('HX/V02', '2008-01', { general_hazards_found: 5 }),
    csvFile('HX/V01', MONTH, { general_hazards_found: 7 }),
    csvFile('SH/V01', MONTH, { general_hazards_found: 4 }),
  ]);
  expect([...sent.statuses.values()].every((s) => s === 'accepted')).toBe(true);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  stack?.close();
});

/** Signed in with `token`, the month chosen; the SVGs the page receives are kept. */
async function openPage(token: string, options: BrowserContextOptions): Promise<{ page: Page; watched: Watched; svgs: string[] }> {
  const context = await browser.newContext(options);
  contexts.push(context);
  const page = await context.newPage();
  const watched = watch(page);
  const svgs: string[] = [];
  page.on('response', (r) => {
    if (r.url().includes('/charts/') && r.status() === 200) svgs.push('');
    if (r.url().includes('/charts/') && r.status() === 200) void r.text().then((t) => svgs.splice(svgs.indexOf(''), 1, t));
  });
  await page.goto(`${apiUrl()}/`);
  await page.waitForSelector('html[data-ready=true]');
  await page.fill('#token', token);
  await page.click('#login');
  await page.waitForSelector('#login-status.ok');
  await page.fill('#period', MONTH);
  await page.dispatchEvent('#period', 'change');
  await expect.poll(() => page.textContent('#deadline')).toContain('2008年4月5日');
  return { page, watched, svgs };
}

/** The value labels a bar or line series drew (ECharts colours them as the series). */
const seriesLabels = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

describe('the page’s charts', () => {
  it("shows the district's towns side by side for the month, the bars' figures those the towns reported", async () => {
    // Prepare
    const { page, watched, svgs } = await openPage(tokens.district, DESKTOP);
    // Act
    await page.selectOption('#chart-kind', 'towns');
    await page.click('#show-chart');
    await page.waitForSelector('#chart:not([hidden]) #chart-image');
    await expect.poll(() => page.$eval('#chart-image', (i) => (i as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    await expect.poll(() => svgs.length === 1 && svgs[0] !== '').toBe(true);
    const shot = await screenshot(page, 'charts-district-towns.png');
    // Assess
    expect(await page.getAttribute('#chart-image', 'alt')).toBe('黔江区2008年3月各镇（街道）排查一般隐患（处）');
    expect(await page.textContent('#chart-desc')).toContain('石会镇 4（1/8 个单位报送），黑溪镇 7（1/9 个单位报送）');
    expect(seriesLabels(svgs[0]!)).toEqual(expect.arrayContaining(['7', '4', '石会镇', '黑溪镇']));
    expect(shot.bytes).toBeGreaterThan(10_000);
    expect(watched.problems).toEqual([]);
  });

  it("shows a town's trend on a phone at the phone's width, a month nobody sent as a gap", async () => {
    // Prepare
    const { page, watched, svgs } = await openPage(tokens.town, PHONE);
    // Act
    expect(await page.$eval('#chart-kind option[value=towns]', (o) => (o as unknown as { hidden: boolean }).hidden)).toBe(true);
    await page.selectOption('#chart-kind', 'trend');
    await page.click('#show-chart');
    await page.waitForSelector('#chart:not([hidden]) #chart-image');
    await expect.poll(() => svgs.length === 1 && svgs[0] !== '').toBe(true);
    await expect.poll(() => page.$eval('#chart-image', (i) => (i as unknown as { naturalWidth: number }).naturalWidth)).toBe(360);
    const box = await page.$eval('#chart-image', (i) => i.getBoundingClientRect().width);
    await screenshot(page, 'charts-town-trend-phone.png');
    // Assess
    expect(box).toBeLessThanOrEqual(390);
    expect(await page.textContent('#chart-desc')).toContain('1月 8（2 个单位报送），2月 未报，3月 7（1 个单位报送）');
    const labels = [...svgs[0]!.matchAll(/<text[^>]*fill="#1d4ed8"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(['8', '7']);
    expect(watched.problems).toEqual([]);
  });
});
