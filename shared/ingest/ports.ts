/**
 * Kept for importers outside this branch (shared/api/app.ts, functions/commons/registry.ts):
 * the ports live in shared/ports/. The coordinator deletes this file once they import those.
 */
export type * from '../ports/objects.ts';
export type * from '../ports/ledger.ts';
