/**
 * One way from a MailMessage to MIME, shared by every transport: the SMTP transport hands
 * these options to nodemailer (which builds them with its MailComposer), SES gets the bytes
 * MailComposer builds from the same options. So a message looks the same whichever way it
 * goes out: UTF-8 throughout, Chinese subjects and names as RFC 2047 encoded words,
 * Chinese file names as RFC 2231 parameters, text and HTML as multipart/alternative, and
 * marked as sent by a machine (RFC 3834), so that no out-of-office reply answers it.
 */
import type Mail from 'nodemailer/lib/mailer/index.js';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { Attachment, MailMessage } from '../ports/mail.ts';

/**
 * Every mail of the project is sent by a program: RFC 3834's header keeps auto-replies
 * (out of office, vacation) from answering it, and Exchange/Outlook's asks the same of theirs.
 */
const AUTOMATIC = { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' } as const;

/** An RFC 5322 msg-id, bare or in brackets: printable ASCII without space, so nothing can end the header early. */
const MSG_ID = /^[!-;=?A-~]+@[!-;=?A-~]+$/;

function messageIdOf(id: string): string {
  const bare = id.startsWith('<') && id.endsWith('>') ? id.slice(1, -1) : id;
  if (!MSG_ID.test(bare)) throw new RangeError(`Message-ID 格式不对 (not an RFC 5322 msg-id): ${JSON.stringify(id)}`);
  return `<${bare}>`;
}

/** The nodemailer options of a message. */
export function mailOptions(message: MailMessage): Mail.Options {
  return {
    ...(message.messageId === undefined ? {} : { messageId: messageIdOf(message.messageId) }),
    headers: { ...AUTOMATIC },
    from: message.from,
    to: [...message.to],
    ...(message.cc?.length ? { cc: [...message.cc] } : {}),
    subject: message.subject,
    text: message.text,
    html: message.html,
    attachments: (message.attachments ?? []).map(attachmentOptions),
    // Our content is always inline bytes: never let a stray `path` or `href` read a local
    // file or fetch a URL into a mail that leaves the town.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

function attachmentOptions(attachment: Attachment): Mail.Attachment {
  return {
    filename: attachment.filename,
    // A view of the same bytes, not a copy; nodemailer wants a Buffer (a string it encodes as UTF-8).
    content:
      typeof attachment.content === 'string'
        ? attachment.content
        : Buffer.from(attachment.content.buffer, attachment.content.byteOffset, attachment.content.byteLength),
    contentType: attachment.contentType,
    // base64 keeps the bytes exact: quoted-printable would let a mail system turn a CSV's
    // bare LF into CRLF or strip a UTF-8 BOM that Excel needs. (MailComposer's default for
    // attachments, pinned so that no future default changes it.)
    contentTransferEncoding: 'base64',
  };
}

/** The whole message as RFC 5322 bytes, and the Message-ID header it carries. */
export async function composeMime(message: MailMessage): Promise<{ readonly raw: Buffer; readonly messageId: string }> {
  const node = new MailComposer(mailOptions(message)).compile();
  const raw = await node.build();
  return { raw, messageId: node.messageId() };
}
