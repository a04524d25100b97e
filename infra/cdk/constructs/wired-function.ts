/**
 * One Lambda function of the wiring table, with its own role and log group, exactly the
 * data access its `access` entry names, and exactly the environment its `environment`
 * entry declares (infra/environment.ts, as the local runtime): the construct sets each
 * variable and grants the matching permission in one place, so they cannot drift apart.
 * The trigger constructs (queue, schedule, http, authorizer) wrap this one.
 */
import { join } from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Architecture, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { GSI1 } from '../../../shared/adapters/dynamodb-keys.ts';
import { functionEnvironment, reads } from '../../environment.ts';
import { WIRING, type FunctionName, type FunctionWiring } from '../../wiring.ts';
import { bundledCode, NODE_OPTIONS, ROOT } from '../bundling.ts';
import type { DeployConfig } from '../config.ts';
import { nagName } from '../nag.ts';
import { metricsNamespaceOf } from './alarms.ts';
import { bindMail } from './mail.ts';
import { bindRobots } from './robots.ts';

/** The stateful stack's resources, as the functions see them. */
interface DataStores {
  readonly table: ITable;
  readonly bucket: IBucket;
}

export interface WiredFunctionProps {
  readonly stores: DataStores;
  /** What the deployment tells its functions beyond the stores. */
  readonly settings: Pick<DeployConfig, 'districtAuth' | 'mail' | 'robots' | 'pageUrl'>;
}

export class WiredFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: iam.Role;
  readonly wiring: FunctionWiring;
  /** Lets the function write its logs: whatever invokes it should wait for this. */
  readonly logsPolicy: iam.Policy;

  constructor(
    scope: Construct,
    readonly name: FunctionName,
    props: WiredFunctionProps,
  ) {
    super(scope, 'Handler');
    this.wiring = WIRING[name];
    // Its own role, not the managed AWSLambdaBasicExecutionRole (logs:* on every log group).
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `cunbao ${name} function`,
    });
    const mail = reads(name, 'MAIL_TRANSPORT') ? bindMail(this, props.settings.mail) : undefined;
    const robots = reads(name, 'NOTICE_ROBOTS') ? bindRobots(this, props.settings.robots) : undefined;
    const { table, bucket } = props.stores;
    const environment = functionEnvironment(name, {
      tableName: table.tableName,
      bucketName: bucket.bucketName,
      districtAuth: props.settings.districtAuth,
      metricsNamespace: metricsNamespaceOf(this),
      mail: mail?.variables ?? {},
      ...(robots?.variable ? { robots: robots.variable } : {}),
      ...(robots && props.settings.pageUrl ? { pageUrl: props.settings.pageUrl } : {}),
    });
    this.function = new LambdaFunction(this, 'Function', {
      code: bundledCode(join(ROOT, this.wiring.entry)),
      handler: 'index.handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: this.wiring.memoryMb,
      timeout: Duration.seconds(this.wiring.timeoutSeconds),
      role: this.role,
      environment: { NODE_OPTIONS, ...environment },
      description: `cunbao ${name}: ${this.wiring.entry}`,
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'nodejs22.x on purpose (docs/DESIGN.md#toolchain): bundles target node20 so that the same code runs on the Node 20 machines here and in Lambda; Node 22 is supported until April 2027.',
    });
    this.logsPolicy = this.grantLogs();
    grantData(this.function, this.wiring.access, props.stores);
    mail?.grant(this.function);
    robots?.grant(this.function);
    acknowledgeDataGrants(this.role, this.wiring.access, props.stores);
  }

  /**
   * The log group Lambda writes to by name, `/aws/lambda/{function}`: a custom log group
   * (LoggingConfig) is not accepted in every partition. The permission is its own policy,
   * so the function does not wait for the log group that waits for the function's name.
   */
  private grantLogs(): iam.Policy {
    const group = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${this.function.functionName}`,
      retention: logs.RetentionDays.ONE_YEAR,
    });
    return new iam.Policy(this, 'LogsPolicy', {
      roles: [this.role],
      statements: [new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [group.logGroupArn] })],
    });
  }
}

/**
 * Table and bucket for a function, written from its wiring as exact actions on exact
 * resources: its DynamoDB actions on the table (and GSI1 when it queries); GetObject (of a
 * version too) under
 * its `bucketRead` prefixes with ListBucket limited to them (`s3:prefix`), so a missing key
 * answers 404 and no other prefix can be listed; PutObject under its `bucketWrite` prefixes
 * (never a delete: every byte is kept). No CDK grant*: those add Scan, DeleteItem,
 * BatchWriteItem, stream reads and a bucket-wide List*.
 */
function grantData(fn: LambdaFunction, access: FunctionWiring['access'], stores: DataStores): void {
  const queries = access.table.includes('Query');
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: access.table.map((action) => `dynamodb:${action}`),
      resources: [stores.table.tableArn, ...(queries ? [`${stores.table.tableArn}/index/${GSI1}`] : [])],
    }),
  );
  const under = (prefixes: readonly string[]) => prefixes.map((prefix) => stores.bucket.arnForObjects(`${prefix}*`));
  if (access.bucketRead.length > 0) {
    // GetObjectVersion: the ingest reads the very version its S3 event names.
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: under(access.bucketRead) }));
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [stores.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': access.bucketRead.map((prefix) => `${prefix}*`) } },
      }),
    );
  }
  if (access.bucketWrite.length > 0)
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: under(access.bucketWrite) }));
}

/**
 * cdk-nag flags every wildcard in IAM (AwsSolutions-IAM5). The grants above have exactly
 * these, and only because of what the wiring asks for; each is acknowledged on this
 * role's policy alone, with its reason. Any other wildcard still fails the synth.
 */
function acknowledgeDataGrants(role: iam.Role, access: FunctionWiring['access'], stores: DataStores): void {
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (!policy) return;
  const ack = (finding: string, reason: string) => Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
  for (const prefix of access.bucketRead)
    ack(`Resource::${nagName(role, stores.bucket.arnForObjects(`${prefix}*`))}`, `Objects under ${prefix} only (wiring: bucketRead).`);
  for (const prefix of access.bucketWrite)
    ack(`Resource::${nagName(role, stores.bucket.arnForObjects(`${prefix}*`))}`, `Objects under ${prefix} only (wiring: bucketWrite).`);
}
