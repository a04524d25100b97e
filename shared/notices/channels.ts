/**
 * The channels a notice goes out on: mail (the composed mail of the event, to its
 * recipients) and each group robot configured for the notice's org and kind.
 */
import { createHash } from 'node:crypto';
import { deliveredToSome, type Mailer } from '../ports/mail.ts';
import { noticeOf, type Channel, type Outgoing } from './dispatch.ts';
import type { SecretSource } from '../ports/secrets.ts';
import type { RobotConfig } from './config.ts';
import { resolveRobots, type Robot } from './secrets.ts';

/** The mail channel: sends an outgoing notice's mail, with a Message-ID derived from the notice. */
export function mailChannel(mailer: Mailer, domain = 'cunbao.local'): Channel {
  return {
    id: 'mail',
    perMinute: Number.POSITIVE_INFINITY,
    accepts: (o) => o.mail !== undefined && o.mail.to.length + (o.mail.cc?.length ?? 0) > 0,
    async send(batch) {
      let warning: string | undefined;
      for (const o of batch) {
        const messageId = `<${createHash('sha256').update(o.notice.id).digest('hex').slice(0, 32)}@${domain}>`;
        try {
          await mailer.send({ ...o.mail!, messageId });
        } catch (error) {
          // Some recipients got it: sending again would duplicate it for them.
          if (!deliveredToSome(error)) throw Object.assign(error as Error, { retryable: true });
          warning = (error as Error).message;
        }
      }
      return { parts: batch.length, ...(warning ? { warning } : {}) };
    },
  };
}

/** When each robot (by its webhook) was last sent to, in this container. */
const lastSend = new Map<string, number>();

/**
 * A group robot: it hears its org's notices of the kinds it is configured for. Two sends
 * to it are at least the platform's gap apart (Feishu: 5 a second), its parts too.
 */
export function robotChannel(robot: Robot, options: { timeoutMs?: number; fetch?: typeof fetch } = {}): Channel {
  // Parts already delivered of a message whose later part failed: its retry sends the rest.
  const delivered = new Map<string, number>();
  return {
    id: robot.id,
    perMinute: robot.perMinute,
    rateKey: robot.url,
    accepts: (o: Outgoing) => o.notice.org === robot.org && robot.events.includes(o.notice.kind),
    async send(batch) {
      // Loaded on the first send: a run with nothing to say does not load the renderers.
      const { GAP_MS, sendToRobot } = await import('./robots/send.ts');
      const notice = noticeOf(batch);
      const gapMs = GAP_MS[robot.kind];
      const fromPart = delivered.get(notice.id) ?? 0;
      const wait = (lastSend.get(robot.url) ?? 0) + gapMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      try {
        const sent = await sendToRobot(robot, notice, { now: () => new Date(), gapMs, fromPart, ...options });
        delivered.delete(notice.id);
        return sent;
      } catch (error) {
        const partsSent = (error as { partsSent?: number }).partsSent ?? 0;
        if (partsSent > 0) delivered.set(notice.id, partsSent);
        throw error;
      } finally {
        lastSend.set(robot.url, Date.now());
      }
    },
  };
}

/** The configured robots as channels, their secrets read from `secrets` (a function's, the command line's). */
export async function robotChannels(
  configs: readonly RobotConfig[],
  secrets: SecretSource,
  options: { timeoutMs?: number } = {},
): Promise<Channel[]> {
  return (await resolveRobots(configs, secrets)).map((r) => robotChannel(r, options));
}
