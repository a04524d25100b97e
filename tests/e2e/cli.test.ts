/** The command line as a secretary or a script runs it: a real process, real files. */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { openpyxl } from '../support/office.ts';
import { rawWorkbook, row } from '../support/raw-workbook.ts';

const BIN = fileURLToPath(new URL('../../bin/cunbao.mjs', import.meta.url));
const NOW = '2025-04-03T09:00:00+08:00';

async function cunbao(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      env: { ...process.env, CUNBAO_NOW: NOW, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const lines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('cunbao validate', () => {
  let dir: string;
  let good: string;
  let bad: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cunbao-cli-'));
    good = join(dir, 'V03-2025-03.csv');
    bad = join(dir, 'V04-2025-03.csv');
    writeFileSync(
      good,
      iconv.encode('单位代码,月份,指标名称,数值\r\nV03,2025/3,排查一般隐患,"1,000"\r\nV03,2025/3,隐患完成整改,８\r\n', 'gb18030'),
    );
    writeFileSync(bad, '单位代码,月份,指标代码,数值\nV04,2025-03,general_hazards_found,三\n');
  });

  it('prints one JSON line per file and exits 0 when every file is accepted', async () => {
    // Act
    const run = await cunbao(['validate', good]);

    // Assess
    expect(run.code).toBe(0);
    expect(lines(run.stdout)).toEqual([
      {
        file: good,
        status: 'accepted',
        format: 'long',
        encoding: 'gb18030',
        submissions: [{ unit: 'EC/V03', period: '2025-03', values: { general_hazards_found: 1000, hazards_rectified: 8 } }],
        errors: [],
        warnings: [],
      },
    ]);
  });

  it('reads an Excel workbook, and names a rejected workbook’s cells (sheet, row and column)', async () => {
    // Prepare
    const header = row(1, ['单位代码', '月份', '排查一般隐患', '受理群众来信来访']);
    const book = join(dir, 'V03-2025-03.xlsx');
    const badBook = join(dir, 'V04-2025-03.xlsx');
    writeFileSync(book, rawWorkbook({ sheets: [{ name: '月报表', xml: header + row(2, ['V03', '2025-03', 4, 2]) }] }));
    writeFileSync(badBook, rawWorkbook({ sheets: [{ name: '月报表', xml: header + row(2, ['V04', '2025-03', '四', 2]) }] }));

    // Act
    const run = await cunbao(['validate', book, badBook]);
    const text = await cunbao(['validate', badBook, '--text']);

    // Assess
    expect(run.code).toBe(1);
    const [first, second] = lines(run.stdout);
    expect(first).toEqual({
      file: book,
      status: 'accepted',
      format: 'wide',
      encoding: null,
      sheet: '月报表',
      submissions: [{ unit: 'EC/V03', period: '2025-03', values: { general_hazards_found: 4, petitions_received: 2 } }],
      errors: [],
      warnings: [],
    });
    expect(second).toMatchObject({
      status: 'rejected',
      errors: [{ code: 'NOT_A_NUMBER', row: 2, column: '排查一般隐患', value: '四', cell: '月报表!C2' }],
    });
    expect(text.stdout).toContain('工作表“月报表”第2行C列');
  });

  it('exits 1 when any file is rejected, and names the row and column of the problem', async () => {
    // Act
    const run = await cunbao(['validate', good, bad]);

    // Assess
    expect(run.code).toBe(1);
    const [first, second] = lines(run.stdout);
    expect(first).toMatchObject({ status: 'accepted' });
    expect(second).toMatchObject({
      file: bad,
      status: 'rejected',
      submissions: [],
      errors: [{ code: 'NOT_A_NUMBER', row: 2, column: '数值', value: '三' }],
    });
  });

  it('checks a file as another unit would upload it with --as', async () => {
    const run = await cunbao(['validate', good, '--as', 'V04']);
    expect(run.code).toBe(1);
    expect(lines(run.stdout)[0]).toMatchObject({ errors: [{ code: 'UNIT_NOT_ALLOWED', row: 2, column: '单位代码', value: 'V03' }] });
  });

  it('reads short codes in the town given with --town on a district registry, and refuses them as AMBIGUOUS_UNIT without it', async () => {
    // Prepare
    const units = fileURLToPath(new URL('../../config/district.json', import.meta.url));

    // Act
    const inTown = await cunbao(['validate', good, '--town', 'SH'], { CUNBAO_UNITS: units });
    const anywhere = await cunbao(['validate', good], { CUNBAO_UNITS: units });
    const unknown = await cunbao(['validate', good, '--town', 'XX'], { CUNBAO_UNITS: units });

    // Assess
    expect(inTown.code, inTown.stderr).toBe(0);
    expect((lines(inTown.stdout)[0]!['submissions'] as { unit: string }[])[0]!.unit).toBe('SH/V03');
    expect(anywhere.code).toBe(1);
    const [error] = lines(anywhere.stdout)[0]!['errors'] as { code: string; message: string }[];
    expect(error!.code).toBe('AMBIGUOUS_UNIT');
    expect(error!.message).toContain('EC/V03 鹅池镇石柱村');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('EC 鹅池镇、SH 石会镇、HX 黑溪镇');
  });

  it('reads the clock from CUNBAO_NOW: the same file is late, or from the future', async () => {
    const late = await cunbao(['validate', good], { CUNBAO_NOW: '2025-04-06T00:00:00+08:00' });
    const early = await cunbao(['validate', good], { CUNBAO_NOW: '2025-02-28T12:00:00+08:00' });
    expect(lines(late.stdout)[0]).toMatchObject({ status: 'accepted', warnings: [{ code: 'LATE', row: 2, column: '月份' }] });
    expect(lines(early.stdout)[0]).toMatchObject({ status: 'rejected', errors: [{ code: 'FUTURE_PERIOD', row: 2, column: '月份' }] });
  });

  it('prints the findings in Chinese with --text', async () => {
    const run = await cunbao(['validate', bad, '--text']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('未通过');
    expect(run.stdout).toContain('第2行D列“数值”');
  });

  it.each([
    [['validate'], '请给出要检查的文件'],
    [['validate', '/no/such/file.csv'], '无法读取文件'],
    [['validate', 'x.csv', '--as', 'V99'], '--as V99'],
    [['validate', 'x.csv', '--bogus'], 'bogus'],
    [['frobnicate'], '未知命令'],
  ])('exits 2 on a usage error: %j', async (args, message) => {
    const run = await cunbao(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('stops quietly when its reader goes away (`validate … | head -1`)', () => {
    // Prepare: more output than a pipe holds, so that writing goes on after head has left
    const files = Array.from({ length: 600 }, () => good);

    // Act
    const run = spawnSync(
      'bash',
      ['-c', 'set -o pipefail; "$0" "$1" validate --text "${@:2}" | head -1', process.execPath, BIN, ...files],
      { env: { ...process.env, CUNBAO_NOW: NOW }, encoding: 'utf8' },
    );

    // Assess
    expect(run.stdout).toBe(`${good}：通过（1 份月报）\n`);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('refuses an invalid CUNBAO_NOW as a usage error', async () => {
    const run = await cunbao(['validate', good], { CUNBAO_NOW: 'yesterday' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('CUNBAO_NOW');
  });
});

describe('cunbao template', () => {
  it('prints a UTF-8 CSV with BOM that validate accepts once filled in', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'cunbao-tpl-'));
    const run = await cunbao(['template', '--unit', 'V02', '--period', '2025-03']);
    const filled = run.stdout.replace(
      'V02,2025-03,general_hazards_found,排查一般隐患(处),,',
      'V02,2025-03,general_hazards_found,排查一般隐患(处),7,',
    );
    writeFileSync(join(dir, 't.csv'), filled);

    // Act
    const check = await cunbao(['validate', join(dir, 't.csv')]);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith('\ufeff单位代码,月份,指标代码,指标名称,数值,备注\r\n')).toBe(true);
    expect(lines(check.stdout)[0]).toMatchObject({
      status: 'accepted',
      encoding: 'utf-8-bom',
      submissions: [{ unit: 'EC/V02', period: '2025-03', values: { general_hazards_found: 7 } }],
    });
  });

  it('defaults to last month in Asia/Shanghai', async () => {
    const run = await cunbao(['template', '--format', 'wide', '--unit', 'V01'], { CUNBAO_NOW: '2025-01-01T00:30:00+08:00' });
    expect(run.stdout.split('\r\n')[1]!.startsWith('V01,鹅池社区,2024-12,')).toBe(true);
  });

  it('exits 2 on an unknown format or conflicting layouts', async () => {
    const [pdf, conflict] = await Promise.all([
      cunbao(['template', '--format', 'pdf']),
      cunbao(['template', '--format', 'wide', '--layout', 'long']),
    ]);
    expect(pdf.code).toBe(2);
    expect(pdf.stderr).toContain('--format 只能是 csv 或 xlsx');
    expect(conflict.code).toBe(2);
  });

  it('writes the workbook to --out, and the wide one to a redirected stdout', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'cunbao-xlsx-'));
    const file = join(dir, '石柱村.xlsx');

    // Act
    const written = await cunbao(['template', '--format', 'xlsx', '--unit', 'V03', '--period', '2025-03', '--out', file]);
    const piped = await promisify(execFile)(process.execPath, [BIN, 'template', '--format', 'xlsx', '--layout', 'wide'], {
      env: { ...process.env, CUNBAO_NOW: NOW },
      encoding: 'buffer',
    });

    // Assess
    expect(written.code).toBe(0);
    const long = openpyxl(readFileSync(file)).sheets[0]!;
    expect(long.values[1]!.slice(0, 3)).toEqual(['V03', '2025-03', 'legal_literates']);
    const wide = openpyxl(new Uint8Array(piped.stdout)).sheets[0]!;
    expect(wide.values[0]!.slice(0, 3)).toEqual(['单位代码', '单位名称', '月份']);
    expect(wide.values[1]!.slice(0, 3)).toEqual(['V01', '鹅池社区', '2025-03']);
  });
});

describe('cunbao --help', () => {
  it.each([
    'validate',
    'template',
    'start',
    'ingest',
    'status',
    'summary',
    'reconcile',
    'dlq',
    'publish',
    'run-schedule',
    'report',
    'token',
  ])('explains %s in Chinese and English', async (command) => {
    const run = await cunbao([command, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/用法/);
    expect(run.stdout).toMatch(/Usage/);
  });

  it('lists the commands', async () => {
    const run = await cunbao(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('validate');
    expect(run.stdout).toContain('template');
  });
});

describe('cunbao token', () => {
  it.each([
    [['issue', '--role', 'town', '--unit', 'V03'], /UNIT_NOT_ALLOWED/],
    [['issue', '--role', 'village'], /UNIT_REQUIRED/],
    [['list', '--role', 'town'], /不接受 --role/],
    [['revoke', 'not-an-id'], /不是凭证编号/],
  ])('refuses token %j as a usage error (exit 2) before any stack starts', async (args, why) => {
    // Prepare: a data dir that a started stack would create
    const dataDir = join(tmpdir(), `cunbao-token-usage-${process.pid}-${Math.random().toString(36).slice(2)}`);

    // Act
    const run = await cunbao(['token', ...args, '--data-dir', dataDir]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(why);
    expect(run.stdout).toBe('');
    expect(existsSync(dataDir)).toBe(false);
  });
});
