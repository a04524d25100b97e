/**
 * A crash in the middle of a batch: `cunbao start` is SIGKILLed while its queue is still
 * working through a burst of uploads, started again on the same data dir, and reconciles
 * at start-up. Nothing may be lost or counted twice: every rollup equals a recomputation
 * from the current submissions (the last accepted upload per unit and month, in PUT order).
 *
 * Real processes (the CLI, its DynamoDB Local under the watchdog, s3rver), real SDK clients.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoLedger } from '../../shared/adapters/dynamodb-ledger.ts';
import type { CurrentSubmission } from '../../shared/ports/ledger.ts';
import { addMonths, type Month } from '../../shared/period.ts';
import { DEFAULT_DISTRICT_CODE, shortCodeOf } from '../../shared/registry.ts';
import { sum, yearOf, type Values } from '../../shared/rollup.ts';
import { newUploadId, objectKey, type UploadIntent, type UploadStatus } from '../../shared/uploads.ts';
import { clientsFor, deadLetterDir } from '../../infra/local/runtime.ts';
import { readStackFile, type StackFile } from '../../infra/local/stack-file.ts';

const BIN = fileURLToPath(new URL('../../bin/cunbao.mjs', import.meta.url));
const NOW = '2025-04-03T09:00:00+08:00';
/** The units of `cunbao start`'s default registry (config/units.json: town EC, a district of one town). */
const UNITS = ['V01', 'V02', 'V03', 'V04', 'V05', 'V06', 'V07', 'V08', 'TOWN'].map((u) => `EC/${u}`);
/** The district of a single-town registry that names none. */
const DISTRICT = DEFAULT_DISTRICT_CODE;
/** Six months over two years: October 2024 to March 2025 (the last month at NOW). */
const MONTHS = Array.from({ length: 6 }, (_, i) => addMonths('2024-10' as Month, i));
const HEADER = 'unit,period,legal_literates,general_hazards_found,hazards_rectified,petitions_received,petitions_closed,veteran_aid_yuan';

/** A deterministic pseudo-random source: every run uploads the same files. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface PlannedUpload {
  readonly unit: string;
  readonly period: Month;
  /** The file's values when it is valid; null: a file the ingest must reject. */
  readonly values: Values | null;
}

/**
 * 60 files: 45 unit-months, 12 corrections of 9 of them (three corrected twice), and 3
 * invalid files, two of them "corrections" that must not replace what counts.
 */
function plan(): PlannedUpload[][] {
  const random = lcg(20250403);
  const int = (max: number) => Math.floor(random() * (max + 1));
  const values = (): Values => {
    const found = int(30);
    const received = int(12);
    // Some zeros: a correction to 0 must take the value out of the rollup, not leave it.
    return {
      legal_literates: 5 + int(40),
      general_hazards_found: found,
      hazards_rectified: int(found),
      petitions_received: received,
      petitions_closed: int(received),
      veteran_aid_yuan: int(400_000) / 100,
    };
  };
  const pairs = UNITS.flatMap((unit) => MONTHS.map((period) => ({ unit, period })));
  const chosen = pairs.filter((_, i) => i % 6 !== 3); // 45 of the 54 unit-months
  const chains = chosen.map(({ unit, period }) => [{ unit, period, values: values() } as PlannedUpload]);
  // Corrections: 12 more valid versions on 9 unit-months (three of them corrected twice).
  for (const i of [0, 4, 9, 13, 18, 22, 27, 31, 44, 4, 18, 44]) chains[i]!.push({ ...chains[i]![0]!, values: values() });
  // Invalid files: two as the last "correction" of a unit-month, one on a unit-month of its own.
  for (const i of [9, 36]) chains[i]!.push({ ...chains[i]![0]!, values: null });
  chains.push([{ ...pairs[3]!, values: null }]);
  return chains;
}

