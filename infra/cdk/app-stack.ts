/**
 * The stateless stack: every function of the wiring table with its trigger — the ingest
 * queue (and its dead-letter queue and alarm), the schedules, the HTTP API and its
 * authorizer — generated from WIRING by one construct per trigger kind, as the local
 * runtime reads the same table. Nothing here holds data that a redeploy could lose
 * beyond messages in flight.
 */
import { CfnOutput, Fn, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { TABLE_KEYS } from '../../shared/adapters/dynamodb-table.ts';
import { WIRING, type FunctionName } from '../wiring.ts';
import type { DeployConfig } from './config.ts';
import type { DataExports } from './data-stack.ts';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { FunctionAlarms, noticeAlarm, operationsDashboard } from './constructs/alarms.ts';
import { AuthorizerFunction } from './constructs/authorizer-trigger.ts';
import { HttpApiFunction } from './constructs/http-trigger.ts';
import { acknowledgeNotificationsHandler, QueueTriggeredFunction } from './constructs/queue-trigger.ts';
import { ScheduledFunction } from './constructs/schedule-trigger.ts';
import type { WiredFunction, WiredFunctionProps } from './constructs/wired-function.ts';
import { reads } from '../environment.ts';

export interface AppStackProps extends StackProps {
  /** The data stack's exports: the table and the bucket. */
  readonly data: DataExports;
  readonly config: DeployConfig;
}

/** The functions that send mail: those that read MAIL_TRANSPORT (shared/mail/config.ts). */
export const SENDS_MAIL: readonly FunctionName[] = (Object.keys(WIRING) as FunctionName[]).filter((name) => reads(name, 'MAIL_TRANSPORT'));

export class AppStack extends Stack {
  readonly functions = new Map<FunctionName, WiredFunction>();
  readonly alarmTopic: sns.Topic;
  readonly http: HttpApiFunction[] = [];

  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id, props);
    // Imported by name: the bucket's S3 notification then lives in this stack, next to the
    // queue it targets (owned by the data stack, it would make each stack depend on the other).
    const table = dynamodb.Table.fromTableAttributes(this, 'Table', {
      tableArn: Fn.importValue(props.data.tableArn),
      globalIndexes: [TABLE_KEYS.gsi1.name],
    });
    const bucket = s3.Bucket.fromBucketAttributes(this, 'Files', {
      bucketArn: Fn.importValue(props.data.bucketArn),
      bucketName: Fn.importValue(props.data.bucketName),
    });
    const wired: WiredFunctionProps = { stores: { table, bucket }, settings: props.config };

    this.alarmTopic = new sns.Topic(this, 'Alarms', { displayName: 'cunbao alarms', enforceSSL: true });
    for (const email of props.config.alarmEmails) this.alarmTopic.addSubscription(new EmailSubscription(email));
    Validations.of(this.alarmTopic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed SNS key, and the alarm text holds no personal data (a queue name and a count).',
    });

    const names = Object.keys(WIRING) as FunctionName[];
    const queues: { ingest?: IQueue; deadLetters: { name: string; queue: IQueue }[] } = { deadLetters: [] };
    // Authorizers first: the HTTP API's routes name theirs.
    const authorizers = new Map<FunctionName, AuthorizerFunction>();
    for (const name of names.filter((n) => WIRING[n].trigger.kind === 'authorizer')) {
      const authorizer = new AuthorizerFunction(this, name, wired);
      authorizers.set(name, authorizer);
      this.functions.set(name, authorizer.function);
    }
    for (const name of names) {
      const trigger = WIRING[name].trigger;
      switch (trigger.kind) {
        case 'queue': {
          const queued = new QueueTriggeredFunction(this, name, { ...wired, alarmTopic: this.alarmTopic });
          this.functions.set(name, queued.function);
          queues.ingest = queued.queue;
          queues.deadLetters.push({ name, queue: queued.deadLetterQueue });
          break;
        }
        case 'schedule': {
          const scheduled = new ScheduledFunction(this, name, { ...wired, alarmTopic: this.alarmTopic });
          this.functions.set(name, scheduled.function);
          for (const [schedule, queue] of scheduled.deadLetters) queues.deadLetters.push({ name: `${name} ${schedule}`, queue });
          break;
        }
        case 'http': {
          const authorizer = authorizers.get(trigger.authorizer);
          if (!authorizer) throw new Error(`${name}: authorizer ${trigger.authorizer} is not an authorizer function of the wiring`);
          const http = new HttpApiFunction(this, name, {
            ...wired,
            tokenAuthorizer: authorizer.authorizer,
            districtAuth: props.config.districtAuth,
          });
          this.http.push(http);
          this.functions.set(name, http.function);
          break;
        }
        case 'authorizer':
          break;
      }
    }
    acknowledgeNotificationsHandler(this);
    for (const [name, fn] of this.functions) new FunctionAlarms(this, name, fn, this.alarmTopic);
    noticeAlarm(this, this.alarmTopic);
    operationsDashboard(this, this.functions, queues);

    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topicArn,
      description: 'Subscribe to hear of failed, throttled or waiting functions and dead letters (or deploy with -c alarmEmail=…)',
    });
  }
}
