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
