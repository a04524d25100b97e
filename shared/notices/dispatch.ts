/**
 * Sending notices once. Every notice has an id derived from its event; per channel (mail
 * or a group robot) it is claimed before sending, and the claim is final only once the
 * send succeeded (shared/ports/notices.ts): a concurrent publisher finds it claimed and
 * sends nothing, a retried schedule finds it sent. A failed send is retried here with
 * backoff a bounded number of times, then released and reported (the caller fails its run,
 * so that the schedule's retry — or the next run — sends it). A robot allows about 20
 * messages a minute: notices beyond its budget, or after it answered "too fast", are
 * merged into one message rather than dropped.
 */
import type { ClaimResult, NoticeLog } from '../ports/notices.ts';
import type { MailMessage } from '../ports/mail.ts';
import { mergeNotices } from './merge.ts';
import type { Notice } from './notice.ts';
import { RateWindow } from './rate-window.ts';

/** A notice as it goes out: the mail channel sends its composed mail (attachments and all). */
export interface Outgoing {
  readonly notice: Notice;
  readonly mail?: MailMessage;
}

export interface Channel {
  /** `mail` or the robot's id: the claim is per notice and channel. */
  readonly id: string;
  /** Messages a minute the channel takes (Infinity: mail). */
  readonly perMinute: number;
  /** What its rate is counted by (the robot's webhook: one group's limit, whoever sends); default its id. */
  readonly rateKey?: string;
  accepts(outgoing: Outgoing): boolean;
  /** Sends one notice, or several merged into one message; resolves with the parts sent. */
  send(batch: readonly Outgoing[]): Promise<{ readonly parts: number; readonly warning?: string }>;
}

type NoticeStatus = 'sent' | 'already-sent' | 'busy' | 'failed';

export interface NoticeOutcome {
  readonly notice: string;
  readonly channel: string;
  readonly status: NoticeStatus;
  readonly attempts?: number;
  /** Sent in one message with this many notices (rate limit). */
  readonly merged?: number;
  readonly parts?: number;
  readonly error?: string;
}

export interface DispatchDeps {
  readonly log: NoticeLog;
  /** The wall clock (leases, rate windows), not the replayed event time. */
  readonly clock?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly retry?: Partial<RetryPolicy>;
}

export interface RetryPolicy {
  /** Sends tried per notice and run. */
  readonly attempts: number;
  /** The first backoff; each next one is 4× longer (with jitter). */
  readonly baseMs: number;
  /** How long after a rate-limit answer the merged message is tried. */
  readonly rateLimitWaitMs: number;
  /** How long a claim holds while its run sends (then another run may take it). */
  readonly leaseMs: number;
  /** The longest wait for a robot's minute to free a send; beyond it the notice fails (and is reported). */
  readonly maxWaitMs: number;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseMs: 1_000, rateLimitWaitMs: 60_000, leaseMs: 5 * 60_000, maxWaitMs: 120_000 };
const sleeping = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One window per channel and container: the sends of the last minute. */
const windows = new Map<string, RateWindow>();

/** Sends each notice to every channel that accepts it, once; the outcome of each pair. */
export async function dispatch(outgoing: readonly Outgoing[], channels: readonly Channel[], deps: DispatchDeps): Promise<NoticeOutcome[]> {
  const policy = { ...DEFAULT_RETRY, ...deps.retry };
  const run = { ...deps, clock: deps.clock ?? (() => new Date()), sleep: deps.sleep ?? sleeping, policy };
  const each = await Promise.all(
    channels.map((c) =>
      toChannel(
        c,
        outgoing.filter((o) => c.accepts(o)),
        run,
      ),
    ),
  );
  return each.flat();
}

type Run = Required<Omit<DispatchDeps, 'retry'>> & { readonly policy: RetryPolicy };

