/**
 * The CDK app: the data stack and the app stack for one deployment configuration, with
 * cdk-nag's AWS Solutions checks on every resource. `main.ts` runs it for `cdk`; the tests
 * build it with their own context.
 */
import { Annotations, App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AppStack } from './app-stack.ts';
import { deployConfig, type DeployConfig } from './config.ts';
import { DataStack } from './data-stack.ts';

/** Behaviour switches of aws-cdk-lib that this app relies on (set in code, not cdk.json, so tests get them too). */
const FEATURE_FLAGS = {
  // ARNs with a literal partition when the region is known (arn:aws-cn:…), never a guessed one.
  '@aws-cdk/core:enablePartitionLiterals': true,
  // Server access logs are delivered under a bucket policy: ACLs are off (bucket owner enforced).
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  '@aws-cdk/aws-s3:createDefaultLoggingPolicy': true,
  '@aws-cdk/aws-s3:publicAccessBlockedByDefault': true,
  '@aws-cdk/aws-apigateway:logGroupDestinationArnWithoutWildcard': true,
} as const;

const STACK_NAMES = { data: 'CunbaoData', app: 'CunbaoApp' } as const;

export interface CunbaoApp {
  readonly app: App;
  readonly config: DeployConfig;
  readonly data: DataStack;
  readonly stack: AppStack;
}

/**
 * `failSynthOnFindings: false` leaves cdk-nag out of synth (the tests run it themselves,
 * to report findings as one failing test instead of a failed synth).
 */
export function createApp(props: AppProps = {}, { failSynthOnFindings = true } = {}): CunbaoApp {
  const app = new App({ ...props, context: { ...FEATURE_FLAGS, ...props.context } });
  const config = deployConfig((key) => app.node.tryGetContext(key));
  const env = config.env;
  const data = new DataStack(app, STACK_NAMES.data, {
    env,
    description: 'cunbao 村报: bucket and table (retained)',
    allowedOrigins: config.allowedOrigins,
  });
  const stack = new AppStack(app, STACK_NAMES.app, {
    env,
    description: 'cunbao 村报: functions, queue, schedules, HTTP API',
    data: data.exports,
    config,
  });
  stack.addStackDependency(data);
  // cdk.json's mail settings are placeholders: say so on every synth and deploy until replaced.
  const placeholders = [
    config.mail.from,
    config.mail.toTown,
    config.mail.toDistrict ?? '',
    config.mail.server.transport === 'smtp' ? config.mail.server.host : '',
  ].filter((text) => /(^|[.@])example\.(cn|com|org)\b/i.test(text));
  if (placeholders.length > 0) {
    Annotations.of(stack).addWarningV2(
      'cunbao:placeholderMail',
      `mail settings are examples (${placeholders.join(', ')}): deploy with -c mailFrom=… -c mailToTown=… (see the README, “Deploying to AWS”)`,
    );
  }
  // Synth fails on any finding not acknowledged (with its reason) in the code.
  if (failSynthOnFindings) Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, config, data, stack };
}
