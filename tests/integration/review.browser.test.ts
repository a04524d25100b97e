/**
 * Corrections and review on the page (docs/DOMAIN.md#corrections, #review), in a real
 * Chromium against the run's local stack (clock 2025-04-03 09:00 Beijing time).
 *
 * Units and month of this file alone: 黑溪镇's 五福村 (HX/V03), 鱼泉村 (HX/V04) and 双河村
 * (HX/V05) in March 2025 — the one month still open to a village at the stack's clock (its
 * deadline is 5 April, its lock day 20 April; February's lock day has passed). V04 and V05
 * send their month before the tests; V03 sends hers from the page.
 *
 * The tests run in order: (1) V03 sends her month, (2) corrects one row of it, (3) the town
 * approves V04 and returns V05 on a phone, and each secretary then sees her month's state,
 * (4) a correction of V03 landing after the town read the table makes its approval fail,
 * (5) V04's correction of her approved month is refused as locked before it is sent.
 * Screenshots are kept under tests/artifacts/ (gitignored).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { DESKTOP, issueFor, launchChromium, PHONE, screenshot, type Watched, watch } from '../support/browser.ts';
import { connectStack, longCsv, outcomeOf, STACK_NOW, upload, type StackHandle } from '../support/stack.ts';

const MONTH = '2025-03';
const SECRETARY = 'V03'; // 黑溪镇 五福村
const APPROVED = 'V04'; // 黑溪镇 鱼泉村
const RETURNED = 'V05'; // 黑溪镇 双河村
const RETURN_REASON = '受理来信来访数与台账不符，请核对后重报';
const RESULT_TIMEOUT = 90_000;

/** 五福村's March as she first sends it: four values, in the long template's Chinese headers. */
const FIRST_CSV =
  [
    '单位代码,月份,指标代码,指标名称,数值,备注',
    `${SECRETARY},${MONTH},general_hazards_found,排查一般隐患(处),8,`,
    `${SECRETARY},${MONTH},hazards_rectified,隐患完成整改(处),6,`,
    `${SECRETARY},${MONTH},leaflets_distributed,发放宣传资料(份),"1,200",`,
    `${SECRETARY},${MONTH},petitions_received,受理群众来信来访(件),0,`,
  ].join('\r\n') + '\r\n';

/** Her correction: one row; what it does not mention stays. */
const CORRECTION_CSV =
  ['单位代码,月份,指标代码,指标名称,数值,备注', `${SECRETARY},${MONTH},general_hazards_found,排查一般隐患(处),10,补漏一处`].join('\r\n') +
  '\r\n';

let stack: StackHandle;
let browser: Browser;
let api: string;
const tokens: Record<'secretary' | 'approved' | 'returned' | 'town', string> = { secretary: '', approved: '', returned: '', town: '' };
const contexts: BrowserContext[] = [];

/** A village's file for its month, sent as the village and checked before the tests. */
async function sendAsVillage(unit: string, values: Record<string, number>): Promise<void> {
  const sent = await upload(stack, {
    unit: `HX/${unit}`,
    period: MONTH,
    body: longCsv(unit, MONTH, values),
    uploader: { role: 'village', unit: `HX/${unit}` },
  });
  const outcome = await outcomeOf(stack, sent.uploadId);
  if (outcome.status !== 'accepted') throw new Error(`HX/${unit}'s file for ${MONTH} was ${outcome.status}`);
}

beforeAll(async () => {
  stack = connectStack();
  api = inject('stack').api;
  const now = new Date(STACK_NOW);
  [tokens.secretary, tokens.approved, tokens.returned, tokens.town] = await Promise.all([
    issueFor(stack, { role: 'village', unit: `HX/${SECRETARY}` }, now),
    issueFor(stack, { role: 'village', unit: `HX/${APPROVED}` }, now),
    issueFor(stack, { role: 'village', unit: `HX/${RETURNED}` }, now),
    issueFor(stack, { role: 'town', town: 'HX' }, now),
  ]);
  await sendAsVillage(APPROVED, { general_hazards_found: 3, hazards_rectified: 3 });
  await sendAsVillage(RETURNED, { petitions_received: 4, petitions_closed: 5 });
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  stack?.close();
});

