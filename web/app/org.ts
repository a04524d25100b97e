/**
 * The node of the hierarchy the town section shows (docs/DOMAIN.md#hierarchy): the
 * caller's own (`me.org`: a town's town, or the district), or a town a district user
 * opened; and the node-scoped routes that read it (`/v1/orgs/{org}/…`).
 */
import { shortCode, townCode } from './codes.ts';
import { session } from './session.ts';
import type { MeBody, Org } from './types.ts';

/** The node shown now (the caller's own until another is opened). */
export function viewedOrg(me: MeBody): Org {
  return session.view || me.org;
}

/** The node `code` as the caller may open it: its own, or one of its towns; else none. */
export function orgOf(me: MeBody, code: string): Org | null {
  if (code === me.org.code) return me.org;
  const town = me.towns.filter((t) => t.code === code)[0];
  return town ? { code: town.code, name: town.name, level: 'town' } : null;
}

/** Whether the caller stands above towns it can open one by one (the district, an admin of several towns). */
export function seesTowns(me: MeBody): boolean {
  return me.org.level === 'district' && me.towns.length > 0;
}

/** `v1/orgs/EC/completeness/2025-03`: a route of the node, its parts encoded. */
export function orgPath(org: string, ...parts: readonly string[]): string {
  return ['v1/orgs', encodeURIComponent(org)].concat(parts.map((p) => encodeURIComponent(p))).join('/');
}

/** `v1/orgs/EC/units/V06/months`: a route of the unit with full code `EC/V06`, by its town. */
export function unitPath(fullCode: string, ...parts: readonly string[]): string {
  return orgPath(townCode(fullCode), 'units', shortCode(fullCode), ...parts);
}
