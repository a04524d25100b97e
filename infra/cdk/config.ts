/**
 * The deployment's configuration, from CDK context (`-c key=value` or cdk.json "context"),
 * checked once at synth: a mistake stops the synth with every problem named, instead of
 * surfacing at the first monthly run. See the README, “Deploying to AWS”, for each option.
 */
import { RegionInfo } from 'aws-cdk-lib/region-info';
import * as z from 'zod';
import { mailConfig, MailConfigError } from '../../shared/mail/config.ts';
import { NoticeConfigError, robotsConfig, type RobotConfig } from '../../shared/notices/config.ts';
import type { MailVariables } from '../environment.ts';

type Partition = 'aws' | 'aws-cn';
export type DistrictAuth = 'token' | 'iam';

interface SesMail {
  readonly transport: 'ses';
  /** The SES identity (domain or address) the function may send as. */
  readonly identity: string;
}

interface SmtpMail {
  readonly transport: 'smtp';
  readonly host: string;
  readonly port: number;
  readonly user?: string;
  /** Secrets Manager secret holding the password (the string, or JSON with `password`). */
  readonly secretName?: string;
}

export interface MailSettings {
  readonly from: string;
  readonly toTown: string;
  readonly toDistrict?: string;
  readonly server: SesMail | SmtpMail;
}

export interface DeployConfig {
  readonly partition: Partition;
  readonly env: { readonly account?: string; readonly region?: string };
  /** How the district's (`reader`) routes authenticate. */
  readonly districtAuth: DistrictAuth;
  readonly mail: MailSettings;
  /** Origins allowed to POST to the bucket from a browser (the upload page's origin). */
  readonly allowedOrigins: readonly string[];
  /** Addresses told when a message lands in a dead-letter queue. */
  readonly alarmEmails: readonly string[];
  /** The group robots (NOTICE_ROBOTS): each names its Secrets Manager secret, never a URL. */
  readonly robots: readonly RobotConfig[];
  /** The page the notices link to (PAGE_URL), e.g. the town's domain in front of the API. */
  readonly pageUrl?: string;
}

export class DeployConfigError extends Error {
  override readonly name = 'DeployConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`部署配置无效 (invalid deploy configuration): ${problems.join('; ')}`);
  }
}

/** A context value is a string from `-c`, or any JSON from cdk.json. */
const text = z.preprocess(
  (value) => (typeof value === 'number' || typeof value === 'boolean' ? String(value) : value === '' ? undefined : value),
  z.string().trim().min(1).optional(),
);

/** `a,b` from `-c`, or a JSON array from cdk.json. */
const list = z
  .preprocess((value) => (Array.isArray(value) ? value.join(',') : value), z.string().optional())
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

const Context = z.object({
  partition: z.enum(['aws', 'aws-cn']).optional(),
  region: text,
  account: text,
  districtAuth: z.enum(['token', 'iam']).optional(),
  mailTransport: z.enum(['ses', 'smtp']).optional(),
  mailFrom: text,
  mailToTown: text,
  mailToDistrict: text,
  mailIdentity: text,
  smtpHost: text,
  smtpPort: z.coerce.number().int().min(1).max(65535).optional(),
  smtpUser: text,
  smtpSecretName: text,
  allowedOrigins: list,
  alarmEmail: list,
  /** NOTICE_ROBOTS: a JSON array from cdk.json, or its text from `-c robots='[…]'`. */
  robots: z.preprocess((value) => (Array.isArray(value) ? JSON.stringify(value) : value), z.string().optional()),
  pageUrl: z.url({ protocol: /^https?$/ }).optional(),
});

const KEYS = Object.keys(Context.shape);

/** An origin as browsers send it: scheme, host, optional port; no path. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

/**
 * Reads the context (`get` is `node.tryGetContext`). The partition is `-c partition=…`,
 * else the region's (a `cn-` region is aws-cn: `-c region=…` or the CLI's default region), else `aws`.
 */
