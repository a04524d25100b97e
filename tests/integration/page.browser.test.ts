/**
 * The secretaries' page (web/, served by shared/web/page.ts) in a real Chromium, against the run's local
 * stack: served by the local API Gateway at `/`, calling the API with bearer tokens, and
 * sending files by presigned POST to the local S3 gate (CORS), as a phone or an office PC
 * would.
 *
 * The stack runs the sample district (config/district.json: 黔江区, towns EC 鹅池镇, SH
 * 石会镇, HX 黑溪镇). Units and month of this file alone: 鹅池镇's 青山村 (EC/V06) and
 * 杉岭村 (EC/V07), and 石会镇's 中坝村 (SH/V02, sent before the tests), in September 2024
 * (no other test uses 2024-09 on the shared stack). The stack's clock is 2025-04-03 09:00
 * Beijing time, so September 2024 is long past its deadline (5 October 2024): what V06
 * sends is accepted and late (迟报); V07's file is rejected, so V07 stays 未报.
 *
 * The tests run in order: the town's (4) and the district's views (5, 10) read what the
 * villages sent in (1), and (9, 11) read the summaries (4) published.
 * Screenshots are kept under tests/artifacts/ (gitignored).
 */
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { openpyxl } from '../support/office.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { DynamoSummaries } from '../../shared/adapters/dynamodb-summaries.ts';
import { publish } from '../../shared/publish/publish.ts';
import {
  cspViolations,
  DESKTOP,
  issueFor,
  launchChromium,
  PHONE,
  recordCspViolations,
  screenshot,
  type Watched,
  watch,
} from '../support/browser.ts';
import { Registry } from '../../shared/registry.ts';
import { connectStack, longCsv, outcomeOf, reopenFor, STACK_NOW, upload, type StackHandle } from '../support/stack.ts';

const MONTH = '2024-09';
const GOOD_UNIT = 'V06'; // 鹅池镇 青山村
const BAD_UNIT = 'V07'; // 鹅池镇 杉岭村
/** 石会镇 中坝村: its file goes in before the tests, so that a second town has a unit received. */
const OTHER_TOWN_UNIT = 'SH/V02';
const DISTRICT_FILE = new URL('../../config/district.json', import.meta.url);
const registry = Registry.fromJson(readFileSync(DISTRICT_FILE, 'utf8'), 'config/district.json');
const EC = registry.org('EC')!;

/** What a secretary fills into the long template (Chinese headers, CRLF, a quoted thousands separator). */
const GOOD_CSV =
  [
    '单位代码,月份,指标代码,指标名称,数值,备注',
    `${GOOD_UNIT},${MONTH},general_hazards_found,排查一般隐患(处),7,`,
    `${GOOD_UNIT},${MONTH},hazards_rectified,隐患完成整改(处),6,1处正在整改`,
    `${GOOD_UNIT},${MONTH},leaflets_distributed,发放宣传资料(份),"1,200",`,
    `${GOOD_UNIT},${MONTH},petitions_received,受理群众来信来访(件),0,`,
  ].join('\r\n') + '\r\n';

/** Row 2: a negative count; row 4: a count written in words. Row 3 is fine. */
const BAD_CSV =
  [
    '单位代码,月份,指标代码,指标名称,数值,备注',
    `${BAD_UNIT},${MONTH},general_hazards_found,排查一般隐患(处),-3,`,
    `${BAD_UNIT},${MONTH},petitions_received,受理群众来信来访(件),4,`,
    `${BAD_UNIT},${MONTH},legal_trainings,法律明白人和人民调解员培训(次),两次,`,
  ].join('\r\n') + '\r\n';

const RESULT_TIMEOUT = 90_000;

interface ProblemRow {
  kind: string;
  code: string;
  row: string;
  column: string;
  value: string;
  message: string;
}

let stack: StackHandle;
let browser: Browser;
let api: string;
const tokens: Record<'good' | 'bad' | 'town' | 'district', string> = { good: '', bad: '', town: '', district: '' };
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  stack = connectStack();
  api = inject('stack').api;
  const now = new Date(STACK_NOW);
  [tokens.good, tokens.bad, tokens.town, tokens.district] = await Promise.all([
    issueFor(stack, { role: 'village', unit: `EC/${GOOD_UNIT}` }, now),
    issueFor(stack, { role: 'village', unit: `EC/${BAD_UNIT}` }, now),
    issueFor(stack, { role: 'town', town: 'EC' }, now),
    issueFor(stack, { role: 'district' }, now),
  ]);
  // September 2024 is past its lock day: reopened for the units that send it here.
  await reopenFor(stack, [`EC/${GOOD_UNIT}`, `EC/${BAD_UNIT}`, OTHER_TOWN_UNIT], [MONTH], registry);
  await reopenFor(stack, ['EC/V06', 'EC/V08'], ['2024-08'], registry);
  const sent = await upload(stack, {
    unit: OTHER_TOWN_UNIT,
    period: MONTH,
    body: longCsv('V02', MONTH, { legal_trainings: 2 }),
    uploader: { role: 'village', unit: OTHER_TOWN_UNIT },
  });
  const outcome = await outcomeOf(stack, sent.uploadId);
  if (outcome.status !== 'accepted') throw new Error(`${OTHER_TOWN_UNIT}'s file for ${MONTH} was ${outcome.status}`);
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  stack?.close();
});

