/**
 * What the notices remember (shared/notices/dispatch.ts; DynamoDB: shared/adapters/dynamodb-notices.ts):
 * per notice and channel, a claim that is final only once the send succeeded.
 */

/** A claim's answer: yours to send; sent already; or being sent by another run right now. */
export type ClaimResult = 'claimed' | 'sent' | 'busy';

export interface NoticeLog {
  /**
   * Claims a notice for a channel until `leaseUntil`: granted when never claimed, when the
   * last attempt failed, or when another run's lease ran out (it died mid-send).
   */
  claim(noticeId: string, channel: string, now: Date, leaseUntil: Date): Promise<ClaimResult>;
  /** The send succeeded: final; no run sends it again. */
  sent(noticeId: string, channel: string, at: Date, detail: { readonly parts: number; readonly mergedWith: number }): Promise<void>;
  /** The send failed after its retries: the claim is released for a later run, the error kept. */
  failed(noticeId: string, channel: string, at: Date, error: string): Promise<void>;
}
