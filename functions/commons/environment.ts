/**
 * The functions' environment contract: every variable a function may read, defined once
 * (schema, meaning, who sets it). Each wiring entry (infra/wiring.ts) names the variables
 * its function reads; infra/environment.ts produces them for the CDK app and the local
 * runtime; each function reads its own at cold start with readEnvironment, which names
 * every problem at once.
 */
// zod/mini: every function imports this module, the authorizer included; its bundle is its cold start.
import * as z from 'zod/mini';
import { once } from '../../shared/once.ts';
import { LOG_LEVELS } from './log.ts';
import { DEFAULT_NAMESPACE } from './metrics.ts';

/**
 * Who sets a variable: `deployment` — every deployment (the CDK app and the local
 * runtime); `option` — a deployment that configures it; `local` — the local runtime
 * alone (never set in AWS).
 */
export type Origin = 'deployment' | 'option' | 'local';

interface Variable<S extends z.ZodMiniType> {
  /**
   * Made when a function reads the variable: a function reads a few of them, and each zod
   * schema made at a cold start costs about a tenth of a millisecond.
   */
  readonly schema: () => S;
  /** What it is and what it takes (problems quote it). */
  readonly description: string;
  readonly origin: Origin;
}

const variable = <S extends z.ZodMiniType>(schema: () => S, origin: Origin, description: string): Variable<S> => ({
  schema,
  origin,
  description,
});
// Shared by the variables of the same shape: each schema made at a cold start costs time.
const text = once(() => z.string().check(z.minLength(1)));
const optionalText = once(() => z.optional(z.string()));
/** Text parsed further by shared/mail/config.ts, which names its own problems. */
const mailText = (description: string, origin: Origin = 'option') =>
  variable(optionalText, origin, `${description} (shared/mail/config.ts)`);

export const VARIABLES = {
  TABLE_NAME: variable(text, 'deployment', 'the DynamoDB table'),
  BUCKET_NAME: variable(text, 'deployment', 'the S3 bucket of uploads, reports, configuration and summaries'),
  /** Where the unit registry lives in the bucket (a town edits it without a deploy). */
  UNITS_KEY: variable(() => z._default(text(), 'config/units.json'), 'deployment', 'the unit registry’s key in the bucket'),
  CUNBAO_NOW: variable(
    () => z.optional(z.iso.datetime({ offset: true })),
    'local',
    'a fixed clock for local runs and tests, ISO-8601 with offset such as 2025-04-03T09:00:00+08:00',
  ),
  LOG_LEVEL: variable(() => z.optional(z.enum(LOG_LEVELS)), 'option', `the lowest level logged: ${LOG_LEVELS.join(', ')} (default info)`),
  METRICS_NAMESPACE: variable(
    () => z._default(text(), DEFAULT_NAMESPACE),
    'option',
    `the CloudWatch namespace of the functions’ metrics (EMF lines; default ${DEFAULT_NAMESPACE}; CDK: Cunbao/<stack>)`,
  ),
  /** The SDK reads it too; our S3 client then addresses the bucket path-style, as s3rver needs. */
  AWS_ENDPOINT_URL_S3: variable(() => z.optional(z.url()), 'local', 'the local S3 endpoint (the policy gate in front of s3rver)'),
  DISTRICT_AUTH: variable(
    () => z._default(z.enum(['token', 'iam']), 'token'),
    'deployment',
    'how the district’s routes authenticate: token, or iam (SigV4, AWS China without an ICP filing)',
  ),
  UPLOAD_MAX_BYTES: variable(
    () => z.optional(z.coerce.number().check(z.refine(Number.isInteger), z.positive())),
    'option',
    'the largest upload in bytes, a positive integer (default: shared/check.ts)',
  ),
  MAIL_TRANSPORT: mailText('ses or smtp', 'deployment'),
  MAIL_FROM: mailText('the sender, addr@example.cn or 鹅池镇村报 <addr@example.cn>', 'deployment'),
  MAIL_TO_TOWN: mailText('the town clerk and leaders, comma-separated', 'deployment'),
  MAIL_TO_DISTRICT: mailText('the district, comma-separated'),
  SES_CONFIGURATION_SET: mailText('with ses: the configuration set'),
  SMTP_HOST: mailText('with smtp: the server'),
  SMTP_PORT: mailText('with smtp: the port'),
  SMTP_SECURE: mailText('with smtp: true for TLS from the first byte, false for STARTTLS when offered (default: true on port 465)'),
  SMTP_REQUIRE_TLS: mailText('with smtp and SMTP_SECURE=false: true refuses to send without STARTTLS'),
  SMTP_USER: mailText('with smtp: the user, with SMTP_PASSWORD or SMTP_SECRET_ARN'),
  SMTP_PASSWORD: mailText('with smtp: the password'),
  SMTP_SECRET_ARN: mailText('with smtp: the Secrets Manager secret holding the password (or JSON with a password field)'),
  NOTICE_ROBOTS: variable(
    optionalText,
    'option',
    'the group robots as JSON: [{id, org, kind: wecom|dingtalk|feishu, url | secret, keyword?, events?, perMinute?}] (shared/notices/config.ts)',
  ),
  PAGE_URL: variable(() => z.optional(z.url()), 'option', 'the page the notices link to (the API’s URL)'),
  NOTICE_SECRETS_FILE: variable(
    optionalText,
    'local',
    'a JSON file of the robots’ secrets by reference (locally; AWS reads Secrets Manager)',
  ),
} as const;

