/**
 * The CDK app in the commercial partition (the default): what the templates do, read
 * from the same wiring table the local runtime runs — not how many resources they hold.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, routeKey } from '../../shared/api/routes.ts';
import { TABLE_KEYS } from '../../shared/adapters/dynamodb-table.ts';
import { buildFunction, ROOT } from '../../infra/cdk/bundling.ts';
import { BUCKET_PREFIXES, SCHEDULED, WIRING, type FunctionName, type TableAction } from '../../infra/wiring.ts';
import {
  acknowledgements,
  declaredEnvironmentProblems,
  environmentOf,
  flat,
  logicalId,
  MAIL,
  resources,
  statementsOf,
  synthesize,
  type Statement,
  type Synthesized,
} from './synth.ts';

const NAMES = Object.keys(WIRING) as FunctionName[];
const TABLE = 'CunbaoData:TableArn';
const BUCKET = 'CunbaoData:BucketArn';
const ORIGIN = 'https://cunbao.example.cn';

let s: Synthesized;

beforeAll(() => {
  s = synthesize({ ...MAIL, mailIdentity: 'example.cn', allowedOrigins: ORIGIN, alarmEmail: 'ops@example.cn' });
});

afterAll(() => {
  if (s) rmSync(s.outdir, { recursive: true, force: true });
});

const fn = (name: FunctionName) => s.stack.functions.get(name)!;
/** A bundle's size and hash (a failed comparison of two 700 KB texts helps nobody). */
const digest = (text: string) => ({ bytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') });

describe('the configuration', () => {
  it('defaults to the commercial partition, SES mail and token auth for the district', () => {
    // Assess
    expect(s.config).toMatchObject({
      partition: 'aws',
      districtAuth: 'token',
      mail: { server: { transport: 'ses', identity: 'example.cn' } },
    });
  });

  it('warns on every synth while the mail settings are still example addresses', () => {
    // Assess
    Annotations.fromStack(s.stack).hasWarning('/CunbaoApp', Match.stringLikeRegexp('mail settings are examples .*cunbao@example\\.cn'));
  });
});

describe('the data stack', () => {
  it('keeps the bucket versioned, encrypted, private and TLS-only, and retains it', () => {
    // Prepare
    const [id, bucket] = Object.entries(resources(s.dataTemplate, 'AWS::S3::Bucket')).find(([id]) => id === logicalId(s.data.bucket))!;

    // Assess
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    s.dataTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it.each(['files', 'access logs'] as const)('refuses plain HTTP and TLS below 1.2 on the %s bucket', (which) => {
    // Prepare
    const bucket = which === 'files' ? s.data.bucket : s.data.accessLogs;

    // Assess
    s.dataTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(bucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      },
    });
  });

  it('moves old versions to cheaper storage and never expires them', () => {
    // Prepare
    const rules = (
      resources(s.dataTemplate)[logicalId(s.data.bucket)]!.Properties!['LifecycleConfiguration'] as { Rules: Record<string, unknown>[] }
    ).Rules;

    // Assess
    expect(rules).toContainEqual(
      expect.objectContaining({ Status: 'Enabled', NoncurrentVersionTransitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }] }),
    );
    expect(rules.filter((rule) => 'NoncurrentVersionExpiration' in rule || 'ExpirationInDays' in rule)).toEqual([]);
  });

  it("lets the upload page's origin POST to the bucket, and nothing else", () => {
    // Assess
    expect(resources(s.dataTemplate)[logicalId(s.data.bucket)]!.Properties!['CorsConfiguration']).toEqual({
      CorsRules: [expect.objectContaining({ AllowedMethods: ['POST'], AllowedOrigins: [ORIGIN] })],
    });
  });

  it('declares the key schema of the adapters, on demand, with point-in-time recovery and deletion protection, retained', () => {
    // Assess
    s.dataTemplate.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        KeySchema: [
          { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: TABLE_KEYS.gsi1.name,
            KeySchema: [
              { AttributeName: TABLE_KEYS.gsi1.partitionKey, KeyType: 'HASH' },
              { AttributeName: TABLE_KEYS.gsi1.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      },
    });
  });
});

describe('the ingest trigger (queue)', () => {
  const wiring = WIRING.ingest.trigger;

  it('sends objects created under incoming/ — and only those — to the ingest queue', () => {
    // Prepare
    const notifications = Object.values(resources(s.appTemplate, 'Custom::S3BucketNotifications'));

    // Assess
    expect(notifications).toHaveLength(1);
    expect(notifications[0]!.Properties!['NotificationConfiguration']).toEqual({
      QueueConfigurations: [
        {
          Events: ['s3:ObjectCreated:*'],
          Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: BUCKET_PREFIXES.incoming }] } },
          QueueArn: { 'Fn::GetAtt': [logicalId(s.stack.node.findChild('ingest').node.findChild('Queue')), 'Arn'] },
        },
      ],
    });
  });

  it('lets S3 send to the queue on behalf of the files bucket only', () => {
    // Assess
    s.appTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: logicalId(s.stack.node.findChild('ingest').node.findChild('Queue')) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: Match.arrayWith(['sqs:SendMessage']),
            Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::ImportValue': BUCKET } } },
          }),
        ]),
      },
    });
  });

  it(`moves a message to the dead-letter queue after ${wiring.maxReceiveCount} receives, hidden ${wiring.visibilityTimeoutSeconds} s while a batch runs`, () => {
    // Prepare
    const ingest = s.stack.node.findChild('ingest');

    // Assess
    s.appTemplate.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: wiring.visibilityTimeoutSeconds,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(ingest.node.findChild('DeadLetters')), 'Arn'] },
        maxReceiveCount: wiring.maxReceiveCount,
      },
    });
    expect(wiring.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * WIRING.ingest.timeoutSeconds);
  });

  it('raises an alarm, sent to the alarm topic, as soon as the dead-letter queue holds a message', () => {
    // Prepare
    const ingest = s.stack.node.findChild('ingest');

    // Assess
    s.appTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(ingest.node.findChild('DeadLetters')), 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      AlarmActions: [{ Ref: logicalId(s.stack.alarmTopic) }],
    });
    s.appTemplate.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.cn' });
  });

  it(`feeds the ingest function batches of ${wiring.batchSize} and retries only the messages it reports as failed`, () => {
    // Assess
    s.appTemplate.hasResource('AWS::Lambda::EventSourceMapping', {
      Properties: {
        FunctionName: { Ref: logicalId(fn('ingest').function) },
        EventSourceArn: { 'Fn::GetAtt': [logicalId(s.stack.node.findChild('ingest').node.findChild('Queue')), 'Arn'] },
        BatchSize: wiring.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      },
      // Not before the function may write its logs: the first batch's log is not lost.
      DependsOn: Match.arrayWith([logicalId(fn('ingest').logsPolicy)]),
    });
  });
});

