/**
 * Mail over SMTP: AWS China (which has no SES), any town or district mail server, and
 * locally the SMTP sink on loopback. One transport per instance, made once (at cold start).
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { Mailer, MailMessage } from '../ports/mail.ts';
import { mailOptions } from './mail-composer.ts';

export interface SmtpOptions {
  readonly host: string;
  readonly port: number;
  /** TLS from the first byte (port 465). When false, STARTTLS is used if the server offers it. */
  readonly secure: boolean;
  /** With `secure: false`: refuse to send unless STARTTLS succeeds (no silent plaintext fallback). */
  readonly requireTLS?: boolean;
  readonly auth?: { readonly user: string; readonly password: string };
  /** Milliseconds to connect, to get the greeting, and of socket silence; default 10 s, 10 s, 30 s. */
  readonly timeouts?: { readonly connection?: number; readonly greeting?: number; readonly socket?: number };
}

/**
 * The server took the message for some recipients and refused others. Sending again
 * would duplicate it for those who got it: the caller should report, not blindly retry.
 */
export class PartialDeliveryError extends Error {
  override readonly name = 'PartialDeliveryError';

  constructor(
    readonly messageId: string,
    readonly accepted: readonly string[],
    readonly rejected: readonly string[],
    readonly response: string,
  ) {
    super(`邮件已发给 ${accepted.join(', ')}，但服务器拒收 ${rejected.join(', ')} (SMTP server refused some recipients): ${response}`);
  }
}

const addresses = (list: readonly (string | { address: string })[]) => list.map((r) => (typeof r === 'string' ? r : r.address));

export class SmtpMailer implements Mailer {
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo, SMTPTransport.Options>;

  constructor(options: SmtpOptions) {
    this.transport = nodemailer.createTransport({
      host: options.host,
      port: options.port,
      secure: options.secure,
      requireTLS: options.requireTLS ?? false,
      ...(options.auth ? { auth: { user: options.auth.user, pass: options.auth.password } } : {}),
      // nodemailer waits up to 2 min to connect and 10 min on a silent socket: a function
      // would hit its own timeout first and lose the error. Fail fast, and let the caller retry.
      connectionTimeout: options.timeouts?.connection ?? 10_000,
      greetingTimeout: options.timeouts?.greeting ?? 10_000,
      socketTimeout: options.timeouts?.socket ?? 30_000,
      tls: { minVersion: 'TLSv1.2' },
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  }

  /**
   * Resolves with the Message-ID header (the message's own `messageId` when it has one:
   * shared/adapters/mail-composer.ts) once the server has accepted it for every recipient.
   */
  async send(message: MailMessage): Promise<string> {
    const info = await this.transport.sendMail(mailOptions(message));
    // nodemailer resolves when the server refused only some recipients: a report that
    // silently misses the district must not pass for sent. (It rejects when all are refused.)
    if (info.rejected.length > 0)
      throw new PartialDeliveryError(info.messageId, addresses(info.accepted), addresses(info.rejected), info.response);
    return info.messageId;
  }

  /** Closes any open connection (a non-pooled transport holds none between sends). */
  close(): void {
    this.transport.close();
  }
}
