/**
 * The CDK app for AWS China (cn-northwest-1, where a Chongqing town's account most likely
 * lives): no SES, no ARN of the commercial partition, SMTP with its password in Secrets
 * Manager, and the district's routes behind IAM (no ICP filing needed for SigV4).
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, routeKey } from '../../shared/api/routes.ts';
import { mailConfig } from '../../shared/mail/config.ts';
import { WIRING, type FunctionName } from '../../infra/wiring.ts';
import {
  declaredEnvironmentProblems,
  environmentOf,
  logicalId,
  MAIL,
  resources,
  statementsOf,
  synthesize,
  type Synthesized,
} from './synth.ts';

const REGION = 'cn-northwest-1';
const ACCOUNT = '123456789012';
const SMTP = { smtpHost: 'smtp.exmail.qq.com', smtpPort: '465', smtpUser: 'cunbao@example.cn', smtpSecretName: 'cunbao/smtp' };

let s: Synthesized;

beforeAll(() => {
  // No -c partition: the region says it.
  s = synthesize({ ...MAIL, ...SMTP, region: REGION, account: ACCOUNT });
});

afterAll(() => {
  if (s) rmSync(s.outdir, { recursive: true, force: true });
});

const fn = (name: FunctionName) => s.stack.functions.get(name)!;
const environment = (name: FunctionName) => environmentOf(s, name);
const templates = () => [s.dataTemplate, s.appTemplate].map((template) => JSON.stringify(template.toJSON()));

describe('the configuration in AWS China', () => {
  it('takes the partition from the region: SMTP mail and IAM for the district', () => {
    // Assess
    expect(s.config).toMatchObject({
      partition: 'aws-cn',
      districtAuth: 'iam',
      env: { region: REGION, account: ACCOUNT },
      mail: { server: { transport: 'smtp', host: SMTP.smtpHost, port: 465 } },
    });
  });
});

describe('the templates for AWS China', () => {
  it('contain no ARN of the commercial partition, and ARNs of aws-cn', () => {
    // Assess
    for (const text of templates()) expect(text).not.toContain('arn:aws:');
    expect(templates().join('')).toContain('arn:aws-cn:');
  });

  it('use no SES: no ses: action, no SES resource', () => {
    // Prepare
    const actions = [s.dataTemplate, s.appTemplate].flatMap((template) =>
      Object.values(resources(template, 'AWS::IAM::Policy')).flatMap((p) =>
        (p.Properties!['PolicyDocument'] as { Statement: { Action: string | string[] }[] }).Statement.flatMap((st) => [st.Action].flat()),
      ),
    );
    const types = [s.dataTemplate, s.appTemplate].flatMap((template) => Object.values(resources(template)).map((r) => r.Type));

    // Assess
    expect(actions.filter((action) => action.toLowerCase().startsWith('ses:'))).toEqual([]);
    expect(types.filter((type) => type.startsWith('AWS::SES::'))).toEqual([]);
    for (const text of templates()) expect(text).not.toMatch(/"ses:/i);
  });

  it('use no Lambda function URL (China has none)', () => {
    // Assess
    expect(Object.keys(resources(s.appTemplate, 'AWS::Lambda::Url'))).toEqual([]);
  });
});

describe('the HTTP API in AWS China', () => {
  it('authorizes the district’s (reader) routes with IAM, the other non-public ones with the token authorizer', () => {
    // Prepare
    const routes = Object.values(resources(s.appTemplate, 'AWS::ApiGatewayV2::Route')).map((r) => [
      r.Properties!['RouteKey'],
      r.Properties!['AuthorizationType'],
    ]);

    // Assess
    expect(routes.sort()).toEqual(
      ROUTES.map((route) => [routeKey(route), { public: 'NONE', token: 'CUSTOM', reader: 'AWS_IAM' }[route.auth]]).sort(),
    );
    expect(environment('api')).toMatchObject({ DISTRICT_AUTH: 'iam' });
  });

  it("gives the district's role execute-api:Invoke on the reader routes of this API only", () => {
    // Prepare
    const role = s.stack.http[0]!.districtReader!;
    const api = logicalId(s.stack.http[0]!.api);
    // grantInvoke names a route up to its first parameter: the org routes share `/v1/orgs/*`,
    // and IAM merges the identical statements.
    const expected = [
      ...new Set(
        ROUTES.filter((route) => route.auth === 'reader').map(
          (route) =>
            `arn:<AWS::Partition>:execute-api:${REGION}:${ACCOUNT}:<${api}>/*/${route.method}${route.path.replace(/\{.*?\}.*/, '*')}`,
        ),
      ),
    ];

    // Assess
    const statements = statementsOf(s.appTemplate, logicalId(role));
    expect(statements.flatMap((st) => st.actions)).toEqual(expected.map(() => 'execute-api:Invoke'));
    expect(statements.flatMap((st) => st.resources).sort()).toEqual(expected.sort());
  });
});

describe('mail in AWS China', () => {
  it("gives the summarize function an environment its own mail check accepts, the password's secret by ARN", () => {
    // Prepare
    const env = environment('summarize') as Record<string, string>;

    // Act
    const config = mailConfig(env);

    // Assess
    expect(env['SMTP_SECRET_ARN']).toBe(`arn:aws-cn:secretsmanager:${REGION}:${ACCOUNT}:secret:${SMTP.smtpSecretName}`);
    expect(config).toMatchObject({
      from: MAIL.mailFrom,
      transport: {
        kind: 'smtp',
        host: SMTP.smtpHost,
        port: 465,
        secure: true,
        auth: { user: SMTP.smtpUser, passwordSecretArn: env['SMTP_SECRET_ARN'] },
      },
    });
  });

  it('lets the functions that mail (summarize, and api for the publish button) read that one secret, and no other function any', () => {
    // Prepare
    const secrets = (name: FunctionName) =>
      statementsOf(s.appTemplate, logicalId(fn(name).role)).filter((st) =>
        st.actions.some((action) => action.startsWith('secretsmanager:')),
      );

    // Assess
    const smtpPassword = {
      effect: 'Allow',
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resources: [`arn:aws-cn:secretsmanager:${REGION}:${ACCOUNT}:secret:${SMTP.smtpSecretName}-??????`],
    };
    expect(secrets('summarize')).toEqual([smtpPassword]);
    expect(secrets('api')).toEqual([smtpPassword]);
    for (const name of (Object.keys(WIRING) as FunctionName[]).filter((n) => n !== 'summarize' && n !== 'api'))
      expect(secrets(name)).toEqual([]);
  });
});

describe('group robots in AWS China', () => {
  // 鹅池镇's DingTalk work group and the district's WeCom group, each webhook in its own secret.
  const ROBOTS = [
    { id: 'ec-work', org: 'EC', kind: 'dingtalk', secret: 'cunbao/robots/ec-work', keyword: '村报' },
    { id: 'qj-digest', org: 'QJ', kind: 'wecom', secret: 'cunbao/robots/qj-digest', events: ['publish', 'correction'] },
  ];
  let r: Synthesized;

  beforeAll(() => {
    r = synthesize({ ...MAIL, ...SMTP, region: REGION, account: ACCOUNT, robots: ROBOTS, pageUrl: 'https://cunbao.qianjiang.example.cn/' });
  });

  afterAll(() => {
    if (r) rmSync(r.outdir, { recursive: true, force: true });
  });

  const secretsOf = (name: FunctionName) =>
    statementsOf(r.appTemplate, logicalId(r.stack.functions.get(name)!.role)).filter((st) =>
      st.actions.some((action) => action.startsWith('secretsmanager:')),
    );

  it('give the functions that notify the robots by their secrets’ names, with the page, and no secret', () => {
    for (const name of ['summarize', 'api'] as const) {
      // Prepare
      const env = environmentOf(r, name) as Record<string, string>;

      // Assess
      expect(JSON.parse(env['NOTICE_ROBOTS']!)).toEqual(ROBOTS.map((robot) => expect.objectContaining(robot)));
      expect(env['PAGE_URL']).toBe('https://cunbao.qianjiang.example.cn/');
      expect(env['NOTICE_ROBOTS']).not.toMatch(/https?:|access_token|key=/);
      expect(env['NOTICE_SECRETS_FILE']).toBeUndefined();
    }
    expect(environmentOf(r, 'ingest')['NOTICE_ROBOTS']).toBeUndefined();
  });

  it('grant exactly the read of each robot’s secret to those functions alone (and the mailing ones the SMTP password’s)', () => {
    // Prepare
    const arn = (name: string) => `arn:aws-cn:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-??????`;
    const read = (name: string) => ({
      effect: 'Allow',
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resources: [arn(name)],
    });

    // Assess
    const robots = [read('cunbao/robots/ec-work'), read('cunbao/robots/qj-digest')];
    expect(secretsOf('summarize')).toEqual([read(SMTP.smtpSecretName), ...robots]);
    expect(secretsOf('api')).toEqual([read(SMTP.smtpSecretName), ...robots]);
    for (const name of ['ingest', 'reconcile', 'authorizer'] as const) expect(secretsOf(name), name).toEqual([]);
  });
});

describe('the functions’ environment in AWS China', () => {
  it.each(Object.keys(WIRING) as FunctionName[])(
    'sets every variable %s declares that this deployment gives (SMTP with its secret), and no other',
    (name) => {
      // Assess
      expect(declaredEnvironmentProblems(environment(name), name)).toEqual([]);
    },
  );
});

describe('cdk-nag (AWS Solutions) in AWS China', () => {
  it('finds nothing that is not acknowledged', () => {
    // Assess
    expect(
      s.findings.map((finding) => `${finding.ruleName} at ${finding.violatingResources.map((r) => r.constructPath).join(', ')}`),
    ).toEqual([]);
  });
});