describe('the schedules', () => {
  const cases = SCHEDULED.flatMap(({ name, schedules }) => schedules.map((spec) => ({ name, spec })));

  it.each(cases.map((c) => [c.name, c.spec.name, c.spec.cron, c.spec] as const))(
    'invokes %s for %s at %s, Asia/Shanghai time, with its input',
    (name, _label, _cron, spec) => {
      // Assess
      s.appTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: spec.cron,
        ScheduleExpressionTimezone: 'Asia/Shanghai',
        State: 'ENABLED',
        Target: { Arn: { 'Fn::GetAtt': [logicalId(fn(name).function), 'Arn'] }, Input: JSON.stringify(spec.input) },
      });
    },
  );

  it('has exactly the schedules of the wiring table', () => {
    // Assess
    expect(
      Object.values(resources(s.appTemplate, 'AWS::Scheduler::Schedule'))
        .map((r) => r.Properties!['ScheduleExpression'])
        .sort(),
    ).toEqual(cases.map((c) => c.spec.cron).sort());
  });
});

describe('the HTTP API', () => {
  it('has one route per entry of the routes table, each authorized as its `auth` says', () => {
    // Prepare
    const routes = Object.values(resources(s.appTemplate, 'AWS::ApiGatewayV2::Route')).map((r) => [
      r.Properties!['RouteKey'],
      r.Properties!['AuthorizationType'],
    ]);

    // Assess
    expect(routes.sort()).toEqual(ROUTES.map((route) => [routeKey(route), route.auth === 'public' ? 'NONE' : 'CUSTOM']).sort());
  });

  it('authorizes tokens with the authorizer function: simple responses, payload 2.0, the Authorization header, cached 60 s', () => {
    // Assess
    s.appTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      IdentitySource: [WIRING.authorizer.trigger.identitySource],
      AuthorizerResultTtlInSeconds: WIRING.authorizer.trigger.resultsCacheTtlSeconds,
      AuthorizerUri: Match.objectLike({
        'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [logicalId(fn('authorizer').function), 'Arn'] }])],
      }),
    });
  });

  it('throttles the stage as the wiring says and keeps access logs', () => {
    // Assess
    s.appTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: WIRING.api.trigger.throttle.rateLimit,
        ThrottlingBurstLimit: WIRING.api.trigger.throttle.burstLimit,
      },
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });
});