/** A fresh browser profile (nothing remembered) on the page, logged in with `token`. */
async function openPage(token: string, options: BrowserContextOptions = DESKTOP): Promise<{ page: Page; watched: Watched }> {
  const context = await browser.newContext(options);
  contexts.push(context);
  const page = await context.newPage();
  const watched = watch(page);
  await page.goto(`${api}/`);
  await page.waitForSelector('html[data-ready=true]');
  if (token) await login(page, token);
  return { page, watched };
}

async function login(page: Page, token: string): Promise<void> {
  await page.fill('#token', token);
  await page.click('#login');
  await page.waitForSelector('#login-status.ok, #login-status.error');
}

async function chooseMonth(page: Page, month: string): Promise<void> {
  await page.fill('#period', month);
  await page.dispatchEvent('#period', 'change');
  await expect.poll(() => page.textContent('#deadline')).toContain('2024年10月5日');
}

async function uploadFile(page: Page, name: string, body: string): Promise<string> {
  await page.setInputFiles('#file', { name, mimeType: 'text/csv', buffer: Buffer.from(body, 'utf8') });
  await page.click('#upload');
  await page.waitForSelector('#result[data-status]:not([hidden])', { timeout: RESULT_TIMEOUT });
  return (await page.getAttribute('#result', 'data-status'))!;
}

function problemsOf(page: Page): Promise<ProblemRow[]> {
  return page.$$eval('#problems tbody tr', (rows) =>
    rows.map((r) => {
      const text = (cls: string) => r.querySelector(`td.${cls}`)?.textContent ?? '';
      return {
        kind: text('kind'),
        code: r.getAttribute('data-code') ?? '',
        row: text('row'),
        column: text('column'),
        value: text('value'),
        message: text('message'),
      };
    }),
  );
}

/** The district's lines, one per town: its code, name, counts (expected, received, on time, late, missing) and missing units. */
function townRows(page: Page): Promise<{ code: string; name: string; counts: string[]; missing: string }[]> {
  return page.$$eval('#towns tbody tr', (trs) =>
    trs.map((r) => ({
      code: r.getAttribute('data-town') ?? '',
      name: r.querySelector('th button')?.textContent ?? '',
      counts: ['expected', 'received', 'on-time', 'late', 'missing'].map((c) => r.querySelector(`td.${c}`)?.textContent ?? ''),
      missing: r.querySelector('td.missing-units')?.textContent ?? '',
    })),
  );
}

/** A town's units as the completeness table lists them. */
function unitRows(page: Page): Promise<{ unit: string; name: string; status: string }[]> {
  return page.$$eval('#completeness tbody tr', (trs) =>
    trs.map((r) => ({
      unit: r.getAttribute('data-unit') ?? '',
      name: r.querySelector('td.name')?.textContent ?? '',
      status: r.querySelector('td.status')?.textContent ?? '',
    })),
  );
}

/**
 * The page's width against the window's (a horizontal scroll when wider). Expressions run
 * in the page are strings: the project's TypeScript has no DOM library.
 */
function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  return page.evaluate<{ scrollWidth: number; innerWidth: number }>(
    '({ scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth })',
  );
}

/** A computed CSS length of the first element a selector matches, in px. */
function cssPixels(page: Page, selector: string, property: 'font-size' | 'height'): Promise<number> {
  return page.evaluate<number>(
    `parseFloat(getComputedStyle(document.querySelector(${JSON.stringify(selector)})).getPropertyValue(${JSON.stringify(property)}))`,
  );
}

