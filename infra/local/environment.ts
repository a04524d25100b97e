/**
 * The local deployment, as its functions see it: the fixed names of the local stack,
 * the values infra/environment.ts turns into each function's environment (as the CDK app
 * does in AWS), and what Lambda itself would give (region, credentials, the SDK's endpoints).
 */
import type { LogLevel } from '../../functions/commons/log.ts';
import type { DeploymentValues, MailVariables } from '../environment.ts';

export const LOCAL = {
  bucket: 'cunbao-local',
  table: 'cunbao',
  region: 'us-east-1',
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
  /** Local recipients (MAIL_FROM, MAIL_TO_TOWN, MAIL_TO_DISTRICT override them: LocalRecipients). */
  mail: { from: '村报 <cunbao@ec.local>', town: 'clerk@ec.local,leader@ec.local', district: 'district@qj.local' },
} as const;

export interface Endpoints {
  readonly s3: string;
  readonly dynamodb: string;
}

/** Who local mail is from and to, as MAIL_FROM, MAIL_TO_TOWN and MAIL_TO_DISTRICT give them (else LOCAL.mail). */
export interface LocalRecipients {
  readonly from?: string;
  readonly town?: string;
  readonly district?: string;
}

/** Mail over real SMTP to the local sink (its `.eml` outbox); recipients are configuration. */
export function localMailVariables(
  sink: { readonly host: string; readonly port: number },
  recipients: LocalRecipients = {},
): MailVariables {
  return {
    MAIL_TRANSPORT: 'smtp',
    SMTP_HOST: sink.host,
    SMTP_PORT: String(sink.port),
    SMTP_SECURE: 'false',
    MAIL_FROM: recipients.from ?? LOCAL.mail.from,
    MAIL_TO_TOWN: recipients.town ?? LOCAL.mail.town,
    MAIL_TO_DISTRICT: recipients.district ?? LOCAL.mail.district,
  };
}

export interface LocalDeployment {
  readonly endpoints: Endpoints;
  readonly mailSink: { readonly host: string; readonly port: number };
  readonly recipients?: LocalRecipients;
  /** CUNBAO_NOW: a fixed clock. */
  readonly now?: string;
  /** LOG_LEVEL; unset, the functions (in this process) take the host's. */
  readonly logLevel?: LogLevel;
  /** NOTICE_ROBOTS and its secrets' file (the webhook sink's robots, or real ones). */
  readonly robots?: { readonly config: string; readonly secretsFile?: string };
  /** The page notices link to (the local API). */
  readonly pageUrl?: string;
}

/** The local stack's deployment values: its table and bucket, the gate's endpoint, the mail sink; the district by token. */
export function localDeployment(local: LocalDeployment): DeploymentValues {
  return {
    tableName: LOCAL.table,
    bucketName: LOCAL.bucket,
    // The local API Gateway has no IAM authorizer.
    districtAuth: 'token',
    mail: localMailVariables(local.mailSink, local.recipients),
    s3Endpoint: local.endpoints.s3,
    ...(local.now ? { now: local.now } : {}),
    ...(local.logLevel ? { logLevel: local.logLevel } : {}),
    ...(local.robots ? { robots: local.robots.config } : {}),
    ...(local.robots?.secretsFile ? { noticeSecretsFile: local.robots.secretsFile } : {}),
    ...(local.pageUrl ? { pageUrl: local.pageUrl } : {}),
  };
}

/** What Lambda gives every function (region, credentials) and where the SDK finds DynamoDB Local; S3's endpoint is a declared variable. */
export function sdkEnvironment(endpoints: Endpoints): Record<string, string> {
  return {
    AWS_REGION: LOCAL.region,
    AWS_ACCESS_KEY_ID: LOCAL.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
  };
}
