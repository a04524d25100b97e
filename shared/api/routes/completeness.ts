/**
 * A month's completeness (报送情况) of a town or of the district: which units sent, on time
 * or late, which are missing. A town's lists its units by short code; the district's lists
 * every unit by full code and adds each town's counts and missing units by name, so that
 * a district officer sees at a glance which town to call.
 */
import type * as z from 'zod';
import type { ApiDeps } from '../../ports/api.ts';
import type { CurrentSubmission } from '../../ports/ledger.ts';
import { chineseDeadline, deadlineOf, type Month } from '../../period.ts';
import type { Org, Registry, ReportingUnit } from '../../registry.ts';
import { reviewsOfMonth } from '../../review/of-month.ts';
import { lockReason } from '../../review/review.ts';
import { defineRoute } from '../define-route.ts';
import { json, type ApiResponse } from '../http.ts';
import * as S from '../schemas.ts';
import { callerOrg, READERS, readableOrg } from '../scope.ts';

type Completeness = z.infer<typeof S.CompletenessBody>;
type UnitStatus = Completeness['units'][number];
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
  ok: { status: 200, json: S.CompletenessBody, description: '各单位报送情况' },
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
  ok: { status: 200, json: S.CompletenessBody, description: '各单位报送情况' },
  errors: [400, 404],
  handle: async ({ params: { org, month }, deps, principal }) => {
    const registry = await deps.registry();
    return answer(registry, readableOrg(principal, org, registry), month, deps);
  },
});

async function answer(registry: Registry, org: Org, period: Month, deps: ApiDeps): Promise<ApiResponse> {
  const town = org.level === 'town' ? org.code : undefined;
  const [current, reviews, latest] = await Promise.all([
    deps.ledger.currentOfMonth(period, town),
    deps.reviews.reviewsOfMonth(period, town),
    deps.summaries.latest(org.code, 'monthly', period),
  ]);
  const byUnit = new Map(current.map((c) => [c.unit, c]));
  const deadline = deadlineOf(period, registry.deadlineDay);
  const now = deps.now();
  const reviewOf = reviewsOfMonth(current, reviews, (r) => lockReason(period, now, registry.lockDay, r));
  const status = (u: ReportingUnit) => ({ ...unitStatus(u, org, byUnit.get(u.fullCode), deadline), review: reviewOf(u.fullCode) });
  const units = registry.expected(org, period).map(status);
  const body: Completeness = {
    org: org.code,
    orgName: org.name,
    level: org.level,
    period,
    deadline: deadline.toISOString(),
    deadlineText: chineseDeadline(period, registry.deadlineDay),
    units,
    summary: counts(units),
    ...(org.level === 'district' ? { towns: townLines(registry, units, period) } : {}),
    published: latest ? { revision: latest.revision, url: `/v1/orgs/${org.code}/summaries/monthly/${period}` } : null,
  };
  return json(200, body);
}

/** The district's line per town: its counts and missing units, the units grouped once (O(units)). */
function townLines(registry: Registry, units: readonly UnitStatus[], period: Month): NonNullable<Completeness['towns']> {
  const byTown = new Map<string, UnitStatus[]>(registry.towns.map((t) => [t.code, []]));
  for (const u of units) byTown.get(u.town)?.push(u);
  return registry.towns.map((town) => {
    const own = byTown.get(town.code) ?? [];
    return {
      code: town.code,
      name: town.name,
      summary: counts(own),
      missingUnits: own.filter((u) => u.status === 'missing').map((u) => ({ unit: u.fullCode, name: u.name })),
      url: `/v1/orgs/${town.code}/completeness/${period}`,
    };
  });
}

/** A unit's line: short code in a town's list, full code in the district's. */
function unitStatus(u: ReportingUnit, org: Org, c: CurrentSubmission | undefined, deadline: Date): Omit<UnitStatus, 'review'> {
  const id = { unit: org.level === 'town' ? u.code : u.fullCode, fullCode: u.fullCode, town: u.town, name: u.name };
  if (!c) return { ...id, status: 'missing', warnings: 0 };
  return {
    ...id,
    status: Date.parse(c.firstReceivedAt) < deadline.getTime() ? 'on_time' : 'late',
    firstReceivedAt: c.firstReceivedAt,
    receivedAt: c.receivedAt,
    uploadId: c.uploadId,
    warnings: c.warnings?.length ?? 0,
  };
}

function counts(units: readonly UnitStatus[]): Completeness['summary'] {
  const count = (s: UnitStatus['status']) => units.filter((u) => u.status === s).length;
  return {
    expected: units.length,
    received: units.length - count('missing'),
    onTime: count('on_time'),
    late: count('late'),
    missing: count('missing'),
    approved: units.filter((u) => u.review.state === 'approved').length,
    returned: units.filter((u) => u.review.state === 'returned').length,
  };
}
