/**
 * Who a token speaks for: a role bound to a node of the district (docs/DOMAIN.md#roles),
 * how a stored record or an authorizer's context is read back as one, what it may upload,
 * and the principal a request to issue a token names (or why it cannot be granted).
 * Pure core: the registry is an input.
 */
import type { Uploader } from '../collector.ts';
import type { Registry } from '../registry.ts';
import { isRole, ROLES } from './roles.ts';

/**
 * Who a token speaks for, and the node of the district it is bound to: a village (or
 * community, or the town office) to its unit (full code `EC/V01`), a town to its town;
 * the district and the admin to the whole deployment.
 */
export type Principal =
  | { readonly role: 'village'; readonly unit: string }
  | { readonly role: 'town'; readonly town: string }
  | { readonly role: 'district' }
  | { readonly role: 'admin' };

/** `village:EC/V03`, `town:EC`, `district`, `admin`: how a principal is named in logs and lists. */
export function principalLabel(principal: Principal): string {
  if (principal.role === 'village') return `village:${principal.unit}`;
  return principal.role === 'town' ? `town:${principal.town}` : principal.role;
}

const FULL_CODE = /^[A-Z][A-Z0-9_]{1,15}\/[A-Z][A-Z0-9_]{1,15}$/;
const NODE_CODE = /^[A-Z][A-Z0-9_]{1,15}$/;

/**
 * The principal of a stored record (or of an authorizer's context): the role and its
 * node. Throws on anything else (a round-1 town token has no town), so a damaged or
 * outdated record never authorises.
 */
export function principalOf(fields: {
  readonly role: string;
  readonly unit?: string | undefined;
  readonly town?: string | undefined;
}): Principal {
  const { role, unit, town } = fields;
  if (role === 'village') {
    if (!unit || !FULL_CODE.test(unit) || town !== undefined)
      throw new Error('token record: a village token needs a unit full code and no town');
    return { role, unit };
  }
  if (role === 'town') {
    if (!town || !NODE_CODE.test(town) || unit !== undefined) throw new Error('token record: a town token needs a town and no unit');
    return { role, town };
  }
  if (role === 'district' || role === 'admin') {
    if (unit !== undefined || town !== undefined) throw new Error(`token record: a ${role} token with a unit or a town`);
    return { role };
  }
  throw new Error(`token record: unknown role ${JSON.stringify(role)}`);
}

/** The town a principal is bound to (a village's, a town's), or undefined (district, admin). */
export function principalTown(principal: Principal): string | undefined {
  if (principal.role === 'village') return principal.unit.slice(0, principal.unit.indexOf('/'));
  return principal.role === 'town' ? principal.town : undefined;
}

/**
 * The ingest's view of a principal: a village uploads only its own unit, a town its
 * town's, the district nothing; an admin naming a town reads short codes in that town.
 */
export function uploaderOf(principal: Principal, town?: string): Uploader {
  switch (principal.role) {
    case 'village':
      return { role: 'village', unit: principal.unit };
    case 'town':
      return { role: 'town', town: principal.town };
    case 'admin':
      return town === undefined ? { role: 'admin' } : { role: 'admin', town };
    case 'district':
      return { role: 'district' };
  }
}

/**
 * A request to issue a token that cannot be granted (400 in an API; a usage error in the
 * CLI): the role, the unit, the expiry or the note.
 */
export type IssueErrorCode =
  | 'ROLE_UNKNOWN'
  | 'UNIT_REQUIRED'
  | 'UNIT_NOT_ALLOWED'
  | 'UNIT_UNKNOWN'
  | 'UNIT_AMBIGUOUS'
  | 'TOWN_REQUIRED'
  | 'TOWN_UNKNOWN'
  | 'TOWN_NOT_ALLOWED'
  | 'EXPIRY_INVALID'
  | 'NOTE_INVALID';

export class IssueError extends Error {
  override readonly name = 'IssueError';
  constructor(
    readonly code: IssueErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The principal a request names: `village` with a unit of the registry (its full code,
 * division code, or its code or name within `town`), `town` with a town, any other role
 * with neither.
 */
export function requestedPrincipal(
  request: { readonly role: string | undefined; readonly unit?: string | undefined; readonly town?: string | undefined },
  registry: Registry,
): Principal {
  const { role, unit, town } = request;
  if (role === undefined || !isRole(role))
    throw new IssueError('ROLE_UNKNOWN', `角色应为 ${ROLES.join('、')} 之一${role === undefined ? '' : `（不是 “${role}”）`}。`);
  const towns = registry.towns.map((t) => t.code).join(', ');
  if (town !== undefined && !registry.findTown(town)) throw new IssueError('TOWN_UNKNOWN', `镇 “${town}” 不在名录中；可用: ${towns}`);
  if (role === 'village') {
    const example = registry.units[0]?.fullCode ?? 'EC/V03';
    if (unit === undefined)
      throw new IssueError('UNIT_REQUIRED', `village 凭证必须指定单位，例如 ${example}；可用: ${unitCodes(registry, town)}`);
    const found = registry.resolve(unit, town ?? registry.singleTown?.code);
    // A full or division code of another town than the one named is a mistake, not that unit.
    if (found.unit && town !== undefined && found.unit.town !== town)
      throw new IssueError('UNIT_UNKNOWN', `单位 “${unit}” 不在镇 ${town}；可用: ${unitCodes(registry, town)}`);
    if (found.unit) return { role, unit: found.unit.fullCode };
    if (found.problem === 'ambiguous')
      throw new IssueError(
        'UNIT_AMBIGUOUS',
        `单位 “${unit}” 在多个镇都有（${found.candidates.map((u) => u.fullCode).join('、')}）；请写完整代码，如 ${found.candidates[0]?.fullCode}`,
      );
    throw new IssueError('UNIT_UNKNOWN', `单位 “${unit}” 不在名录中；可用: ${unitCodes(registry, town)}`);
  }
  if (unit !== undefined)
    throw new IssueError('UNIT_NOT_ALLOWED', `${role} 凭证不属于某个单位，不能指定单位（${unit}）；只有 village 凭证需要单位。`);
  if (role === 'town') {
    const own = town ?? registry.singleTown?.code;
    if (own === undefined) throw new IssueError('TOWN_REQUIRED', `town 凭证必须指定镇；可用: ${towns}`);
    return { role, town: own };
  }
  if (town !== undefined)
    throw new IssueError('TOWN_NOT_ALLOWED', `${role} 凭证不属于某个镇，不能指定镇（${town}）；只有 town 凭证需要镇。`);
  return { role };
}

function unitCodes(registry: Registry, town: string | undefined): string {
  const units = town === undefined ? registry.units : registry.unitsOf(town);
  const codes = units.map((u) => (registry.singleTown ? u.code : u.fullCode));
  return codes.length > 20 ? `${codes.slice(0, 20).join(', ')} 等 ${codes.length} 个` : codes.join(', ');
}