export function deployConfig(
  get: (key: string) => unknown,
  environment: Readonly<Record<string, string | undefined>> = process.env,
): DeployConfig {
  const parsed = Context.safeParse(Object.fromEntries(KEYS.map((key) => [key, get(key)])));
  if (!parsed.success) throw new DeployConfigError(parsed.error.issues.map((issue) => `-c ${issue.path.join('.')}: ${issue.message}`));
  const c = parsed.data;
  const problems: string[] = [];

  // The stacks are bound to a region or account only when -c says so; otherwise they deploy
  // wherever the credentials point. The CLI's default region (us-east-1 when none is
  // configured) only helps guess the partition when -c names neither.
  const regionPartition = (region: string | undefined) => (region ? RegionInfo.get(region).partition : undefined);
  const partition: Partition = c.partition ?? (regionPartition(c.region ?? environment.CDK_DEFAULT_REGION) === 'aws-cn' ? 'aws-cn' : 'aws');
  const explicit = regionPartition(c.region);
  if (explicit && explicit !== partition)
    problems.push(`区域 ${c.region} 不属于分区 ${partition} (region ${c.region} is not in partition ${partition})`);

  const transport = c.mailTransport ?? (partition === 'aws-cn' ? 'smtp' : 'ses');
  if (partition === 'aws-cn' && transport === 'ses')
    problems.push('中国区没有 SES，请用 smtp (SES does not exist in aws-cn: mailTransport=smtp)');
  if (c.smtpUser && !c.smtpSecretName)
    problems.push('设置了 smtpUser，还需要 smtpSecretName (smtpUser needs smtpSecretName, the Secrets Manager secret with the password)');
  if (c.smtpSecretName && !c.smtpUser) problems.push('设置了 smtpSecretName，还需要 smtpUser (smtpSecretName needs smtpUser)');
  for (const origin of c.allowedOrigins.filter((o) => !isOrigin(o)))
    problems.push(
      `allowedOrigins 中“${origin}”不是来源（如 https://example.cn） (“${origin}” is not an origin such as https://example.cn)`,
    );

  // The functions check the same variables at cold start: check them now, with the
  // shared code. The secret's ARN is a deploy-time value, so it is left out here.
  const server: SesMail | SmtpMail =
    transport === 'ses'
      ? { transport, identity: c.mailIdentity ?? domainOf(c.mailFrom ?? '') }
      : {
          transport,
          host: c.smtpHost ?? '',
          port: c.smtpPort ?? 465,
          ...(c.smtpUser && c.smtpSecretName ? { user: c.smtpUser, secretName: c.smtpSecretName } : {}),
        };
  const mail: MailSettings = {
    from: c.mailFrom ?? '',
    toTown: c.mailToTown ?? '',
    ...(c.mailToDistrict ? { toDistrict: c.mailToDistrict } : {}),
    server,
  };
  try {
    mailConfig(mailVariables(mail));
  } catch (error) {
    if (!(error instanceof MailConfigError)) throw error;
    problems.push(
      ...error.problems.map((problem) =>
        problem.replace(/\b(MAIL_FROM|MAIL_TO_TOWN|MAIL_TO_DISTRICT|SMTP_HOST|SMTP_PORT)\b/g, (name) => `${name} (-c ${CONTEXT_OF[name]})`),
      ),
    );
  }
  const robots = robotsOf(c.robots, problems);
  if (problems.length > 0) throw new DeployConfigError(problems);

  return {
    partition,
    env: { ...(c.account ? { account: c.account } : {}), ...(c.region ? { region: c.region } : {}) },
    districtAuth: c.districtAuth ?? (partition === 'aws-cn' ? 'iam' : 'token'),
    mail,
    allowedOrigins: c.allowedOrigins,
    alarmEmails: c.alarmEmail,
    robots,
    ...(c.pageUrl ? { pageUrl: c.pageUrl } : {}),
  };
}

/** The robots of `-c robots`, checked as the functions check them; in AWS a webhook is a secret (its URL holds the key). */
function robotsOf(text: string | undefined, problems: string[]): RobotConfig[] {
  try {
    const robots = robotsConfig(text);
    for (const r of robots.filter((r) => r.url !== undefined))
      problems.push(
        `robot ${r.id}: 部署中须用 secret（Secrets Manager 密钥名），不能写 url (in a deployment a robot names its secret, not a url)`,
      );
    return robots;
  } catch (error) {
    if (!(error instanceof NoticeConfigError)) throw error;
    problems.push(...error.problems.map((p) => `-c robots: ${p}`));
    return [];
  }
}

/**
 * The mail variables a deployment gives the functions that send mail. SMTP_USER goes
 * with the ARN of its password's secret, which only the synthesized stack knows.
 */
export function mailVariables(mail: MailSettings, smtpSecretArn?: string): MailVariables {
  const server = mail.server;
  return {
    MAIL_TRANSPORT: server.transport,
    MAIL_FROM: mail.from,
    MAIL_TO_TOWN: mail.toTown,
    ...(mail.toDistrict ? { MAIL_TO_DISTRICT: mail.toDistrict } : {}),
    ...(server.transport === 'smtp' ? { SMTP_HOST: server.host, SMTP_PORT: String(server.port) } : {}),
    ...(server.transport === 'smtp' && server.user && smtpSecretArn ? { SMTP_USER: server.user, SMTP_SECRET_ARN: smtpSecretArn } : {}),
  };
}

const CONTEXT_OF: Record<string, string> = {
  MAIL_FROM: 'mailFrom',
  MAIL_TO_TOWN: 'mailToTown',
  MAIL_TO_DISTRICT: 'mailToDistrict',
  SMTP_HOST: 'smtpHost',
  SMTP_PORT: 'smtpPort',
};

/** `村报 <cunbao@example.cn>` → `example.cn`: the SES identity a verified domain gives. */
function domainOf(mailbox: string): string {
  const address = /<([^<>]+)>/.exec(mailbox)?.[1] ?? mailbox;
  return address.slice(address.lastIndexOf('@') + 1);
}
