/**
 * The API's answers as the page reads them: the types of the API's own zod schemas
 * (type-only imports: zod is not bundled into the page).
 */
import type * as z from 'zod';
import type {
  CatalogueBody,
  CompletenessBody,
  CreatedUpload,
  FindingBody,
  HistoryBody,
  Me,
  ReviewStateBody,
  SubmissionsBody,
  UnitMonthBody,
  UnitMonthsBody,
  UnitsBody,
  UploadStatusBody,
} from '../../shared/api/answer-schemas.ts';
import type { ReviewRequest } from '../../shared/api/schemas.ts';
import type { SummaryBody } from '../../shared/api/summary-schemas.ts';
import type { DeskBody, PublishBody } from '../../shared/api/desk-schemas.ts';
import type { Completeness, Derived } from '../../shared/summary.ts';

export type MeBody = z.infer<typeof Me>;
export type Catalogue = z.infer<typeof CatalogueBody>;
export type CatalogueKey = Catalogue['keys'][number];
export type Units = z.infer<typeof UnitsBody>;
/** A unit of `GET /v1/units`: its code as people see it, its full code and its town. */
export type Unit = Units['units'][number];
export type Created = z.infer<typeof CreatedUpload>;
export type UploadStatus = z.infer<typeof UploadStatusBody>;
export type Finding = z.infer<typeof FindingBody>;
export type UploadedSubmission = UploadStatus['submissions'][number];
/** A second object posted under one upload (a form sent twice): recorded, counted nowhere. */
export type ReusedObject = NonNullable<UploadStatus['reused']>[number];
/** One value a version changed (`null`: not reported). */
export type Change = NonNullable<UploadedSubmission['changes']>[number];
/** A unit-month's review state: 未报, 已报, 已审核, 已退回; its version, reason and lock. */
export type ReviewState = z.infer<typeof ReviewStateBody>;
export type UnitMonth = z.infer<typeof UnitMonthBody>;
export type UnitMonths = z.infer<typeof UnitMonthsBody>;
export type History = z.infer<typeof HistoryBody>;
/** One event of a unit-month's audit trail: a version with its change list, a review decision, a refusal, the lock. */
export type AuditEvent = History['events'][number];
export type ReviewAction = z.infer<typeof ReviewRequest>['action'];
export type Submissions = z.infer<typeof SubmissionsBody>;
export type MonthCompleteness = z.infer<typeof CompletenessBody>;
/** The clerk's desk: the completeness, each unit's figures, the live totals, the publication, the year to date. */
export type Desk = z.infer<typeof DeskBody>;
export type DeskUnit = Desk['units'][number];
export type PublishResult = z.infer<typeof PublishBody>;
export type UnitCompleteness = MonthCompleteness['units'][number];
export type CompletenessCounts = MonthCompleteness['summary'];
/** One town's line in the district's completeness. */
export type TownCompleteness = NonNullable<MonthCompleteness['towns']>[number];
/** A node of the hierarchy: the caller's own (`me.org`), or a town a district user opened. */
export type Org = MeBody['org'];
/** One town in a district's summary (docs/DOMAIN.md#hierarchy). */
interface SummaryTown {
  readonly name: string;
  readonly totals: Readonly<Record<string, number>>;
  readonly derived?: Partial<Derived>;
  readonly completeness?: Completeness;
}
/**
 * A published summary: the schema's fields, and (it is a loose object) the stored
 * summary's node, derived figures and completeness; a district's has its towns.
 */
export type PublishedSummary = z.infer<typeof SummaryBody> & {
  readonly org?: string;
  readonly level?: Org['level'];
  readonly derived?: Partial<Derived>;
  readonly completeness?: Completeness;
  readonly towns?: Readonly<Record<string, SummaryTown>>;
};
