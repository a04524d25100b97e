/**
 * The mail settings of a function that sends mail (shared/mail/config.ts reads them): its
 * variables and, with them, the permission to use them — SES sending as one identity, or
 * reading the SMTP password's secret. AWS China has no SES: there it is SMTP.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { MailVariables } from '../../environment.ts';
import { mailVariables, type MailSettings } from '../config.ts';

export interface BoundMail {
  readonly variables: MailVariables;
  /** Lets the function send as the SES identity, or read the SMTP password's secret. */
  grant(fn: LambdaFunction): void;
}

export function bindMail(scope: Construct, mail: MailSettings): BoundMail {
  const server = mail.server;
  if (server.transport === 'ses') {
    const identity = Stack.of(scope).formatArn({ service: 'ses', resource: 'identity', resourceName: server.identity });
    return {
      variables: mailVariables(mail),
      grant: (fn) => fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['ses:SendEmail', 'ses:SendRawEmail'], resources: [identity] })),
    };
  }
  const secret =
    server.user && server.secretName ? secretsmanager.Secret.fromSecretNameV2(scope, 'SmtpSecret', server.secretName) : undefined;
  return { variables: mailVariables(mail, secret?.secretArn), grant: (fn) => void secret?.grantRead(fn) };
}
