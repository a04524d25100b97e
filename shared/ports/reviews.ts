/**
 * The review of unit-months (docs/DOMAIN.md#review): decisions, conditional on the month
 * as the reviewer saw it, and what the page, the API and the summaries read of them
 * (DynamoDB: shared/adapters/dynamodb-reviews.ts).
 */
import type { Month } from '../period.ts';
import type { AuditEntry, CurrentSubmission, SubmissionVersion } from './ledger.ts';

/** The last review decision on a unit-month, as the ledger keeps it. */
export interface Review {
  readonly unit: string;
  readonly period: Month;
  readonly state: 'approved' | 'returned' | 'reopened';
  /** The version of the month the decision applied to (0: nothing sent). */
  readonly version: number;
  readonly reason?: string;
  /** Who decided (a principal's label). */
  readonly by: string;
  readonly at: string;
  /** Guards concurrent decisions and uploads: every decision adds one. */
  readonly rev: number;
}

/** A unit-month as read for a decision. */
export interface ReviewedMonth {
  readonly current: CurrentSubmission | undefined;
  readonly review: Review | undefined;
}

export interface ReviewStore {
  month(unit: string, period: Month): Promise<ReviewedMonth>;
  /** Writes a decision and its audit entry; `conflict` when the month changed since `seen`. */
  decide(next: Review, seen: ReviewedMonth, entry: AuditEntry): Promise<'applied' | 'conflict'>;
  /** A month's decisions of a town's units, or of the district's. */
  reviewsOfMonth(period: Month, town?: string): Promise<Review[]>;
  /** A unit's current months and decisions from one month to another. */
  unitMonths(unit: string, from: Month, to: Month): Promise<{ current: CurrentSubmission[]; reviews: Review[] }>;
  /** Everything a unit-month's audit trail is made of. */
  trail(unit: string, period: Month): Promise<{ versions: SubmissionVersion[]; entries: AuditEntry[] } & ReviewedMonth>;
}