describe('the functions', () => {
  it.each(NAMES)('runs %s on nodejs22.x, arm64, with the wiring’s memory and timeout and the data stack’s names it declares', (name) => {
    // Prepare
    const declared: readonly string[] = WIRING[name].environment;
    const data = { BUCKET_NAME: { 'Fn::ImportValue': 'CunbaoData:BucketName' }, UNITS_KEY: 'config/units.json' };

    // Assess
    s.appTemplate.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: Match.absent(),
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: WIRING[name].memoryMb,
      Timeout: WIRING[name].timeoutSeconds,
      Role: { 'Fn::GetAtt': [logicalId(fn(name).role), 'Arn'] },
      Environment: {
        Variables: Match.objectLike({
          TABLE_NAME: Match.anyValue(),
          ...Object.fromEntries(Object.entries(data).filter(([key]) => declared.includes(key))),
          NODE_OPTIONS: '--enable-source-maps',
        }),
      },
    });
  });

  it('tells the api function how the district authenticates, and the summarize function how to mail (SES)', () => {
    // Prepare
    const env = (name: FunctionName) =>
      (resources(s.appTemplate)[logicalId(fn(name).function)]!.Properties!['Environment'] as { Variables: Record<string, unknown> })
        .Variables;

    // Assess
    expect(env('api')).toMatchObject({ DISTRICT_AUTH: 'token' });
    expect(env('summarize')).toMatchObject({
      MAIL_TRANSPORT: 'ses',
      MAIL_FROM: MAIL.mailFrom,
      MAIL_TO_TOWN: MAIL.mailToTown,
      MAIL_TO_DISTRICT: MAIL.mailToDistrict,
    });
    expect(Object.keys(env('summarize')).filter((key) => key.startsWith('SMTP_'))).toEqual([]);
  });

  it.each(NAMES)('sets every variable %s declares that this deployment gives, and no other', (name) => {
    // Assess
    expect(declaredEnvironmentProblems(environmentOf(s, name), name)).toEqual([]);
  });

  it.each(NAMES)('bundles %s exactly as the bench does (one set of esbuild options): ESM with the createRequire banner', async (name) => {
    // Prepare
    const asset = fn(name).function.node.findChild('Code') as Asset;
    const deployed = readFileSync(join(s.outdir, asset.assetPath, 'index.mjs'), 'utf8');
    const outDir = mkdtempSync(join(tmpdir(), 'cunbao-bundle-'));

    // Act
    await buildFunction(join(ROOT, WIRING[name].entry), outDir);

    // Assess
    expect(deployed.startsWith("import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);")).toBe(true);
    expect(deployed).toContain('//# sourceMappingURL=index.mjs.map');
    expect(digest(readFileSync(join(outDir, 'index.mjs'), 'utf8'))).toEqual(digest(deployed));
    // The chunks loaded by import() when a request needs them: named by their content's hash.
    const chunks = (dir: string) => (existsSync(join(dir, 'chunks')) ? readdirSync(join(dir, 'chunks')).sort() : []);
    expect(chunks(join(s.outdir, asset.assetPath))).toEqual(chunks(outDir));
    rmSync(outDir, { recursive: true, force: true });
  });
});

