/** What a caller may reach and send: a village only its own unit; files up to the limit. */
import { ROLES, type Principal, type Role } from '../auth/tokens.ts';
import { DEFAULT_MAX_BYTES } from '../check.ts';
import type { ApiDeps } from '../ports/api.ts';
import type { Registry } from '../registry.ts';
import { apiErrors } from './errors.ts';

/** A village's own unit; asking for another is UNIT_FORBIDDEN. */
export function ownUnit(principal: Extract<Principal, { role: 'village' }>, asked: string | undefined): string {
  if (asked !== undefined && asked !== principal.unit) throw apiErrors.unitForbidden(principal.unit, asked);
  return principal.unit;
}

export function maxFileBytes(deps: Pick<ApiDeps, 'maxFileBytes'>): number {
  return deps.maxFileBytes ?? DEFAULT_MAX_BYTES;
}

/** The role sets the routes admit: writers send files, readers see the whole town. */
export const EVERYONE: readonly Role[] = ROLES;
export const WRITERS: readonly Role[] = ['village', 'town', 'admin'];
export const READERS: readonly Role[] = ['town', 'district', 'admin'];
export const ADMIN: readonly Role[] = ['admin'];

/** A unit as a request names it, within the caller's town: its full code, or why not. */
export function resolveUnit(text: string, town: string | undefined, registry: Registry): string {
  const found = registry.resolve(text, town ?? registry.singleTown?.code);
  if (found.unit) return found.unit.fullCode;
  if (found.problem === 'ambiguous')
    throw apiErrors.unitAmbiguous(
      text,
      found.candidates.map((u) => u.fullCode),
    );
  throw apiErrors.unitUnknown(text);
}