function csvOf(upload: PlannedUpload): string {
  const v = upload.values;
  // The file names the unit by its short code, as a secretary writes it; the admin's one-town registry resolves it.
  const unit = shortCodeOf(upload.unit);
  if (!v) return `${HEADER}\n${unit},${upload.period},十二,3,1,0,0,0\n`;
  const money = (v['veteran_aid_yuan'] ?? 0).toFixed(2);
  return `${HEADER}\n${unit},${upload.period},${v['legal_literates']},${v['general_hazards_found']},${v['hazards_rectified']},${v['petitions_received']},${v['petitions_closed']},${money}\n`;
}

/** A `cunbao start` process, its stderr read line by line. */
interface Started {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The JSON log lines of `ingested` so far. */
  readonly ingested: { uploadId?: string; outcome: string }[];
  readonly stderr: () => string;
}

function startStack(dataDir: string): Started {
  const child = spawn(process.execPath, ['--openssl-legacy-provider', BIN, 'start', '--data-dir', dataDir, '--port', '0'], {
    env: { ...process.env, CUNBAO_NOW: NOW, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ingested: Started['ingested'] = [];
  let text = '';
  let partial = '';
  child.stdout!.resume();
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line) as { message: string; uploadId?: string; outcome: string };
      if (entry.message === 'ingested') ingested.push(entry);
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, ingested, stderr: () => text };
}

async function until<T>(what: string, timeoutMs: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The stack file the given process published (a dead process's file does not count). */
function published(dataDir: string, started: Started): Promise<StackFile> {
  return until(`stack.json of pid ${started.child.pid}`, 30_000, () => {
    if (started.child.exitCode !== null) throw new Error(`cunbao start exited (${started.child.exitCode}):\n${started.stderr()}`);
    const file = readStackFile(dataDir);
    return file?.pid === started.child.pid ? file : undefined;
  });
}

/** Processes (the watchdog shell, DynamoDB Local's java) whose command line names the data dir. */
function processesOf(dataDir: string): string[] {
  const out = execFileSync('ps', ['-A', '-ww', '-o', 'pid=', '-o', 'args='], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes(dataDir) && !line.includes(' ps -A'));
}

async function noProcessesOf(dataDir: string): Promise<string[]> {
  const deadline = Date.now() + 5_000;
  let left = processesOf(dataDir);
  while (left.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    left = processesOf(dataDir);
  }
  return left;
}

/** Drops zeros: a key brought back to 0 by a correction may remain as 0 in the shards. */
const nonZero = (values: Values) => Object.fromEntries(Object.entries(values).filter(([, v]) => v !== 0));

describe('a crash in the middle of a batch', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cunbao-restart-'));
  const running: Started[] = [];

  afterAll(async () => {
    for (const started of running) if (started.child.exitCode === null && started.child.signalCode === null) started.child.kill('SIGKILL');
    await Promise.all(running.map((s) => s.exited));
    if ((await noProcessesOf(dataDir)).length === 0) rmSync(dataDir, { recursive: true, force: true });
  });

  it('SIGKILL while ingesting, start again: nothing lost, nothing counted twice, a clean stop', async () => {
    // Prepare: a stack in its own process, and a burst of uploads to it.
    const first = startStack(dataDir);
    running.push(first);
    const file = await published(dataDir, first);
    const clients = clientsFor(file.endpoints);
    const ledger = new DynamoLedger(clients.dynamodb, file.table);
    const chains = plan();
    const total = chains.flat().length;
    expect(total).toBe(60);

    // Each unit-month's versions one after another (PUT order = S3's order, ms apart);
    // the unit-months 16 at a time, so that the queue falls behind.
    const sent: { upload: PlannedUpload; uploadId: string; seq: number }[] = [];
    let seq = 0;
    const sendChain = async (chain: PlannedUpload[]) => {
      let last = 0;
      for (const upload of chain) {
        while (Date.now() <= last) await new Promise((r) => setTimeout(r, 1));
        const intent: UploadIntent = {
          uploadId: newUploadId(),
          uploader: { role: 'admin' },
          unit: upload.unit,
          period: upload.period,
          ext: 'csv',
          createdAt: new Date().toISOString(),
          maxBytes: 1 << 20,
        };
        expect(await ledger.putIntent(intent)).toBe(true);
        await clients.s3.send(
          new PutObjectCommand({ Bucket: file.bucket, Key: objectKey(intent), Body: csvOf(upload), ContentType: 'text/csv' }),
        );
        last = Date.now();
        sent.push({ upload, uploadId: intent.uploadId, seq: seq++ });
      }
    };
    const queue = [...chains];
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let chain = queue.shift(); chain; chain = queue.shift()) await sendChain(chain);
      }),
    );
    const ingestedWhenUploaded = first.ingested.length;

    // Act 1: kill the stack while its queue is busy: about half the files decided.
    await until('half the files ingested', 30_000, () => (first.ingested.length >= total / 2 ? true : undefined));
    first.child.kill('SIGKILL');
    const killed = await first.exited;
    clients.s3.destroy();
    clients.dynamodb.destroy();
    const decidedBeforeKill = first.ingested.filter((e) => e.outcome === 'accepted' || e.outcome === 'rejected').length;

    // Assess 1: the crash was in the middle; its Java went with it; its stack.json stayed.
    expect(killed.signal).toBe('SIGKILL');
    expect(decidedBeforeKill, `decided before the kill (${ingestedWhenUploaded} when the uploads were done)`).toBeGreaterThan(0);
    expect(decidedBeforeKill, 'the queue had finished before the kill: the test did not crash mid-batch').toBeLessThan(total);
    expect(await noProcessesOf(dataDir)).toEqual([]);
    expect(existsSync(join(dataDir, 'stack.json'))).toBe(true);

    // Act 2: start again on the same data dir; it reconciles at start-up.
    const second = startStack(dataDir);
    running.push(second);
    const again = await published(dataDir, second);
    const clients2 = clientsFor(again.endpoints);
    const ledger2 = new DynamoLedger(clients2.dynamodb, again.table);
    const ids = sent.map((s) => s.uploadId);
    const statuses = await until('every upload decided', 30_000, async () => {
      const found = await ledger2.uploadStatuses(ids);
      return ids.every((id) => found.get(id) !== undefined && found.get(id) !== 'pending') ? found : undefined;
    });

    // Assess 2: each upload has one outcome, the expected one, decided exactly once.
    const expectedStatus = (s: (typeof sent)[number]): UploadStatus => (s.upload.values ? 'accepted' : 'rejected');
    expect(Object.fromEntries(sent.map((s) => [s.uploadId, statuses.get(s.uploadId)]))).toEqual(
      Object.fromEntries(sent.map((s) => [s.uploadId, expectedStatus(s)])),
    );
    const decisions = [...first.ingested, ...second.ingested].filter((e) => e.outcome === 'accepted' || e.outcome === 'rejected');
    const decidedTwice = ids.filter((id) => decisions.filter((e) => e.uploadId === id).length > 1);
    expect(decidedTwice, 'uploads decided in both processes').toEqual([]);
    expect(second.ingested.length, 'the restarted stack did the rest').toBeGreaterThan(0);
    const records = await Promise.all(ids.map((id) => ledger2.getUpload(id)));
    for (const [i, record] of records.entries()) {
      const { upload } = sent[i]!;
      expect(record, sent[i]!.uploadId).toMatchObject({ status: expectedStatus(sent[i]!), unit: upload.unit, period: upload.period });
      expect(record!.submissions ?? [], sent[i]!.uploadId).toHaveLength(upload.values ? 1 : 0);
      if (!upload.values)
        expect(
          record!.errors?.map((e) => e.code),
          sent[i]!.uploadId,
        ).toEqual(['NOT_A_NUMBER']);
    }
    expect(
      readdirSync(deadLetterDir(dataDir)).filter((f) => f.endsWith('.json')),
      'dead letters',
    ).toEqual([]);

    // Assess 3: per unit-month, the last accepted upload in PUT order counts, and every
    // accepted version is in the history exactly once. (Soft from here on: a wrong winner
    // and a wrong count are different bugs, and the clean stop below is checked either way.)
    const accepted = sent.filter((s) => s.upload.values).sort((a, b) => a.seq - b.seq);
    const byPair = new Map<string, typeof accepted>();
    for (const s of accepted)
      byPair.set(`${s.upload.unit}|${s.upload.period}`, [...(byPair.get(`${s.upload.unit}|${s.upload.period}`) ?? []), s]);
    const lastOf = [...byPair.values()].map((versions) => versions.at(-1)!);
    const decidedIn = (id: string) =>
      first.ingested.some((e) => e.uploadId === id)
        ? 'before the kill'
        : second.ingested.some((e) => e.uploadId === id)
          ? 'after the restart'
          : 'not logged';
    const stored = new Map<Month, CurrentSubmission[]>();
    const wrong: unknown[] = [];
    for (const period of MONTHS) {
      const current = await ledger2.currentOfMonth(period);
      stored.set(period, current);
      expect.soft(current.map((c) => c.unit).sort(), `units with a current ${period}`).toEqual(
        lastOf
          .filter((s) => s.upload.period === period)
          .map((s) => s.upload.unit)
          .sort(),
      );
      for (const actual of current) {
        const versions = byPair.get(`${actual.unit}|${period}`) ?? [];
        if (actual.uploadId === versions.at(-1)?.uploadId) continue;
        wrong.push({
          unit: actual.unit,
          period,
          counts: actual.uploadId,
          order: actual.order,
          versionsInPutOrder: versions.map((v) => ({ uploadId: v.uploadId, decided: decidedIn(v.uploadId) })),
        });
      }
    }
    expect.soft(wrong, 'unit-months where another upload counts than the last one sent').toEqual([]);
    for (const [pair, versions] of byPair) {
      const [unit, period] = pair.split('|') as [string, Month];
      const history = await ledger2.versions(unit, period);
      expect.soft(history.map((h) => h.uploadId).sort(), `history of ${pair}`).toEqual(versions.map((v) => v.uploadId).sort());
    }

    // Assess 4: every rollup equals the recomputation from the current submissions: those
    // expected (the last sent), and those the ledger holds (counted once, whichever won).
    const monthOf = (currents: { period: Month; values: Values }[], period: Month) =>
      nonZero(sum(currents.filter((c) => c.period === period).map((c) => c.values)));
    const yearOfAll = (currents: { unit: string; period: Month; values: Values }[], year: string) =>
      nonZero(
        sum(
          UNITS.map((unit) =>
            yearOf(new Map(currents.filter((c) => c.unit === unit && c.period.startsWith(year)).map((c) => [c.period, c.values]))),
          ),
        ),
      );
    const expectedCurrents = lastOf.map((s) => ({ unit: s.upload.unit, period: s.upload.period, values: s.upload.values! }));
    const storedCurrents = [...stored.values()].flat();
    for (const period of MONTHS) {
      const rollup = nonZero(await ledger2.rollup('EC', 'month', period));
      expect.soft(rollup, `month ${period} against the ledger's own current submissions`).toEqual(monthOf(storedCurrents, period));
      expect.soft(rollup, `month ${period}`).toEqual(monthOf(expectedCurrents, period));
      expect.soft(nonZero(await ledger2.rollup(DISTRICT, 'month', period)), `district month ${period}`).toEqual(rollup);
    }
    for (const year of ['2024', '2025']) {
      const rollup = nonZero(await ledger2.rollup('EC', 'year', year));
      expect.soft(rollup, `year ${year} against the ledger's own current submissions`).toEqual(yearOfAll(storedCurrents, year));
      expect.soft(rollup, `year ${year}`).toEqual(yearOfAll(expectedCurrents, year));
      expect.soft(nonZero(await ledger2.rollup(DISTRICT, 'year', year)), `district year ${year}`).toEqual(rollup);
    }
    clients2.s3.destroy();
    clients2.dynamodb.destroy();

    // Act 3 + Assess 5: SIGTERM stops it cleanly, Java included.
    second.child.kill('SIGTERM');
    const stopped = await Promise.race([second.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000))]);
    expect(stopped, second.stderr().slice(-2000)).toEqual({ code: 0, signal: null });
    expect(await noProcessesOf(dataDir)).toEqual([]);
    expect(existsSync(join(dataDir, 'stack.json')), 'stack.json removed on a clean stop').toBe(false);
    expect(existsSync(join(dataDir, 'stack.lock')), 'stack.lock released').toBe(false);
  }, 60_000);
});