describe('least privilege', () => {
  /** Services each function may call, beyond its table, its bucket prefixes and its logs. */
  // api: the clerk's publish button mails the summary as the schedule does.
  const EXTRA_SERVICES: Partial<Record<FunctionName, readonly string[]>> = { ingest: ['sqs'], summarize: ['ses'], api: ['ses'] };
  const objectsUnder = (prefixes: readonly string[]) => prefixes.map((prefix) => `${BUCKET}/${prefix}*`);
  const statements = (name: FunctionName): Statement[] => statementsOf(s.appTemplate, logicalId(fn(name).role));

  it.each(NAMES)('gives %s no wildcard action and no wildcard resource', (name) => {
    // Assess
    for (const statement of statements(name)) {
      expect(statement.effect).toBe('Allow');
      expect(statement.actions.filter((action) => action === '*' || action.endsWith(':*'))).toEqual([]);
      expect(statement.resources).not.toContain('*');
    }
  });

  it.each(NAMES)('lets %s call only the services it needs', (name) => {
    // Prepare
    const allowed = new Set(['dynamodb', 's3', 'logs', ...(EXTRA_SERVICES[name] ?? [])]);

    // Assess
    expect(
      [...new Set(statements(name).flatMap((st) => st.actions.map((action) => action.split(':')[0])))].filter(
        (service) => !allowed.has(service!),
      ),
    ).toEqual([]);
  });

  it.each(NAMES)('lets %s take on the table exactly its wiring’s actions, on the table and GSI1 only', (name) => {
    // Prepare
    const dynamo = statements(name).filter((st) => st.actions.some((action) => action.startsWith('dynamodb:')));
    const actions: readonly TableAction[] = WIRING[name].access.table;

    // Assess
    expect(dynamo).toEqual([
      {
        effect: 'Allow',
        actions: actions.map((a) => `dynamodb:${a}`),
        resources: [TABLE, ...(actions.includes('Query') ? [`${TABLE}/index/GSI1`] : [])],
      },
    ]);
  });

  it.each(NAMES)('lets %s neither scan, delete nor batch-write, nor read a stream', (name) => {
    // Assess
    const actions = statements(name).flatMap((st) => st.actions);
    expect(
      actions.filter((a) => /^dynamodb:(Scan|DeleteItem|BatchWriteItem|GetRecords|GetShardIterator|DescribeStream|ListStreams)$/.test(a)),
    ).toEqual([]);
  });

  it('lets the authorizer read a token’s item and nothing else', () => {
    // Assess
    expect(
      statements('authorizer')
        .flatMap((st) => st.actions)
        .filter((a) => a.startsWith('dynamodb:')),
    ).toEqual(['dynamodb:GetItem']);
  });

  it.each(NAMES)('lets %s read and write objects under its wiring’s prefixes only, list only those, and delete none', (name) => {
    // Prepare
    const { bucketRead, bucketWrite } = WIRING[name].access;
    const s3 = statements(name).filter((st) => st.actions.some((action) => action.startsWith('s3:')));
    const of = (action: string) => s3.filter((st) => st.actions.includes(action));

    // Assess
    expect(s3.flatMap((st) => st.actions).sort()).toEqual(
      [
        ...(bucketRead.length ? ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket'] : []),
        ...(bucketWrite.length ? ['s3:PutObject'] : []),
      ].sort(),
    );
    expect(of('s3:GetObject').flatMap((st) => st.resources)).toEqual(objectsUnder(bucketRead));
    expect(of('s3:PutObject').flatMap((st) => st.resources)).toEqual(objectsUnder(bucketWrite));
    for (const list of of('s3:ListBucket')) {
      expect(list.resources).toEqual([BUCKET]);
      expect(list.condition).toEqual({ StringLike: { 's3:prefix': bucketRead.map((p) => `${p}*`) } });
    }
  });

  it.each(NAMES)('lets %s write to its own log group only', (name) => {
    // Prepare
    const group = logicalId(fn(name).node.findChild('Logs'));

    // Assess
    expect(statements(name).filter((st) => st.actions.some((action) => action.startsWith('logs:')))).toEqual([
      { effect: 'Allow', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`<${group}.Arn>`] },
    ]);
  });

  it('lets the ingest function consume its own queue only', () => {
    // Prepare
    const sqs = statements('ingest').filter((st) => st.actions.some((action) => action.startsWith('sqs:')));

    // Assess
    expect(sqs.flatMap((st) => st.resources)).toEqual([`<${logicalId(s.stack.node.findChild('ingest').node.findChild('Queue'))}.Arn>`]);
    expect(sqs.flatMap((st) => st.actions).filter((action) => action === 'sqs:SendMessage')).toEqual([]);
  });

  it('lets the summarize function send mail as its SES identity only', () => {
    // Prepare
    const ses = statements('summarize').filter((st) => st.actions.some((action) => action.startsWith('ses:')));

    // Assess
    expect(ses).toEqual([
      {
        effect: 'Allow',
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: ['arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/example.cn'],
      },
    ]);
  });

  it.each(SCHEDULED.map(({ name }) => name))(
    'lets the scheduler invoke %s and send to its dead-letter queues, nothing else, from this account only',
    (name) => {
      // Prepare
      const scheduled = s.stack.node.findChild(name).node.findChild('SchedulerRole');
      const role = resources(s.appTemplate)[logicalId(scheduled)]!;

      // Assess
      const deadLetters = SCHEDULED.find((f) => f.name === name)!.schedules.map(
        (spec) => `<${logicalId(s.stack.node.findChild(name).node.findChild(`${spec.name}DeadLetters`))}.Arn>`,
      );
      expect(statementsOf(s.appTemplate, logicalId(scheduled))).toEqual([
        { effect: 'Allow', actions: ['lambda:InvokeFunction'], resources: [`<${logicalId(fn(name).function)}.Arn>`] },
        ...deadLetters.map((arn) => ({ effect: 'Allow', actions: ['sqs:SendMessage'], resources: [arn] })),
      ]);
      const [trust] = (
        role.Properties!['AssumeRolePolicyDocument'] as {
          Statement: { Principal: unknown; Condition: { StringEquals: Record<string, unknown> } }[];
        }
      ).Statement;
      expect(trust!.Principal).toEqual({ Service: 'scheduler.amazonaws.com' });
      expect(Object.fromEntries(Object.entries(trust!.Condition.StringEquals).map(([key, value]) => [key, flat(value)]))).toEqual({
        'aws:SourceAccount': '<AWS::AccountId>',
        'aws:SourceArn': 'arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule-group/default',
      });
    },
  );

  it('has no policy anywhere in either stack that allows every action or every resource', () => {
    // Prepare
    const policies = [s.appTemplate, s.dataTemplate].flatMap((template) =>
      Object.values(resources(template, 'AWS::IAM::Policy')).flatMap(
        (p) => (p.Properties!['PolicyDocument'] as { Statement: { Action: unknown; Resource: unknown }[] }).Statement,
      ),
    );

    // Assess
    expect(policies.length).toBeGreaterThan(0);
    for (const statement of policies) {
      expect([statement.Action].flat()).not.toContain('*');
      expect([statement.Resource].flat().map(flat)).not.toContain('*');
    }
  });
});

describe('cdk-nag (AWS Solutions)', () => {
  it('finds nothing that is not acknowledged', () => {
    // Assess
    expect(
      s.findings.map((finding) => `${finding.ruleName} at ${finding.violatingResources.map((r) => r.constructPath).join(', ')}`),
    ).toEqual([]);
  });

  it('has a reason for every acknowledgement, on a resource or policy, never on a stack', () => {
    // Prepare
    const acks = acknowledgements(s.app);

    // Assess
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(typeof ack.reason === 'string' && ack.reason.length >= 40, `${ack.id} at ${ack.path}`).toBe(true);
      expect([s.data.node.path, s.stack.node.path, '']).not.toContain(ack.path);
    }
  });
});
