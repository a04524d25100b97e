import { SESv2Client } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { SesMailer } from '../../shared/adapters/ses-mailer.ts';
import { SmtpMailer } from '../../shared/adapters/smtp-mailer.ts';
import { mailerFor, passwordFromSecret } from '../../shared/adapters/mailer.ts';
import { MailConfigError, mailConfig } from '../../shared/mail/config.ts';

const COMMON = { MAIL_FROM: '鹅池镇村报 <cunbao@example.cn>', MAIL_TO_TOWN: 'clerk@example.cn' };
const SMTP = { ...COMMON, MAIL_TRANSPORT: 'smtp', SMTP_HOST: 'smtp.example.cn', SMTP_PORT: '587' };
const SECRET_ARN = 'arn:aws-cn:secretsmanager:cn-northwest-1:123456789012:secret:cunbao/smtp-AbCdEf';

/** The problems mailConfig reports for `env` (fails the test if it reports none). */
function problemsOf(env: Record<string, string | undefined>): readonly string[] {
  try {
    mailConfig(env);
  } catch (error) {
    if (error instanceof MailConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a MailConfigError');
}

describe('mailConfig, MAIL_TRANSPORT=ses', () => {
  it('reads sender and recipients, with no district when MAIL_TO_DISTRICT is unset', () => {
    // Act
    const config = mailConfig({ ...COMMON, MAIL_TRANSPORT: 'ses', PATH: '/usr/bin' });

    // Assess
    expect(config).toEqual({
      from: '鹅池镇村报 <cunbao@example.cn>',
      recipients: { town: ['clerk@example.cn'], district: [] },
      transport: { kind: 'ses' },
    });
  });

  it('takes SES_CONFIGURATION_SET when given', () => {
    // Act
    const config = mailConfig({ ...COMMON, MAIL_TRANSPORT: 'ses', SES_CONFIGURATION_SET: 'cunbao-events' });

    // Assess
    expect(config.transport).toEqual({ kind: 'ses', configurationSetName: 'cunbao-events' });
  });

  it('needs no SMTP variable', () => {
    // Act
    const config = mailConfig({ ...COMMON, MAIL_TRANSPORT: 'ses', SMTP_PORT: 'not checked' });

    // Assess
    expect(config.transport.kind).toBe('ses');
  });
});

describe('mailConfig, MAIL_TRANSPORT=smtp', () => {
  it('reads host, port and credentials; STARTTLS (secure false) on port 587', () => {
    // Act
    const config = mailConfig({ ...SMTP, SMTP_USER: 'cunbao@example.cn', SMTP_PASSWORD: 'p' });

    // Assess
    expect(config.transport).toEqual({
      kind: 'smtp',
      host: 'smtp.example.cn',
      port: 587,
      secure: false,
      requireTLS: false,
      auth: { user: 'cunbao@example.cn', password: 'p' },
    });
  });

  it('defaults to TLS from the first byte on port 465', () => {
    // Act
    const config = mailConfig({ ...SMTP, SMTP_PORT: '465' });

    // Assess
    expect(config.transport).toMatchObject({ port: 465, secure: true });
  });

  it.each([
    ['true', true],
    ['false', false],
    ['TRUE', true],
  ])('reads SMTP_SECURE=%s as %s, whatever the port', (text, secure) => {
    // Act
    const config = mailConfig({ ...SMTP, SMTP_PORT: '465', SMTP_SECURE: text });

    // Assess
    expect(config.transport).toMatchObject({ secure });
  });

  it('reads SMTP_REQUIRE_TLS', () => {
    // Act
    const config = mailConfig({ ...SMTP, SMTP_REQUIRE_TLS: 'true' });

    // Assess
    expect(config.transport).toMatchObject({ secure: false, requireTLS: true });
  });

  it('sends without authentication when SMTP_USER is unset (the local sink)', () => {
    // Act
    const config = mailConfig({ ...SMTP, SMTP_HOST: '127.0.0.1', SMTP_PORT: '2525', SMTP_SECURE: 'false' });

    // Assess
    expect(config.transport).toEqual({ kind: 'smtp', host: '127.0.0.1', port: 2525, secure: false, requireTLS: false });
  });

  it('keeps SMTP_SECRET_ARN for the caller to resolve', () => {
    // Act
    const config = mailConfig({ ...SMTP, SMTP_USER: 'cunbao', SMTP_SECRET_ARN: SECRET_ARN });

    // Assess
    expect(config.transport).toMatchObject({ auth: { user: 'cunbao', passwordSecretArn: SECRET_ARN } });
  });

  it('counts an empty variable as unset', () => {
    // Act
    const config = mailConfig({ ...SMTP, SMTP_USER: '', SMTP_PASSWORD: '  ', MAIL_TO_DISTRICT: '' });

    // Assess
    expect(config.transport).not.toHaveProperty('auth');
    expect(config.recipients.district).toEqual([]);
  });
});

describe('mailConfig, recipients', () => {
  it('splits on commas (half- or full-width) and semicolons, trims, and drops empty items', () => {
    // Act
    const config = mailConfig({
      ...COMMON,
      MAIL_TRANSPORT: 'ses',
      MAIL_TO_TOWN: ' wang@example.cn ,王镇长 <zz@example.cn>，li@example.cn;; ',
      MAIL_TO_DISTRICT: 'sfj@example.cn；黔江区司法局 <qj@example.cn>',
    });

    // Assess
    expect(config.recipients).toEqual({
      town: ['wang@example.cn', '王镇长 <zz@example.cn>', 'li@example.cn'],
      district: ['sfj@example.cn', '黔江区司法局 <qj@example.cn>'],
    });
  });

  it('names an address that is not one', () => {
    // Act
    const problems = problemsOf({ ...COMMON, MAIL_TRANSPORT: 'ses', MAIL_TO_DISTRICT: 'sfj@example.cn, 司法局' });

    // Assess
    expect(problems).toEqual([
      '区收件人 MAIL_TO_DISTRICT中“司法局”不是有效的邮箱地址 (“司法局” in MAIL_TO_DISTRICT is not a valid email address)',
    ]);
  });

  it('needs at least one town recipient', () => {
    // Act
    const problems = problemsOf({ ...COMMON, MAIL_TRANSPORT: 'ses', MAIL_TO_TOWN: ' , ;' });

    // Assess
    expect(problems).toEqual(['镇收件人 MAIL_TO_TOWN至少需要一个邮箱地址 (MAIL_TO_TOWN needs at least one address)']);
  });

  it('needs a valid sender', () => {
    // Act
    const problems = problemsOf({ ...COMMON, MAIL_TRANSPORT: 'ses', MAIL_FROM: '鹅池镇 <not-an-address>' });

    // Assess
    expect(problems).toEqual([
      '发件人 MAIL_FROM“鹅池镇 <not-an-address>”不是有效的邮箱地址 (MAIL_FROM “鹅池镇 <not-an-address>” is not a valid email address)',
    ]);
  });
});

describe('mailConfig, errors', () => {
  it('asks for MAIL_TRANSPORT when it is missing, and lists ses and smtp when it is wrong', () => {
    // Act
    const missing = problemsOf(COMMON);
    const wrong = problemsOf({ ...COMMON, MAIL_TRANSPORT: 'sendmail' });

    // Assess
    expect(missing).toEqual(['缺少 MAIL_TRANSPORT：发信方式，ses 或 smtp (missing: MAIL_TRANSPORT, ses or smtp)']);
    expect(wrong).toEqual(['MAIL_TRANSPORT 只能是 ses 或 smtp，而不是“sendmail” (MAIL_TRANSPORT must be ses or smtp, not “sendmail”)']);
  });

  it('reports a missing SMTP host in Chinese and English', () => {
    // Act
    const problems = problemsOf({ ...SMTP, SMTP_HOST: undefined });

    // Assess
    expect(problems).toEqual(['缺少邮件服务器地址 SMTP_HOST (missing: SMTP_HOST, the SMTP server, required when MAIL_TRANSPORT=smtp)']);
  });

  it.each(['abc', '0', '70000', '25.5', '-1'])('refuses SMTP_PORT=%s', (port) => {
    // Act
    const problems = problemsOf({ ...SMTP, SMTP_PORT: port });

    // Assess
    expect(problems).toEqual([
      `SMTP_PORT 应为 1–65535 的整数，而不是“${port}” (SMTP_PORT must be an integer from 1 to 65535, not “${port}”)`,
    ]);
  });

  it('refuses SMTP_SECURE other than true or false', () => {
    // Act
    const problems = problemsOf({ ...SMTP, SMTP_SECURE: 'yes' });

    // Assess
    expect(problems).toEqual(['SMTP_SECURE 只能是 true 或 false，而不是“yes” (SMTP_SECURE must be true or false, not “yes”)']);
  });

  it('reports every problem at once: missing sender, town and SMTP host and port', () => {
    // Act
    const problems = problemsOf({ MAIL_TRANSPORT: 'smtp' });

    // Assess
    expect(problems.map((p) => /MAIL_FROM|MAIL_TO_TOWN|SMTP_HOST|SMTP_PORT/.exec(p)?.[0])).toEqual([
      'MAIL_FROM',
      'MAIL_TO_TOWN',
      'SMTP_HOST',
      'SMTP_PORT',
    ]);
  });

  it.each([
    [{ SMTP_USER: 'cunbao' }, 'SMTP_USER needs SMTP_PASSWORD or SMTP_SECRET_ARN'],
    [{ SMTP_PASSWORD: 'p' }, 'a password needs SMTP_USER'],
    [{ SMTP_USER: 'cunbao', SMTP_PASSWORD: 'p', SMTP_SECRET_ARN: SECRET_ARN }, 'set SMTP_PASSWORD or SMTP_SECRET_ARN, not both'],
    [{ SMTP_USER: 'cunbao', SMTP_SECRET_ARN: 'cunbao/smtp' }, 'is not a Secrets Manager secret ARN'],
  ])('refuses incomplete or ambiguous credentials %j', (credentials, problem) => {
    // Act
    const problems = problemsOf({ ...SMTP, ...credentials });

    // Assess
    expect(problems).toEqual([expect.stringContaining(problem)]);
  });

  it('throws one error whose message names every problem', () => {
    // Act
    const reading = () => mailConfig({ MAIL_TRANSPORT: 'ses' });

    // Assess
    expect(reading).toThrow(/^邮件配置无效 \(invalid mail configuration\): 缺少发件人 MAIL_FROM.*; 缺少镇收件人 MAIL_TO_TOWN/);
  });
});

describe('passwordFromSecret', () => {
  it('takes a plain SecretString as the password', () => {
    expect(passwordFromSecret('s3cret{')).toBe('s3cret{');
  });

  it('takes the password field of a JSON secret', () => {
    expect(passwordFromSecret('{"username":"cunbao","password":"p@ss"}')).toBe('p@ss');
  });
});

describe('mailerFor', () => {
  it('builds an SesMailer on the caller’s client', () => {
    // Prepare
    const client = new SESv2Client({ region: 'eu-west-1' });

    // Act
    const mailer = mailerFor(mailConfig({ ...COMMON, MAIL_TRANSPORT: 'ses' }), { ses: client });

    // Assess
    expect(mailer).toBeInstanceOf(SesMailer);
    client.destroy();
  });

  it('refuses ses without a client', () => {
    // Act
    const building = () => mailerFor(mailConfig({ ...COMMON, MAIL_TRANSPORT: 'ses' }));

    // Assess
    expect(building).toThrow(/needs an SESv2Client/);
  });

  it('builds an SmtpMailer, with the password from the secret the caller fetched', () => {
    // Act
    const mailer = mailerFor(mailConfig({ ...SMTP, SMTP_USER: 'cunbao', SMTP_SECRET_ARN: SECRET_ARN }), { smtpSecret: '{"password":"p"}' });

    // Assess
    expect(mailer).toBeInstanceOf(SmtpMailer);
  });

  it('refuses SMTP_SECRET_ARN when the caller passed no secret', () => {
    // Act
    const building = () => mailerFor(mailConfig({ ...SMTP, SMTP_USER: 'cunbao', SMTP_SECRET_ARN: SECRET_ARN }));

    // Assess
    expect(building).toThrow(/SMTP_SECRET_ARN is set: fetch the secret/);
  });
});
