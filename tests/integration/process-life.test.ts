/**
 * The life of `npm start` as a process manager sees it: real processes, each test's in a
 * process group of its own. SIGTERM to npm alone (npm forwards it to its `sh -c` only,
 * which dies and orphans node) must stop node and Java within 10 s and free the ports;
 * Java dying must stop the stack with a message and exit 3. The shim's re-run (what
 * `npx cunbao start` runs under npm's shell) is tested the same way, without npx itself
 * (it may reach for the registry).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readStackFile, type StackFile } from '../../infra/local/stack-file.ts';
import { BIN } from '../support/cli.ts';
import { eventually, sleep } from '../support/stack.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NOW = '2025-04-03T09:00:00+08:00';

interface Member {
  readonly pid: number;
  readonly name: string;
}

/** The live processes of a process group (zombies are gone already, for our purpose). */
function group(pgid: number): Member[] {
  const members: Member[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z')
        members.push({ pid: Number(entry), name: readFileSync(`/proc/${entry}/comm`, 'utf8').trim() });
    } catch {
      // ended while we looked
    }
  }
  return members;
}

/** node, java, and npm (whose name is its title, e.g. `npm start --dat`). */
const nodeOrJava = (members: Member[]) => members.filter((m) => m.name === 'node' || m.name === 'java' || m.name.startsWith('npm'));

/** Whether a loopback port can be listened on again. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

const portOf = (url: string) => Number(new URL(url).port);

interface Started {
  readonly child: ChildProcess;
  readonly dataDir: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly output: () => string;
}

const started: Started[] = [];

/** `command` in a process group of its own (its pid is the group's id), its output kept. */
function startInGroup(command: string, args: string[], env: Record<string, string> = {}): Started {
  const dataDir = mkdtempSync(join(tmpdir(), 'cunbao-life-'));
  const child = spawn(command, [...args.map((a) => a.replace('DATA_DIR', dataDir))], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CUNBAO_NOW: NOW, ...env },
  });
  let text = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const run = { child, dataDir, exited, output: () => text };
  started.push(run);
  return run;
}

function serving(run: Started): Promise<StackFile> {
  return eventually(async () => readStackFile(run.dataDir), `stack.json of ${run.dataDir}`, 150_000).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${run.output()}`);
  });
}

/** Polls until the group has no node, npm or Java left, at most `ms`; returns what is left. */
async function leftAfter(pgid: number, ms: number): Promise<Member[]> {
  const deadline = Date.now() + ms;
  let left = nodeOrJava(group(pgid));
  while (left.length && Date.now() < deadline) {
    await sleep(100);
    left = nodeOrJava(group(pgid));
  }
  return left;
}

afterEach(async () => {
  // Only when a test failed midway: end the group it started, by its id.
  for (const run of started.splice(0)) {
    if (group(run.child.pid!).length) process.kill(-run.child.pid!, 'SIGKILL');
    rmSync(run.dataDir, { recursive: true, force: true });
  }
});

describe('npm start, stopped by a process manager', () => {
  it('SIGTERM to the npm process alone stops node and Java within 10 s and frees the ports', async () => {
    // Prepare
    const run = startInGroup('npm', ['start', '--', '--data-dir', 'DATA_DIR', '--port', '0']);
    const file = await serving(run);
    const pgid = run.child.pid!;
    expect(nodeOrJava(group(pgid)).map((m) => m.name.split(' ')[0])).toEqual(expect.arrayContaining(['npm', 'node', 'java']));

    // Act
    process.kill(pgid, 'SIGTERM');

    // Assess
    expect(await leftAfter(pgid, 10_000), run.output()).toEqual([]);
    expect(await portFree(portOf(file.api!))).toBe(true);
    expect(await portFree(portOf(file.endpoints.dynamodb))).toBe(true);
    expect(existsSync(join(run.dataDir, 'stack.lock'))).toBe(false);
    expect(run.output()).toContain('已停止 (stopped)');
  }, 240_000);

  it('SIGTERM to the shell over the shim (what npx runs) stops the shim, its node and Java within 10 s', async () => {
    // Prepare: `sh -c cunbao start` as npm exec runs it; the shim re-runs node with the flag.
    const env = { NODE_OPTIONS: '', npm_lifecycle_event: 'npx' };
    const run = startInGroup('sh', ['-c', `"${process.execPath}" "${BIN}" start --data-dir DATA_DIR --port 0; :`], env);
    await serving(run);
    const pgid = run.child.pid!;
    expect(nodeOrJava(group(pgid)).filter((m) => m.name === 'node')).toHaveLength(2);

    // Act
    process.kill(pgid, 'SIGTERM');

    // Assess
    expect(await leftAfter(pgid, 10_000), run.output()).toEqual([]);
    expect(run.output()).toContain('已停止 (stopped)');
  }, 240_000);
});

describe('npm start when Java dies', () => {
  it('says so on stderr, in Chinese and English, stops the rest and exits 3', async () => {
    // Prepare
    const run = startInGroup(process.execPath, ['--openssl-legacy-provider', BIN, 'start', '--data-dir', 'DATA_DIR', '--port', '0']);
    const file = await serving(run);
    const java = group(run.child.pid!).filter((m) => m.name === 'java');
    expect(java).toHaveLength(1);

    // Act
    process.kill(java[0]!.pid, 'SIGKILL');
    const exit = await Promise.race([run.exited, sleep(20_000).then(() => 'still running' as const)]);

    // Assess
    expect(exit, run.output()).toEqual({ code: 3, signal: null });
    expect(run.output()).toContain('DynamoDB Local（Java）意外退出，退出码 137');
    expect(run.output()).toContain('DynamoDB Local (Java) exited unexpectedly (status 137)');
    expect(run.output()).not.toContain('Killed');
    expect(await leftAfter(run.child.pid!, 5_000)).toEqual([]);
    expect(await portFree(portOf(file.api!))).toBe(true);
    expect(existsSync(join(run.dataDir, 'stack.json'))).toBe(false);
  }, 240_000);
});
