/**
 * The clerk's desk in Chromium, on the run's stack: 石会镇's clerk sees the missing units
 * first, the live totals beside the year to date, publishes the month, sees 数据已变更，
 * 待重新发布 after a correction and publishes again; opens a unit's figures, months and
 * trail; cannot publish a month not over. On a phone the captions read across the width
 * and a rate card says its label once. The district sees its desk without the button. The
 * year's report downloads as a Word document that LibreOffice Writer opens.
 * Screenshots are kept under tests/artifacts/.
 *
 * Units and months of this file: 石会镇 (SH) in 2019 — no other file uses them.
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiUrl, tokenFor } from '../support/api.ts';
import { DESKTOP, launchChromium, PHONE, screenshot, type Watched, watch } from '../support/browser.ts';
import { libreOfficeText } from '../support/office.ts';
import { csvFile, uploadThroughStack } from '../support/publish-harness.ts';
import { connectStack, type StackHandle } from '../support/stack.ts';

const MONTH = '2019-05';

let stack: StackHandle;
let browser: Browser;
const contexts: BrowserContext[] = [];
const tokens = { town: '', district: '' };

beforeAll(async () => {
  stack = connectStack();
  tokens.town = await tokenFor(stack, { role: 'town', town: 'SH' });
  tokens.district = await tokenFor(stack, { role: 'district' });
  const sent = await uploadThroughStack(stack, [
    csvFile('SH/V01', '2019-04', { general_hazards_found: 1 }),
    csvFile('SH/V01', MONTH, { general_hazards_found: 6, hazards_rectified: 3 }),
    csvFile('SH/V02', MONTH, { general_hazards_found: 2 }),
  ]);
  expect([...sent.statuses.values()].every((s) => s === 'accepted')).toBe(true);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  stack?.close();
});

/** Signed in with `token`, on `month`, its desk read. */
async function openDesk(token: string, options: BrowserContextOptions, month = MONTH): Promise<{ page: Page; watched: Watched }> {
  const context = await browser.newContext(options);
  contexts.push(context);
  const page = await context.newPage();
  const watched = watch(page);
  await page.goto(`${apiUrl()}/`);
  await page.waitForSelector('html[data-ready=true]');
  await page.fill('#token', token);
  await page.click('#login');
  await page.waitForSelector('#login-status.ok');
  await chooseMonth(page, month);
  return { page, watched };
}

async function chooseMonth(page: Page, month: string): Promise<void> {
  await page.fill('#period', month);
  await page.dispatchEvent('#period', 'change');
  await page.waitForSelector(`#completeness[data-period="${month}"] tbody tr, #towns[data-period="${month}"] tbody tr`);
  await page.waitForSelector('#desk:not([hidden]) #desk-publication[data-state]');
}

const publication = async (page: Page) => ({
  state: await page.getAttribute('#desk-publication', 'data-state'),
  text: await page.textContent('#desk-publication'),
});

/** The desk's totals: each key's month and year-to-date figures. */
const totals = (page: Page) =>
  page.$$eval('#desk-totals tbody tr[data-key]', (trs) =>
    Object.fromEntries(
      trs.map((r) => [r.getAttribute('data-key'), [r.querySelector('td.month')?.textContent, r.querySelector('td.year')?.textContent]]),
    ),
  );

async function publishAndWait(page: Page, revision: number): Promise<string> {
  await page.click('#publish-summary');
  await expect.poll(() => page.textContent('#publish-status'), { timeout: 20_000 }).toContain(`第 ${revision} 版`);
  await page.waitForSelector('#desk-publication[data-state=current]');
  return (await page.textContent('#publish-status')) ?? '';
}

/** The CSS `content` of an element's ::before (`none` when it shows nothing). */
const beforeContent = (page: Page, selector: string) =>
  page.evaluate<string>(`getComputedStyle(document.querySelector(${JSON.stringify(selector)}), '::before').content`);

