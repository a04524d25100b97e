/**
 * Commands on the embedded stack: start, ingest, status, reconcile, dlq (summary and
 * completeness: cli/summary-commands.ts).
 * Each opens the stack of its data dir (the running `npm start`, or its own for the
 * command) and closes it when done.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { checkFile, DEFAULT_MAX_BYTES, type FileCheck, type Uploader } from '../shared/check.ts';
import { uploadFormatOf, workbookReaderFor } from '../shared/formats/workbook.ts';
import { changesBetween, foldStatement, type Change } from '../shared/corrections.ts';
import { anyUnitOf, CONTENT_TYPES } from '../shared/layout.ts';
import { addMonths, monthOf } from '../shared/period.ts';
import { townOf } from '../shared/registry.ts';
import { newUploadId, objectKey, type UploadIntent, type UploadRecord } from '../shared/uploads.ts';
import { openStack, type StackAccess, type StackOptions } from '../infra/local/connect.ts';
import { LocalStack } from '../infra/local/runtime.ts';
import type { StackFile } from '../infra/local/stack-file.ts';
import { UsageError, type CliEnvironment } from './environment.ts';
import { uploaderOption } from './org-option.ts';
import { print, steps, type Out } from './output.ts';
import { deadLettersText, ingestText, reconcileText, replayText, statusText } from './text.ts';

export type Values = Record<string, unknown>;

function dataDirOf(values: Values, env: CliEnvironment): string {
  return resolve((values['data-dir'] as string | undefined) ?? env.dataDir);
}

function stackOptions(env: CliEnvironment): StackOptions {
  return {
    ...(env.fixedNow ? { now: env.fixedNow } : {}),
    ...(env.unitsFile ? { unitsFile: env.unitsFile } : {}),
    ...(env.logLevel ? { logLevel: env.logLevel } : {}),
    ...(env.robots ? { robots: env.robots } : {}),
    recipients: env.recipients,
  };
}

/** What the commands (and `start`) say when Java dies under them. */
class JavaDiedError extends Error {
  override readonly name = 'JavaDiedError';
  readonly code = 'JAVA_DIED';
  constructor(readonly status: number) {
    super(
      `DynamoDB Local（Java）意外退出，退出码 ${status}：本地流水线已停止，请重新运行。DynamoDB Local (Java) exited unexpectedly (status ${status}): the local pipeline stopped; run it again.`,
    );
  }
}

export async function withStack<T>(values: Values, env: CliEnvironment, work: (stack: StackAccess) => Promise<T>): Promise<T> {
  const stack = await openStack(dataDirOf(values, env), stackOptions(env));
  try {
    // A command's own stack: Java dying fails the command now rather than at its timeout.
    return await Promise.race([work(stack), stack.javaDied.then((status) => Promise.reject(new JavaDiedError(status)))]);
  } finally {
    await stack.close();
  }
}

/** How long `ingest` waits for the pipeline, per file at most. */
const PROCESSING_TIMEOUT_MS = 120_000;

export async function ingest(files: string[], values: Values, env: CliEnvironment, out: Out): Promise<number> {
  if (files.length === 0) throw new UsageError('请给出要上传的文件 (no FILE given)');
  const contents = await Promise.all(
    files.map((file) =>
      readFile(file).catch((e: NodeJS.ErrnoException) => {
        throw new UsageError(`无法读取文件 ${file} (cannot read): ${e.code ?? e.message}`);
      }),
    ),
  );
  // Each file is checked once here: its key (intent) and its printed values come from it.
  const uploader = uploaderOption(values, env.registry);
  const checks = await Promise.all(
    contents.map(async (bytes) =>
      checkFile(bytes, { registry: env.registry, uploader, now: env.now(), workbook: await workbookReaderFor(bytes) }),
    ),
  );
  return withStack(values, env, async (stack) => {
    // 1. Upload in argument order (their ids sort in that order; S3's time orders the rest).
    const uploads: { file: string; uploadId: string; check: FileCheck }[] = [];
    const sending = steps(out, '上传 uploading', files.length);
    for (const [i, bytes] of contents.entries()) {
      const check = checks[i]!;
      const intent = intentFor(bytes, check, uploader, env);
      if (!(await stack.ledger.putIntent(intent))) throw new Error(`upload id ${intent.uploadId} exists`);
      await stack.store.put(objectKey(intent), bytes, CONTENT_TYPES[intent.ext]);
      uploads.push({ file: files[i]!, uploadId: intent.uploadId, check });
      sending.step();
    }
    // 2. Wait for the pipeline's outcome of each, and print it.
    let rejected = false;
    const waiting = steps(out, '处理 processing', uploads.length);
    for (const { file, uploadId, check } of uploads) {
      const record = await outcome(stack, uploadId);
      rejected ||= record.status !== 'accepted';
      const line = ingestLine(file, record, check);
      waiting.done(); // the result line replaces the progress line, which then comes back
      print(out, values['json'], [line], () => ingestText(env.registry, line));
      waiting.step();
    }
    waiting.done();
    return rejected ? 1 : 0;
  });
}

