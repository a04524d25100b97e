/**
 * Mail configuration from the environment's text, validated once (at cold start or start-up):
 * which transport, who sends, who receives. Recipients are configuration, not code, so a
 * town changes its clerk or adds the district without a release.
 *
 *   MAIL_TRANSPORT     ses | smtp (required)
 *   MAIL_FROM          sender, `addr@example.cn` or `鹅池镇村报 <addr@example.cn>` (required)
 *   MAIL_TO_TOWN       the town clerk and leaders, comma-separated (required, at least one)
 *   MAIL_TO_DISTRICT   the district, comma-separated (optional)
 *   SES_CONFIGURATION_SET   (ses, optional)
 *   SMTP_HOST, SMTP_PORT    (smtp, required)
 *   SMTP_SECURE        true: TLS from the first byte; false: STARTTLS when offered (default: true on port 465)
 *   SMTP_REQUIRE_TLS   true: with SMTP_SECURE=false, refuse to send without STARTTLS (default false)
 *   SMTP_USER          with either SMTP_PASSWORD, or SMTP_SECRET_ARN (a Secrets Manager secret
 *                      holding the password, or JSON with a `password` field): the caller fetches
 *                      that secret and hands its SecretString to `mailerFor` (shared/adapters/mailer.ts).
 *
 * Lists take `,` `，` `;` or `；` between addresses (a display name must not contain one).
 */
import * as z from 'zod/mini';
import { once } from '../once.ts';

type SmtpAuth = { readonly user: string; readonly password: string } | { readonly user: string; readonly passwordSecretArn: string };

interface SmtpTransportConfig {
  readonly kind: 'smtp';
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly requireTLS: boolean;
  readonly auth?: SmtpAuth;
}

interface SesTransportConfig {
  readonly kind: 'ses';
  readonly configurationSetName?: string;
}

export interface MailConfig {
  readonly from: string;
  readonly recipients: { readonly town: readonly string[]; readonly district: readonly string[] };
  readonly transport: SesTransportConfig | SmtpTransportConfig;
}

/** Every problem of the mail configuration at once, each naming its variable. */
export class MailConfigError extends Error {
  override readonly name = 'MailConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`邮件配置无效 (invalid mail configuration): ${problems.join('; ')}`);
  }
}

const say = (zh: string, en: string) => `${zh} (${en})`;

/** A string that must be present: `whatZh`/`whatEn` say what it is. */
const required = (whatZh: string, whatEn: string) =>
  z.string({
    error: (issue) =>
      issue.input === undefined ? say(`缺少${whatZh}`, `missing: ${whatEn}`) : say(`${whatZh}应为文本`, `${whatEn} must be text`),
  });

/** `addr@example.cn` or `Display Name <addr@example.cn>`. */
const MAILBOX = /^(?:[^<>]*<([^<>\s]+)>|([^<>\s]+))$/;
const email = once(() => z.email());
function isMailbox(text: string): boolean {
  const match = MAILBOX.exec(text);
  const address = match?.[1] ?? match?.[2];
  return address !== undefined && email().safeParse(address).success;
}

/** A list's addresses: `,` `，` `;` or `；` between them, blanks ignored. */
const addressesOf = (text: string) =>
  text
    .split(/[,，;；]/)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

function addressList(whatZh: string, whatEn: string, options: { atLeastOne: boolean }) {
  const checked = z.string().check(
    z.superRefine((text, ctx) => {
      const items = addressesOf(text);
      for (const item of items.filter((item) => !isMailbox(item))) {
        ctx.addIssue({
          code: 'custom',
          message: say(`${whatZh}中“${item}”不是有效的邮箱地址`, `“${item}” in ${whatEn} is not a valid email address`),
        });
      }
      if (options.atLeastOne && items.length === 0)
        ctx.addIssue({ code: 'custom', message: say(`${whatZh}至少需要一个邮箱地址`, `${whatEn} needs at least one address`) });
    }),
  );
  return z.pipe(checked, z.transform(addressesOf));
}

const booleanText = (name: string) =>
  z.stringbool({
    truthy: ['true'],
    falsy: ['false'],
    error: (issue) =>
      say(`${name} 只能是 true 或 false，而不是“${String(issue.input)}”`, `${name} must be true or false, not “${String(issue.input)}”`),
  });

// Made with the first check (once per container); a deployment needs Ses or Smtp, not both.
const common = once(() =>
  z.object({
    MAIL_TRANSPORT: z.enum(['ses', 'smtp'], {
      error: (issue) =>
        issue.input === undefined
          ? say('缺少 MAIL_TRANSPORT：发信方式，ses 或 smtp', 'missing: MAIL_TRANSPORT, ses or smtp')
          : say(
              `MAIL_TRANSPORT 只能是 ses 或 smtp，而不是“${String(issue.input)}”`,
              `MAIL_TRANSPORT must be ses or smtp, not “${String(issue.input)}”`,
            ),
    }),
    MAIL_FROM: required('发件人 MAIL_FROM', 'MAIL_FROM, the sender').check(
      z.refine(isMailbox, {
        error: (issue) =>
          say(
            `发件人 MAIL_FROM“${String(issue.input)}”不是有效的邮箱地址`,
            `MAIL_FROM “${String(issue.input)}” is not a valid email address`,
          ),
      }),
    ),
    MAIL_TO_TOWN: z.pipe(
      required('镇收件人 MAIL_TO_TOWN', 'MAIL_TO_TOWN, the town recipients'),
      addressList('镇收件人 MAIL_TO_TOWN', 'MAIL_TO_TOWN', { atLeastOne: true }),
    ),
    MAIL_TO_DISTRICT: z.optional(addressList('区收件人 MAIL_TO_DISTRICT', 'MAIL_TO_DISTRICT', { atLeastOne: false })),
  }),
);

