/**
 * The mail transports on real local servers: SmtpMailer over SMTP to the local mail sink
 * (smtp-server on loopback, one .eml per message), and SesMailer through the real SES v2
 * client to a local HTTP endpoint that answers as SES's SendEmail does. Either way the
 * message is read back with mailparser, as a mail client would read it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/processes.ts';
import { startMailSink, type MailSink } from '../../infra/local/mail-sink.ts';
import { SesMailer } from '../../shared/adapters/ses-mailer.ts';
import { PartialDeliveryError, SmtpMailer } from '../../shared/adapters/smtp-mailer.ts';
import { mailerFor } from '../../shared/adapters/mailer.ts';
import { mailConfig } from '../../shared/mail/config.ts';
import type { MailMessage } from '../../shared/ports/mail.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

/** A CSV as Excel on Chinese Windows wants it: a UTF-8 BOM, then the rows. */
const CSV_BYTES = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('指标,数值\n人民调解成功件数,12\n法律明白人人数,36\n')]);
const JSON_TEXT = `${JSON.stringify({ period: '2025-03', 已报: 7, 未报: ['V08'] }, null, 2)}\n`;

/** The monthly summary mail as the summarize function would send it. */
const REPORT: MailMessage = {
  from: '鹅池镇村报 <cunbao@example.cn>',
  to: ['王镇长 <wang@example.cn>', 'clerk@example.cn'],
  cc: ['黔江区司法局 <sfj@example.cn>'],
  subject: '【村报】2025年3月法治统计月报：8个村已报7个，南溪村未报',
  text: '各位领导：\n\n2025年3月汇总见附件（JSON 与 CSV）。\n南溪村尚未上报。\n',
  html: '<h1>2025年3月法治统计月报</h1><p>各位领导：汇总见附件。</p><p><b>南溪村</b>尚未上报。</p>',
  attachments: [
    { filename: '汇总-2025-03.json', content: JSON_TEXT, contentType: 'application/json' },
    { filename: '汇总 2025年3月.csv', content: CSV_BYTES, contentType: 'text/csv' },
  ],
};

const addressesOf = (field: AddressObject | AddressObject[] | undefined) =>
  [field ?? []].flat().flatMap((group) => group.value.map(({ name, address }) => ({ name, address })));

/** Every part of REPORT, as a mail client reads it. */
function expectReport(mail: ParsedMail): void {
  expect(mail.subject).toBe(REPORT.subject);
  expect(addressesOf(mail.from)).toEqual([{ name: '鹅池镇村报', address: 'cunbao@example.cn' }]);
  expect(addressesOf(mail.to)).toEqual([
    { name: '王镇长', address: 'wang@example.cn' },
    { name: '', address: 'clerk@example.cn' },
  ]);
  expect(addressesOf(mail.cc)).toEqual([{ name: '黔江区司法局', address: 'sfj@example.cn' }]);
  expect(mail.text).toBe(REPORT.text);
  expect(mail.html).toBe(REPORT.html);
  expect(mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType }))).toEqual([
    { filename: '汇总-2025-03.json', contentType: 'application/json' },
    { filename: '汇总 2025年3月.csv', contentType: 'text/csv' },
  ]);
  expect(mail.attachments[0]!.content.toString('utf8')).toBe(JSON_TEXT);
  expect(new Uint8Array(mail.attachments[1]!.content)).toEqual(CSV_BYTES); // byte for byte, BOM and LFs kept
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cunbao-mail-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const emlFiles = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.eml'));

