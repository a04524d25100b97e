/**
 * Summarize: invoked by EventBridge Scheduler (Asia/Shanghai) with the schedule's input —
 * `{"action":"remind"}` on day 3, `{"action":"publish"}` on day 6 — or by the local
 * runtime's clock with `{"runUntil": ISO}` (every schedule due up to then). The core does
 * the work; each run is idempotent.
 */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import * as z from 'zod';
import { DynamoLedger } from '../../shared/adapters/dynamodb-ledger.ts';
import { DynamoSummaries } from '../../shared/adapters/dynamodb-summaries.ts';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store.ts';
import { mailConfig, mailerFor } from '../../shared/mail/config.ts';
import { reminderMail, summaryMail } from '../../shared/mail/summary-email.ts';
import { runAction, runSchedules, SCHEDULES, type ScheduleDeps } from '../../shared/publish/schedule.ts';
import { dynamodb, s3 } from '../commons/clients.ts';
import { clockOf, readEnvironment } from '../commons/environment.ts';
import { log } from '../commons/log.ts';
import { loadRegistry } from '../commons/registry.ts';

const env = readEnvironment();
const mail = mailConfig();
const store = new S3ObjectStore(s3, env.BUCKET_NAME);
const ledger = new DynamoLedger(dynamodb, env.TABLE_NAME);
const archive = new DynamoSummaries(dynamodb, env.TABLE_NAME, store);
const mailer = mailerFor(mail, mail.transport.kind === 'ses' ? { ses: new SESv2Client({}) } : { ...(await smtpSecret()) });
const now = clockOf(env);

/** In AWS China the SMTP password is a Secrets Manager secret, read once at cold start. */
async function smtpSecret(): Promise<{ smtpSecret?: string }> {
  const auth = mail.transport.kind === 'smtp' ? mail.transport.auth : undefined;
  if (!auth || !('passwordSecretArn' in auth)) return {};
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: auth.passwordSecretArn }));
  if (!out.SecretString) throw new Error(`secret ${auth.passwordSecretArn} has no SecretString`);
  return { smtpSecret: out.SecretString };
}

const SchedulerInput = z.union([z.object({ action: z.enum(['remind', 'publish']) }), z.object({ runUntil: z.iso.datetime({ offset: true }) })]);

export const handler = async (event: unknown): Promise<unknown> => {
  const input = SchedulerInput.parse(event);
  const deps: ScheduleDeps = {
    reader: ledger,
    archive,
    store,
    registry: await loadRegistry(store, env.UNITS_KEY),
    now,
    mail: { mailer, recipients: { from: mail.from, ...mail.recipients }, compose: summaryMail },
    composeReminder: reminderMail,
  };
  const results = 'action' in input ? [await runAction(input.action, now(), deps)] : await runSchedules(new Date(input.runUntil), SCHEDULES, deps);
  for (const result of results) log('info', 'scheduled', { ...result });
  return results;
};
