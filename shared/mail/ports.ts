/**
 * Kept for importers outside this branch (shared/mail/config.ts): the ports live in
 * shared/ports/. The coordinator deletes this file once it imports shared/ports/mail.ts.
 */
export type * from '../ports/mail.ts';
