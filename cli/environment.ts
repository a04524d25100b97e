/**
 * What the CLI reads from its surroundings, validated once: the unit registry file, the
 * clock (CUNBAO_NOW, so FUTURE_PERIOD and LATE can be tested at any instant), and what it
 * hands the local stack's functions (LOG_LEVEL, the MAIL_* recipients), with the
 * functions' own schemas (functions/commons/environment.ts).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { VARIABLES } from '../functions/commons/environment.ts';
import type { LogLevel } from '../functions/commons/log.ts';
import type { LocalRecipients } from '../infra/local/environment.ts';
import { Registry } from '../shared/registry.ts';

const Environment = z.object({
  CUNBAO_NOW: VARIABLES.CUNBAO_NOW.schema(),
  LOG_LEVEL: VARIABLES.LOG_LEVEL.schema(),
  MAIL_FROM: VARIABLES.MAIL_FROM.schema(),
  MAIL_TO_TOWN: VARIABLES.MAIL_TO_TOWN.schema(),
  MAIL_TO_DISTRICT: VARIABLES.MAIL_TO_DISTRICT.schema(),
  NOTICE_ROBOTS: VARIABLES.NOTICE_ROBOTS.schema(),
  NOTICE_SECRETS_FILE: VARIABLES.NOTICE_SECRETS_FILE.schema(),
  CUNBAO_UNITS: z.string().min(1).optional(),
  CUNBAO_DATA_DIR: z.string().min(1).default('.data'),
  /** The deployed DynamoDB table (the stack's TableName output): `token` commands then work on AWS. */
  CUNBAO_TABLE: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{3,255}$/)
    .optional(),
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
  /** LOG_LEVEL, for the local stack's functions. */
  readonly logLevel?: LogLevel;
  /** MAIL_FROM, MAIL_TO_TOWN, MAIL_TO_DISTRICT: who the local stack's mail is from and to. */
  readonly recipients: LocalRecipients;
  /** NOTICE_ROBOTS (and NOTICE_SECRETS_FILE): real group robots instead of the local webhook sink's. */
  readonly robots?: { readonly config: string; readonly secretsFile?: string };
}

const DEFAULT_UNITS = fileURLToPath(new URL('../config/units.json', import.meta.url));

export function loadEnvironment(env: NodeJS.ProcessEnv = process.env): CliEnvironment {
  const parsed = Environment.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = issue.path.join('.');
    throw new UsageError(
      `环境变量 ${name} 无效 (invalid): ${issue.message}.${name === 'CUNBAO_NOW' ? ' CUNBAO_NOW 例如 2025-04-03T09:00:00+08:00' : ''}`,
    );
  }
  const registryPath = parsed.data.CUNBAO_UNITS ?? DEFAULT_UNITS;
  let registry: Registry;
  try {
    registry = Registry.fromJson(readFileSync(registryPath, 'utf8'), registryPath);
  } catch (error) {
    throw new UsageError(
      `单位名录 ${registryPath} 无法读取 (unit registry unreadable): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const { CUNBAO_NOW, LOG_LEVEL, MAIL_FROM, MAIL_TO_TOWN, MAIL_TO_DISTRICT, NOTICE_ROBOTS, NOTICE_SECRETS_FILE } = parsed.data;
  const fixed = CUNBAO_NOW ? new Date(CUNBAO_NOW) : undefined;
  return {
    now: () => fixed ?? new Date(),
    registry,
    registryPath,
    dataDir: parsed.data.CUNBAO_DATA_DIR,
    ...(parsed.data.CUNBAO_UNITS ? { unitsFile: registryPath } : {}),
    ...(parsed.data.CUNBAO_NOW ? { fixedNow: parsed.data.CUNBAO_NOW } : {}),
    ...(parsed.data.CUNBAO_TABLE ? { awsTable: parsed.data.CUNBAO_TABLE } : {}),
    ...(LOG_LEVEL ? { logLevel: LOG_LEVEL } : {}),
    ...(NOTICE_ROBOTS ? { robots: { config: NOTICE_ROBOTS, ...(NOTICE_SECRETS_FILE ? { secretsFile: NOTICE_SECRETS_FILE } : {}) } } : {}),
    recipients: {
      ...(MAIL_FROM ? { from: MAIL_FROM } : {}),
      ...(MAIL_TO_TOWN ? { town: MAIL_TO_TOWN } : {}),
      ...(MAIL_TO_DISTRICT ? { district: MAIL_TO_DISTRICT } : {}),
    },
  };
}
