/**
 * The stack commands of the command line as a town clerk runs them: real `cunbao`
 * processes (bin/cunbao.mjs), each on a data dir of its own (not the run's shared stack).
 * A command without a running `cunbao start` starts its own stack (~3 s), so the processes
 * spawned here are few and shared by the tests of a group, which run in order.
 */
import { cliEnv, runCli, type Run } from '../support/cli.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawWorkbook, row } from '../support/raw-workbook.ts';
import { clientsFor } from '../../infra/local/runtime.ts';
import type { StackFile } from '../../infra/local/stack-file.ts';
import { DynamoLedger } from '../../shared/adapters/dynamodb-ledger.ts';
import { VALUE_KEYS } from '../../shared/catalogue.ts';
import { openpyxl } from '../support/office.ts';
import { eventually, sleep } from '../support/stack.ts';

const BIN = fileURLToPath(new URL('../../bin/cunbao.mjs', import.meta.url));
const NOW = '2025-04-03T09:00:00+08:00';
const UNITS = ['V01', 'V02', 'V03', 'V04', 'V05', 'V06', 'V07', 'V08', 'TOWN'];

const cunbao = (args: string[]): Promise<Run> => runCli(args, { CUNBAO_NOW: NOW });

/** What `summary --json` prints (shared/summary.ts `Summary`). */
interface SummaryJson {
  readonly org: string;
  readonly level: string;
  readonly period: string;
  readonly totals: Record<string, number>;
  readonly derived: Record<string, unknown>;
  readonly completeness: Record<string, unknown>;
  readonly units: Record<string, unknown>;
  readonly byMonth?: Record<string, unknown>;
}

const lines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** Java processes whose arguments name this data dir's database (DynamoDB Local serving it). */
function javaServing(dataDir: string): number[] {
  const dbPath = join(dataDir, 'dynamodb');
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv[0]?.split('/').at(-1) === 'java' && argv.some((a) => a.includes('DynamoDBLocal.jar')) && argv.includes(dbPath))
        pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

function freshDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

