/**
 * A function fed by S3 through SQS: objects created under the wiring's prefix are sent to
 * a queue (only that prefix), the function takes batches and reports failed messages
 * one by one, and a message received `maxReceiveCount` times moves to a dead-letter queue,
 * which raises an alarm (AWS China has no DLQ redrive: messages are sent back by hand).
 */
import { CfnResource, Duration, Fn, type Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ManagedPolicy } from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { EventType } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { alarmOn } from './alarms.ts';
import type { FunctionName, QueueTrigger } from '../../wiring.ts';
import { nagName } from '../nag.ts';
import { WiredFunction, type WiredFunctionProps } from './wired-function.ts';

export interface QueueTriggeredFunctionProps extends WiredFunctionProps {
  /** Where the dead-letter alarm is sent. */
  readonly alarmTopic: ITopic;
}

export class QueueTriggeredFunction extends Construct {
  readonly function: WiredFunction;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly deadLetterAlarm: cloudwatch.Alarm;
  readonly backlogAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, name: FunctionName, props: QueueTriggeredFunctionProps) {
    super(scope, name);
    this.function = new WiredFunction(this, name, props);
    const trigger = this.function.wiring.trigger;
    if (trigger.kind !== 'queue') throw new Error(`${name}: the wiring's trigger is ${trigger.kind}, not queue`);
    const wiring: QueueTrigger = trigger;
    // A message must stay hidden while a batch runs and its retries back off, or it is
    // handed out twice: AWS advises at least 6× the function's timeout.
    if (wiring.visibilityTimeoutSeconds < 6 * this.function.wiring.timeoutSeconds) {
      throw new Error(
        `${name}: the queue's visibility timeout ${wiring.visibilityTimeoutSeconds} s is under 6 × the function's timeout ${this.function.wiring.timeoutSeconds} s`,
      );
    }

    // Messages keep their age in the DLQ: it keeps them longer than the queue (the maximum).
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(wiring.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: wiring.maxReceiveCount },
    });

    const source = new SqsEventSource(this.queue, { batchSize: wiring.batchSize, reportBatchItemFailures: wiring.reportBatchItemFailures });
    this.function.function.addEventSource(source);
    // The first batch is logged: the mapping starts once the function may write its logs.
    this.function.function.node.children
      .filter((child) => child.node.id.startsWith('SqsEventSource'))
      .forEach((mapping) => {
        mapping.node.addDependency(this.function.logsPolicy);
      });
    props.stores.bucket.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(this.queue), { prefix: wiring.objectPrefix });

    this.deadLetterAlarm = alarmOn(this, 'DeadLettersAlarm', {
      description: `${name}: messages in the dead-letter queue (each failed ${wiring.maxReceiveCount} times; the function's log says why). After the fix, send them back to the queue.`,
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      topic: props.alarmTopic,
    });
    // Files waiting: the function failing or throttled, or a burst beyond its concurrency.
    this.backlogAlarm = alarmOn(this, 'OldestMessageAlarm', {
      description: `${name}: a file has waited over ${wiring.oldestMessageAlarmSeconds / 60} minutes in the queue (the function is failing, throttled or behind).`,
      metric: this.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: wiring.oldestMessageAlarmSeconds,
      topic: props.alarmTopic,
    });
  }
}

/**
 * CDK writes a bucket's notification configuration with its own custom-resource function
 * (one per stack). Its role carries the managed basic-execution policy (its own logs);
 * its inline policy reaches this bucket's notification configuration only. Call it once the
 * stack is built: the handler is made when the notification is first rendered.
 */
export function acknowledgeNotificationsHandler(stack: Stack): void {
  const handler = stack.node.children.find((child) => child.node.id.startsWith('BucketNotificationsHandler'));
  const role = handler?.node.tryFindChild('Role');
  if (!role) return;
  keepHandlerLogs(stack, handler!);
  const managed = ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole').managedPolicyArn;
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM4[Policy::${nagName(role, managed)}]`,
    reason:
      "CDK's handler that sets the bucket's S3 notification at deploy time: the managed policy lets it write its own logs; its inline policy is Put/GetBucketNotification on this bucket alone.",
  });
}

/**
 * The handler's logs would go to a group Lambda makes on first run, kept forever: this one
 * is made first, with the functions' retention, and the notification (which runs the
 * handler) waits for it.
 */
function keepHandlerLogs(stack: Stack, handler: IConstruct): void {
  const fn = handler.node.tryFindChild('Resource');
  if (!(fn instanceof CfnResource)) return;
  const group = new logs.LogGroup(stack, 'BucketNotificationsHandlerLogs', {
    logGroupName: Fn.join('', ['/aws/lambda/', fn.ref]),
    retention: logs.RetentionDays.ONE_YEAR,
  });
  for (const node of stack.node.findAll())
    if (node instanceof CfnResource && node.cfnResourceType === 'Custom::S3BucketNotifications') node.node.addDependency(group);
}
