/**
 * The HTTP API's ports: what its handlers (shared/api/routes/) read and write through —
 * DynamoDB, S3 and the S3 presigner in AWS (shared/adapters), memory in the unit tests —
 * and what a deployment sets (limits, the page).
 */
import type { TokenStore } from '../auth/tokens.ts';
import type { SummaryCache } from '../api/summary-cache.ts';
import type { CurrentSubmission, Ledger } from './ledger.ts';
import type { ObjectStore } from './objects.ts';
import type { ReviewStore } from './reviews.ts';
import type { Month } from '../period.ts';
import type { SummaryArchive, SummaryReader } from './summaries.ts';
import type { Org, Registry } from '../registry.ts';
import type { PublishResult } from '../publish/publish.ts';
import type { Page } from '../web/page.ts';
import type { NoticeOutcome } from '../notices/dispatch.ts';
import type { ReturnedMonth } from '../notices/returned.ts';

/** Signs an S3 POST that can only create `key`, of at most `maxBytes`, of `contentType`. */
export interface UploadPresigner {
  presign(input: {
    readonly key: string;
    readonly contentType: string;
    readonly maxBytes: number;
    readonly expiresInSeconds: number;
  }): Promise<{ url: string; fields: Record<string, string> }>;
}

interface ApiLedger extends Pick<Ledger, 'getUpload' | 'putIntent' | 'versions'>, Pick<SummaryReader, 'rollupWithVersion' | 'unitYears'> {
  currentSubmission(unit: string, period: Month): Promise<CurrentSubmission | undefined>;
  currentOfMonth(period: Month, town?: string): Promise<CurrentSubmission[]>;
}

export interface ApiDeps {
  readonly ledger: ApiLedger;
  readonly reviews: ReviewStore;
  readonly store: Pick<ObjectStore, 'get'>;
  readonly summaries: Pick<SummaryArchive, 'latest'>;
  readonly presigner: UploadPresigner;
  /** The credential store (admin routes only; the authorizer verifies tokens). */
  readonly tokens: TokenStore;
  readonly registry: () => Promise<Registry>;
  readonly now: () => Date;
  /** The secretaries' page: its HTML and the CSP it is served with (its 77 KiB may be loaded by the first `GET /`). */
  readonly page: () => Page | Promise<Page>;
  /** Largest file a presigned POST admits (default 5 MiB, docs/DOMAIN.md's TOO_LARGE). */
  readonly maxFileBytes?: number;
  /** How long a presigned POST stays valid (default 15 minutes). */
  readonly uploadTtlSeconds?: number;
  /** Summaries already read by this container (absent: read every time). */
  readonly summaryCache?: SummaryCache;
  /** Tells a unit its month was returned (mail, robots); absent: nobody is told. */
  readonly notifyReturn?: (returned: ReturnedMonth, registry: Registry) => Promise<readonly NoticeOutcome[]>;
  /**
   * Publishes an org's month now (the clerk's button): the scheduled publisher, with its
   * mail and robots (shared/publish/publish.ts); absent: this deployment cannot publish.
   */
  readonly publishSummary?: (org: Org, period: Month, registry: Registry) => Promise<PublishResult>;
}