export type VariableName = keyof typeof VARIABLES;

/** The variables of a function that sends mail (what shared/mail/config.ts reads). */
export const MAIL_VARIABLES = [
  'MAIL_TRANSPORT',
  'MAIL_FROM',
  'MAIL_TO_TOWN',
  'MAIL_TO_DISTRICT',
  'SES_CONFIGURATION_SET',
  'SMTP_HOST',
  'SMTP_PORT',
  'SMTP_SECURE',
  'SMTP_REQUIRE_TLS',
  'SMTP_USER',
  'SMTP_PASSWORD',
  'SMTP_SECRET_ARN',
] as const satisfies readonly VariableName[];

/** The variables of a function that sends notices to group robots (shared/notices/config.ts). */
const NOTICE_VARIABLES = ['NOTICE_ROBOTS', 'PAGE_URL', 'NOTICE_SECRETS_FILE'] as const satisfies readonly VariableName[];

/** What every function that reads the bucket and the table needs. */
const STORAGE_VARIABLES = [
  'TABLE_NAME',
  'BUCKET_NAME',
  'UNITS_KEY',
  'CUNBAO_NOW',
  'LOG_LEVEL',
  'METRICS_NAMESPACE',
  'AWS_ENDPOINT_URL_S3',
] as const;

/**
 * Each function's variables, once: its handler reads exactly these and its wiring entry
 * (infra/wiring.ts) declares them, so that the producer sets them in CDK and locally.
 */
export const FUNCTION_VARIABLES = {
  ingest: STORAGE_VARIABLES,
  reconcile: STORAGE_VARIABLES,
  summarize: [...STORAGE_VARIABLES, ...MAIL_VARIABLES, ...NOTICE_VARIABLES],
  // The robots: a month returned to a unit is told to its town's group when the clerk
  // returns it. Mail: the clerk's publish button mails the summary as the schedule does
  // (the transports are loaded by that route alone, not at cold start).
  api: [...STORAGE_VARIABLES, 'DISTRICT_AUTH', 'UPLOAD_MAX_BYTES', ...MAIL_VARIABLES, ...NOTICE_VARIABLES],
  authorizer: ['TABLE_NAME', 'CUNBAO_NOW', 'LOG_LEVEL'],
} as const satisfies Record<string, readonly VariableName[]>;

/** The values of the named variables, as their schemas give them. */
export type Environment<N extends VariableName = VariableName> = {
  readonly [V in N]: z.infer<ReturnType<(typeof VARIABLES)[V]['schema']>>;
};

/** Every problem of a function's environment, each naming its variable (never its value: it may be a secret). */
export class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError';

  constructor(readonly problems: readonly string[]) {
    super(`invalid environment: ${problems.join('; ')}`);
  }
}

/** Reads the named variables (a function's declared set) or throws an EnvironmentError naming every problem. */
export function readEnvironment<const N extends readonly VariableName[]>(
  names: N,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Environment<N[number]> {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const name of names) {
    const value = env[name];
    const parsed = VARIABLES[name].schema().safeParse(value);
    if (parsed.success) values[name] = parsed.data;
    else problems.push(`${name} ${value === undefined ? 'missing' : 'invalid'}: ${VARIABLES[name].description}`);
  }
  if (problems.length > 0) throw new EnvironmentError(problems);
  return values as Environment<N[number]>;
}

/** The function's clock: the real one, or CUNBAO_NOW when a local run fixes it. */
export function clockOf(env: Environment<'CUNBAO_NOW'>): () => Date {
  const fixed = env.CUNBAO_NOW ? new Date(env.CUNBAO_NOW) : undefined;
  return () => fixed ?? new Date();
}
