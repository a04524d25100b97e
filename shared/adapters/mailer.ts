/**
 * The Mailer a mail configuration asks for (shared/mail/config.ts parses it): SES on the
 * caller's client, or SMTP. The caller makes the SES client and fetches the SMTP
 * password's secret, so that this stays free of credentials and network.
 */
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { MailConfig } from '../mail/config.ts';
import type { Mailer } from '../ports/mail.ts';
import { SesMailer } from './ses-mailer.ts';
import { SmtpMailer } from './smtp-mailer.ts';

export interface MailerDeps {
  /** For `ses`: the SES v2 client, made once by the caller with the function's region. */
  readonly ses?: SESv2Client;
  /** For `smtp` with SMTP_SECRET_ARN: the secret's SecretString, fetched by the caller. */
  readonly smtpSecret?: string;
}

/**
 * A missing client or secret is the caller's wiring, not the configuration: a plain Error.
 * Only the configuration's type is imported: the mailer's chunk (loaded by the first send)
 * then needs neither the configuration's parser nor zod.
 */
export function mailerFor(config: MailConfig, deps: MailerDeps = {}): Mailer {
  const transport = config.transport;
  if (transport.kind === 'ses') {
    if (!deps.ses) throw new Error('MAIL_TRANSPORT=ses 需要传入 SES v2 客户端 (MAIL_TRANSPORT=ses needs an SESv2Client)');
    return new SesMailer(deps.ses, transport.configurationSetName ? { configurationSetName: transport.configurationSetName } : {});
  }
  let auth: { user: string; password: string } | undefined;
  if (transport.auth && 'password' in transport.auth) auth = transport.auth;
  else if (transport.auth) {
    if (deps.smtpSecret === undefined)
      throw new Error(
        `需要先读取密钥 ${transport.auth.passwordSecretArn} (SMTP_SECRET_ARN is set: fetch the secret and pass its SecretString)`,
      );
    auth = { user: transport.auth.user, password: passwordFromSecret(deps.smtpSecret) };
  }
  return new SmtpMailer({
    host: transport.host,
    port: transport.port,
    secure: transport.secure,
    requireTLS: transport.requireTLS,
    ...(auth ? { auth } : {}),
  });
}

/**
 * The SMTP password in a Secrets Manager SecretString: the string itself, or the
 * `password` field when the secret is JSON (as the console's "other type" key/value pairs store it).
 */
export function passwordFromSecret(secretString: string): string {
  try {
    const parsed: unknown = JSON.parse(secretString);
    if (parsed && typeof parsed === 'object' && typeof (parsed as { password?: unknown }).password === 'string')
      return (parsed as { password: string }).password;
  } catch {
    // not JSON: the secret is the password
  }
  return secretString;
}
