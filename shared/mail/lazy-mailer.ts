/**
 * A Mailer made on its first send: its transport (nodemailer, the SES client, an SMTP
 * password's secret) is loaded and set up when a mail goes out, not at every cold start —
 * a run with nothing to send never loads it. Made once per container; a make that failed
 * (a secret that could not be read) is tried again by the next send.
 */
import type { Mailer, MailMessage } from '../ports/mail.ts';

export function lazyMailer(make: () => Promise<Mailer>): Mailer {
  let made: Promise<Mailer> | undefined;
  return {
    async send(message: MailMessage): Promise<string> {
      made ??= make().catch((error: unknown) => {
        made = undefined;
        throw error;
      });
      return (await made).send(message);
    },
  };
}
