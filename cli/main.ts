/**
 * `cunbao` command line. Exit codes: 0 all good, 1 a file was rejected, 2 usage error.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { checkFile, type FileCheck } from '../shared/check.ts';
import { workbookReaderFor } from '../shared/formats/workbook.ts';
import type { Change } from '../shared/corrections.ts';
import { addMonths, isMonth, monthOf } from '../shared/period.ts';
import { template } from '../shared/write.ts';
import { loadEnvironment, UsageError, type CliEnvironment } from './environment.ts';
import { deliver } from './download.ts';
import { HELP } from './help.ts';
import { unitFor, uploaderOption } from './org-option.ts';
import { processOut, type Out } from './output.ts';
import { findingLines } from './text.ts';
import * as summaries from './publish-commands.ts';
import * as reviews from './review-commands.ts';
import * as stack from './stack-commands.ts';
import * as figures from './summary-commands.ts';
import * as tokens from './token-commands.ts';

interface Command {
  readonly options: NonNullable<ParseArgsConfig['options']>;
  readonly run: (args: { values: Record<string, unknown>; positionals: string[] }, env: CliEnvironment, out: Out) => Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  validate: {
    options: { as: { type: 'string' }, town: { type: 'string' }, text: { type: 'boolean' }, 'data-dir': { type: 'string' } },
    run: async ({ values, positionals }, env, out) => {
      if (positionals.length === 0) throw new UsageError('请给出要检查的文件 (no FILE given)');
      const uploader = uploaderOption(values, env.registry);
      const checks: { file: string; check: FileCheck }[] = [];
      for (const file of positionals) {
        const bytes = await readFile(file).catch((e: NodeJS.ErrnoException) => {
          throw new UsageError(`无法读取文件 ${file} (cannot read): ${e.code ?? e.message}`);
        });
        const workbook = await workbookReaderFor(bytes);
        checks.push({ file, check: checkFile(bytes, { registry: env.registry, uploader, now: env.now(), workbook }) });
      }
      // With --data-dir: what each month would change against the stack's current months.
      const changes = values['data-dir'] === undefined ? undefined : await stack.wouldChange(checks, values, env);
      for (const [i, { file, check }] of checks.entries()) {
        const line = checkLine(file, check, changes?.[i]);
        out.stdout(values.text ? describeCheck(file, check) : JSON.stringify(line) + '\n');
      }
      return checks.some((c) => c.check.status === 'rejected') ? 1 : 0;
    },
  },
  template: {
    options: {
      format: { type: 'string' },
      layout: { type: 'string' },
      unit: { type: 'string' },
      period: { type: 'string' },
      out: { type: 'string' },
    },
    run: async ({ values }, env, out) => {
      const { file, layout } = templateFormat(values['format'] as string | undefined, values['layout'] as string | undefined);
      const unit = values.unit === undefined ? undefined : unitFor(values.unit as string, env.registry, '--unit');
      const period = (values.period as string | undefined) ?? addMonths(monthOf(env.now()), -1);
      if (!isMonth(period)) throw new UsageError(`--period 应为 YYYY-MM (got ${period})`);
      const options = { format: layout, registry: env.registry, period, ...(unit ? { unit } : {}) };
      // The workbook writer is loaded only for a workbook.
      const content = file === 'xlsx' ? (await import('../shared/workbooks/template.ts')).templateWorkbook(options) : template(options);
      await deliver(out, content, values['out'] as string | undefined);
      return 0;
    },
  },
  start: {
    options: { 'data-dir': { type: 'string' }, port: { type: 'string', default: '3000' } },
    run: ({ values }, env, out) => stack.start(values, env, out),
  },
  ingest: {
    options: { 'data-dir': { type: 'string' }, as: { type: 'string' }, town: { type: 'string' }, json: { type: 'boolean' } },
    run: ({ values, positionals }, env, out) => stack.ingest(positionals, values, env, out),
  },
  status: {
    options: { 'data-dir': { type: 'string' }, json: { type: 'boolean' } },
    run: ({ values, positionals }, env, out) => stack.status(positionals, values, env, out),
  },
  summary: {
    options: {
      'data-dir': { type: 'string' },
      month: { type: 'string' },
      year: { type: 'string' },
      org: { type: 'string' },
      'approved-only': { type: 'boolean' },
      json: { type: 'boolean' },
      format: { type: 'string' },
      out: { type: 'string' },
    },
    run: ({ values }, env, out) => figures.summary(values, env, out),
  },
  completeness: {
    options: { 'data-dir': { type: 'string' }, month: { type: 'string' }, org: { type: 'string' }, json: { type: 'boolean' } },
    run: ({ values }, env, out) => figures.completeness(values, env, out),
  },
  reconcile: {
    options: { 'data-dir': { type: 'string' }, json: { type: 'boolean' } },
    run: ({ values }, env, out) => stack.reconcile(values, env, out),
  },
  dlq: {
    options: { 'data-dir': { type: 'string' }, json: { type: 'boolean' } },
    run: ({ values, positionals }, env, out) => stack.dlq(positionals, values, env, out),
  },
  publish: {
    options: {
      'data-dir': { type: 'string' },
      month: { type: 'string' },
      year: { type: 'string' },
      org: { type: 'string' },
      json: { type: 'boolean' },
    },
    run: ({ values }, env, out) => summaries.publish(values, env, out),
  },
  'run-schedule': {
    options: { 'data-dir': { type: 'string' }, at: { type: 'string' } },
    run: ({ values }, env, out) => summaries.runSchedule(values, env, out),
  },
  report: {
    options: {
      'data-dir': { type: 'string' },
      year: { type: 'string' },
      org: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
    },
    run: ({ values }, env, out) => summaries.report(values, env, out),
  },
  review: {
    options: {
      'data-dir': { type: 'string' },
      reason: { type: 'string' },
      org: { type: 'string' },
      version: { type: 'string' },
      json: { type: 'boolean' },
    },
    run: ({ values, positionals }, env, out) => reviews.review(positionals, values, env, out),
  },
  history: {
    options: { 'data-dir': { type: 'string' }, org: { type: 'string' }, json: { type: 'boolean' } },
    run: ({ values, positionals }, env, out) => reviews.history(positionals, values, env, out),
  },
  token: {
    options: {
      'data-dir': { type: 'string' },
      role: { type: 'string' },
      unit: { type: 'string' },
      town: { type: 'string' },
      expires: { type: 'string' },
      note: { type: 'string' },
      json: { type: 'boolean' },
    },
    run: ({ values, positionals }, env, out) => tokens.token(positionals, values, env, out),
  },
};

/**
 * `--format csv|xlsx` and `--layout long|wide`; `--format long|wide` (the older spelling)
 * still means a CSV of that layout.
 */
