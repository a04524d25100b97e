/**
 * A month's completeness (报送情况) of a town or of the district: which units sent, on time
 * or late, which are missing. A town's lists its units by short code; the district's lists
 * every unit by full code and adds each town's counts and missing units by name, so that
 * a district officer sees at a glance which town to call.
 */
import type { ApiDeps } from '../../ports/api.ts';
import type { Month } from '../../period.ts';
import type { Org, Registry } from '../../registry.ts';
import { completenessBody, readMonth } from '../completeness-body.ts';
import { defineRoute } from '../define-route.ts';
import { json, type ApiResponse } from '../http.ts';
import * as S from '../schemas.ts';
import { callerOrg, READERS, readableOrg } from '../scope.ts';

const REFUSAL = '查看报送情况';

export const completeness = defineRoute({
  name: 'completeness',
  method: 'GET',
  path: '/v1/completeness/{month}',
  auth: 'reader',
  roles: READERS,
  refusal: REFUSAL,
  summary: '某月各单位的报送情况（是否已报、是否按时）：镇凭证为本镇；其他凭证为本部署的默认层级（只有一个镇时为该镇，否则为全区）',
  params: { month: S.MonthParam },
  ok: { status: 200, json: 'CompletenessBody', description: '各单位报送情况' },
  errors: [400],
  handle: async ({ params: { month }, deps, principal }) => {
    const registry = await deps.registry();
    return answer(registry, callerOrg(principal, registry), month, deps);
  },
});

export const orgCompleteness = defineRoute({
  name: 'orgCompleteness',
  method: 'GET',
  path: '/v1/orgs/{org}/completeness/{month}',
  auth: 'reader',
  roles: READERS,
  refusal: REFUSAL,
  summary: '某镇或全区某月的报送情况；区级另列各镇的应报、已报、未报单位；镇凭证只能查看本镇',
  params: { org: S.OrgParam, month: S.MonthParam },
  ok: { status: 200, json: 'CompletenessBody', description: '各单位报送情况' },
  errors: [400, 404],
  handle: async ({ params: { org, month }, deps, principal }) => {
    const registry = await deps.registry();
    return answer(registry, readableOrg(principal, org, registry), month, deps);
  },
});

async function answer(registry: Registry, org: Org, period: Month, deps: ApiDeps): Promise<ApiResponse> {
  return json(200, completenessBody(registry, org, period, await readMonth(deps, org, period), deps.now()));
}
