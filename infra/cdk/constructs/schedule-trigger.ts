/**
 * A function invoked by EventBridge Scheduler, one schedule per entry of the wiring, in
 * the wiring's time zone (Asia/Shanghai: classic EventBridge rules only know UTC), each
 * with its input. The schedules share one role that may invoke this function and nothing
 * else (the function's ARN, not its versions or other functions).
 */
import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { FunctionName } from '../../wiring.ts';
import { WiredFunction, type WiredFunctionProps } from './wired-function.ts';

export type ScheduledFunctionProps = WiredFunctionProps;

/** Scheduler → Lambda with a role we made: CDK's LambdaInvoke would also grant `{arn}:*`. */
class InvokeFunction implements scheduler.IScheduleTarget {
  constructor(
    private readonly fn: IFunction,
    private readonly role: iam.IRole,
    private readonly input: Readonly<Record<string, unknown>>,
  ) {}

  bind(): scheduler.ScheduleTargetConfig {
    return {
      arn: this.fn.functionArn,
      role: this.role,
      input: scheduler.ScheduleTargetInput.fromObject(this.input),
      // Each run is idempotent; a failed one is retried a few times within the hour.
      retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: Duration.hours(1).toSeconds() },
    };
  }
}

export class ScheduledFunction extends Construct {
  readonly function: WiredFunction;
  readonly schedules: scheduler.Schedule[] = [];
  readonly schedulerRole: iam.Role;

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
      this.schedules.push(
        new scheduler.Schedule(this, spec.name, {
          description: `cunbao ${name}: ${spec.name} ${spec.cron} ${spec.timezone}`,
          schedule: scheduler.ScheduleExpression.expression(spec.cron, TimeZone.of(spec.timezone)),
          target: new InvokeFunction(this.function.function, this.schedulerRole, spec.input),
        }),
      );
    }
  }
}
