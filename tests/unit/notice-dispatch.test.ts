/**
 * The dispatcher's rules (shared/notices/dispatch.ts), on an in-memory claims log that
 * keeps the port's contract and channels that record what they were given: once per
 * channel, claims final only after success, bounded retries, merging beyond the budget
 * or after a rate-limit answer. The same rules on DynamoDB and the webhook sink:
 * tests/integration/notices.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { dispatch, type Channel, type Outgoing } from '../../shared/notices/dispatch.ts';
import type { Notice } from '../../shared/notices/notice.ts';
import type { ClaimResult, NoticeLog } from '../../shared/ports/notices.ts';

/** The port's contract in memory: claimable when new, failed, or its lease ran out. */
class MemoryLog implements NoticeLog {
  readonly items = new Map<string, { state: 'sending' | 'sent' | 'failed'; leaseUntil?: number; error?: string }>();

  async claim(id: string, channel: string, now: Date, leaseUntil: Date): Promise<ClaimResult> {
    const item = this.items.get(`${id}|${channel}`);
    if (item?.state === 'sent') return 'sent';
    if (item?.state === 'sending' && (item.leaseUntil ?? 0) >= now.getTime()) return 'busy';
    this.items.set(`${id}|${channel}`, { state: 'sending', leaseUntil: leaseUntil.getTime() });
    return 'claimed';
  }

  async sent(id: string, channel: string): Promise<void> {
    this.items.set(`${id}|${channel}`, { state: 'sent' });
  }

  async failed(id: string, channel: string, _at: Date, error: string): Promise<void> {
    this.items.set(`${id}|${channel}`, { state: 'failed', error });
  }
}

const notice = (n: number, org = 'EC'): Notice => ({
  id: `publish/${org}/monthly/2025-0${n}/r1`,
  kind: 'publish',
  org,
  title: `鹅池镇2025年${n}月法治统计月报`,
  sections: [{ lines: [`第 ${n} 条`] }],
});

/** A channel that records each batch; `answers` says what each call does (default: succeed). */
function recording(id: string, perMinute: number, answers: (Error | undefined)[] = []) {
  const batches: string[][] = [];
  const channel: Channel = {
    id,
    perMinute,
    accepts: (o) => o.notice.org === 'EC',
    async send(batch) {
      batches.push(batch.map((o) => o.notice.id));
      const answer = answers.shift();
      if (answer) throw answer;
      return { parts: 1 };
    },
  };
  return { channel, batches };
}

const failure = (props: { rateLimited?: boolean; retryable?: boolean }) => Object.assign(new Error('robot said no'), props);
const fast = { sleep: async () => {}, retry: { baseMs: 1, rateLimitWaitMs: 1 } };
let robots = 0;
const robotId = () => `robot-${++robots}`;

