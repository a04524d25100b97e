/**
 * A channel's sends in the last minute, in this container: how many more it may send now,
 * and how long to wait when none (or when the platform said "too fast").
 */
export class RateWindow {
  private sends: number[] = [];
  private blockedUntil = 0;

  constructor(
    private readonly limit: number,
    private readonly spanMs: number,
  ) {}

  available(now: Date): number {
    if (!Number.isFinite(this.limit)) return Number.POSITIVE_INFINITY;
    this.expire(now.getTime());
    return now.getTime() < this.blockedUntil ? 0 : Math.max(this.limit - this.sends.length, 0);
  }

  record(now: Date, parts: number): void {
    if (Number.isFinite(this.limit)) for (let i = 0; i < parts; i++) this.sends.push(now.getTime());
  }

  /** The platform refused for speed: nothing more until `waitMs` from now. */
  block(now: Date, waitMs: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, now.getTime() + waitMs);
  }

  /** How long until one send is allowed (0: now). */
  delay(now: Date): number {
    if (this.available(now) > 0) return 0;
    const t = now.getTime();
    return Math.max(t < this.blockedUntil ? this.blockedUntil - t : (this.sends[0] ?? t) + this.spanMs - t, 1);
  }

  /** Waits until one send is allowed; false (without waiting) when that is more than `maxMs` away. */
  async wait(clock: () => Date, sleep: (ms: number) => Promise<void>, maxMs: number): Promise<boolean> {
    for (let ms = this.delay(clock()); ms > 0; ms = this.delay(clock())) {
      if (ms > maxMs) return false;
      await sleep(ms);
    }
    return true;
  }

  private expire(now: number): void {
    while (this.sends.length && this.sends[0]! <= now - this.spanMs) this.sends.shift();
  }
}
