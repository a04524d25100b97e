/**
 * The local gateway's authorizer result cache: each identity's answer kept for the wiring's
 * TTL, as API Gateway keeps it — and bounded, as the gateway's is: an expired answer is
 * dropped when met, and beyond `capacity` identities the oldest go first, so that a stream
 * of unique tokens (a scan, a bench) does not grow the process without end.
 */
export interface CachedAnswer {
  readonly until: number;
  readonly context: Record<string, unknown> | undefined;
  readonly authorized: boolean;
}

/** Enough for every token of a district many times over; at ~1 KB an answer, ~10 MB at most. */
const CACHE_CAPACITY = 10_000;

export class AuthorizerCache {
  private readonly answers = new Map<string, CachedAnswer>();

  constructor(
    private readonly capacity = CACHE_CAPACITY,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The identity's answer while it is fresh; an expired one is forgotten. */
  get(identity: string): CachedAnswer | undefined {
    const answer = this.answers.get(identity);
    if (answer && answer.until <= this.clock()) {
      this.answers.delete(identity);
      return undefined;
    }
    return answer;
  }

  set(identity: string, answer: CachedAnswer): void {
    this.answers.delete(identity); // re-inserted: the newest, last to be evicted
    this.answers.set(identity, answer);
    if (this.answers.size <= this.capacity) return;
    const now = this.clock();
    for (const [key, kept] of this.answers) if (kept.until <= now) this.answers.delete(key);
    // Maps iterate in insertion order: the first keys are the oldest answers.
    for (const key of this.answers.keys()) {
      if (this.answers.size <= this.capacity) break;
      this.answers.delete(key);
    }
  }

  get size(): number {
    return this.answers.size;
  }
}