/** A fresh browser profile on the page, logged in with `token`. */
async function openPage(token: string, options: BrowserContextOptions = DESKTOP): Promise<{ page: Page; watched: Watched }> {
  const context = await browser.newContext(options);
  contexts.push(context);
  const page = await context.newPage();
  const watched = watch(page);
  await page.goto(`${api}/`);
  await page.waitForSelector('html[data-ready=true]');
  await page.fill('#token', token);
  await page.click('#login');
  await page.waitForSelector('#login-status.ok');
  return { page, watched };
}

async function uploadFile(page: Page, name: string, body: string): Promise<string> {
  await page.setInputFiles('#file', { name, mimeType: 'text/csv', buffer: Buffer.from(body, 'utf8') });
  await page.click('#upload');
  await page.waitForSelector('#result[data-status]:not([hidden])', { timeout: RESULT_TIMEOUT });
  return (await page.getAttribute('#result', 'data-status'))!;
}

interface MonthRow {
  period: string;
  state: string;
  review: string;
  deadline: string;
  lockDay: string;
  locked: string;
}

/** The secretary's months as her table lists them. */
function monthRows(page: Page): Promise<MonthRow[]> {
  return page.$$eval('#my-months tbody tr', (trs) =>
    trs.map((r) => {
      const text = (cls: string) => r.querySelector(`td.${cls}`)?.textContent ?? '';
      return {
        period: r.getAttribute('data-period') ?? '',
        state: r.getAttribute('data-state') ?? '',
        review: text('review'),
        deadline: text('deadline'),
        lockDay: text('lock-day'),
        locked: text('locked'),
      };
    }),
  );
}

/** The months' table once it shows `state` for March (it is read again after an upload). */
async function marchRow(page: Page, state: string, text = ''): Promise<MonthRow> {
  await page.waitForSelector(`#my-months tbody tr[data-period="${MONTH}"][data-state=${state}]`);
  if (text) await expect.poll(async () => (await monthRows(page))[0]?.review ?? '').toContain(text);
  return (await monthRows(page))[0]!;
}

/** The trail of a month, opened from the secretary's table: each event's kind and text. */
async function openHistory(page: Page, container: string, button: string): Promise<{ kind: string; what: string; who: string }[]> {
  await page.click(button);
  await page.waitForSelector(`${container}[data-loaded=true]`);
  return page.$$eval(`${container} li.event`, (items) =>
    items.map((li) => ({
      kind: li.getAttribute('data-kind') ?? '',
      what: li.querySelector('.what')?.textContent ?? '',
      who: li.querySelector('.who')?.textContent ?? '',
    })),
  );
}

/** A unit's row in the town's table: its review state, its text and its buttons. */
function unitRow(page: Page, unit: string): Promise<{ review: string; text: string; actions: string[] }> {
  return page.$eval(`#completeness tbody tr[data-unit=${unit}]`, (r) => ({
    review: r.getAttribute('data-review') ?? '',
    text: r.querySelector('td.review')?.textContent ?? '',
    actions: [...r.querySelectorAll('td.actions button[data-action]')].map((b) => b.textContent ?? ''),
  }));
}

/** The page's width against the window's (strings run in the page: the project's TypeScript has no DOM library). */
function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  return page.evaluate<{ scrollWidth: number; innerWidth: number }>(
    '({ scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth })',
  );
}