/**
 * The intent of a CLI upload: a unit's secretary (`--as`) under her unit, or the
 * administrator (reading the file in `--town`) under the file's own unit and month; a file
 * of several units is its town's (`EC/ALL`) or any (`ALL/ALL`) when it spans towns or holds
 * none that was read.
 */
function intentFor(bytes: Uint8Array, local: FileCheck, uploader: Uploader, env: CliEnvironment): UploadIntent {
  const now = env.now();
  // The key names the file's unit and month; a rejected file's come from its findings.
  const found = local.submissions.length
    ? local.submissions
    : local.errors.filter((e) => e.unit && e.period).map((e) => ({ unit: e.unit!, period: e.period! }));
  const units = new Set(found.map((s) => s.unit));
  const towns = new Set([...units].map(townOf));
  const first = found[0];
  return {
    uploadId: newUploadId(),
    uploader,
    // A secretary's upload is her unit's, whatever the file says (as the API makes it).
    unit:
      uploader.role === 'village'
        ? uploader.unit
        : units.size === 1
          ? first!.unit
          : anyUnitOf(towns.size === 1 ? [...towns][0] : undefined),
    period: first && found.every((s) => s.period === first.period) ? first.period : 'unknown',
    ext: uploadFormatOf(bytes),
    createdAt: now.toISOString(),
    maxBytes: DEFAULT_MAX_BYTES,
  };
}

async function outcome(stack: StackAccess, uploadId: string): Promise<UploadRecord> {
  const deadline = Date.now() + PROCESSING_TIMEOUT_MS;
  for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
    const record = await stack.ledger.getUpload(uploadId);
    if (record && record.status !== 'pending') return record;
    if (Date.now() > deadline)
      throw new Error(`upload ${uploadId} still pending after ${PROCESSING_TIMEOUT_MS / 1000} s (see cunbao dlq list)`);
    await new Promise((r) => setTimeout(r, delay));
  }
}

/** Like a `validate` line, with the upload id and what the pipeline decided. */
function ingestLine(file: string, record: UploadRecord, local: FileCheck) {
  const decided = new Map((record.submissions ?? []).map((s) => [`${s.unit}|${s.period}`, s]));
  return {
    file,
    uploadId: record.uploadId,
    status: record.status,
    submissions:
      record.status === 'accepted'
        ? local.submissions.map((s) => {
            const { unit: _u, period: _p, ...outcome } = decided.get(`${s.unit}|${s.period}`) ?? { state: 'current' as const };
            return { ...s, ...outcome };
          })
        : [],
    errors: record.errors ?? [],
    warnings: record.warnings ?? [],
  };
}

/** What each accepted file's months would change in the stack (`validate --data-dir`): its change lists, per submission. */
export async function wouldChange(
  checks: readonly { check: FileCheck }[],
  values: Values,
  env: CliEnvironment,
): Promise<(readonly Change[])[][]> {
  return withStack(values, env, (stack) =>
    Promise.all(
      checks.map(({ check }) =>
        Promise.all(
          check.submissions.map(async (s) => {
            const before = (await stack.ledger.currentSubmission(s.unit, s.period))?.values;
            return changesBetween(before, foldStatement(before, s));
          }),
        ),
      ),
    ),
  );
}

export async function status(ids: string[], values: Values, env: CliEnvironment, out: Out): Promise<number> {
  if (ids.length !== 1) throw new UsageError('请给出一个上传编号 (give one UPLOAD_ID)');
  return withStack(values, env, async (stack) => {
    const record = await stack.ledger.getUpload(ids[0]!);
    if (!record) {
      out.stderr(`没有这个上传编号 (no such upload): ${ids[0]}\n`);
      return 1;
    }
    print(out, values['json'], [record], () => statusText(env.registry, record));
    return record.status === 'rejected' ? 1 : 0;
  });
}

export async function reconcile(values: Values, env: CliEnvironment, out: Out): Promise<number> {
  return withStack(values, env, async (stack) => {
    out.progress?.('补处理 reconciling…');
    const sent = await stack.reconcile();
    out.progress?.(`补处理 reconciling：等待 ${sent} 个文件的结果 (waiting)…`);
    await stack.idle();
    out.progress?.('');
    print(out, values['json'], [{ reprocessed: sent }], () => reconcileText(sent));
    return 0;
  });
}

