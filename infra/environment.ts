/**
 * The one producer of the functions' environment: from a wiring entry's declared
 * variables and a deployment's values, the `Record<string, string>` the function gets.
 * The CDK app (WiredFunction) and the local runtime (loadHandler) both call it, so a
 * variable cannot be set in one and forgotten in the other; tests check both.
 */
import type { LogLevel } from '../functions/commons/log.ts';
import type { MAIL_VARIABLES, VariableName } from '../functions/commons/environment.ts';
import { WIRING, type FunctionName } from './wiring.ts';

/** Where the unit registry lives in the bucket (the local runtime puts it there; a deployment, the town). */
export { UNITS_KEY } from '../shared/layout.ts';
import { UNITS_KEY } from '../shared/layout.ts';

/** MAIL_*, SES_* and SMTP_* as text, as shared/mail/config.ts reads them. */
export type MailVariables = Partial<Record<(typeof MAIL_VARIABLES)[number], string>>;

/** What a deployment tells its functions: in CDK, tokens of the data stack; locally, the local servers. */
export interface DeploymentValues {
  readonly tableName: string;
  readonly bucketName: string;
  readonly districtAuth: 'token' | 'iam';
  readonly mail: MailVariables;
  readonly logLevel?: LogLevel;
  /** The functions' metrics namespace (CDK: the stack's own; unset locally: the default). */
  readonly metricsNamespace?: string;
  readonly uploadMaxBytes?: number;
  /** The group robots (NOTICE_ROBOTS JSON: references, never secrets), the page's URL. */
  readonly robots?: string;
  readonly pageUrl?: string;
  /** Local only: the robots' secrets file (AWS reads Secrets Manager). */
  readonly noticeSecretsFile?: string;
  /** Local only: the fixed clock (CUNBAO_NOW) and the S3 endpoint. */
  readonly now?: string;
  readonly s3Endpoint?: string;
}

/** Each variable's value in a deployment (undefined: not set there). Exhaustive: a new variable needs its source. */
const SOURCES: { readonly [V in VariableName]: (values: DeploymentValues) => string | undefined } = {
  TABLE_NAME: (v) => v.tableName,
  BUCKET_NAME: (v) => v.bucketName,
  UNITS_KEY: () => UNITS_KEY,
  CUNBAO_NOW: (v) => v.now,
  LOG_LEVEL: (v) => v.logLevel,
  METRICS_NAMESPACE: (v) => v.metricsNamespace,
  AWS_ENDPOINT_URL_S3: (v) => v.s3Endpoint,
  DISTRICT_AUTH: (v) => v.districtAuth,
  UPLOAD_MAX_BYTES: (v) => (v.uploadMaxBytes === undefined ? undefined : String(v.uploadMaxBytes)),
  MAIL_TRANSPORT: (v) => v.mail.MAIL_TRANSPORT,
  MAIL_FROM: (v) => v.mail.MAIL_FROM,
  MAIL_TO_TOWN: (v) => v.mail.MAIL_TO_TOWN,
  MAIL_TO_DISTRICT: (v) => v.mail.MAIL_TO_DISTRICT,
  SES_CONFIGURATION_SET: (v) => v.mail.SES_CONFIGURATION_SET,
  SMTP_HOST: (v) => v.mail.SMTP_HOST,
  SMTP_PORT: (v) => v.mail.SMTP_PORT,
  SMTP_SECURE: (v) => v.mail.SMTP_SECURE,
  SMTP_REQUIRE_TLS: (v) => v.mail.SMTP_REQUIRE_TLS,
  SMTP_USER: (v) => v.mail.SMTP_USER,
  SMTP_PASSWORD: (v) => v.mail.SMTP_PASSWORD,
  SMTP_SECRET_ARN: (v) => v.mail.SMTP_SECRET_ARN,
  NOTICE_ROBOTS: (v) => v.robots,
  PAGE_URL: (v) => v.pageUrl,
  NOTICE_SECRETS_FILE: (v) => v.noticeSecretsFile,
};

/** The function's environment: its declared variables that the deployment sets, and no other. */
export function functionEnvironment(name: FunctionName, values: DeploymentValues): Record<string, string> {
  const declared: readonly VariableName[] = WIRING[name].environment;
  return Object.fromEntries(
    declared.flatMap((variable) => {
      const value = SOURCES[variable](values);
      return value === undefined ? [] : [[variable, value]];
    }),
  );
}

/** Whether the function reads the variable (e.g. MAIL_TRANSPORT: it sends mail). */
export function reads(name: FunctionName, variable: VariableName): boolean {
  const declared: readonly VariableName[] = WIRING[name].environment;
  return declared.includes(variable);
}
