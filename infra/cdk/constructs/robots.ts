/**
 * The group robots of a function that sends notices: NOTICE_ROBOTS (the robots with their
 * secrets' names, no secret in the template) and the permission to read exactly those
 * secrets — GetSecretValue on each by name, nothing else of Secrets Manager.
 */
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { secretRefsOf, type RobotConfig } from '../../../shared/notices/config.ts';

export interface BoundRobots {
  /** NOTICE_ROBOTS, absent when no robot is configured. */
  readonly variable?: string;
  grant(fn: LambdaFunction): void;
}

export function bindRobots(scope: Construct, robots: readonly RobotConfig[]): BoundRobots {
  const secrets = secretRefsOf(robots).map((name, i) => secretsmanager.Secret.fromSecretNameV2(scope, `RobotSecret${i}`, name));
  return {
    ...(robots.length ? { variable: JSON.stringify(robots) } : {}),
    grant: (fn) => {
      for (const secret of secrets) secret.grantRead(fn);
    },
  };
}