describe('the page in a browser', () => {
  it('(1) a village: shows its unit, hands out the month’s template, uploads a good file and shows 已接收 with the figures as stored', async () => {
    // Arrange
    const { page, watched } = await openPage(tokens.good);

    // Act: who, the month, the template
    const who = {
      unit: await page.textContent('#who-unit'),
      role: await page.textContent('#who-role'),
      expires: await page.textContent('#who-expires'),
    };
    const defaultMonth = await page.inputValue('#period');
    await chooseMonth(page, MONTH);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-template')]);
    const template = readFileSync((await download.path())!, 'utf8');
    const [workbook] = await Promise.all([page.waitForEvent('download'), page.click('#download-template-xlsx')]);
    const sheet = openpyxl(readFileSync((await workbook.path())!)).sheets[0]!;

    // Act: the upload
    const status = await uploadFile(page, '青山村9月.csv', GOOD_CSV);
    await page.waitForSelector(`#figures table[data-unit="EC/${GOOD_UNIT}"] tr[data-key]`);
    const figures = await page.$$eval('#figures tr[data-key]', (rows) =>
      rows.map((r) => ({
        key: r.getAttribute('data-key'),
        label: r.querySelector('td.label')?.textContent,
        value: r.querySelector('td.value')?.textContent,
        raw: r.querySelector('td.value')?.getAttribute('data-value'),
        unit: r.querySelector('td.unit')?.textContent,
      })),
    );
    const problems = await problemsOf(page);
    const shot = await screenshot(page, 'page-accepted.png');

    // Assess: the token speaks for 青山村 until 30 days after the stack's clock (Beijing time)
    expect(who).toEqual({ unit: '青山村（V06）', role: '村（社区）', expires: '2025年5月3日 09:00（北京时间）' });
    expect(defaultMonth).toBe('2025-03');
    expect(await page.textContent('#deadline')).toContain('次月 5 日');
    expect(download.suggestedFilename()).toBe(`鹅池镇-青山村-${MONTH}-填报模板.csv`);
    expect(template).toContain(`${GOOD_UNIT},${MONTH},general_hazards_found`);
    expect(workbook.suggestedFilename()).toBe(`鹅池镇-青山村-${MONTH}-填报模板.xlsx`);
    expect(sheet.values[1]!.slice(0, 3)).toEqual([GOOD_UNIT, MONTH, 'legal_literates']);

    // Assess: accepted, late (September's deadline was 5 October), the figures as the file has them
    expect(status).toBe('accepted');
    expect(await page.textContent('#result-title')).toContain('已接收');
    expect(await page.textContent('#upload-status')).toContain('已接收');
    expect(figures).toEqual([
      { key: 'general_hazards_found', label: '排查一般隐患', value: '7', raw: '7', unit: '处' },
      { key: 'hazards_rectified', label: '隐患完成整改', value: '6', raw: '6', unit: '处' },
      { key: 'leaflets_distributed', label: '发放宣传资料', value: '1,200', raw: '1200', unit: '份' },
      { key: 'petitions_received', label: '受理群众来信来访', value: '0', raw: '0', unit: '件' },
    ]);
    expect(problems).toEqual([
      { kind: '提醒', code: 'LATE', row: '2', column: '月份', value: MONTH, message: expect.stringContaining('记为迟报') },
    ]);
    expect(await page.getAttribute('#upload-progress', 'value')).toBe('100');
    expect(shot.bytes).toBeGreaterThan(0);
    expect(watched.problems).toEqual([]);
  });

  it('(2) refuses a legacy .xls workbook and an oversized file before uploading, and lists a bad file’s problems by row and column', async () => {
    // Arrange
    const { page, watched } = await openPage(tokens.bad);
    await chooseMonth(page, MONTH);

    // Act: an .xls (Excel 97-2003), then a file over the limit (nothing is sent)
    await page.setInputFiles('#file', {
      name: '杉岭村9月.xls',
      mimeType: 'application/vnd.ms-excel',
      buffer: Buffer.from([0xd0, 0xcf, 0x11, 0xe0]),
    });
    const workbook = { status: await page.textContent('#upload-status'), disabled: await page.isDisabled('#upload') };
    const { maxFileBytes: max } = (await (await fetch(`${api}/v1/me`, { headers: { authorization: `Bearer ${tokens.bad}` } })).json()) as {
      maxFileBytes: number;
    };
    await page.setInputFiles('#file', { name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.alloc(max + 1024 * 1024, 0x30) });
    const big = { status: await page.textContent('#upload-status'), disabled: await page.isDisabled('#upload') };

    // Act: the bad file
    const status = await uploadFile(page, '杉岭村9月.csv', BAD_CSV);
    const problems = await problemsOf(page);
    const shot = await screenshot(page, 'page-rejected.png');

    // Assess
    expect(workbook.status).toContain('另存为');
    expect(workbook.status).toContain('Excel 工作簿(*.xlsx)');
    expect(workbook.disabled).toBe(true);
    expect(big.status).toContain('文件太大');
    expect(big.disabled).toBe(true);
    expect(status).toBe('rejected');
    expect(await page.textContent('#result-title')).toContain('没有被接收');
    expect(problems).toEqual([
      { kind: '错误', code: 'NEGATIVE', row: '2', column: '数值', value: '-3', message: expect.stringContaining('数值不能为负数') },
      { kind: '错误', code: 'NOT_A_NUMBER', row: '4', column: '数值', value: '两次', message: expect.stringContaining('不是数字') },
    ]);
    expect(problems[0]!.message).toContain('排查一般隐患');
    expect(problems[1]!.message).toContain('法律明白人和人民调解员培训');
    expect(await page.$$('#figures tr')).toHaveLength(0);
    expect(shot.bytes).toBeGreaterThan(0);
    expect(watched.problems).toEqual([]);
  });

  it('(3) on a phone: one column, no horizontal scroll, big controls, the upload controls and a rejected file’s problems readable', async () => {
    // Arrange
    const { page, watched } = await openPage(tokens.bad, PHONE);
    await chooseMonth(page, MONTH);

    // Act
    const before = await horizontalOverflow(page);
    const visible = {
      file: await page.isVisible('#file'),
      upload: await page.isVisible('#upload'),
      template: await page.isVisible('#download-template'),
      month: await page.isVisible('#period'),
    };
    const status = await uploadFile(page, '杉岭村9月.csv', BAD_CSV);
    const after = await horizontalOverflow(page);
    const sizes = {
      body: await cssPixels(page, 'body', 'font-size'),
      token: await cssPixels(page, '#token', 'font-size'),
      problem: await cssPixels(page, '#problems td.message', 'font-size'),
      upload: (await page.locator('#upload').boundingBox())!.height,
      uploadWidth: (await page.locator('#upload').boundingBox())!.width,
      file: (await page.locator('#file').boundingBox())!.height,
    };
    const shot = await screenshot(page, 'page-phone.png');

    // Assess
    expect(before.scrollWidth).toBeLessThanOrEqual(before.innerWidth);
    expect(after.scrollWidth).toBeLessThanOrEqual(after.innerWidth);
    expect(visible).toEqual({ file: true, upload: true, template: true, month: true });
    expect(status).toBe('rejected');
    expect(sizes.body).toBeGreaterThanOrEqual(16);
    expect(sizes.token).toBeGreaterThanOrEqual(16);
    expect(sizes.problem).toBeGreaterThanOrEqual(16);
    expect(sizes.upload).toBeGreaterThanOrEqual(44);
    expect(sizes.uploadWidth).toBeGreaterThan(after.innerWidth * 0.75); // one column: the button spans it
    expect(sizes.file).toBeGreaterThanOrEqual(44);
    expect(shot.bytes).toBeGreaterThan(0);
    expect(watched.problems).toEqual([]);
  });

  it('(4) the town: its own town only (青山村 迟报, 杉岭村 未报, no choice of towns), then its published summary and its CSV', async () => {
    // Arrange
    const { page, watched } = await openPage(tokens.town);
    await chooseMonth(page, MONTH);
    await page.waitForSelector(`#completeness[data-period="${MONTH}"][data-org=EC] tbody tr[data-unit=${GOOD_UNIT}]`);

    // Act: the month as the town sees it before publication
    const rows = await page.$$eval('#completeness tbody tr', (trs) =>
      trs.map((r) => ({
        unit: r.getAttribute('data-unit'),
        fullCode: r.getAttribute('data-full-code'),
        name: r.querySelector('td.name')?.textContent,
        status: r.querySelector('td.status')?.textContent,
        first: r.querySelector('td.first')?.textContent,
      })),
    );
    const view = {
      heading: await page.textContent('#town-heading'),
      choice: await page.isVisible('#org-nav'),
      towns: await page.isVisible('#towns'),
      who: await page.textContent('#who-unit'),
    };
    const unpublished = await page.textContent('#summary-status');
    const uploadVisible = await page.isVisible('#upload-section');
    const unitChoice = await page.$$eval('#upload-unit option', (options) => options.map((o) => o.getAttribute('value') ?? ''));

    // Act: the month is published (the town's and the district's); the town refreshes, reads its summary, downloads the CSV
    const deps = {
      reader: stack.ledger,
      archive: new DynamoSummaries(stack.dynamodb, stack.table, stack.store),
      store: stack.store,
      registry,
      now: () => new Date(STACK_NOW),
    };
    const published = await publish('monthly', MONTH, deps, EC);
    const districtPublished = await publish('monthly', MONTH, deps, registry.defaultOrg);
    await page.click('#refresh-completeness');
    await page.waitForSelector('#show-summary:not([hidden])');
    await page.click('#show-summary');
    await page.waitForSelector('#summary:not([hidden])');
    const totals = await page.$$eval('#summary-totals tbody tr[data-key]', (trs) =>
      Object.fromEntries(trs.map((r) => [r.getAttribute('data-key'), r.querySelector('td.value')?.getAttribute('data-value')])),
    );
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-summary')]);
    const csv = readFileSync((await download.path())!, 'utf8');
    const [summaryBook] = await Promise.all([page.waitForEvent('download'), page.click('#download-summary-xlsx')]);
    const book = openpyxl(readFileSync((await summaryBook.path())!));
    const shot = await screenshot(page, 'page-town.png');

    // Assess: 鹅池镇's nine units and nothing of the other towns, the missing ones first (the clerk's desk)
    const ecUnits = registry.unitsOf(EC).map((u) => u.code);
    const deskOrder = [...ecUnits.filter((u) => u !== GOOD_UNIT), GOOD_UNIT];
    expect(rows.map((r) => r.unit)).toEqual(deskOrder);
    expect(rows.map((r) => r.fullCode)).toEqual(deskOrder.map((u) => `EC/${u}`));
    expect(rows.find((r) => r.unit === GOOD_UNIT)).toEqual({
      unit: GOOD_UNIT,
      fullCode: `EC/${GOOD_UNIT}`,
      name: '青山村',
      status: '迟报',
      first: '2025年4月3日 09:00',
    });
    expect(rows.find((r) => r.unit === BAD_UNIT)).toMatchObject({ name: '杉岭村', status: '未报', first: '—' });
    expect(await page.textContent('#completeness-summary')).toContain('应报 9 个单位，已报 1（按时 0，迟报 1），未报 8');
    expect(view).toEqual({ heading: '鹅池镇报送情况', choice: false, towns: false, who: '鹅池镇' });
    expect(unpublished).toContain('尚未发布');
    expect(uploadVisible).toBe(true);
    expect(unitChoice.map((v) => v.slice(v.indexOf('/') + 1))).toEqual(expect.arrayContaining(['', ...ecUnits]));
    expect(unitChoice.filter((v) => v.includes('/') && !v.startsWith('EC/'))).toEqual([]);
    expect(published).toMatchObject({ published: true, revision: 1 });
    expect(districtPublished).toMatchObject({ published: true, revision: 1 });
    expect(totals).toEqual({ general_hazards_found: '7', hazards_rectified: '6', leaflets_distributed: '1200' });
    expect(await page.textContent('#summary-derived')).toContain('85.7%');
    // August 2024 has no data: nothing is compared, and the page says so rather than showing +7.
    expect(await page.textContent('#summary-compare')).toContain('上月无可比数据');
    expect(await page.$$eval('#summary-totals td.change', (tds) => tds.map((td) => td.textContent))).toEqual(['—', '—', '—']);
    expect(await page.isVisible('#summary-flags')).toBe(false);
    expect(await page.isVisible('#summary-towns')).toBe(false);
    expect(download.suggestedFilename()).toBe(`鹅池镇-${MONTH}-汇总.csv`);
    expect(csv).toContain('青山村');
    expect(summaryBook.suggestedFilename()).toBe(`鹅池镇-${MONTH}-汇总.xlsx`);
    expect(Object.values(book.parts).filter((problem) => problem !== null)).toEqual([]);
    const bookText = book.sheets.flatMap((sheet) => sheet.values.flat()).join(' ');
    for (const word of ['鹅池镇', '青山村', '未报', '杉岭村']) expect(bookText, word).toContain(word);
    expect(shot.bytes).toBeGreaterThan(0);
    expect(watched.problems).toEqual([]);
  });

  it('(5) the district: one line per town with its counts and missing units, the district’s totals; opens 石会镇 and goes back', async () => {
    // Arrange
    const { page, watched } = await openPage(tokens.district);
    await chooseMonth(page, MONTH);
    await page.waitForSelector(`#towns[data-period="${MONTH}"][data-org=QJ] tbody tr[data-town=HX]`);

    // Act: the district's view
    const towns = await townRows(page);
    const total = await page.$eval('#towns tfoot tr', (r) => ({
      name: r.querySelector('th')?.textContent,
      expected: r.querySelector('td.expected')?.textContent,
      received: r.querySelector('td.received')?.textContent,
      late: r.querySelector('td.late')?.textContent,
      missing: r.querySelector('td.missing')?.textContent,
    }));
    const districtView = {
      heading: await page.textContent('#town-heading'),
      who: await page.textContent('#who-unit'),
      role: await page.textContent('#who-role'),
      choice: await page.$$eval('#org-choice option', (os) => os.map((o) => `${o.getAttribute('value')} ${o.textContent}`)),
      units: await page.isVisible('#completeness'),
      upload: await page.isVisible('#upload-section'),
      file: await page.isVisible('#file'),
    };
    const shotDistrict = await screenshot(page, 'page-district.png');

    // Act: open 石会镇 by its name, then back to the district
    await page.click('#towns tr[data-town=SH] button[data-open=SH]');
    await page.waitForSelector(`#completeness[data-period="${MONTH}"][data-org=SH] tbody tr[data-unit=V02]`);
    const sh = {
      heading: await page.textContent('#town-heading'),
      choice: await page.inputValue('#org-choice'),
      towns: await page.isVisible('#towns'),
      back: await page.isVisible('#back-to-district'),
      rows: await unitRows(page),
      summary: await page.textContent('#completeness-summary'),
    };
    const shotTown = await screenshot(page, 'page-district-sh.png');
    await page.click('#back-to-district');
    await page.waitForSelector(`#towns[data-period="${MONTH}"][data-org=QJ] tbody tr[data-town=SH]`);
    const back = {
      heading: await page.textContent('#town-heading'),
      choice: await page.inputValue('#org-choice'),
      units: await page.isVisible('#completeness'),
      backButton: await page.isVisible('#back-to-district'),
      towns: (await townRows(page)).map((t) => t.code),
    };

    // Assess: the three towns as the registry has them in September 2024 (SH's V08 comes only in 2025-07)
    expect(towns).toEqual([
      {
        code: 'EC',
        name: '鹅池镇',
        counts: ['9', '1', '0', '1', '8'],
        missing: '鹅池社区、南溪村、石柱村、红岩村、新建村、杉岭村、大坪社区、鹅池镇本级',
      },
      {
        code: 'SH',
        name: '石会镇',
        counts: ['8', '1', '0', '1', '7'],
        missing: '石会社区、关东村、武陵村、新建村、黎水村、复兴村、石会镇本级',
      },
      {
        code: 'HX',
        name: '黑溪镇',
        counts: ['9', '0', '0', '0', '9'],
        missing: '黑溪社区、胜地村、五福村、鱼泉村、双河村、黄溪村、联合村、城东社区、黑溪镇本级',
      },
    ]);
    expect(total).toEqual({ name: '黔江区合计', expected: '26', received: '2', late: '2', missing: '24' });
    expect(await page.textContent('#completeness-summary')).toContain(
      '黔江区 3 个镇（街道）应报 26 个单位，已报 2（按时 0，迟报 2），未报 24',
    );
    expect(districtView).toEqual({
      heading: '黔江区报送情况',
      who: '黔江区',
      role: '区',
      choice: ['QJ 全区：黔江区', 'EC 鹅池镇', 'SH 石会镇', 'HX 黑溪镇'],
      units: false,
      upload: false,
      file: false,
    });
    expect(sh).toMatchObject({ heading: '石会镇报送情况', choice: 'SH', towns: false, back: true });
    expect(sh.rows.map((r) => r.unit)).toEqual(['V01', 'V03', 'V04', 'V05', 'V06', 'V07', 'TOWN', 'V02']);
    expect(sh.rows.find((r) => r.unit === 'V02')).toEqual({ unit: 'V02', name: '中坝村', status: '迟报' });
    expect(sh.rows.filter((r) => r.status === '未报')).toHaveLength(7);
    expect(sh.summary).toContain('应报 8 个单位，已报 1（按时 0，迟报 1），未报 7');
    expect(back).toEqual({ heading: '黔江区报送情况', choice: 'QJ', units: false, backButton: false, towns: ['EC', 'SH', 'HX'] });
    expect(shotDistrict.bytes).toBeGreaterThan(0);
    expect(shotTown.bytes).toBeGreaterThan(0);
    expect(watched.problems).toEqual([]);
  });

  it('(6) a refused token shows the API’s Chinese message; 记住凭证 keeps the token over a reload and 退出 forgets it', async () => {
    // Arrange
    const { page, watched } = await openPage('');

    // Act: nothing, then a token that is not one
    await page.click('#login');
    const empty = await page.textContent('#login-status');
    await login(page, 'cb_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    const unknown = await page.textContent('#login-status');
    const monthHidden = await page.isHidden('#month-section');

    // Act: the town's token, remembered, then the page reloaded; then 退出
    await page.check('#remember');
    await login(page, tokens.town);
    await page.reload();
    await page.waitForSelector('#who:not([hidden])');
    const remembered = { token: await page.inputValue('#token'), role: await page.textContent('#who-role') };
    await page.click('#logout');
    const stored = await page.evaluate<string | null>("localStorage.getItem('cunbao.token')");
    await page.reload();
    await page.waitForSelector('html[data-ready=true]');
    const afterLogout = { token: await page.inputValue('#token'), who: await page.isHidden('#who') };

    // Act: the show toggle
    await page.fill('#token', 'cb_x');
    await page.click('#toggle-token');
    const shown = await page.getAttribute('#token', 'type');

    // Assess
    expect(empty).toBe('请先粘贴凭证。');
    expect(unknown).toContain('凭证无效');
    expect(monthHidden).toBe(true);
    expect(remembered).toEqual({ token: tokens.town, role: '镇' });
    expect(stored).toBeNull();
    expect(afterLogout).toEqual({ token: '', who: true });
    expect(shown).toBe('text');
    expect(watched.problems).toEqual([]);
  });

  it('(7) the town sends one file of two units (no unit chosen): 已接收, with each unit’s figures', async () => {
    // Arrange: August 2024, this test's own month
    const august = '2024-08';
    const csv =
      [
        'unit,period,metric,label,value,note',
        `V06,${august},disputes_resolved.labor,,2,`,
        `V06,${august},disputes_resolved.family,,1,`,
        `V08,${august},veteran_aid_yuan,,"2,500.50",`,
      ].join('\n') + '\n';
    const { page, watched } = await openPage(tokens.town);
    await page.fill('#period', august);
    await page.dispatchEvent('#period', 'change');

    // Act
    const status = await uploadFile(page, '全镇8月.csv', csv);
    await page.waitForSelector('#figures table[data-unit="EC/V08"] tr[data-key]');
    const tables = await page.$$eval('#figures table', (ts) =>
      ts.map((t) => ({
        unit: t.getAttribute('data-unit'),
        period: t.getAttribute('data-period'),
        values: Object.fromEntries(
          [...t.querySelectorAll('tr[data-key]')].map((r) => [
            r.getAttribute('data-key'),
            r.querySelector('td.value')?.getAttribute('data-value'),
          ]),
        ),
      })),
    );

    // Assess: the categories' total is computed; money keeps its cents
    expect(status).toBe('accepted');
    expect(tables).toEqual([
      {
        unit: 'EC/V06',
        period: august,
        values: { disputes_resolved: '3', 'disputes_resolved.labor': '2', 'disputes_resolved.family': '1' },
      },
      { unit: 'EC/V08', period: august, values: { veteran_aid_yuan: '2500.5' } },
    ]);
    expect(watched.problems).toEqual([]);
  });

  it('(8) S3 refusing the form is said in Chinese (EntityTooLarge → 文件太大), with S3’s code', async () => {
    // Arrange: the presigned POST answered as S3 answers a file over the policy's limit
    const { page, watched } = await openPage(tokens.bad);
    await chooseMonth(page, MONTH);
    await page.route(
      (url) => !url.href.startsWith(api),
      (route) =>
        route.request().method() === 'POST'
          ? route.fulfill({
              status: 400,
              headers: { 'content-type': 'application/xml', 'access-control-allow-origin': '*' },
              body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size</Message></Error>',
            })
          : route.continue(),
    );

    // Act
    await page.setInputFiles('#file', { name: '杉岭村9月.csv', mimeType: 'text/csv', buffer: Buffer.from(BAD_CSV, 'utf8') });
    await page.click('#upload');
    await page.waitForSelector('#upload-status.error');

    // Assess
    const said = await page.textContent('#upload-status');
    expect(said).toContain('文件太大');
    expect(said).toContain('EntityTooLarge');
    expect(await page.isHidden('#result')).toBe(true);
    expect(await page.isEnabled('#upload')).toBe(true);
    expect(watched.problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
  });

  it('(9) is served under a CSP without unsafe-inline and raises no violation while used; what the CSP forbids is blocked', async () => {
    // Arrange: the town's page, every CSP violation recorded from the first script on
    const context = await browser.newContext(DESKTOP);
    contexts.push(context);
    const page = await context.newPage();
    const watched = watch(page);
    await recordCspViolations(page);

    // Act: open, sign in, choose the month, read the completeness and the published summary
    const response = await page.goto(`${api}/`);
    await page.waitForSelector('html[data-ready=true]');
    await login(page, tokens.town);
    await chooseMonth(page, MONTH);
    await page.waitForSelector(`#completeness[data-period="${MONTH}"] tbody tr[data-unit=${GOOD_UNIT}]`);
    await page.waitForSelector('#show-summary:not([hidden])');
    await page.click('#show-summary');
    await page.waitForSelector('#summary:not([hidden])');
    const whileUsed = await cspViolations(page);

    // Act: what an injected attack would try, an inline style attribute and an inline script
    await page.evaluate(
      "document.body.setAttribute('style', 'color: red'); var s = document.createElement('script'); s.textContent = 'window.injected = true'; document.body.appendChild(s);",
    );
    await expect.poll(() => cspViolations(page).then((v) => v.length)).toBe(2);
    const injected = await page.evaluate<boolean>('window.injected === true');
    const afterInjection = await cspViolations(page);

    // Assess: the header admits the page's own script and style by hash only
    const csp = (await response!.allHeaders())['content-security-policy'] ?? '';
    const directives = Object.fromEntries(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...sources]) => [name, sources]),
    );
    expect(csp).not.toContain('unsafe-inline');
    expect(directives['script-src']).toEqual([expect.stringMatching(/^'sha256-[A-Za-z0-9+/]+=*'$/)]);
    expect(directives['style-src']).toEqual([expect.stringMatching(/^'sha256-[A-Za-z0-9+/]+=*'$/)]);
    expect(directives).toMatchObject({
      'default-src': ["'none'"],
      'form-action': ["'none'"],
      'frame-ancestors': ["'none'"],
      'base-uri': ["'none'"],
      'img-src': ["'self'", 'data:', 'blob:'],
    });
    expect(directives['connect-src']).toContain("'self'");

    // Assess: used without a violation; the injections blocked and reported
    expect(whileUsed).toEqual([]);
    expect(await page.textContent('#summary-totals')).toContain('排查一般隐患');
    expect(injected).toBe(false);
    expect(afterInjection.map((v) => v.split(' ')[0]).sort()).toEqual(['script-src-elem', 'style-src-attr']);
    expect(watched.problems.filter((p) => !p.includes('Content Security Policy'))).toEqual([]);
  });

  it('(10) the district on a phone: the towns as cards without horizontal scroll, a town opened by the choice, back to the district', async () => {
    // Arrange
    const { page, watched } = await openPage(tokens.district, PHONE);
    await chooseMonth(page, MONTH);
    await page.waitForSelector(`#towns[data-period="${MONTH}"][data-org=QJ] tbody tr[data-town=HX]`);

    // Act: the district's cards, then 黑溪镇 by the choice, then the district again
    const district = await horizontalOverflow(page);
    const nameHeight = (await page.locator('#towns button[data-open=HX]').boundingBox())!.height;
    const label = await page.$eval('#towns tbody tr[data-town=HX] td.missing-units', (td) => td.getAttribute('data-label'));
    const shot = await screenshot(page, 'page-district-phone.png');
    await page.selectOption('#org-choice', 'HX');
    await page.waitForSelector(`#completeness[data-period="${MONTH}"][data-org=HX] tbody tr[data-unit=V07]`);
    const town = { overflow: await horizontalOverflow(page), rows: await unitRows(page), heading: await page.textContent('#town-heading') };
    await page.selectOption('#org-choice', 'QJ');
    await page.waitForSelector(`#towns[data-period="${MONTH}"][data-org=QJ] tbody tr[data-town=EC]`);

    // Assess
    expect(district.scrollWidth).toBeLessThanOrEqual(district.innerWidth);
    expect(nameHeight).toBeGreaterThanOrEqual(44);
    expect(label).toBe('未报单位');
    expect(town.overflow.scrollWidth).toBeLessThanOrEqual(town.overflow.innerWidth);
    expect(town.heading).toBe('黑溪镇报送情况');
    expect(town.rows).toHaveLength(9); // V07 联合村 is still a unit in 2024 (until 2025-06)
    expect(town.rows.every((r) => r.status === '未报')).toBe(true);
    expect(await page.isVisible('#completeness')).toBe(false);
    expect(await page.isVisible('#back-to-district')).toBe(false);
    expect(shot.bytes).toBeGreaterThan(0);
    expect(watched.problems).toEqual([]);
  });

  it('(11) the district’s published summary: its totals over every town, one line per town, and a town opened from it', async () => {
    // Arrange: (4) published the district's September 2024
    const { page, watched } = await openPage(tokens.district);
    await chooseMonth(page, MONTH);
    await page.waitForSelector('#show-summary:not([hidden])');

    // Act
    await page.click('#show-summary');
    await page.waitForSelector('#summary:not([hidden]) #summary-towns tbody tr[data-town=SH]');
    const totals = await page.$$eval('#summary-totals tbody tr[data-key]', (trs) =>
      Object.fromEntries(trs.map((r) => [r.getAttribute('data-key'), r.querySelector('td.value')?.getAttribute('data-value')])),
    );
    const towns = await page.$$eval('#summary-towns tbody tr', (trs) =>
      trs.map((r) => [
        r.getAttribute('data-town'),
        r.querySelector('td.submitted')?.textContent,
        r.querySelector('td.hazards')?.textContent,
      ]),
    );
    const caption = await page.textContent('#summary-totals caption');
    await page.click('#summary-towns button[data-open=EC]');
    await page.waitForSelector(`#completeness[data-period="${MONTH}"][data-org=EC] tbody tr[data-unit=${GOOD_UNIT}]`);

    // Assess: 青山村's figures and 中坝村's, added up
    expect(totals).toEqual({ general_hazards_found: '7', hazards_rectified: '6', leaflets_distributed: '1200', legal_trainings: '2' });
    expect(towns).toEqual([
      ['EC', '1/9', '7'],
      ['SH', '1/8', '0'],
      ['HX', '0/9', '0'],
    ]);
    expect(caption).toBe('黔江区合计（不为 0 的指标）');
    expect(await page.textContent('#town-heading')).toBe('鹅池镇报送情况');
    expect(watched.problems).toEqual([]);
  });

  it('(12) a 404 of a node route is an error said in Chinese, not a cue to ask today’s routes', async () => {
    // Arrange: the gateway answers the town's desk and summary routes as routes it has not
    const { page, watched } = await openPage(tokens.town);
    const gatewayNotFound = { status: 404, contentType: 'application/json', body: '{"message":"Not Found"}' };
    const asked: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(api)) asked.push(new URL(request.url()).pathname);
    });
    await page.route(`${api}/v1/orgs/EC/desk/**`, (route) => route.fulfill(gatewayNotFound));

    // Act: the month's completeness fails; then it is read, and the (published) summary fails
    await chooseMonth(page, MONTH);
    await page.waitForSelector('#completeness-status.error');
    const completenessSaid = await page.textContent('#completeness-status');
    await page.unroute(`${api}/v1/orgs/EC/desk/**`);
    await page.route(`${api}/v1/orgs/EC/summaries/**`, (route) => route.fulfill(gatewayNotFound));
    await page.click('#refresh-completeness');
    await page.waitForSelector('#show-summary:not([hidden])');
    await page.click('#show-summary');
    await page.waitForSelector('#summary-status.error');

    // Assess: the gateway's message in Chinese, and no request to /v1/completeness or /v1/summaries
    expect(completenessSaid).toBe('找不到所请求的内容。');
    expect(await page.textContent('#summary-status')).toBe('找不到所请求的内容。');
    expect(await page.isHidden('#summary')).toBe(true);
    expect(asked.filter((path) => /^\/v1\/(completeness|summaries|units\/)/.test(path))).toEqual([]);
    expect(asked).toEqual(expect.arrayContaining([`/v1/orgs/EC/desk/${MONTH}`, `/v1/orgs/EC/summaries/monthly/${MONTH}`]));
    expect(watched.problems).toEqual([]);
  });
  it('(13) a notice’s link (?org=SH&period=…) opens that town and month after sign-in; a town’s link to another town opens its own', async () => {
    // Arrange: the link a notice carries (shared/notices/events.ts), opened in a fresh browser.
    const link = `${api}/?org=SH&period=${MONTH}`;
    const open = async (token: string) => {
      const context = await browser.newContext(DESKTOP);
      contexts.push(context);
      const page = await context.newPage();
      const watched = watch(page);
      await page.goto(link);
      await page.waitForSelector('html[data-ready=true]');
      await login(page, token);
      return { page, watched };
    };

    // Act
    const district = await open(tokens.district);
    await district.page.waitForSelector(`#completeness[data-period="${MONTH}"][data-org=SH] tbody tr[data-unit=V02]`);
    const town = await open(tokens.town);
    await town.page.waitForSelector(`#completeness[data-period="${MONTH}"][data-org=EC] tbody tr`);

    // Assess: the district lands on 石会镇's month with its way back; 鹅池镇 cannot open 石会镇.
    expect(await district.page.inputValue('#period')).toBe(MONTH);
    expect(await district.page.inputValue('#org-choice')).toBe('SH');
    expect(await district.page.textContent('#town-heading')).toBe('石会镇报送情况');
    expect(await district.page.isVisible('#back-to-district')).toBe(true);
    expect(await town.page.textContent('#town-heading')).toBe('鹅池镇报送情况');
    expect(await town.page.inputValue('#period')).toBe(MONTH);
    expect(district.watched.problems).toEqual([]);
    expect(town.watched.problems).toEqual([]);
  });
});
