/**
 * Kept for importers outside this branch (shared/api/app.ts): the ports live in
 * shared/ports/. The coordinator deletes this file once it imports shared/ports/summaries.ts.
 */
export type * from '../ports/summaries.ts';
