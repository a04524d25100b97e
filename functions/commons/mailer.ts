/**
 * A function's Mailer, made once at cold start: SES with the function's region, or SMTP
 * — in AWS China with its password in Secrets Manager, read here (the client is loaded
 * only then, so that an SES deployment does not start it).
 */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { mailerFor } from '../../shared/adapters/mailer.ts';
import type { MailConfig } from '../../shared/mail/config.ts';
import type { Mailer } from '../../shared/ports/mail.ts';

export async function functionMailer(config: MailConfig): Promise<Mailer> {
  const transport = config.transport;
  if (transport.kind === 'ses') return mailerFor(config, { ses: new SESv2Client({}) });
  if (!transport.auth || !('passwordSecretArn' in transport.auth)) return mailerFor(config);
  const secretId = transport.auth.passwordSecretArn;
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretId }));
  if (!out.SecretString) throw new Error(`secret ${secretId} has no SecretString`);
  return mailerFor(config, { smtpSecret: out.SecretString });
}
