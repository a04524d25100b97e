/**
 * A function invoked by EventBridge Scheduler, one schedule per entry of the wiring, in
 * the wiring's time zone (Asia/Shanghai: classic EventBridge rules only know UTC), each
 * with its input. The schedules share one role that may invoke this function and send to
 * their dead-letter queues, nothing else. A run that still fails after its retries (a day-6
 * publication) lands in its schedule's dead-letter queue, which raises an alarm.
 */
import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { FunctionName } from '../../wiring.ts';
import { alarmOn } from './alarms.ts';
import { WiredFunction, type WiredFunctionProps } from './wired-function.ts';

export interface ScheduledFunctionProps extends WiredFunctionProps {
  /** Where a schedule's dead letters are told. */
  readonly alarmTopic: ITopic;
}

/** Scheduler → Lambda with a role we made: CDK's LambdaInvoke would also grant `{arn}:*`. */
class InvokeFunction implements scheduler.IScheduleTarget {
  constructor(
    private readonly fn: IFunction,
    private readonly role: iam.IRole,
    private readonly input: Readonly<Record<string, unknown>>,
    private readonly deadLetters: sqs.IQueue,
  ) {}

  bind(): scheduler.ScheduleTargetConfig {
    return {
      arn: this.fn.functionArn,
      role: this.role,
      input: scheduler.ScheduleTargetInput.fromObject(this.input),
      // Each run is idempotent; a failed one is retried a few times within the hour.
      retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: Duration.hours(1).toSeconds() },
      deadLetterConfig: { arn: this.deadLetters.queueArn },
    };
  }
}

export class ScheduledFunction extends Construct {
  readonly function: WiredFunction;
  readonly schedules: scheduler.Schedule[] = [];
  readonly schedulerRole: iam.Role;
  /** Each schedule's dead-letter queue, by its name. */
  readonly deadLetters = new Map<string, sqs.Queue>();

  constructor(scope: Construct, name: FunctionName, props: ScheduledFunctionProps) {
    super(scope, name);
    this.function = new WiredFunction(this, name, props);
    const trigger = this.function.wiring.trigger;
    if (trigger.kind !== 'schedule') throw new Error(`${name}: the wiring's trigger is ${trigger.kind}, not schedule`);

    const stack = Stack.of(this);
    // Only this account's default schedule group may use the role (confused deputy): the
    // scheduler assumes it with the group's ARN as aws:SourceArn.
    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      description: `EventBridge Scheduler invokes cunbao ${name}`,
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': stack.formatArn({ service: 'scheduler', resource: 'schedule-group', resourceName: 'default' }),
          },
        },
      }),
    });
    this.schedulerRole.addToPolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.function.function.functionArn] }),
    );

    for (const spec of trigger.schedules) {
      const deadLetters = new sqs.Queue(this, `${spec.name}DeadLetters`, {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      // SendMessage alone (grantSendMessages would add GetQueueAttributes and GetQueueUrl).
      this.schedulerRole.addToPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [deadLetters.queueArn] }));
      Validations.of(deadLetters).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: "The schedule's own dead-letter queue: what lands here is a run that failed after its retries, and raises an alarm.",
      });
      this.deadLetters.set(spec.name, deadLetters);
      alarmOn(this, `${spec.name}DeadLettersAlarm`, {
        description: `cunbao ${name}: the ${spec.name} schedule's run failed after its retries (${spec.cron} ${spec.timezone}); the function's log says why. Run it again: cunbao run-schedule --at …`,
        metric: deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
        topic: props.alarmTopic,
      });
      this.schedules.push(
        new scheduler.Schedule(this, spec.name, {
          description: `cunbao ${name}: ${spec.name} ${spec.cron} ${spec.timezone}`,
          schedule: scheduler.ScheduleExpression.expression(spec.cron, TimeZone.of(spec.timezone)),
          target: new InvokeFunction(this.function.function, this.schedulerRole, spec.input, deadLetters),
        }),
      );
    }
  }
}
