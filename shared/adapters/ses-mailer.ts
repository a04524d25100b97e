/**
 * Mail through SES v2 (AWS commercial regions), as a raw message built by the same
 * composer as SMTP's, so recipients see the same MIME whichever transport sent it, the
 * Auto-Submitted and X-Auto-Response-Suppress headers included (in Raw content they are
 * part of the bytes: Simple content's `Headers` field is not needed).
 *
 * A message's own `messageId` is written into the raw message, but SES replaces every
 * Message-ID with its own (docs.aws.amazon.com/ses/latest/dg/header-fields.html), and no
 * SendEmail field keeps ours. Through SES a copy sent again is therefore not recognisable
 * by its Message-ID: sending once rests on the caller's record of what it sent.
 */
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { Mailer, MailMessage } from '../ports/mail.ts';
import { composeMime } from './mail-composer.ts';

export interface SesOptions {
  /** A configuration set (bounce and complaint events, suppression), when the account has one. */
  readonly configurationSetName?: string;
}

export class SesMailer implements Mailer {
  /** `client` is made once by the caller (at cold start), with the region and credentials of the function. */
  constructor(
    private readonly client: SESv2Client,
    private readonly options: SesOptions = {},
  ) {}

  /** Resolves with SES's MessageId (SES replaces the Message-ID and Date headers with its own). */
  async send(message: MailMessage): Promise<string> {
    const { raw } = await composeMime(message);
    // No FromEmailAddress and no Destination: SES then takes sender and recipients from
    // the MIME headers, where Chinese display names are already encoded words (the API
    // fields would need that encoding done a second time, by hand).
    const out = await this.client.send(
      new SendEmailCommand({
        Content: { Raw: { Data: raw } },
        ...(this.options.configurationSetName ? { ConfigurationSetName: this.options.configurationSetName } : {}),
      }),
    );
    if (!out.MessageId) throw new Error('SES 未返回 MessageId (SES returned no MessageId)');
    return out.MessageId;
  }
}