describe('dispatch', () => {
  it('sends each notice once per channel: a second run finds it sent, a run during a live claim finds it busy', async () => {
    // Prepare
    const log = new MemoryLog();
    const { channel, batches } = recording(robotId(), 20);
    const out: Outgoing[] = [{ notice: notice(1) }, { notice: notice(2) }];

    // Act
    const first = await dispatch(out, [channel], { log, ...fast });
    const again = await dispatch(out, [channel], { log, ...fast });
    await log.claim(notice(3).id, channel.id, new Date(), new Date(Date.now() + 60_000));
    const during = await dispatch([{ notice: notice(3) }], [channel], { log, ...fast });

    // Assess
    expect(first.map((o) => o.status)).toEqual(['sent', 'sent']);
    expect(again.map((o) => o.status)).toEqual(['already-sent', 'already-sent']);
    expect(during.map((o) => o.status)).toEqual(['busy']);
    expect(batches).toEqual([[notice(1).id], [notice(2).id]]);
  });

  it('leaves out the notices a channel does not accept', async () => {
    // Prepare
    const log = new MemoryLog();
    const { channel, batches } = recording(robotId(), 20);

    // Act
    const outcomes = await dispatch([{ notice: notice(1, 'SH') }], [channel], { log, ...fast });

    // Assess
    expect(outcomes).toEqual([]);
    expect(batches).toEqual([]);
  });

  it('retries a failed send with backoff, and counts it sent once it went through', async () => {
    // Prepare
    const log = new MemoryLog();
    const waits: number[] = [];
    const { channel, batches } = recording(robotId(), 20, [failure({ retryable: true }), failure({ retryable: true })]);

    // Act
    const [outcome] = await dispatch([{ notice: notice(1) }], [channel], {
      log,
      sleep: async (ms) => void waits.push(ms),
      retry: { baseMs: 100, attempts: 3 },
    });

    // Assess: three tries, waits of about 100 and 400 ms (±25 %), then sent.
    expect(outcome).toMatchObject({ status: 'sent', attempts: 3 });
    expect(batches).toHaveLength(3);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(75);
    expect(waits[0]).toBeLessThanOrEqual(125);
    expect(waits[1]).toBeGreaterThanOrEqual(300);
    expect(waits[1]).toBeLessThanOrEqual(500);
    expect(log.items.get(`${notice(1).id}|${channel.id}`)?.state).toBe('sent');
  });

  it('reports a send that failed every try, and releases its claim for a later run', async () => {
    // Prepare
    const log = new MemoryLog();
    const { channel } = recording(robotId(), 20, [failure({}), failure({}), failure({})]);

    // Act
    const [failed] = await dispatch([{ notice: notice(1) }], [channel], { log, ...fast });
    const [later] = await dispatch([{ notice: notice(1) }], [channel], { log, ...fast });

    // Assess
    expect(failed).toMatchObject({ status: 'failed', attempts: 3, error: 'Error: robot said no' });
    expect(later).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('does not retry what only a configuration change can fix (a bad signature, a wrong key)', async () => {
    // Prepare
    const log = new MemoryLog();
    const { channel, batches } = recording(robotId(), 20, [failure({ retryable: false })]);

    // Act
    const [outcome] = await dispatch([{ notice: notice(1) }], [channel], { log, ...fast });

    // Assess
    expect(outcome).toMatchObject({ status: 'failed', attempts: 1 });
    expect(batches).toHaveLength(1);
  });

  it('merges the notices beyond the budget of the minute into one message, dropping none', async () => {
    // Prepare: a robot of 3 a minute, 6 notices.
    const log = new MemoryLog();
    const { channel, batches } = recording(robotId(), 3);
    const six = [1, 2, 3, 4, 5, 6].map((n) => ({ notice: notice(n) }));

    // Act
    const outcomes = await dispatch(six, [channel], { log, ...fast });

    // Assess: two alone, the last four in one message; all six sent.
    expect(batches).toEqual([[notice(1).id], [notice(2).id], [3, 4, 5, 6].map((n) => notice(n).id)]);
    expect(outcomes.map((o) => [o.notice, o.status, o.merged])).toEqual([
      [notice(1).id, 'sent', undefined],
      [notice(2).id, 'sent', undefined],
      ...[3, 4, 5, 6].map((n) => [notice(n).id, 'sent', 4]),
    ]);
  });

  it('after a rate-limit answer, waits and sends what is left as one merged message', async () => {
    // Prepare: the second send is answered "too fast".
    const log = new MemoryLog();
    const { channel, batches } = recording(robotId(), 20, [undefined, failure({ rateLimited: true, retryable: true })]);
    const four = [1, 2, 3, 4].map((n) => ({ notice: notice(n) }));

    // Act
    const outcomes = await dispatch(four, [channel], { log, ...fast });

    // Assess
    expect(batches).toEqual([[notice(1).id], [notice(2).id], [2, 3, 4].map((n) => notice(n).id)]);
    expect(outcomes.every((o) => o.status === 'sent')).toBe(true);
    expect(outcomes.filter((o) => o.merged === 3)).toHaveLength(3);
  });
  it('waits for the robot’s minute to free a send, but no longer than it may: beyond, the notice fails and is reported', async () => {
    // Prepare: a robot of 1 a minute, on a clock that the waits move.
    const log = new MemoryLog();
    const { channel, batches } = recording(robotId(), 1);
    let now = Date.parse('2027-01-06T00:00:00Z');
    const clock = () => new Date(now);
    const sleep = async (ms: number) => {
      now += ms;
    };

    // Act: one now; the next waits its minute; the third may wait 1 s only.
    const first = await dispatch([{ notice: notice(1) }], [channel], { log, clock, sleep });
    const second = await dispatch([{ notice: notice(2) }], [channel], { log, clock, sleep });
    const third = await dispatch([{ notice: notice(3) }], [channel], { log, clock, sleep, retry: { maxWaitMs: 1_000 } });

    // Assess
    expect([first, second].map((o) => o[0]!.status)).toEqual(['sent', 'sent']);
    expect(third[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('minute is full') });
    expect(batches).toEqual([[notice(1).id], [notice(2).id]]);
    expect(now - Date.parse('2027-01-06T00:00:00Z')).toBe(60_000);
  });
});