function templateFormat(format: string | undefined, layout: string | undefined): { file: 'csv' | 'xlsx'; layout: 'long' | 'wide' } {
  if (layout !== undefined && layout !== 'long' && layout !== 'wide') throw new UsageError('--layout 只能是 long 或 wide (long|wide)');
  if (format === 'long' || format === 'wide') {
    if (layout !== undefined && layout !== format)
      throw new UsageError(`--format ${format} 与 --layout ${layout} 矛盾 (conflicting layouts)`);
    return { file: 'csv', layout: format };
  }
  if (format !== undefined && format !== 'csv' && format !== 'xlsx')
    throw new UsageError('--format 只能是 csv 或 xlsx（旧写法 long、wide 仍可用）(csv|xlsx)');
  return { file: format ?? 'csv', layout: layout ?? 'long' };
}

/** The JSON line of `validate`, in the documented key order; with each month's change list when known. */
export function checkLine(file: string, check: FileCheck, changes?: readonly (readonly Change[])[]): Record<string, unknown> {
  const { status, format, encoding, sheet, errors, warnings, omitted } = check;
  const submissions = changes ? check.submissions.map((s, i) => ({ ...s, changes: changes[i] ?? [] })) : check.submissions;
  const more = { ...(sheet !== undefined ? { sheet } : {}), ...(omitted.errors || omitted.warnings ? { omitted } : {}) };
  return { file, status, format, encoding, submissions, errors, warnings, ...more };
}

function describeCheck(file: string, check: FileCheck): string {
  return (
    [
      `${file}：${check.status === 'accepted' ? '通过' : '未通过'}（${check.submissions.length} 份月报）`,
      ...findingLines(check.errors, check.warnings),
    ].join('\n') + '\n'
  );
}

export async function main(argv: readonly string[], out: Out = processOut, environment: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    out.stdout(HELP.main);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    out.stderr(`未知命令 (unknown command): ${name}\n\n${HELP.main}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    out.stdout(HELP[name as keyof typeof HELP] ?? HELP.main);
    return 0;
  }
  try {
    const args = parseArgs({ args: [...rest], options: command.options, allowPositionals: true, strict: true });
    return await command.run(args, loadEnvironment(environment), out);
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if ((error as { code?: string }).code === 'JAVA_MISSING') {
      out.stderr(`cunbao ${name}: ${(error as Error).message}\n`);
      return 2;
    }
    if (!usage) {
      // Not the user's mistake: say what failed, briefly (DEBUG=1 for the stack).
      out.stderr(`cunbao ${name}: 出错 (failed): ${error instanceof Error ? error.message : String(error)}\n`);
      if (process.env.DEBUG) out.stderr(`${(error as Error).stack}\n`);
      return 3;
    }
    out.stderr(`cunbao ${name}: ${(error as Error).message}\n用法 (usage): cunbao ${name} --help\n`);
    return 2;
  }
}
