/**
 * What the CLI reads from its surroundings, validated once: the unit registry file and
 * the clock (CUNBAO_NOW, so FUTURE_PERIOD and LATE can be tested at any instant).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { Registry } from '../shared/registry.ts';

const Environment = z.object({
  CUNBAO_NOW: z.iso.datetime({ offset: true }).optional(),
  CUNBAO_UNITS: z.string().min(1).optional(),
  CUNBAO_DATA_DIR: z.string().min(1).default('.data'),
  /** The deployed DynamoDB table (the stack's TableName output): `token` commands then work on AWS. */
  CUNBAO_TABLE: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/).optional(),
});

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface CliEnvironment {
  readonly now: () => Date;
  readonly registry: Registry;
  readonly registryPath: string;
  /** The local stack's data dir (`--data-dir` overrides it). */
  readonly dataDir: string;
  /** A registry file other than the default, handed to the local stack. */
  readonly unitsFile?: string;
  /** CUNBAO_NOW as given, for the local stack's functions. */
  readonly fixedNow?: string;
  /** CUNBAO_TABLE: the deployed table that `token` commands administer instead of the local stack's. */
  readonly awsTable?: string;
}

const DEFAULT_UNITS = fileURLToPath(new URL('../config/units.json', import.meta.url));

export function loadEnvironment(env: NodeJS.ProcessEnv = process.env): CliEnvironment {
  const parsed = Environment.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`环境变量 ${issue.path.join('.')} 无效 (invalid): ${issue.message}. CUNBAO_NOW 例如 2025-04-03T09:00:00+08:00`);
  }
  const registryPath = parsed.data.CUNBAO_UNITS ?? DEFAULT_UNITS;
  let registry: Registry;
  try {
    registry = Registry.parse(JSON.parse(readFileSync(registryPath, 'utf8')));
  } catch (error) {
    throw new UsageError(`单位名录 ${registryPath} 无法读取 (unit registry unreadable): ${error instanceof Error ? error.message : String(error)}`);
  }
  const fixed = parsed.data.CUNBAO_NOW ? new Date(parsed.data.CUNBAO_NOW) : undefined;
  return {
    now: () => fixed ?? new Date(),
    registry,
    registryPath,
    dataDir: parsed.data.CUNBAO_DATA_DIR,
    ...(parsed.data.CUNBAO_UNITS ? { unitsFile: registryPath } : {}),
    ...(parsed.data.CUNBAO_NOW ? { fixedNow: parsed.data.CUNBAO_NOW } : {}),
    ...(parsed.data.CUNBAO_TABLE ? { awsTable: parsed.data.CUNBAO_TABLE } : {}),
  };
}