describe('SmtpMailer, through the local mail sink', () => {
  let sink: MailSink;
  beforeAll(async () => {
    sink = await startMailSink(join(root, 'outbox'));
  });
  afterAll(() => sink.stop());

  it('delivers a Chinese message with text, HTML and two attachments intact, as one .eml file', async () => {
    // Prepare
    const mailer = new SmtpMailer({ host: sink.host, port: sink.port, secure: false });
    const before = emlFiles(sink.outbox);

    // Act
    const messageId = await mailer.send(REPORT);

    // Assess
    const added = emlFiles(sink.outbox).filter((name) => !before.includes(name));
    expect(added).toEqual([expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z-.+\.eml$/)]);
    const raw = readFileSync(join(sink.outbox, added[0]!));
    expect(raw.toString('latin1')).toMatch(/^Subject: =\?UTF-8\?B\?/m); // an encoded word, not raw 8-bit
    const mail = await simpleParser(raw);
    expectReport(mail);
    expect(mail.messageId).toBe(messageId);
  });

  it('keeps each of several messages in a file of its own', async () => {
    // Prepare
    const mailer = new SmtpMailer({ host: sink.host, port: sink.port, secure: false });
    const before = emlFiles(sink.outbox).length;

    // Act
    const ids = await Promise.all(['一', '二', '三'].map((n) => mailer.send({ ...REPORT, subject: `催报第${n}次`, attachments: [] })));

    // Assess
    const files = emlFiles(sink.outbox);
    expect(files).toHaveLength(before + 3);
    const subjects = await Promise.all(files.map(async (name) => (await simpleParser(readFileSync(join(sink.outbox, name)))).subject));
    expect(subjects).toEqual(expect.arrayContaining(['催报第一次', '催报第二次', '催报第三次']));
    expect(new Set(ids).size).toBe(3);
  });

  it('is what mailerFor builds from an smtp configuration', async () => {
    // Prepare
    const config = mailConfig({
      MAIL_TRANSPORT: 'smtp',
      MAIL_FROM: REPORT.from,
      MAIL_TO_TOWN: 'clerk@example.cn',
      SMTP_HOST: sink.host,
      SMTP_PORT: String(sink.port),
      SMTP_SECURE: 'false',
    });
    const mailer = mailerFor(config);

    // Act
    const messageId = await mailer.send({ ...REPORT, to: config.recipients.town });

    // Assess
    expect(mailer).toBeInstanceOf(SmtpMailer);
    const parsed = await Promise.all(emlFiles(sink.outbox).map((name) => simpleParser(readFileSync(join(sink.outbox, name)))));
    expect(parsed.find((mail) => mail.messageId === messageId)?.to).toMatchObject({ value: [{ address: 'clerk@example.cn' }] });
  });

  it('rejects, and writes nothing, when nothing listens on the port', async () => {
    // Prepare
    const mailer = new SmtpMailer({ host: '127.0.0.1', port: await freePort(), secure: false });
    const before = emlFiles(sink.outbox).length;

    // Act
    const sending = mailer.send(REPORT);

    // Assess
    await expect(sending).rejects.toMatchObject({ code: 'ESOCKET' });
    expect(emlFiles(sink.outbox)).toHaveLength(before);
  });
});

describe('SmtpMailer, with a server that asks for credentials', () => {
  let sink: MailSink;
  beforeAll(async () => {
    sink = await startMailSink(join(root, 'outbox-auth'), { auth: { user: 'cunbao', password: '口令-secret' } });
  });
  afterAll(() => sink.stop());

  it('logs in with SMTP_USER and the password, then delivers', async () => {
    // Prepare
    const mailer = new SmtpMailer({ host: sink.host, port: sink.port, secure: false, auth: { user: 'cunbao', password: '口令-secret' } });

    // Act
    await mailer.send(REPORT);

    // Assess
    expect(emlFiles(sink.outbox)).toHaveLength(1);
  });

  it('fails with an authentication error on a wrong password, and nothing is delivered', async () => {
    // Prepare
    const mailer = new SmtpMailer({ host: sink.host, port: sink.port, secure: false, auth: { user: 'cunbao', password: 'wrong' } });
    const before = emlFiles(sink.outbox).length;

    // Act
    const sending = mailer.send(REPORT);

    // Assess
    await expect(sending).rejects.toMatchObject({ code: 'EAUTH' });
    expect(emlFiles(sink.outbox)).toHaveLength(before);
  });
});

