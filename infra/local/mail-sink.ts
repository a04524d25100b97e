/**
 * The local mail server: a real SMTP server on 127.0.0.1 that delivers every message to
 * a directory instead of a mailbox, byte for byte as received, one `.eml` file each (any
 * mail client opens them). Mail really travels over SMTP, through the same SmtpMailer as
 * in AWS China; only the host and port differ.
 *
 * No TLS (STARTTLS disabled: loopback only, and no warning about smtp-server's published
 * test key). Authentication is optional; with `auth` given, exactly those credentials are
 * required, so a configuration with SMTP_USER can be tried locally.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { freePort } from './processes.ts';

export interface MailSink {
  readonly host: string;
  readonly port: number;
  /** Where the `.eml` files are written. */
  readonly outbox: string;
  stop(): Promise<void>;
}

export interface MailSinkOptions {
  /** Require these credentials (AUTH PLAIN or LOGIN, allowed without TLS on loopback). */
  readonly auth?: { readonly user: string; readonly password: string };
}

/** `2025-04-03T01-00-00-123Z`: sorts by time, and no `:` (which Windows file names refuse). */
const stamp = (date: Date) => date.toISOString().replace(/:/g, '-').replace('.', '-');

export async function startMailSink(dir: string, options: MailSinkOptions = {}): Promise<MailSink> {
  mkdirSync(dir, { recursive: true });
  const server = new SMTPServer({
    name: 'cunbao-mail-sink',
    disabledCommands: ['STARTTLS'],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    // A reverse DNS lookup of 127.0.0.1 is pointless and hangs where there is no resolver.
    disableReverseLookup: true,
    logger: false,
    onAuth(auth, _session, callback) {
      const ok = !options.auth || (auth.username === options.auth.user && auth.password === options.auth.password);
      if (ok) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const name = `${stamp(new Date())}-${session.id}-${session.transaction}-${randomUUID().slice(0, 8)}`;
        const file = join(dir, `${name}.eml`);
        // Written under another name, then renamed: whoever watches the outbox never reads
        // half a message. SMTP answers 250 only once the file is complete, so when send()
        // resolves the file is there.
        const partial = join(dir, `.${name}.partial`);
        writeFile(partial, Buffer.concat(chunks))
          .then(() => rename(partial, file))
          .then(
            () => callback(null, `queued as ${name}`),
            (error: Error) => callback(error),
          );
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // An error on one connection (a client that vanished) must not stop the sink.
  server.on('error', () => {});
  return {
    host: '127.0.0.1',
    port,
    outbox: dir,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
