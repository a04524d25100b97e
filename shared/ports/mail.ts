/**
 * Sending mail: one port, three transports chosen by configuration — SES v2 (AWS
 * commercial regions), SMTP (AWS China, where SES does not exist, or any mail server),
 * and locally a real SMTP sink on loopback that keeps each message as an .eml file.
 */

export interface Attachment {
  readonly filename: string;
  readonly content: Uint8Array | string;
  readonly contentType: string;
}

export interface MailMessage {
  readonly from: string;
  readonly to: readonly string[];
  readonly cc?: readonly string[];
  readonly subject: string;
  /** Plain-text body (always sent, for clients that show no HTML). */
  readonly text: string;
  readonly html: string;
  readonly attachments?: readonly Attachment[];
  /**
   * A stable Message-ID (`<local@domain>`, the brackets optional), derived by the caller from
   * what the mail tells (e.g. its notice id), so that a copy sent again is recognisable as the
   * same message. Absent: the transport makes a random one. SES replaces it with its own
   * (shared/adapters/ses-mailer.ts).
   */
  readonly messageId?: string;
}

export interface Mailer {
  /**
   * Sends a message; resolves with the transport's message id. Throws an error named
   * `PartialDeliveryError` when some recipients got it and others were refused: sending
   * again would duplicate it for those who got it.
   */
  send(message: MailMessage): Promise<string>;
}

/** Whether a send failed after reaching some recipients (see Mailer.send). */
export function deliveredToSome(error: unknown): boolean {
  return error instanceof Error && error.name === 'PartialDeliveryError';
}