describe('cunbao ingest, status, summary, reconcile and dlq on a data dir', () => {
  let dataDir: string;
  let files: string;
  let a: string;
  let b: string;
  let bad: string;
  let ingest: Run;
  const bValues = {
    general_hazards_found: 7,
    hazards_rectified: 6,
    disputes_resolved: 2,
    'disputes_resolved.labor': 2,
    petitions_received: 3,
    petitions_closed: 1,
  };

  beforeAll(async () => {
    dataDir = freshDir('cunbao-stack-');
    files = freshDir('cunbao-files-');
    a = join(files, 'a.csv');
    b = join(files, 'b.csv');
    bad = join(files, 'bad.csv');
    writeFileSync(a, 'unit,period,metric,label,value,note\nV03,2025-03,general_hazards_found,,5,\nV03,2025-03,hazards_rectified,,3,\n');
    writeFileSync(
      b,
      '单位代码,月份,指标代码,指标名称,数值,备注\r\nV03,2025-03,general_hazards_found,,7,更正\r\nV03,2025-03,hazards_rectified,,6,\r\nV03,2025-03,disputes_resolved.labor,,2,\r\nV03,2025-03,petitions_received,,3,\r\nV03,2025-03,petitions_closed,,1,\r\n',
    );
    writeFileSync(bad, 'unit,period,metric,label,value,note\nV04,2025-03,general_hazards_found,,三,\n');
    ingest = await cunbao(['ingest', a, b, bad, '--json', '--data-dir', dataDir]);
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(files, { recursive: true, force: true });
  });

  it('ingest --json prints one JSON line per file, in argument order, each with its upload id, and exits 1 for the rejected file', () => {
    // Assess
    expect(ingest.code, ingest.stderr).toBe(1);
    const [first, second, third, ...more] = lines(ingest.stdout);
    expect(more).toEqual([]);
    for (const line of [first, second, third]) expect(line!['uploadId']).toMatch(/^[a-z0-9]+-[0-9a-f]{16}$/);
    expect(new Set([first, second, third].map((l) => l!['uploadId'])).size).toBe(3);
    expect(first).toMatchObject({ file: a, status: 'accepted', errors: [] });
    expect(second).toMatchObject({
      file: b,
      status: 'accepted',
      errors: [],
      submissions: [{ unit: 'EC/V03', period: '2025-03', values: bValues, state: 'current' }],
    });
    expect(third).toMatchObject({
      file: bad,
      status: 'rejected',
      submissions: [],
      errors: [{ code: 'NOT_A_NUMBER', row: 2, column: 'value', value: '三' }],
    });
  });

  it('ingest takes an Excel workbook, stored under an .xlsx key, its figures counted', async () => {
    // Prepare
    const book = join(files, '龙洞村3月.xlsx');
    const header = row(1, ['单位代码', '月份', '排查一般隐患', '受理群众来信来访']);
    writeFileSync(book, rawWorkbook({ sheets: [{ name: '月报表', xml: header + row(2, ['V05', '2025-03', 4, 2]) }] }));

    // Act: on a data dir of its own (the summaries below count this one's months)
    const own = freshDir('cunbao-xlsx-');
    const run = await cunbao(['ingest', book, '--json', '--data-dir', own]);
    const [line] = lines(run.stdout);
    const status = await cunbao(['status', String(line!['uploadId']), '--json', '--data-dir', own]);
    rmSync(own, { recursive: true, force: true });

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(line).toMatchObject({
      file: book,
      status: 'accepted',
      submissions: [{ unit: 'EC/V05', period: '2025-03', values: { general_hazards_found: 4, petitions_received: 2 }, state: 'current' }],
    });
    expect(lines(status.stdout)[0]).toMatchObject({ status: 'accepted', ext: 'xlsx', key: expect.stringMatching(/\.xlsx$/) });
  });

  it('status --json prints the upload record, and exits 0 when accepted and 1 when rejected', async () => {
    // Prepare
    const [, second, third] = lines(ingest.stdout);

    // Act
    const accepted = await cunbao(['status', second!['uploadId'] as string, '--json', '--data-dir', dataDir]);
    const rejected = await cunbao(['status', third!['uploadId'] as string, '--json', '--data-dir', dataDir]);

    // Assess
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(lines(accepted.stdout)).toEqual([
      expect.objectContaining({
        uploadId: second!['uploadId'],
        status: 'accepted',
        unit: 'EC/V03',
        period: '2025-03',
        submissions: [
          {
            unit: 'EC/V03',
            period: '2025-03',
            state: 'current',
            // The two files are processed concurrently: which one came first decides the version and the change list's `from`.
            version: expect.any(Number),
            changes: expect.arrayContaining([expect.objectContaining({ key: 'general_hazards_found', to: 7 })]),
            unchanged: expect.any(Number),
          },
        ],
      }),
    ]);
    expect(rejected.code, rejected.stderr).toBe(1);
    expect(lines(rejected.stdout)).toEqual([
      expect.objectContaining({
        uploadId: third!['uploadId'],
        status: 'rejected',
        errors: [expect.objectContaining({ code: 'NOT_A_NUMBER' })],
      }),
    ]);
  });

  it('summary --month --json has every total, the derived rates and completeness, with the later file (b) counting for V03', async () => {
    // Act
    const run = await cunbao(['summary', '--month', '2025-03', '--json', '--data-dir', dataDir]);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const [summary] = lines(run.stdout) as unknown as [SummaryJson];
    expect(Object.keys(summary).sort()).toEqual([
      'completeness',
      'derived',
      'flags',
      'level',
      'org',
      'period',
      'review',
      'totals',
      'units',
      'unreported',
    ]);
    expect(summary).toMatchObject({ org: 'EC', level: 'town' });
    expect(summary.period).toBe('2025-03');
    expect(Object.keys(summary.totals).sort()).toEqual(VALUE_KEYS.map((k) => k.key).sort());
    expect(summary.totals).toMatchObject({ ...bValues, 'disputes_resolved.labor': 2, 'disputes_resolved.family': 0, legal_literates: 0 });
    expect(summary.derived).toEqual({
      rectificationRate: 0.8571,
      roadRectificationRate: null,
      foodRectificationRate: null,
      petitionsInProgress: 2,
    });
    expect(summary.completeness).toEqual({
      expected: 9,
      submitted: 1,
      onTime: 1,
      late: 0,
      approved: 0,
      missing: UNITS.filter((u) => u !== 'V03'),
    });
    expect(summary.units).toEqual({ V03: bValues }); // b superseded a; the rejected V04 counts nowhere
  });

  it('summary --year --json totals the year and gives completeness month by month', async () => {
    // Act
    const run = await cunbao(['summary', '--year', '2025', '--json', '--data-dir', dataDir]);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const [summary] = lines(run.stdout) as unknown as [SummaryJson];
    expect(summary.period).toBe('2025');
    expect(Object.keys(summary.totals).sort()).toEqual(VALUE_KEYS.map((k) => k.key).sort());
    expect(summary.totals).toMatchObject(bValues);
    expect(summary.units).toEqual({ V03: bValues });
    expect(Object.keys(summary.byMonth!)).toEqual(['2025-01', '2025-02', '2025-03']); // April 2025 is not over yet
    expect(summary.byMonth!['2025-03']).toEqual({
      expected: 9,
      submitted: 1,
      onTime: 1,
      late: 0,
      approved: 0,
      missing: UNITS.filter((u) => u !== 'V03'),
    });
    expect(summary.completeness).toEqual({ expected: 27, submitted: 1, onTime: 1, late: 0, approved: 0, missing: UNITS });
  });

  it('summary without --json prints a Chinese table', async () => {
    // Act
    const run = await cunbao(['summary', '--month', '2025-03', '--data-dir', dataDir]);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const text = run.stdout.split('\n');
    expect(text[0]).toBe('鹅池镇2025年03月汇总');
    expect(text[1]).toMatch(/^报送情况：应报 9，已报 1（按时 1，迟报 0），未报 8：鹅池社区、南溪村/);
    expect(text).toContain('排查一般隐患\t处\t7');
    expect(text).toContain('  劳动关系\t件\t2');
    expect(run.stdout).not.toMatch(/^\s*[{[]/);
  });

  it('summary --format xlsx --out writes the workbook, a column per unit with those not reported marked', async () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'cunbao-summary-')), '汇总.xlsx');

    // Act
    const run = await cunbao(['summary', '--month', '2025-03', '--format', 'xlsx', '--out', file, '--data-dir', dataDir]);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const sheet = openpyxl(readFileSync(file)).sheets[0]!;
    expect(sheet.values[0]![0]).toBe('鹅池镇2025年3月法治建设统计汇总');
    expect(sheet.values[1]![0]).toBe('统计期间 2025年3月 · 现行数据（未发布） · 数据时间 2025-04-03 09:00（北京时间）');
    expect(sheet.values[3]!.slice(3, 7)).toEqual(['全镇合计', 'V01 鹅池社区（未报）', 'V02 南溪村（未报）', 'V03 石柱村']);
    expect(sheet.values.find((r) => r[0] === 'general_hazards_found')!.slice(3, 7)).toEqual([7, null, null, 7]);
  });

  it('reconcile --json prints how many objects it reprocessed (none left here)', async () => {
    // Act
    const run = await cunbao(['reconcile', '--json', '--data-dir', dataDir]);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(lines(run.stdout)).toEqual([{ reprocessed: 0 }]);
  });

  it('dlq list --json prints nothing and exits 0 when the dead-letter queue is empty', async () => {
    // Act
    const run = await cunbao(['dlq', 'list', '--json', '--data-dir', dataDir]);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
  });

  it('validate --data-dir gives each month the change list it would make, and uploads nothing', async () => {
    // Prepare: V03's March holds a's and b's values (b's 7 hazards, 6 rectified); a correction of one row and a clear
    const correction = join(files, 'correction.csv');
    writeFileSync(
      correction,
      'unit,period,metric,label,value,note\nV03,2025-03,general_hazards_found,,9,\nV03,2025-03,petitions_closed,,,\n',
    );

    // Act
    const run = await cunbao(['validate', correction, '--data-dir', dataDir]);
    const status = await cunbao(['summary', '--month', '2025-03', '--json', '--data-dir', dataDir]);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(lines(run.stdout)[0]).toMatchObject({
      status: 'accepted',
      submissions: [
        {
          unit: 'EC/V03',
          cleared: ['petitions_closed'],
          changes: [
            { key: 'general_hazards_found', from: 7, to: 9 },
            { key: 'petitions_closed', from: 1, to: null },
          ],
        },
      ],
    });
    expect((lines(status.stdout)[0]!['totals'] as Record<string, number>)['general_hazards_found']).toBe(7);
  });

  it('status, reconcile and dlq list print readable Chinese without --json', async () => {
    // Prepare
    const [, second, third] = lines(ingest.stdout);

    // Act
    const accepted = await cunbao(['status', second!['uploadId'] as string, '--data-dir', dataDir]);
    const rejected = await cunbao(['status', third!['uploadId'] as string, '--data-dir', dataDir]);
    const reconcile = await cunbao(['reconcile', '--data-dir', dataDir]);
    const dlq = await cunbao(['dlq', 'list', '--data-dir', dataDir]);

    // Assess
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout.split('\n')).toEqual([
      `上传编号 ${second!['uploadId']}：已接收`,
      '  单位 石柱村（V03），月份 2025年3月，上传者 镇管理员',
      expect.stringMatching(/^ {2}登记于 2025-04-03T01:00:00\.000Z，处理于 /),
      expect.stringMatching(/^ {2}石柱村（V03） 2025年3月：现行有效，第 [12] 版；(首次报送|更正：排查一般隐患 (5|未报) → 7；)/),
      '',
    ]);
    expect(rejected.code).toBe(1);
    expect(rejected.stdout).toContain('：未通过');
    expect(rejected.stdout).toMatch(/\n {2}错误 NOT_A_NUMBER：第2行/);
    expect(reconcile.stdout).toBe('没有需要补处理的文件。\n');
    expect(dlq.stdout).toBe('死信队列为空。\n');
    for (const run of [accepted, rejected, reconcile, dlq]) expect(run.stdout).not.toMatch(/^\s*[{[]/);
  }, 300_000); // four commands, each starting the data dir's stack
});

