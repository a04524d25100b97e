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

  /** Waits until one send is allowed. */
  async wait(clock: () => Date, sleep: (ms: number) => Promise<void>): Promise<void> {
    while (this.available(clock()) === 0) {
      const now = clock().getTime();
      const oldest = this.sends[0] ?? now;
      await sleep(Math.max(now < this.blockedUntil ? this.blockedUntil - now : oldest + this.spanMs - now, 1));
    }
  }

  private expire(now: number): void {
    while (this.sends.length && this.sends[0]! <= now - this.spanMs) this.sends.shift();
  }
}
