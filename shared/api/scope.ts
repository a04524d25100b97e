/**
 * What a caller may reach and send, in one place (docs/DOMAIN.md#roles): a village only its
 * own unit; a town its town's units, uploads, summaries and completeness; the district and
 * the admin every town and the district. Every refusal of another node is made here:
 * UNIT_FORBIDDEN (a village's), TOWN_FORBIDDEN (a town's), and a plain 404 where telling
 * "forbidden" would reveal that the thing exists (an upload id).
 */
import { principalTown, type Principal } from '../auth/principals.ts';
import { ROLES, type Role } from '../auth/roles.ts';
import { DEFAULT_MAX_BYTES } from '../limits.ts';
import type { ApiDeps } from '../ports/api.ts';
import { townOf, type Org, type Registry, type ReportingUnit, type Town } from '../registry.ts';
import type { UploadRecord } from '../uploads.ts';
import { apiErrors } from './errors.ts';

/** The role sets the routes admit: writers send files, readers see summaries and completeness. */
export const EVERYONE: readonly Role[] = ROLES;
export const WRITERS: readonly Role[] = ['village', 'town', 'admin'];
export const READERS: readonly Role[] = ['town', 'district', 'admin'];
export const ADMIN: readonly Role[] = ['admin'];

export function maxFileBytes(deps: Pick<ApiDeps, 'maxFileBytes'>): number {
  return deps.maxFileBytes ?? DEFAULT_MAX_BYTES;
}

/** A village's own unit; asking for another is UNIT_FORBIDDEN. */
export function ownUnit(principal: Extract<Principal, { role: 'village' }>, asked: string | undefined): string {
  if (asked !== undefined && asked !== principal.unit) throw apiErrors.unitForbidden(principal.unit, asked);
  return principal.unit;
}

/** How a town is named in a refusal: `鹅池镇（EC）`. */
function townLabel(registry: Registry, code: string): string {
  const town = registry.findTown(code);
  return town ? `${town.name}（${code}）` : code;
}

/** A town token kept to its own town: another town (or the district) is TOWN_FORBIDDEN. */
function ownTown(principal: Principal, asked: string, registry: Registry, what: string = asked): void {
  if (principal.role === 'town' && asked !== principal.town) throw apiErrors.townForbidden(townLabel(registry, principal.town), what);
}

/**
 * The org a request names by its code (a town's or the district's), if the caller may read
 * it: unknown is ORG_UNKNOWN; a town token reads only its own town (TOWN_FORBIDDEN), the
 * district and the admin read every node.
 */
export function readableOrg(principal: Principal, code: string, registry: Registry): Org {
  const org = registry.org(code);
  if (!org) throw apiErrors.orgUnknown(code);
  ownTown(principal, org.code, registry, `${org.name}（${org.code}）`);
  return org;
}

/**
 * The org today's routes (`/v1/summaries/…`, `/v1/completeness/{m}`) mean: a town token's
 * own town; anyone else's the deployment's default (its single town, or the district).
 */
export function callerOrg(principal: Principal, registry: Registry): Org {
  return principal.role === 'town' ? readableOrg(principal, principal.town, registry) : registry.defaultOrg;
}

/** A unit as a request names it, within `town` (the caller's, or the path's): its full code, or why not. */
function resolveUnit(text: string, town: string | undefined, registry: Registry): string {
  const found = registry.resolve(text, town ?? registry.singleTown?.code);
  if (found.unit) return found.unit.fullCode;
  if (found.problem === 'ambiguous')
    throw apiErrors.unitAmbiguous(
      text,
      found.candidates.map((u) => u.fullCode),
    );
  throw apiErrors.unitUnknown(text);
}

/**
 * A unit the caller may read, named within `town` (the path's, else the caller's own): a
 * village only its own (UNIT_FORBIDDEN), a town only its town's (TOWN_FORBIDDEN), the
 * district and the admin any. A unit not of the path's town is UNIT_UNKNOWN.
 */
export function readableUnit(principal: Principal, text: string, registry: Registry, town?: string): ReportingUnit {
  if (town !== undefined) {
    if (!registry.findTown(town)) throw apiErrors.townUnknown(town);
    if (principal.role !== 'village') ownTown(principal, town, registry, townLabel(registry, town));
  }
  const fullCode = resolveUnit(text, town ?? principalTown(principal), registry);
  const unit = registry.get(fullCode);
  if (!unit || (town !== undefined && unit.town !== town)) throw apiErrors.unitUnknown(text);
  if (principal.role === 'village') ownUnit(principal, unit.fullCode);
  ownTown(principal, unit.town, registry, unit.fullCode);
  return unit;
}

/**
 * The town a file is read in, and the unit it is for (if one): a village's own; a town's
 * own town and one of its units (TOWN_FORBIDDEN for another town's, before anything is
 * signed or recorded); an admin's, the town it names (any unit when it names none).
 */
export function uploadScope(
  principal: Principal,
  asked: { readonly town?: string | undefined; readonly unit?: string | undefined },
  registry: Registry,
): { town: string | undefined; unit: string | undefined } {
  if (asked.town !== undefined && !registry.findTown(asked.town)) throw apiErrors.townUnknown(asked.town);
  if (asked.town !== undefined) ownTown(principal, asked.town, registry, townLabel(registry, asked.town));
  const town = principal.role === 'admin' ? asked.town : principalTown(principal);
  if (principal.role === 'village' && asked.town !== undefined && asked.town !== town)
    throw apiErrors.unitForbidden(principal.unit, townLabel(registry, asked.town));
  const unit = asked.unit === undefined ? undefined : resolveUnit(asked.unit, town, registry);
  if (unit === undefined) return { town, unit };
  if (principal.role === 'village') ownUnit(principal, unit);
  ownTown(principal, townOf(unit), registry, unit);
  return { town, unit };
}

/**
 * Whether the caller may see an upload: a village its own unit's; a town its town's (a
 * file of several of its units included); the district none (it sends nothing); the
 * admin every one. Others are told it does not exist, so that ids reveal nothing.
 */
export function uploadVisible(principal: Principal, record: UploadRecord): boolean {
  switch (principal.role) {
    case 'village':
      return record.uploader.role === 'village' && record.uploader.unit === principal.unit && record.unit === principal.unit;
    case 'town':
      return townOf(record.unit) === principal.town;
    case 'admin':
      return true;
    case 'district':
      return false;
  }
}

/** The towns a caller may open: its own (a village's, a town's), or every town. */
export function visibleTowns(principal: Principal, registry: Registry): readonly Town[] {
  const own = principalTown(principal);
  return own === undefined ? registry.towns : registry.towns.filter((t) => t.code === own);
}
