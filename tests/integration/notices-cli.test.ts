/**
 * The command line beside `cunbao start`, as a town's office runs it: three `cunbao
 * publish --month` at once (the defect of issue 14: each mailed the same revisions), and
 * `cunbao review return`. Real processes on a data dir of their own: the running stack's
 * DynamoDB Local holds the claims, its SMTP sink the mails, its webhook sink the robots'
 * messages (`{data dir}/notices/`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StackFile } from '../../infra/local/stack-file.ts';
import { BIN, cliEnv, runCli } from '../support/cli.ts';
import { eventually } from '../support/stack.ts';

const NOW = '2025-04-03T09:00:00+08:00';
const cunbao = (args: string[]) => runCli(args, { CUNBAO_NOW: NOW });

describe('commands beside cunbao start', () => {
  let dataDir: string;
  let start: ChildProcess | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cunbao-notices-cli-'));
    start = spawn(process.execPath, ['--openssl-legacy-provider', BIN, 'start', '--data-dir', dataDir, '--port', '0'], {
      env: cliEnv({ CUNBAO_NOW: NOW }),
      stdio: 'ignore',
    });
    await eventually(
      async () =>
        existsSync(join(dataDir, 'stack.json')) ? (JSON.parse(readFileSync(join(dataDir, 'stack.json'), 'utf8')) as StackFile) : undefined,
      'stack.json',
      60_000,
    );
    // 鹅池镇's February: two units send it (the single town of config/units.json).
    for (const unit of ['V01', 'V02']) {
      const file = join(dataDir, `${unit}.csv`);
      writeFileSync(file, `unit,period,metric,label,value,note\n${unit},2025-02,general_hazards_found,,3,\n`);
      expect((await cunbao(['ingest', file, '--data-dir', dataDir])).code).toBe(0);
    }
  }, 180_000);

  afterAll(async () => {
    if (start && start.exitCode === null && start.signalCode === null) {
      start.kill('SIGTERM');
      await new Promise((resolve) => start!.once('exit', resolve));
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  const mails = () => readdirSync(join(dataDir, 'outbox')).filter((f) => f.endsWith('.eml'));
  const notices = () =>
    readdirSync(join(dataDir, 'notices')).map(
      (f) => JSON.parse(readFileSync(join(dataDir, 'notices', f), 'utf8')) as { robot: string; body: unknown },
    );

  it('three `cunbao publish --month` at once publish one revision, mailed once and told to each robot once', async () => {
    // Act
    const runs = await Promise.all([1, 2, 3].map(() => cunbao(['publish', '--month', '2025-02', '--json', '--data-dir', dataDir])));

    // Assess
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const results = runs.map((r) => JSON.parse(r.stdout.trim()) as { revision: number; mailed: boolean });
    expect(results.map((r) => r.revision)).toEqual([1, 1, 1]);
    expect(results.filter((r) => r.mailed)).toHaveLength(1);
    expect(mails()).toHaveLength(1);
    expect(
      notices()
        .map((n) => n.robot)
        .sort(),
    ).toEqual(['ec-dingtalk', 'ec-feishu', 'ec-wecom']);
  }, 180_000);

  it('`cunbao review return` tells the town’s robots, once, with the reason', async () => {
    // Act
    const run = await cunbao([
      'review',
      'return',
      'V01',
      '2025-02',
      '--org',
      'EC',
      '--reason',
      '台账与报表不符',
      '--json',
      '--data-dir',
      dataDir,
    ]);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toMatchObject({
      state: 'returned',
      notices: ['ec-wecom', 'ec-dingtalk', 'ec-feishu'].map((channel) => ({ channel, status: 'sent' })),
    });
    const told = notices().filter((n) => JSON.stringify(n.body).includes('台账与报表不符'));
    expect(told.map((n) => n.robot).sort()).toEqual(['ec-dingtalk', 'ec-feishu', 'ec-wecom']);
  }, 120_000);
});