describe('the clerk’s desk', () => {
  it('shows the missing units first and live totals, publishes, says a correction is waiting, publishes again', async () => {
    // Prepare
    const { page, watched } = await openDesk(tokens.town, DESKTOP);

    // Act: the desk before publication
    const rows = await page.$$eval('#completeness tbody tr', (trs) =>
      trs.map((r) => [r.getAttribute('data-unit'), r.getAttribute('data-review')]),
    );
    const before = { publication: await publication(page), totals: await totals(page), missed: await page.textContent('#desk-missed') };
    const button = { text: await page.textContent('#publish-summary'), enabled: await page.isEnabled('#publish-summary') };
    const first = await publishAndWait(page, 1);
    const published = await publication(page);
    await uploadThroughStack(stack, [csvFile('SH/V02', MONTH, { general_hazards_found: 4 })]);
    await page.click('#refresh-completeness');
    await page.waitForSelector('#desk-publication[data-state=changed]');
    const changed = {
      publication: await publication(page),
      summary: await page.textContent('#summary-status'),
      button: await page.textContent('#publish-summary'),
    };
    const changedTotals = await totals(page);
    const shot = await screenshot(page, 'desk-town-changed.png');
    const second = await publishAndWait(page, 2);

    // Assess
    expect(rows.slice(-2)).toEqual([
      ['V01', 'submitted'],
      ['V02', 'submitted'],
    ]);
    expect(rows.slice(0, -2).every(([, state]) => state === 'missing')).toBe(true);
    expect(before.publication).toEqual({ state: 'unpublished', text: '尚未发布：下面是按现有数据实时计算的合计。' });
    expect(before.totals).toEqual({ general_hazards_found: ['8', '9'], hazards_rectified: ['3', '3'] });
    expect(before.missed).toContain('石会社区（1月、2月、3月）');
    expect(before.missed).toContain('中坝村（1月、2月、3月、4月）');
    expect(button).toEqual({ text: '发布本月汇总', enabled: true });
    expect(first).toContain('已发布石会镇2019年5月汇总第 1 版。');
    expect(published).toEqual({ state: 'current', text: '已发布（第 1 版），与现有数据一致。' });
    expect(changed).toEqual({
      publication: { state: 'changed', text: '数据已变更，待重新发布（已发布的是第 1 版）。' },
      summary: '已发布第 1 版；其后数据有变更，待重新发布。',
      button: '重新发布本月汇总',
    });
    expect(changedTotals['general_hazards_found']).toEqual(['10', '11']);
    expect(second).toContain('第 2 版');
    expect(shot.bytes).toBeGreaterThan(0);
    expect(watched.problems).toEqual([]);
  });

  it('opens a unit’s figures, its last 12 months and its trail', async () => {
    // Prepare
    const { page, watched } = await openDesk(tokens.town, DESKTOP);

    // Act
    await page.click('button[data-detail="SH/V01"]');
    await page.waitForSelector('#unit-detail[data-unit="SH/V01"] #unit-months tr');
    await page.waitForSelector('#unit-history[data-loaded], #unit-history li.event');
    const figures = await page.$$eval('#unit-figures tbody tr[data-key]', (trs) =>
      trs.map((r) => [r.getAttribute('data-key'), r.querySelector('td.value')?.getAttribute('data-value')]),
    );
    const months = await page.$$eval('#unit-months tbody tr', (trs) =>
      trs.map((r) => [r.getAttribute('data-period'), r.getAttribute('data-state')]),
    );
    const heading = await page.textContent('#unit-detail h3');
    await page.click('button[data-detail="SH/V03"]');
    await page.waitForSelector('#unit-detail[data-unit="SH/V03"] #unit-months tr');
    const missing = await page.textContent('#unit-detail [data-figures=none]');

    // Assess
    expect(heading).toBe('石会社区 · 2019年5月数据');
    expect(figures).toEqual([
      ['general_hazards_found', '6'],
      ['hazards_rectified', '3'],
    ]);
    expect(months.slice(0, 3)).toEqual([
      ['2019-05', 'submitted'],
      ['2019-04', 'submitted'],
      ['2019-03', 'missing'],
    ]);
    expect(months).toHaveLength(12);
    expect(missing).toBe('2019年5月尚未报送。');
    expect(await page.isVisible('#unit-history')).toBe(true);
    expect(watched.problems).toEqual([]);
  });

  it('downloads the year’s report as a Word document, named in Chinese, that Writer opens with the town’s figures', async () => {
    // Prepare
    const { page, watched } = await openDesk(tokens.town, DESKTOP);

    // Act
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-report')]);
    const bytes = readFileSync((await download.path())!);
    await expect.poll(() => page.textContent('#summary-status')).toContain('已下载');

    // Assess
    expect(download.suggestedFilename()).toBe('石会镇-2019年度-法治政府建设工作报告（统计部分草稿）.docx');
    const text = libreOfficeText(bytes);
    expect(text).toContain('黔江区石会镇2019年法治政府建设工作报告（统计部分草稿）');
    expect(text).toContain('排查一般隐患');
    expect(watched.problems).toEqual([]);
  });

  it('keeps the button closed on a month not over, and says from when it opens', async () => {
    // Prepare
    const { page, watched } = await openDesk(tokens.town, DESKTOP, '2025-04');

    // Assess
    expect(await page.isDisabled('#publish-summary')).toBe(true);
    expect(await page.textContent('#publish-hint')).toBe('2025年4月尚未结束：2025年5月1日起才能发布。');
    expect(watched.problems).toEqual([]);
  });

  it('on a phone: captions across the width, a rate card says its label once, no horizontal scroll', async () => {
    // Prepare
    const { page, watched } = await openDesk(tokens.town, PHONE);

    // Act
    await page.click('#show-summary');
    await page.waitForSelector('#summary:not([hidden]) #summary-derived tbody tr');
    const captions = await page.$$eval('#completeness caption, #desk-totals caption, #summary-derived caption', (nodes) =>
      nodes.map((n) => ({ text: n.textContent ?? '', ...(({ width, height }) => ({ width, height }))(n.getBoundingClientRect()) })),
    );
    const rateLabel = await beforeContent(page, '#summary-derived tbody tr[data-field=rectificationRate] td.value');
    const statusLabel = await beforeContent(page, '#completeness tbody tr td.status');
    const width = await page.evaluate<{ scrollWidth: number; innerWidth: number }>(
      '({ scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth })',
    );
    const shot = await screenshot(page, 'desk-town-phone.png');

    // Assess: one or two lines of text each (a caption one character wide would be dozens of lines high)
    expect(captions).toHaveLength(3);
    for (const c of captions) {
      expect(c.width, c.text).toBeGreaterThan(250);
      expect(c.height, c.text).toBeLessThan(60);
    }
    expect(rateLabel).toBe('none');
    expect(statusLabel).toBe('"状态："');
    expect(width.scrollWidth).toBeLessThanOrEqual(width.innerWidth);
    expect(shot.bytes).toBeGreaterThan(0);
    expect(watched.problems).toEqual([]);
  });

  it('shows the district its desk: the towns, the district’s live totals, no publish button', async () => {
    // Prepare
    const { page, watched } = await openDesk(tokens.district, DESKTOP);

    // Act
    const view = {
      towns: await page.isVisible('#towns'),
      button: await page.isVisible('#publish-summary'),
      publication: await page.getAttribute('#desk-publication', 'data-state'),
      caption: await page.textContent('#desk-totals-caption'),
    };
    const district = await totals(page);
    const shot = await screenshot(page, 'desk-district.png');

    // Assess: the district's figures include 石会镇's (and other files' 2019 months of other towns)
    expect(view).toEqual({ towns: true, button: false, publication: 'unpublished', caption: '黔江区2019年5月实时合计与本年累计（1—5月）' });
    expect(Number(district['general_hazards_found']?.[0])).toBeGreaterThanOrEqual(10);
    expect(shot.bytes).toBeGreaterThan(0);
    expect(watched.problems).toEqual([]);
  });
});
