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
  Me,
  SubmissionsBody,
  SummaryBody,
  UnitsBody,
  UploadStatusBody,
} from '../../shared/api/schemas.ts';
import type { Completeness, Derived } from '../../shared/summary.ts';

export type MeBody = z.infer<typeof Me>;
export type Catalogue = z.infer<typeof CatalogueBody>;
export type CatalogueKey = Catalogue['keys'][number];
export type Units = z.infer<typeof UnitsBody>;
export type Unit = Units['units'][number];
export type Created = z.infer<typeof CreatedUpload>;
export type UploadStatus = z.infer<typeof UploadStatusBody>;
export type Finding = z.infer<typeof FindingBody>;
export type UploadedSubmission = UploadStatus['submissions'][number];
export type Submissions = z.infer<typeof SubmissionsBody>;
export type MonthCompleteness = z.infer<typeof CompletenessBody>;
/** A published summary: the schema's fields, and (it is a loose object) the stored summary's derived figures and completeness. */
export type PublishedSummary = z.infer<typeof SummaryBody> & { readonly derived?: Partial<Derived>; readonly completeness?: Completeness };
