/**
 * What a run needs to send notices: the claims' log, the group robots, the page's URL —
 * and the channels of a run: mail (when the deployment mails) and the robots.
 */
import type { Mailer } from '../ports/mail.ts';
import type { NoticeLog } from '../ports/notices.ts';
import { mailChannel } from './channels.ts';
import { dispatch, type Channel, type NoticeOutcome, type Outgoing, type RetryPolicy } from './dispatch.ts';

export interface NoticeDeps {
  readonly log: NoticeLog;
  /** The group robots' channels (shared/notices/channels.ts robotChannel). */
  readonly robots: readonly Channel[];
  /** The page the notices link to (absent: no link). */
  readonly pageUrl?: string;
  readonly retry?: Partial<RetryPolicy>;
  readonly clock?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Sends the outgoing notices on mail (when a mailer is given) and the robots; the outcome of each. */
export async function notify(
  outgoing: readonly Outgoing[],
  notices: NoticeDeps | undefined,
  mailer: Mailer | undefined,
): Promise<NoticeOutcome[]> {
  const channels = [...(mailer ? [mailChannel(mailer)] : []), ...(notices?.robots ?? [])];
  if (channels.length === 0 || outgoing.length === 0) return [];
  if (!notices) throw new Error('notices need a NoticeLog: PublishDeps.notices is required with mail or robots');
  return dispatch(outgoing, channels, notices);
}

/** Whether every channel has it (sent now or before): nothing is left for a later run. */
export const allDelivered = (outcomes: readonly NoticeOutcome[]): boolean =>
  outcomes.every((o) => o.status === 'sent' || o.status === 'already-sent');
