/**
 * Published summaries: what a summary is built from, where its revisions are kept, and the
 * scheduler's memory (DynamoDB and S3: shared/adapters/dynamodb-summaries.ts).
 */
import type { Month } from '../period.ts';
import type { Values } from '../rollup.ts';
import type { Summary } from '../summary.ts';
import type { CurrentSubmission, UnitYear } from './ledger.ts';
import type { Review } from './reviews.ts';

export type SummaryKind = 'monthly' | 'annual';

/**
 * The reads a summary needs: O(units), never a Scan. `org` is a town's code or the
 * district's; `town` undefined reads every unit of the district.
 */
export interface SummaryReader {
  rollupWithVersion(org: string, scope: 'month' | 'year', period: string): Promise<{ totals: Values; version: number }>;
  currentOfMonth(period: Month, town?: string): Promise<CurrentSubmission[]>;
  unitYears(year: string, town?: string): Promise<UnitYear[]>;
  /** The month's review decisions (as `ReviewStore.reviewsOfMonth`): the summaries say which unit-months are approved. */
  reviewsOfMonth(period: Month, town?: string): Promise<Review[]>;
}

/**
 * What changed in a revision against the one before: the org's totals, a unit's figures (a
 * town's summary), a town's totals (the district's), the missing units.
 */
export interface SummaryChange {
  readonly what: 'total' | 'unit' | 'town' | 'missing';
  readonly key?: string;
  /** `what: 'unit'`: the unit's key in the summary. */
  readonly unit?: string;
  /** `what: 'town'`: the town's code. */
  readonly town?: string;
  readonly before: number | string | null;
  readonly after: number | string | null;
}

export interface PublishedSummary extends Summary {
  /** The town's code, or the district's. */
  readonly org: string;
  readonly kind: SummaryKind;
  readonly revision: number;
  readonly publishedAt: string;
  /** The rollup's version it was built from (changes counted by the ingest). */
  readonly version: number;
  /**
   * When the review state it carries was read: its publication. A review decision changes
   * no figure, so it makes no revision (shared/publish/publish.ts); the current state is
   * the API's approved-only summary's. Absent in revisions published before review existed.
   */
  readonly reviewAsOf?: string;
  readonly changes: readonly SummaryChange[];
}

export interface LatestRevision {
  readonly revision: number;
  readonly version: number;
  readonly hash: string;
  /** When the revision was published (absent in items written before it was kept here). */
  readonly publishedAt?: string;
  /** The last revision that was mailed (a failed mail is sent again on the next run). */
  readonly emailedRevision: number;
}

/** An org's published summaries (`org`: a town's code or the district's). */
export interface SummaryArchive {
  latest(org: string, kind: SummaryKind, period: string): Promise<LatestRevision | undefined>;
  revision(org: string, kind: SummaryKind, period: string, revision: number): Promise<PublishedSummary | undefined>;
  /** Stores revision n (n = previous + 1) of `summary.org`; false when another publisher stored it first. */
  save(summary: PublishedSummary, hash: string, previous: number): Promise<boolean>;
  /** Records that the rollup's version is still this revision's content (nothing new to publish). */
  seen(org: string, kind: SummaryKind, period: string, revision: number, version: number): Promise<void>;
  markEmailed(org: string, kind: SummaryKind, period: string, revision: number): Promise<void>;
  /** Months (or years) published so far, newest first, at most `limit`. */
  published(org: string, kind: SummaryKind, limit: number): Promise<string[]>;
  lastScheduleRun(): Promise<string | undefined>;
  saveScheduleRun(at: string): Promise<void>;
}