const ses = once(() => z.object({ SES_CONFIGURATION_SET: z.optional(z.string()) }));

const smtp = once(() =>
  z
    .object({
      SMTP_HOST: required('邮件服务器地址 SMTP_HOST', 'SMTP_HOST, the SMTP server, required when MAIL_TRANSPORT=smtp'),
      SMTP_PORT: z.pipe(
        required('邮件服务器端口 SMTP_PORT', 'SMTP_PORT, required when MAIL_TRANSPORT=smtp').check(
          z.refine((text) => /^\d{1,5}$/.test(text) && Number(text) >= 1 && Number(text) <= 65535, {
            error: (issue) =>
              say(
                `SMTP_PORT 应为 1–65535 的整数，而不是“${String(issue.input)}”`,
                `SMTP_PORT must be an integer from 1 to 65535, not “${String(issue.input)}”`,
              ),
          }),
        ),
        z.transform(Number),
      ),
      SMTP_SECURE: z.optional(booleanText('SMTP_SECURE')),
      SMTP_REQUIRE_TLS: z.optional(booleanText('SMTP_REQUIRE_TLS')),
      SMTP_USER: z.optional(z.string()),
      SMTP_PASSWORD: z.optional(z.string()),
      SMTP_SECRET_ARN: z.optional(
        z.string().check(
          z.regex(/^arn:aws[a-z-]*:secretsmanager:[^:]*:\d{12}:secret:.+$/, {
            error: (issue) =>
              say(
                `SMTP_SECRET_ARN“${String(issue.input)}”不是 Secrets Manager 密钥的 ARN`,
                `SMTP_SECRET_ARN “${String(issue.input)}” is not a Secrets Manager secret ARN`,
              ),
          }),
        ),
      ),
    })
    .check(
      z.superRefine((env, ctx) => {
        const secrets = [env.SMTP_PASSWORD, env.SMTP_SECRET_ARN].filter((value) => value !== undefined).length;
        if (env.SMTP_USER !== undefined && secrets === 0)
          ctx.addIssue({
            code: 'custom',
            path: ['SMTP_USER'],
            message: say('设置了 SMTP_USER，还需要 SMTP_PASSWORD 或 SMTP_SECRET_ARN', 'SMTP_USER needs SMTP_PASSWORD or SMTP_SECRET_ARN'),
          });
        if (env.SMTP_USER === undefined && secrets > 0)
          ctx.addIssue({
            code: 'custom',
            path: ['SMTP_USER'],
            message: say('设置了密码，还需要用户名 SMTP_USER', 'a password needs SMTP_USER'),
          });
        if (secrets === 2)
          ctx.addIssue({
            code: 'custom',
            path: ['SMTP_PASSWORD'],
            message: say('SMTP_PASSWORD 与 SMTP_SECRET_ARN 只能设置一个', 'set SMTP_PASSWORD or SMTP_SECRET_ARN, not both'),
          });
      }),
    ),
);

/** Only our variables, trimmed; an empty one (`SMTP_USER=` in a file) counts as unset. */
function relevant(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!/^(MAIL|SMTP|SES)_/.test(name) || value === undefined || value.trim() === '') continue;
    out[name] = value.trim();
  }
  return out;
}

const problemsOf = (error: z.core.$ZodError) => error.issues.map((issue) => issue.message);

/** Reads and checks the mail configuration; throws a MailConfigError listing every problem. */
export function mailConfig(env: Readonly<Record<string, string | undefined>>): MailConfig {
  const vars = relevant(env);
  const checked = common().safeParse(vars);
  // Check the transport's own variables whenever the transport is known, so that one run
  // reports a missing MAIL_FROM and a missing SMTP_HOST together.
  const kind = vars.MAIL_TRANSPORT === 'ses' || vars.MAIL_TRANSPORT === 'smtp' ? vars.MAIL_TRANSPORT : undefined;
  const sesVars = kind === 'ses' ? ses().safeParse(vars) : undefined;
  const smtpVars = kind === 'smtp' ? smtp().safeParse(vars) : undefined;
  const problems = [
    ...(checked.success ? [] : problemsOf(checked.error)),
    ...(sesVars && !sesVars.success ? problemsOf(sesVars.error) : []),
    ...(smtpVars && !smtpVars.success ? problemsOf(smtpVars.error) : []),
  ];
  if (problems.length > 0 || !checked.success) throw new MailConfigError(problems);

  const base = {
    from: checked.data.MAIL_FROM,
    recipients: { town: checked.data.MAIL_TO_TOWN, district: checked.data.MAIL_TO_DISTRICT ?? [] },
  };
  if (sesVars?.success)
    return {
      ...base,
      transport: {
        kind: 'ses',
        ...(sesVars.data.SES_CONFIGURATION_SET ? { configurationSetName: sesVars.data.SES_CONFIGURATION_SET } : {}),
      },
    };
  const s = smtpVars!.data!;
  const auth: SmtpAuth | undefined =
    s.SMTP_USER === undefined
      ? undefined
      : s.SMTP_PASSWORD !== undefined
        ? { user: s.SMTP_USER, password: s.SMTP_PASSWORD }
        : { user: s.SMTP_USER, passwordSecretArn: s.SMTP_SECRET_ARN! };
  return {
    ...base,
    transport: {
      kind: 'smtp',
      host: s.SMTP_HOST,
      port: s.SMTP_PORT,
      secure: s.SMTP_SECURE ?? s.SMTP_PORT === 465,
      requireTLS: s.SMTP_REQUIRE_TLS ?? false,
      ...(auth ? { auth } : {}),
    },
  };
}