describe('corrections and review on the page', () => {
  it('(1) a secretary sees her last 12 months on login, sends March, and sees it 已报 with its deadline, lock day and first version', async () => {
    // Arrange
    const { page, watched } = await openPage(tokens.secretary);
    await page.waitForSelector('#my-months tbody tr[data-period]');
    const before = await monthRows(page);

    // Act: March's file, from the page
    const status = await uploadFile(page, '五福村3月.csv', FIRST_CSV);
    await page.waitForSelector(`#figures p.changes[data-unit="HX/${SECRETARY}"]`);
    const changes = await page.textContent(`#figures p.changes[data-unit="HX/${SECRETARY}"]`);
    const march = await marchRow(page, 'submitted');
    const after = await monthRows(page);
    const trail = await openHistory(page, '#my-history', `#my-months tr[data-period="${MONTH}"] button.history`);
    const shot = await screenshot(page, 'review-secretary-months.png');

    // Assess: twelve months up to March, newest first; March open, February past its lock day
    expect(before.map((m) => m.period)).toEqual([
      '2025-03',
      '2025-02',
      '2025-01',
      '2024-12',
      '2024-11',
      '2024-10',
      '2024-09',
      '2024-08',
      '2024-07',
      '2024-06',
      '2024-05',
      '2024-04',
    ]);
    expect(before.every((m) => m.state === 'missing' && m.review === '未报')).toBe(true);
    expect(before[0]!.locked).toBe('可报送、可更正');
    expect(before[1]!.locked).toBe('已锁定（已过锁定日）');
    expect(await page.isVisible(`#my-months tr[data-period="2025-02"] button.choose`)).toBe(false);

    // Assess: accepted, said as a first upload with its values; March 已报, first version, at the stack's clock
    expect(status).toBe('accepted');
    expect(changes).toContain('首次报送：排查一般隐患 8，隐患完成整改 6，发放宣传资料 1,200，受理群众来信来访 0');
    expect(march).toMatchObject({ review: '已报（2025年4月3日 09:00，第 1 版）', locked: '可报送、可更正' });
    expect(march.deadline).toContain('2025年4月5日');
    expect(march.lockDay).toContain('2025年4月20日');
    expect(after.slice(1).every((m) => m.state === 'missing')).toBe(true);
    expect(trail).toEqual([
      { kind: 'version', what: expect.stringContaining('第 1 版，首次报送：排查一般隐患 8'), who: expect.any(String) },
    ]);
    expect(trail[0]!.who).not.toBe('');
    expect(shot.bytes).toBeGreaterThan(0);
    expect(watched.problems).toEqual([]);
  });

  it('(2) a one-row correction changes that value only, and says so: 更正：排查一般隐患 8 → 10；其余 3 项不变', async () => {
    // Arrange
    const { page, watched } = await openPage(tokens.secretary);
    await marchRow(page, 'submitted');

    // Act
    const status = await uploadFile(page, '五福村3月更正.csv', CORRECTION_CSV);
    await page.waitForSelector(`#figures table[data-unit="HX/${SECRETARY}"] tr[data-key]`);
    const changes = await page.textContent(`#figures p.changes[data-unit="HX/${SECRETARY}"]`);
    const figures = await page.$$eval('#figures tr[data-key]', (rows) =>
      Object.fromEntries(rows.map((r) => [r.getAttribute('data-key'), r.querySelector('td.value')?.getAttribute('data-value')])),
    );
    const march = await marchRow(page, 'submitted', '第 2 版');
    const trail = await openHistory(page, '#my-history', `#my-months tr[data-period="${MONTH}"] button.history`);
    const shot = await screenshot(page, 'review-correction.png');

    // Assess: the other three values stayed; the month is at its second version
    expect(status).toBe('accepted');
    expect(changes).toContain('第 2 版');
    expect(changes).toContain('更正：排查一般隐患 8 → 10；其余 3 项不变');
    expect(figures).toEqual({ general_hazards_found: '10', hazards_rectified: '6', leaflets_distributed: '1200', petitions_received: '0' });
    expect(march.review).toBe('已报（2025年4月3日 09:00，第 2 版）');
    expect(trail.map((e) => e.kind)).toEqual(['version', 'version']);
    expect(trail[1]!.what).toBe('第 2 版，更正：排查一般隐患 8 → 10；其余 3 项不变');
    expect(shot.bytes).toBeGreaterThan(0);
    expect(watched.problems).toEqual([]);
  });

  it('(3) the town on a phone approves 鱼泉村 and returns 双河村 with a reason; each secretary then sees 已审核 / 已退回 and why', async () => {
    // Arrange
    const { page, watched } = await openPage(tokens.town, PHONE);
    await page.waitForSelector(`#completeness[data-period="${MONTH}"][data-org=HX] tbody tr[data-unit=${RETURNED}]`);
    const before = { approved: await unitRow(page, APPROVED), returned: await unitRow(page, RETURNED) };
    const layout = {
      overflow: await horizontalOverflow(page),
      caption: (await page.locator('#completeness caption').boundingBox())!,
      approve: (await page.locator(`tr[data-unit=${APPROVED}] button[data-action=approve]`).boundingBox())!,
    };

    // Act: approve 鱼泉村
    await page.click(`tr[data-unit=${APPROVED}] button[data-action=approve]`);
    await page.waitForSelector(`#completeness tbody tr[data-unit=${APPROVED}][data-review=approved]`);
    const approvedSaid = await page.textContent('#review-status');

    // Act: return 双河村, first without a reason, then with one
    await page.click(`tr[data-unit=${RETURNED}] button[data-action=return]`);
    const field = page.locator(`tr[data-unit=${RETURNED}] .review-form input.reason`);
    await field.waitFor();
    const fieldBox = (await field.boundingBox())!;
    const confirm = page.locator(`tr[data-unit=${RETURNED}] .review-form button.confirm`);
    const confirmBox = (await confirm.boundingBox())!;
    await confirm.click();
    const empty = await page.textContent(`tr[data-unit=${RETURNED}] .review-form .status`);
    await field.fill(RETURN_REASON);
    const filled = await horizontalOverflow(page);
    const shotForm = await screenshot(page, 'review-town-phone-reason.png');
    await confirm.click();
    await page.waitForSelector(`#completeness tbody tr[data-unit=${RETURNED}][data-review=returned]`);
    const after = { approved: await unitRow(page, APPROVED), returned: await unitRow(page, RETURNED) };
    const summary = await page.textContent('#completeness-summary');
    const shot = await screenshot(page, 'review-town-phone.png');

    // Act: each secretary's month
    const approvedPage = (await openPage(tokens.approved)).page;
    const approvedMarch = await marchRow(approvedPage, 'approved');
    const returnedPage = (await openPage(tokens.returned, PHONE)).page;
    const returnedMarch = await marchRow(returnedPage, 'returned');
    const returnedTrail = await openHistory(returnedPage, '#my-history', `#my-months tr[data-period="${MONTH}"] button.history`);
    const shotReturned = await screenshot(returnedPage, 'review-returned-secretary-phone.png');

    // Assess: both sent, both offered 审核通过 and 退回
    expect(before.approved).toMatchObject({ review: 'submitted', actions: ['审核通过', '退回'] });
    expect(before.returned).toMatchObject({ review: 'submitted', actions: ['审核通过', '退回'] });

    // Assess: on a phone: no horizontal scroll, a caption on one or two lines, buttons and the field a finger's size within the screen
    expect(layout.overflow.scrollWidth).toBeLessThanOrEqual(layout.overflow.innerWidth);
    expect(layout.caption.width).toBeGreaterThan(layout.overflow.innerWidth * 0.6);
    expect(layout.caption.height).toBeLessThan(80);
    expect(layout.approve.height).toBeGreaterThanOrEqual(44);
    expect(layout.approve.x + layout.approve.width).toBeLessThanOrEqual(layout.overflow.innerWidth);
    expect(fieldBox.width).toBeGreaterThan(layout.overflow.innerWidth * 0.6);
    expect(fieldBox.height).toBeGreaterThanOrEqual(44);
    expect(confirmBox.height).toBeGreaterThanOrEqual(44);
    expect(confirmBox.x + confirmBox.width).toBeLessThanOrEqual(layout.overflow.innerWidth);
    expect(filled.scrollWidth).toBeLessThanOrEqual(filled.innerWidth);

    // Assess: the reason is required; the rows say what was done, and the returned one why
    expect(empty).toContain('请填写退回的原因');
    expect(approvedSaid).toContain('已审核通过：鱼泉村');
    expect(after.approved).toMatchObject({ review: 'approved', text: expect.stringContaining('已审核'), actions: ['重新打开'] });
    expect(after.returned).toMatchObject({ review: 'returned', text: `已退回（原因：${RETURN_REASON}）`, actions: ['审核通过'] });
    expect(summary).toContain('已审核 1，已退回 1');

    // Assess: the secretaries' months
    expect(approvedMarch).toMatchObject({ state: 'approved', review: '已审核（第 1 版）', locked: '已锁定（已审核）' });
    expect(returnedMarch).toMatchObject({ state: 'returned', review: `已退回（原因：${RETURN_REASON}）`, locked: '可报送、可更正' });
    expect(returnedTrail.map((e) => e.kind)).toEqual(['version', 'return']);
    expect(returnedTrail[1]!.what).toBe(`退回（第 1 版），原因：${RETURN_REASON}`);
    expect(shotForm.bytes).toBeGreaterThan(0);
    expect(shot.bytes).toBeGreaterThan(0);
    expect(shotReturned.bytes).toBeGreaterThan(0);
    expect(watched.problems).toEqual([]);
  });

  it('(4) a correction landing after the town read the table fails its approval (REVIEW_CONFLICT): the table is read again and says the data changed', async () => {
    // Arrange: the town reads 五福村 at its second version; then she corrects once more
    const { page, watched } = await openPage(tokens.town);
    await page.waitForSelector(`#completeness[data-period="${MONTH}"][data-org=HX] tbody tr[data-unit=${SECRETARY}][data-version="2"]`);
    await sendAsVillage(SECRETARY, { hazards_rectified: 7 });

    // Act: approve what the town saw
    await page.click(`tr[data-unit=${SECRETARY}] button[data-action=approve]`);
    await page.waitForSelector(`#completeness tbody tr[data-unit=${SECRETARY}][data-version="3"]`);
    await page.waitForSelector('#review-status.error');
    const said = await page.textContent('#review-status');
    const row = await unitRow(page, SECRETARY);
    const note = await page.textContent(`tr[data-unit=${SECRETARY}] p.review-note`);
    const trail = await openHistory(page, '#unit-history', `tr[data-unit=${SECRETARY}] button.history`);

    // Assess: not approved; told why; the third version is what the table shows now, with its change
    expect(said).toContain('数据已变化');
    expect(note).toContain('数据已变化');
    expect(row).toMatchObject({ review: 'submitted', text: expect.stringContaining('第 3 版'), actions: ['审核通过', '退回'] });
    expect(trail.map((e) => e.kind)).toEqual(['version', 'version', 'version']);
    expect(trail[2]!.what).toBe('第 3 版，更正：隐患完成整改 6 → 7；其余 3 项不变');
    expect(watched.problems).toEqual([]);
  });

  it('(5) a correction of an approved month is refused before it is sent: the page says the month is locked and why, and her month stays 已审核', async () => {
    // Arrange: (3) approved 鱼泉村's March
    const { page, watched } = await openPage(tokens.approved);
    const before = await marchRow(page, 'approved');

    // Act
    await page.setInputFiles('#file', {
      name: '鱼泉村3月更正.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(longCsv(APPROVED, MONTH, { general_hazards_found: 4 }), 'utf8'),
    });
    await page.click('#upload');
    await page.waitForSelector('#upload-status.error');
    const said = await page.textContent('#upload-status');
    const trail = await openHistory(page, '#my-history', `#my-months tr[data-period="${MONTH}"] button.history`);
    const after = await marchRow(page, 'approved');
    const shot = await screenshot(page, 'review-locked.png');

    // Assess: nothing sent; locked because approved; the month as it was
    expect(before.locked).toBe('已锁定（已审核）');
    expect(await page.isVisible(`#my-months tr[data-period="${MONTH}"] button.choose`)).toBe(false);
    expect(said).toContain('该月已锁定');
    expect(said).toContain('已经镇审核');
    expect(said).toContain('重新打开');
    expect(await page.isHidden('#result')).toBe(true);
    expect(trail.map((e) => e.kind)).toEqual(['version', 'approve']);
    expect(after).toMatchObject({ review: '已审核（第 1 版）', locked: '已锁定（已审核）' });
    expect(shot.bytes).toBeGreaterThan(0);
    expect(watched.problems).toEqual([]);
  });
});
