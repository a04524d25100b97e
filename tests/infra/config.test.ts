/** The deployment's configuration from CDK context: defaults by partition, and refusals. */
import { describe, expect, it } from 'vitest';
import { DeployConfigError, deployConfig } from '../../infra/cdk/config.ts';

const MAIL = { mailFrom: '鹅池镇村报 <cunbao@example.cn>', mailToTown: 'clerk@example.cn' };
const SMTP = { smtpHost: 'smtp.example.cn' };

/** deployConfig over a plain context object, with no CDK_DEFAULT_* in the environment. */
const configOf = (context: Record<string, unknown>, environment: Record<string, string> = {}) =>
  deployConfig((key) => context[key], environment);

function problemsOf(context: Record<string, unknown>, environment: Record<string, string> = {}): readonly string[] {
  try {
    configOf(context, environment);
  } catch (error) {
    if (error instanceof DeployConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a DeployConfigError');
}

describe('deployConfig', () => {
  it('defaults to the commercial partition, SES as the sender’s domain, token auth, no region or account', () => {
    // Act
    const config = configOf(MAIL);

    // Assess
    expect(config).toEqual({
      partition: 'aws',
      env: {},
      districtAuth: 'token',
      mail: { from: MAIL.mailFrom, toTown: MAIL.mailToTown, server: { transport: 'ses', identity: 'example.cn' } },
      allowedOrigins: [],
      alarmEmails: [],
      robots: [],
    });
  });

  it('chooses SMTP (port 465) and IAM for the district with -c partition=aws-cn', () => {
    // Act
    const config = configOf({ ...MAIL, ...SMTP, partition: 'aws-cn' });

    // Assess
    expect(config).toMatchObject({
      partition: 'aws-cn',
      districtAuth: 'iam',
      mail: { server: { transport: 'smtp', host: 'smtp.example.cn', port: 465 } },
    });
  });

  it('detects AWS China from a cn- region, given with -c region or as the CLI’s default region', () => {
    // Assess
    expect(configOf({ ...MAIL, ...SMTP, region: 'cn-north-1' })).toMatchObject({ partition: 'aws-cn', env: { region: 'cn-north-1' } });
    expect(configOf({ ...MAIL, ...SMTP }, { CDK_DEFAULT_REGION: 'cn-northwest-1' })).toMatchObject({ partition: 'aws-cn', env: {} });
  });

  it('ignores the CLI’s default region when -c partition says otherwise (it is us-east-1 when none is configured)', () => {
    // Assess
    expect(configOf({ ...MAIL, ...SMTP, partition: 'aws-cn' }, { CDK_DEFAULT_REGION: 'us-east-1' })).toMatchObject({
      partition: 'aws-cn',
      env: {},
    });
  });

  it('takes lists from -c (comma-separated) or cdk.json (arrays), and a port given as a number or text', () => {
    // Act
    const fromCli = configOf({ ...MAIL, allowedOrigins: 'https://a.example.cn, https://b.example.cn:8443', alarmEmail: 'ops@example.cn' });
    const fromJson = configOf({ ...MAIL, ...SMTP, partition: 'aws-cn', smtpPort: 587, allowedOrigins: ['https://a.example.cn'] });

    // Assess
    expect(fromCli).toMatchObject({
      allowedOrigins: ['https://a.example.cn', 'https://b.example.cn:8443'],
      alarmEmails: ['ops@example.cn'],
    });
    expect(fromJson).toMatchObject({ allowedOrigins: ['https://a.example.cn'], mail: { server: { port: 587 } } });
  });

  it('lets districtAuth and mailIdentity be chosen', () => {
    // Assess
    expect(configOf({ ...MAIL, districtAuth: 'iam', mailIdentity: 'cunbao@example.cn' })).toMatchObject({
      districtAuth: 'iam',
      mail: { server: { identity: 'cunbao@example.cn' } },
    });
  });

  it('names every problem at once, each with its -c option', () => {
    // Act
    const problems = problemsOf({
      partition: 'aws-cn',
      mailTransport: 'ses',
      smtpUser: 'cunbao@example.cn',
      allowedOrigins: 'https://a.example.cn/upload',
    });

    // Assess
    expect(problems).toEqual([
      expect.stringContaining('SES does not exist in aws-cn'),
      expect.stringContaining('smtpUser needs smtpSecretName'),
      expect.stringContaining('“https://a.example.cn/upload” is not an origin'),
      expect.stringContaining('(-c mailFrom)'),
      expect.stringContaining('(-c mailToTown)'),
    ]);
  });

  it('refuses a region of another partition, an unknown option value and a bad address', () => {
    // Assess
    expect(problemsOf({ ...MAIL, ...SMTP, partition: 'aws-cn', region: 'us-east-1' })).toEqual([
      expect.stringContaining('region us-east-1 is not in partition aws-cn'),
    ]);
    expect(problemsOf({ ...MAIL, districtAuth: 'ldap' })).toEqual([expect.stringMatching(/^-c districtAuth: /)]);
    expect(problemsOf({ ...MAIL, mailToTown: 'clerk at example.cn' })).toEqual([
      expect.stringContaining('“clerk at example.cn” in MAIL_TO_TOWN'),
    ]);
  });
});

describe('the group robots of a deployment', () => {
  it('takes them from cdk.json’s array or -c robots’s text, each by its secret', () => {
    // Prepare
    const robots = [{ id: 'ec-work', org: 'EC', kind: 'feishu', secret: 'cunbao/robots/ec-work' }];

    // Act
    const fromJson = configOf({ ...MAIL, robots });
    const fromText = configOf({ ...MAIL, robots: JSON.stringify(robots) });

    // Assess
    for (const config of [fromJson, fromText])
      expect(config.robots).toEqual([{ ...robots[0], events: ['remind', 'publish', 'correction', 'return'], perMinute: 20 }]);
  });

  it('refuses a robot whose webhook URL (and its key) would be written into the template', () => {
    // Act
    const problems = problemsOf({
      ...MAIL,
      robots: [{ id: 'ec-work', org: 'EC', kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc' }],
    });

    // Assess
    expect(problems).toEqual([expect.stringContaining('robot ec-work: 部署中须用 secret')]);
  });

  it('names each problem of a robot: its kind, a duplicate id, text that is not JSON', () => {
    // Act
    const kind = problemsOf({ ...MAIL, robots: [{ id: 'ec-work', org: 'EC', kind: 'slack', secret: 's' }] });
    const duplicate = problemsOf({
      ...MAIL,
      robots: [
        { id: 'a', org: 'EC', kind: 'wecom', secret: 's1' },
        { id: 'a', org: 'EC', kind: 'feishu', secret: 's2' },
      ],
    });
    const text = problemsOf({ ...MAIL, robots: '[{' });

    // Assess
    expect(kind).toEqual([expect.stringMatching(/^-c robots: robots\[0\.kind\]/)]);
    expect(duplicate).toEqual(['-c robots: robot a: 重复的 id (duplicate id)']);
    expect(text).toEqual([expect.stringContaining('NOTICE_ROBOTS 不是 JSON')]);
  });
});
