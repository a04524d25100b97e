/**
 * The mail settings of a function (shared/mail/config.ts reads them): its environment
 * and, in the same call, the permission to use them — SES sending as one identity, or
 * reading the SMTP password's secret. AWS China has no SES: there it is SMTP.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { MailSettings } from '../config.ts';
import type { WiredFunction } from './wired-function.ts';

export function bindMail(fn: WiredFunction, mail: MailSettings): void {
  fn.addEnvironment('MAIL_TRANSPORT', mail.server.transport);
  fn.addEnvironment('MAIL_FROM', mail.from);
  fn.addEnvironment('MAIL_TO_TOWN', mail.toTown);
  if (mail.toDistrict) fn.addEnvironment('MAIL_TO_DISTRICT', mail.toDistrict);
  const server = mail.server;
  if (server.transport === 'ses') {
    const identity = Stack.of(fn).formatArn({ service: 'ses', resource: 'identity', resourceName: server.identity });
    fn.function.addToRolePolicy(new iam.PolicyStatement({ actions: ['ses:SendEmail', 'ses:SendRawEmail'], resources: [identity] }));
    return;
  }
  fn.addEnvironment('SMTP_HOST', server.host);
  fn.addEnvironment('SMTP_PORT', String(server.port));
  if (server.user && server.secretName) {
    const secret = secretsmanager.Secret.fromSecretNameV2(fn, 'SmtpSecret', server.secretName);
    fn.addEnvironment('SMTP_USER', server.user);
    fn.addEnvironment('SMTP_SECRET_ARN', secret.secretArn);
    secret.grantRead(fn.function);
  }
}