export async function dlq(args: string[], values: Values, env: CliEnvironment, out: Out): Promise<number> {
  const [action, ...ids] = args;
  if (action !== 'list' && action !== 'replay') throw new UsageError('用法 (usage): cunbao dlq list | cunbao dlq replay [MESSAGE_ID...]');
  return withStack(values, env, async (stack) => {
    if (action === 'list') {
      const letters = stack.deadLetters.list();
      print(out, values['json'], letters, () => deadLettersText(letters));
      return 0;
    }
    const sent = await stack.replay(ids.length ? ids : undefined);
    out.progress?.(`重新投递 replaying ${sent}…`);
    await stack.idle();
    out.progress?.('');
    const stillDead = stack.deadLetters.list().length;
    print(out, values['json'], [{ replayed: sent, stillDead }], () => replayText(sent, stillDead));
    return 0;
  });
}

/** `npm start`: the stack in the foreground until Ctrl-C or SIGTERM, or until Java dies (exit 3). */
export async function start(values: Values, env: CliEnvironment, out: Out): Promise<number> {
  const dataDir = dataDirOf(values, env);
  const port = Number(values['port'] ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port 应为 0–65535 的整数，而不是“${String(values['port'])}” (invalid port)`);
  const stack = await LocalStack.start({ dataDir, ...stackOptions(env), schedules: true, apiPort: port }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new UsageError(`端口 ${port} 已被占用：用 --port 换一个，如 npm start -- --port 3100 (port in use)`);
    throw error;
  });
  const file = await stack.publish();
  out.stdout(banner(file, dataDir, env));
  return untilStopped(stack, out);
}

/** CUNBAO_DATA_DIR's default (cli/environment.ts): the hints need no `--data-dir` for it. */
const DEFAULT_DATA_DIR = '.data';

/** What is running, and the commands to use it (with `--data-dir` when it is not the default). */
function banner(file: StackFile, dataDir: string, env: CliEnvironment): string {
  const shellWord = (text: string) => (/^[\w./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);
  const dir = dataDir === resolve(DEFAULT_DATA_DIR) ? '' : ` --data-dir ${shellWord(dataDir)}`;
  const { registry } = env;
  const first = registry.units[0]!;
  const unit = registry.singleTown ? first.code : first.fullCode;
  const towns = registry.singleTown
    ? `${registry.singleTown.name}，${registry.units.length} 个单位`
    : `${registry.district.name}：${registry.towns.map((t) => `${t.name}（${t.code}）`).join('、')}，${registry.units.length} 个单位`;
  return [
    '村报本地流水线已启动 (cunbao local pipeline running)',
    `  数据目录 data dir : ${dataDir}`,
    `  S3 (s3rver)      : ${file.endpoints.s3}  bucket ${file.bucket}`,
    `  DynamoDB Local   : ${file.endpoints.dynamodb}  table ${file.table}`,
    `  单位名录 units    : ${towns}`,
    `  网页与接口 web+API: ${file.api}/   (凭证 token: npx cunbao token issue --role village --unit ${unit}${dir})`,
    `  上传 upload       : npx cunbao ingest 文件.csv${registry.singleTown ? '' : ` --town ${first.town}`}${dir}   (另开一个终端 in another terminal)`,
    `  汇总 summary      : npx cunbao summary --month ${addMonths(monthOf(env.now()), -1)}${dir}`,
    file.robots?.sink
      ? `  群机器人 robots   : 本地模拟 webhook sink ${file.robots.sink}，收到的通知在 ${join(dataDir, 'notices')}/`
      : `  群机器人 robots   : NOTICE_ROBOTS（${(JSON.parse(file.robots?.config ?? '[]') as unknown[]).length} 个）`,
    `  邮件 mail         : 本地 SMTP，邮件在 ${file.mail.outbox}/`,
    '  按 Ctrl-C 停止 (Ctrl-C to stop)',
    '',
  ].join('\n');
}

/**
 * Runs until SIGINT or SIGTERM (exit 0), a crash (1), or Java dying (3: said on stderr; the
 * stack is not restarted, a process manager may). Stopping takes a few seconds at most.
 */
async function untilStopped(stack: LocalStack, out: Out): Promise<number> {
  let stopping: Promise<void> | undefined;
  let exitCode = 0;
  const stop = (why: string, code = 0): Promise<void> =>
    (stopping ??= (async () => {
      exitCode = code;
      out.stderr(`\n${why}\n正在停止本地服务 (stopping)…\n`);
      await stack.stop();
      out.stderr('已停止 (stopped).\n');
    })());
  await new Promise<void>((done) => {
    // `on`, not `once`: Ctrl-C reaches both the bin shim and us, so SIGINT may come twice.
    process.on('SIGINT', () => void stop('收到 SIGINT').then(done));
    process.on('SIGTERM', () => void stop('收到 SIGTERM').then(done));
    process.once('uncaughtException', (error) => void stop(`出错 (crash): ${error.stack ?? error.message}`, 1).then(done));
    // Ctrl-C signals Java too: a death that comes with a stop is no death.
    void stack.javaDied().then((status) => setTimeout(() => void stop(new JavaDiedError(status).message, 3).then(done), 300));
  });
  return exitCode;
}