describe('cunbao start beside other commands on the same data dir', () => {
  let dataDir: string;
  let filesDir: string;
  let file: string;
  let start: ChildProcess | undefined;
  let startOutput = '';

  beforeAll(() => {
    dataDir = freshDir('cunbao-start-');
    filesDir = freshDir('cunbao-start-files-');
    file = join(filesDir, 'v05.csv');
    writeFileSync(file, 'unit,period,metric,label,value,note\nV05,2025-03,emergency_drills,,2,\n');
  });

  afterAll(async () => {
    // Only if a test failed before stopping it: end the process we started, by its pid.
    if (start && start.exitCode === null && start.signalCode === null) {
      start.kill('SIGTERM');
      await new Promise((resolve) => start!.once('exit', resolve));
    }
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(filesDir, { recursive: true, force: true });
  });

  it('while `cunbao start` runs, `cunbao ingest` uses its stack (one DynamoDB Local); SIGTERM stops it cleanly', async () => {
    // Prepare: start in the background, wait for it to announce its stack.
    start = spawn(process.execPath, [BIN, 'start', '--data-dir', dataDir, '--port', '0'], {
      env: cliEnv({ CUNBAO_NOW: NOW }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    start.stdout!.on('data', (chunk: Buffer) => (startOutput += chunk.toString()));
    start.stderr!.on('data', (chunk: Buffer) => (startOutput += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      start!.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const stackFile = await eventually(
      async () =>
        existsSync(join(dataDir, 'stack.json')) ? (JSON.parse(readFileSync(join(dataDir, 'stack.json'), 'utf8')) as StackFile) : undefined,
      'stack.json',
      45_000,
    );
    const javaBefore = javaServing(dataDir);

    // Act: ingest on the same data dir, counting DynamoDB Local processes for it meanwhile.
    let ingestDone = false;
    const ingesting = cunbao(['ingest', file, '--json', '--data-dir', dataDir]).finally(() => (ingestDone = true));
    let mostJava = 0;
    while (!ingestDone) {
      mostJava = Math.max(mostJava, javaServing(dataDir).length);
      await sleep(100);
    }
    const ingest = await ingesting;

    // Assess: the upload went through the running stack
    expect(ingest.code, ingest.stderr).toBe(0);
    const [line] = lines(ingest.stdout);
    expect(line).toMatchObject({
      file,
      status: 'accepted',
      submissions: [{ unit: 'EC/V05', period: '2025-03', values: { emergency_drills: 2 }, state: 'current' }],
    });
    expect(javaBefore).toHaveLength(1);
    expect(mostJava).toBe(1);
    const { dynamodb } = clientsFor(stackFile.endpoints);
    try {
      expect(await new DynamoLedger(dynamodb, stackFile.table).getUpload(line!['uploadId'] as string)).toMatchObject({
        status: 'accepted',
      });
    } finally {
      dynamodb.destroy();
    }
    expect(stackFile.pid).toBeGreaterThan(0);
    // No real robot configured: its group robots are the webhook sink's, said at start.
    expect(stackFile.robots?.sink).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(startOutput).toContain(`收到的通知在 ${join(dataDir, 'notices')}/`);

    // Act: stop it
    start.kill('SIGTERM');
    const { code, signal } = await exited;

    // Assess: a clean exit, nothing left behind
    expect({ code, signal }, startOutput).toEqual({ code: 0, signal: null });
    expect(existsSync(join(dataDir, 'stack.json'))).toBe(false);
    expect(existsSync(join(dataDir, 'stack.lock'))).toBe(false);
    expect(javaServing(dataDir)).toEqual([]);
    expect(startOutput).toContain('已停止');
    // The banner's hints name the data dir, which is not the default one here
    expect(startOutput).toContain(`npx cunbao ingest 文件.csv --data-dir ${dataDir}`);
    expect(startOutput).toContain(`npx cunbao summary --month 2025-03 --data-dir ${dataDir}`);
  });
});

describe('cunbao summary and completeness --org on a district (config/district.json)', () => {
  const DISTRICT_FILE = fileURLToPath(new URL('../../config/district.json', import.meta.url));
  const inDistrict = (args: string[]): Promise<Run> => runCli(args, { CUNBAO_NOW: NOW, CUNBAO_UNITS: DISTRICT_FILE });
  let dataDir: string;
  let files: string;
  let ingest: Run;

  beforeAll(async () => {
    // Prepare: EC/V03 (on time) and SH/V05 (late: after 5 April) send March; HX sends nothing.
    dataDir = freshDir('cunbao-district-');
    files = freshDir('cunbao-district-files-');
    const ec = join(files, 'ec.csv');
    const sh = join(files, 'sh.csv');
    writeFileSync(ec, 'unit,period,metric,label,value,note\nEC/V03,2025-03,general_hazards_found,,5,\n');
    writeFileSync(
      sh,
      'unit,period,metric,label,value,note\nSH/V05,2025-03,general_hazards_found,,2,\nSH/V05,2025-03,traffic_violations,,4,\n',
    );
    ingest = await inDistrict(['ingest', ec, '--data-dir', dataDir]);
    const late = await runCli(['ingest', sh, '--data-dir', dataDir], {
      CUNBAO_NOW: '2025-04-08T09:00:00+08:00',
      CUNBAO_UNITS: DISTRICT_FILE,
    });
    expect(late.code, late.stderr).toBe(0);
  }, 90_000);

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(files, { recursive: true, force: true });
  });

  it("summary --json defaults to the district: its totals, completeness and each town's", async () => {
    // Act
    const run = await inDistrict(['summary', '--month', '2025-03', '--json', '--data-dir', dataDir]);

    // Assess
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(run.code, run.stderr).toBe(0);
    const [summary] = lines(run.stdout) as unknown as [
      SummaryJson & { towns: Record<string, { totals: Record<string, number>; completeness: Record<string, unknown> }> },
    ];
    expect(summary).toMatchObject({ org: 'QJ', level: 'district', units: {} });
    expect(summary.totals).toMatchObject({ general_hazards_found: 7, traffic_violations: 4 });
    expect(summary.completeness).toMatchObject({ expected: 26, submitted: 2, onTime: 1, late: 1 });
    expect(Object.keys(summary.towns)).toEqual(['EC', 'SH', 'HX']);
    expect(summary.towns.EC!.totals.general_hazards_found).toBe(5);
    expect(summary.towns.SH!.totals).toMatchObject({ general_hazards_found: 2, traffic_violations: 4 });
    expect(summary.towns.SH!.completeness).toMatchObject({ expected: 8, submitted: 1, onTime: 0, late: 1 });
    expect(summary.towns.HX!.completeness).toMatchObject({ expected: 9, submitted: 0 });
  });

  it("summary --org SH --json is that town's summary, its units by code", async () => {
    // Act
    const run = await inDistrict(['summary', '--month', '2025-03', '--org', 'SH', '--json', '--data-dir', dataDir]);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const [summary] = lines(run.stdout) as unknown as [SummaryJson];
    expect(summary).toMatchObject({ org: 'SH', level: 'town', units: { V05: { general_hazards_found: 2, traffic_violations: 4 } } });
    expect(summary.completeness).toEqual({
      expected: 8,
      submitted: 1,
      onTime: 0,
      late: 1,
      approved: 0,
      missing: ['V01', 'V02', 'V03', 'V04', 'V06', 'V07', 'TOWN'],
    });
  });

  it('completeness names the missing units town by town, and --json gives the counts', async () => {
    // Act
    const text = await inDistrict(['completeness', '--month', '2025-03', '--data-dir', dataDir]);
    const json = await inDistrict(['completeness', '--month', '2025-03', '--org', 'EC', '--json', '--data-dir', dataDir]);

    // Assess
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('黔江区2025年3月报送情况：应报 26，已报 2（按时 1，迟报 1），未报 24');
    expect(text.stdout).toContain('鹅池镇（EC）\t9\t1\t1\t0\t8\t鹅池社区、南溪村、红岩村、新建村、青山村、杉岭村、大坪社区、鹅池镇本级');
    expect(text.stdout).toContain('石会镇（SH）\t8\t1\t0\t1\t7\t');
    expect(json.code, json.stderr).toBe(0);
    const [report] = lines(json.stdout);
    expect(report).toMatchObject({ org: 'EC', orgName: '鹅池镇', level: 'town', period: '2025-03', expected: 9, submitted: 1, onTime: 1 });
    expect((report!['missing'] as unknown[])[0]).toEqual({ unit: 'V01', name: '鹅池社区' });
  });

  it('ingest --town HX reads a file of several units by their short codes in that town, under the key HX/ALL', async () => {
    // Prepare: two HX units in one file, by code and by name (both exist in the other towns too).
    const file = join(files, 'hx.csv');
    writeFileSync(
      file,
      'unit,period,metric,label,value,note\nV01,2025-02,general_hazards_found,,3,\n胜地村,2025-02,general_hazards_found,,4,\n',
    );

    // Act
    const run = await inDistrict(['ingest', file, '--town', 'HX', '--json', '--data-dir', dataDir]);
    const without = await inDistrict(['ingest', file, '--json', '--data-dir', dataDir]);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const [line] = lines(run.stdout);
    expect(line).toMatchObject({ status: 'accepted' });
    expect((line!['submissions'] as { unit: string }[]).map((s) => s.unit)).toEqual(['HX/V01', 'HX/V02']);
    const status = await inDistrict(['status', String(line!['uploadId']), '--json', '--data-dir', dataDir]);
    expect(lines(status.stdout)[0]).toMatchObject({ unit: 'HX/ALL', uploader: { role: 'admin', town: 'HX' } });
    expect(without.code).toBe(1);
    expect((lines(without.stdout)[0]!['errors'] as { code: string }[]).map((e) => e.code)).toEqual(['AMBIGUOUS_UNIT']);
  });

  it("ingest --as SH/V06 uploads as that unit's secretary: her own unit is counted, a neighbour's is UNIT_NOT_ALLOWED", async () => {
    // Prepare
    const own = join(files, 'sh-v06.csv');
    const neighbour = join(files, 'sh-v07.csv');
    writeFileSync(own, 'unit,period,metric,label,value,note\nV06,2025-03,legal_trainings,,2,\n');
    writeFileSync(neighbour, 'unit,period,metric,label,value,note\nV07,2025-03,legal_trainings,,2,\n');

    // Act
    const accepted = await inDistrict(['ingest', own, '--as', 'SH/V06', '--json', '--data-dir', dataDir]);
    const refused = await inDistrict(['ingest', neighbour, '--as', 'V06', '--town', 'SH', '--json', '--data-dir', dataDir]);

    // Assess
    expect(accepted.code, accepted.stderr).toBe(0);
    const [line] = lines(accepted.stdout);
    const status = await inDistrict(['status', String(line!['uploadId']), '--json', '--data-dir', dataDir]);
    expect(lines(status.stdout)[0]).toMatchObject({ unit: 'SH/V06', uploader: { role: 'village', unit: 'SH/V06' }, status: 'accepted' });
    expect(refused.code).toBe(1);
    expect((lines(refused.stdout)[0]!['errors'] as { code: string }[]).map((e) => e.code)).toEqual(['UNIT_NOT_ALLOWED']);
  });

  it('ingest --as into a month past its lock day is PERIOD_LOCKED; the town reopens it with review, and history lists it all', async () => {
    // Prepare: SH/V05 sends January (locked since 20 February) as its secretary
    const january = join(files, 'sh-v05.csv');
    writeFileSync(january, 'unit,period,metric,label,value,note\nV05,2025-01,legal_trainings,,4,\n');
    const locked = await inDistrict(['ingest', january, '--as', 'SH/V05', '--json', '--data-dir', dataDir]);

    // Act
    const noReason = await inDistrict(['review', 'reopen', 'V05', '2025-01', '--org', 'SH', '--data-dir', dataDir]);
    const reopen = await inDistrict([
      'review',
      'reopen',
      'V05',
      '2025-01',
      '--org',
      'SH',
      '--reason',
      '补报一月培训',
      '--data-dir',
      dataDir,
    ]);
    const sent = await inDistrict(['ingest', january, '--as', 'SH/V05', '--json', '--data-dir', dataDir]);
    const approve = await inDistrict(['review', 'approve', 'V05', '2025-01', '--org', 'SH', '--json', '--data-dir', dataDir]);
    const history = await inDistrict(['history', 'SH/V05', '2025-01', '--data-dir', dataDir]);
    const json = await inDistrict(['history', 'SH/V05', '2025-01', '--json', '--data-dir', dataDir]);

    // Assess
    expect(locked.code).toBe(1);
    expect((lines(locked.stdout)[0]!['errors'] as { code: string }[]).map((e) => e.code)).toEqual(['PERIOD_LOCKED']);
    expect(noReason.code).toBe(1);
    expect(noReason.stderr).toContain('REASON_REQUIRED');
    expect(reopen.code, reopen.stderr).toBe(0);
    expect(reopen.stdout).toContain('已重新打开');
    expect(sent.code, sent.stderr).toBe(0);
    expect(lines(approve.stdout)[0]).toMatchObject({ unit: 'SH/V05', period: '2025-01', state: 'approved', version: 1, locked: true });
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toContain('：已审核，第 1 版，已锁定');
    expect(history.stdout).toContain('原因：补报一月培训');
    // The stack's clock is fixed (CUNBAO_NOW): every event after the lock day has the same time.
    const kinds = (lines(json.stdout)[0]!['events'] as { kind: string }[]).map((e) => e.kind);
    expect(kinds[0]).toBe('lock');
    expect([...kinds].sort()).toEqual(['approve', 'lock', 'refused', 'reopen', 'version']);
    // Seven commands, each with a stack of its own (DynamoDB Local): slow on a loaded machine.
  }, 240_000);

  it('summary --approved-only counts the approved unit-months alone and names the units left out', async () => {
    // Act: SH/V05's January was approved above; nothing else of SH's January was sent.
    const json = await inDistrict(['summary', '--month', '2025-01', '--org', 'SH', '--approved-only', '--json', '--data-dir', dataDir]);
    const text = await inDistrict(['summary', '--month', '2025-01', '--org', 'SH', '--approved-only', '--data-dir', dataDir]);

    // Assess
    expect(json.code, json.stderr).toBe(0);
    const [summary] = lines(json.stdout) as unknown as [SummaryJson & { basis: string; leftOut: string[]; review: Record<string, string> }];
    expect(summary).toMatchObject({ org: 'SH', basis: 'approved', units: { V05: { legal_trainings: 4 } } });
    expect(summary.totals).toMatchObject({ legal_trainings: 4, general_hazards_found: 0 });
    expect(summary.completeness).toMatchObject({ expected: 8, submitted: 1, approved: 1 });
    expect(summary.review['V05']).toBe('approved');
    expect(summary.leftOut).toEqual(['V01', 'V02', 'V03', 'V04', 'V06', 'V07', 'TOWN']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('石会镇2025年01月汇总（仅已审核数据）');
    expect(text.stdout).toContain('审核情况：已审核 1 / 应报 8');
  });

  it('refuses an unknown --org as a usage error that lists the valid codes', async () => {
    // Act
    const run = await inDistrict(['completeness', '--month', '2025-03', '--org', 'XX', '--data-dir', dataDir]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--org XX');
    expect(run.stderr).toContain('EC 鹅池镇、SH 石会镇、HX 黑溪镇、QJ 黔江区');
    expect(run.stdout).toBe('');
  });
});
