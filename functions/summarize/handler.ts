/**
 * Summarize: invoked by EventBridge Scheduler (Asia/Shanghai) with the schedule's input —
 * `{"action":"remind"}` on day 3, `{"action":"publish"}` on day 6 — or by the local
 * runtime's clock with `{"runUntil": ISO}` (every schedule due up to then). The core does
 * the work; each run is idempotent.
 */
import * as z from 'zod/mini';
import { DynamoLedger } from '../../shared/adapters/dynamodb-ledger.ts';
import { DynamoSummaries } from '../../shared/adapters/dynamodb-summaries.ts';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store.ts';
import { mailConfig } from '../../shared/mail/config.ts';
import { lazyMailer } from '../../shared/mail/lazy-mailer.ts';
import {
  failIfUnsent,
  NoticeFailedError,
  runAction,
  runSchedules,
  SCHEDULES,
  type ActionResult,
  type ScheduleDeps,
} from '../../shared/publish/schedule.ts';
import { dynamodb, s3Client } from '../commons/clients.ts';
import { clockOf, FUNCTION_VARIABLES, readEnvironment } from '../commons/environment.ts';
import type { Context } from 'aws-lambda';
import { invocationLog, logger, sinkAt } from '../commons/log.ts';
import { metricsOf } from '../commons/metrics.ts';
import { reportScheduled, RevisionUploads } from '../commons/scheduled.ts';
import { functionNotices } from '../commons/notices.ts';
import { loadRegistry } from '../commons/registry.ts';

const env = readEnvironment(FUNCTION_VARIABLES.summarize);
const log = logger(env.LOG_LEVEL, { function: 'summarize' });
const metrics = metricsOf(env.METRICS_NAMESPACE, sinkAt(env.LOG_LEVEL));
const s3 = s3Client(env);
const mail = mailConfig(env);
const store = new S3ObjectStore(s3, env.BUCKET_NAME);
const ledger = new DynamoLedger(dynamodb, env.TABLE_NAME);
const archive = new DynamoSummaries(dynamodb, env.TABLE_NAME, store);
// The transport is set up on the first send, the mails' composer (and the workbook writer
// of their attachments) loaded on the first mail: a run that sends nothing loads neither.
const mailer = lazyMailer(async () => (await import('../commons/mailer.ts')).functionMailer(mail));
const composer = () => import('../../shared/mail/summary-email.ts');
const notices = functionNotices(env, dynamodb);
const now = clockOf(env);

const SchedulerInput = z.union([
  z.object({ action: z.enum(['remind', 'publish']) }),
  z.object({ runUntil: z.iso.datetime({ offset: true }) }),
]);

export const handler = async (event: unknown, context?: Context): Promise<unknown> => {
  const input = SchedulerInput.parse(event);
  const invocation = invocationLog(log, context);
  const registry = await loadRegistry(store, env.UNITS_KEY);
  const revisions = new RevisionUploads();
  const deps: ScheduleDeps = {
    reader: ledger,
    archive,
    store,
    registry,
    now,
    mail: {
      mailer,
      recipients: { from: mail.from, ...mail.recipients },
      compose: async (...args) => (await composer()).summaryMail(...args),
    },
    composeReminder: async (...args) => (await composer()).reminderMail(...args),
    notices: await notices(registry),
    onRevision: revisions.record,
  };
  // What ran is logged and counted even when a notice failed the run (the schedule retries it).
  const report = (results: readonly ActionResult[]) => {
    reportScheduled(invocation, metrics, results, revisions);
    metrics.flush();
  };
  if ('runUntil' in input) {
    const results = await runSchedules(new Date(input.runUntil), SCHEDULES, deps).catch((error: unknown) => {
      // The local clock's run: what failed is in the error (the next tick does the window again).
      if (error instanceof NoticeFailedError) metrics.add('noticesFailed', error.failed.length);
      metrics.flush();
      throw error;
    });
    report(results);
    return results;
  }
  const result = await runAction(input.action, now(), deps);
  report([result]);
  // A notice not sent fails the invocation: the schedule's retry sends what is missing.
  failIfUnsent([result]);
  return [result];
};