describe('SmtpMailer, when the server refuses one recipient', () => {
  let server: SMTPServer;
  let port: number;
  beforeAll(async () => {
    // A server that has no mailbox for the district: it takes the message for the others.
    server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      disableReverseLookup: true,
      logger: false,
      onRcptTo: (address, _session, callback) =>
        callback(address.address === 'sfj@example.cn' ? new Error('550 no such mailbox') : undefined),
      onData: (stream, _session, callback) => stream.on('end', () => callback()).resume(),
    });
    port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('throws PartialDeliveryError naming who got it and who did not', async () => {
    // Prepare
    const mailer = new SmtpMailer({ host: '127.0.0.1', port, secure: false });

    // Act
    const sending = mailer.send(REPORT);

    // Assess
    await expect(sending).rejects.toBeInstanceOf(PartialDeliveryError);
    await expect(sending).rejects.toMatchObject({ accepted: ['wang@example.cn', 'clerk@example.cn'], rejected: ['sfj@example.cn'] });
  });
});

interface CapturedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A loopback HTTP server answering as SES v2 does, keeping every request it gets. */
async function startSesEndpoint(answer: (request: CapturedRequest) => { status: number; headers?: Record<string, string>; body: unknown }) {
  const requests: CapturedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(request);
      const reply = answer(request);
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body));
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${port}`, requests, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const sesClient = (endpoint: string) =>
  new SESv2Client({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' }, maxAttempts: 1 });

describe('SesMailer, through the real SES v2 client to a local endpoint', () => {
  let ses: Awaited<ReturnType<typeof startSesEndpoint>>;
  beforeAll(async () => {
    ses = await startSesEndpoint(({ method, url }) =>
      method === 'POST' && url === '/v2/email/outbound-emails'
        ? { status: 200, body: { MessageId: 'local-1' } }
        : { status: 404, headers: { 'x-amzn-errortype': 'NotFoundException' }, body: { message: 'no such operation' } },
    );
  });
  afterAll(() => ses.stop());

  it('sends the composed MIME as Content.Raw, signed, and resolves with SES’s MessageId', async () => {
    // Prepare
    const client = sesClient(ses.endpoint);
    const mailer = new SesMailer(client, { configurationSetName: 'cunbao' });
    const before = ses.requests.length;

    // Act
    const messageId = await mailer.send(REPORT);

    // Assess
    expect(messageId).toBe('local-1');
    const request = ses.requests[before]!;
    expect(request).toMatchObject({ method: 'POST', url: '/v2/email/outbound-emails' });
    expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDLOCAL\/\d{8}\/eu-west-1\/ses\/aws4_request/);
    const body = JSON.parse(request.body) as {
      Content: { Raw: { Data: string } };
      ConfigurationSetName?: string;
      Destination?: unknown;
      FromEmailAddress?: unknown;
    };
    expect(body.ConfigurationSetName).toBe('cunbao');
    expect(body.Destination).toBeUndefined(); // recipients come from the MIME headers
    expect(body.FromEmailAddress).toBeUndefined();
    expectReport(await simpleParser(Buffer.from(body.Content.Raw.Data, 'base64')));
    client.destroy();
  });

  it('is what mailerFor builds from an ses configuration, with the caller’s client', async () => {
    // Prepare
    const client = sesClient(ses.endpoint);
    const mailer = mailerFor(mailConfig({ MAIL_TRANSPORT: 'ses', MAIL_FROM: REPORT.from, MAIL_TO_TOWN: 'clerk@example.cn' }), {
      ses: client,
    });

    // Act
    const messageId = await mailer.send(REPORT);

    // Assess
    expect(mailer).toBeInstanceOf(SesMailer);
    expect(messageId).toBe('local-1');
    client.destroy();
  });
});

describe('SesMailer, when SES refuses the message', () => {
  let ses: Awaited<ReturnType<typeof startSesEndpoint>>;
  beforeAll(async () => {
    ses = await startSesEndpoint(() => ({
      status: 400,
      headers: { 'x-amzn-errortype': 'MessageRejected' },
      body: { message: 'Email address is not verified.' },
    }));
  });
  afterAll(() => ses.stop());

  it('rejects with SES’s own error, so the caller sees why', async () => {
    // Prepare
    const client = sesClient(ses.endpoint);
    const mailer = new SesMailer(client);

    // Act
    const sending = mailer.send(REPORT);

    // Assess
    await expect(sending).rejects.toMatchObject({ name: 'MessageRejected', message: 'Email address is not verified.' });
    expect(ses.requests).toHaveLength(1);
    client.destroy();
  });
});