async function toChannel(channel: Channel, mine: readonly Outgoing[], run: Run): Promise<NoticeOutcome[]> {
  const outcomes: NoticeOutcome[] = [];
  const claimed: Outgoing[] = [];
  for (const o of mine) {
    const now = run.clock();
    const claim: ClaimResult = await run.log.claim(o.notice.id, channel.id, now, new Date(now.getTime() + run.policy.leaseMs));
    if (claim === 'claimed') claimed.push(o);
    else outcomes.push({ notice: o.notice.id, channel: channel.id, status: claim === 'sent' ? 'already-sent' : 'busy' });
  }
  const window = windowOf(channel);
  const pending = batches(claimed, window.available(run.clock()));
  while (pending.length) {
    const batch = pending.shift()!;
    outcomes.push(...(await sendWithRetry(channel, batch, pending, window, run)));
  }
  return outcomes;
}

function windowOf(channel: Channel): RateWindow {
  const key = `${channel.rateKey ?? channel.id}|${channel.perMinute}`;
  if (!windows.has(key)) windows.set(key, new RateWindow(channel.perMinute, 60_000));
  return windows.get(key)!;
}

/** One message per notice while the budget lasts; the rest merged into one (never dropped). */
function batches(claimed: readonly Outgoing[], budget: number): Outgoing[][] {
  if (claimed.length <= budget) return claimed.map((o) => [o]);
  const singles = Math.max(budget - 1, 0);
  return [...claimed.slice(0, singles).map((o) => [o]), claimed.slice(singles)];
}

/**
 * Sends a batch, retrying with backoff; after a rate-limit answer the batch and every
 * batch still waiting are merged into one message (`pending` is emptied into it).
 */
async function sendWithRetry(
  channel: Channel,
  first: Outgoing[],
  pending: Outgoing[][],
  window: RateWindow,
  run: Run,
): Promise<NoticeOutcome[]> {
  let batch = first;
  let lastError = '';
  let attempt = 0;
  while (attempt < run.policy.attempts) {
    attempt++;
    if (!(await window.wait(run.clock, run.sleep, run.policy.maxWaitMs))) {
      lastError = `RateLimited: the robot's minute is full for longer than ${run.policy.maxWaitMs} ms`;
      break;
    }
    try {
      const { parts, warning } = await channel.send(batch);
      window.record(run.clock(), parts);
      return settle(batch, channel, run, { status: 'sent', attempts: attempt, parts, ...(warning ? { error: warning } : {}) });
    } catch (error) {
      const e = error as Error & { rateLimited?: boolean; retryable?: boolean };
      lastError = `${e.name}: ${e.message}`;
      if (e.rateLimited) {
        batch = [...batch, ...pending.splice(0).flat()];
        window.block(run.clock(), run.policy.rateLimitWaitMs);
        continue;
      }
      if (e.retryable === false) break;
      if (attempt < run.policy.attempts) await run.sleep(backoff(run.policy.baseMs, attempt));
    }
  }
  return settle(batch, channel, run, { status: 'failed', attempts: attempt, error: lastError });
}

const backoff = (base: number, attempt: number) => base * 4 ** (attempt - 1) * (0.75 + Math.random() * 0.5);

/** Records the batch's outcome for each of its notices: sent is final, failed releases the claim. */
async function settle(
  batch: readonly Outgoing[],
  channel: Channel,
  run: Run,
  outcome: Omit<NoticeOutcome, 'notice' | 'channel'>,
): Promise<NoticeOutcome[]> {
  const at = run.clock();
  const merged = batch.length > 1 ? { merged: batch.length } : {};
  await Promise.all(
    batch.map((o) =>
      outcome.status === 'sent'
        ? run.log.sent(o.notice.id, channel.id, at, { parts: outcome.parts ?? 1, mergedWith: batch.length - 1 })
        : run.log.failed(o.notice.id, channel.id, at, outcome.error ?? ''),
    ),
  );
  return batch.map((o) => ({ notice: o.notice.id, channel: channel.id, ...outcome, ...merged }));
}

/** The merged notice of a batch, for a channel that renders notices (robots). */
export const noticeOf = (batch: readonly Outgoing[]): Notice => mergeNotices(batch.map((o) => o.notice));
