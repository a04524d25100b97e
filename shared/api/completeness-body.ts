/**
 * A month's completeness (报送情况) of a town or of the district, from the month's reads:
 * each unit on time, late or missing with its review state; the district's also each
 * town's counts and missing units. The completeness routes answer it; the clerk's desk
 * (routes/desk.ts) builds on it.
 */
import type * as z from 'zod/mini';
import type { ApiDeps } from '../ports/api.ts';
import type { CurrentSubmission } from '../ports/ledger.ts';
import type { Review } from '../ports/reviews.ts';
import type { LatestRevision } from '../ports/summaries.ts';
import { chineseDeadline, deadlineOf, type Month } from '../period.ts';
import type { Org, Registry, ReportingUnit } from '../registry.ts';
import { reviewsOfMonth } from '../review/of-month.ts';
import { lockReason } from '../review/review.ts';
import type * as A from './answer-schemas.ts';

type Completeness = z.infer<typeof A.CompletenessBody>;
type UnitStatus = Completeness['units'][number];

/** What a month's completeness is made of: its current months, its decisions, its latest revision. */
export interface MonthReads {
  readonly current: readonly CurrentSubmission[];
  readonly reviews: readonly Review[];
  readonly latest: LatestRevision | undefined;
}

/** The month's reads of an org: two GSI1 Queries (a town's prefix, or the district's partition) and a GetItem. */
export async function readMonth(deps: Pick<ApiDeps, 'ledger' | 'reviews' | 'summaries'>, org: Org, period: Month): Promise<MonthReads> {
  const town = org.level === 'town' ? org.code : undefined;
  const [current, reviews, latest] = await Promise.all([
    deps.ledger.currentOfMonth(period, town),
    deps.reviews.reviewsOfMonth(period, town),
    deps.summaries.latest(org.code, 'monthly', period),
  ]);
  return { current, reviews, latest };
}

export function completenessBody(
  registry: Registry,
  org: Org,
  period: Month,
  { current, reviews, latest }: MonthReads,
  now: Date,
): Completeness {
  const byUnit = new Map(current.map((c) => [c.unit, c]));
  const deadline = deadlineOf(period, registry.deadlineDay);
  const reviewOf = reviewsOfMonth(current, reviews, (r) => lockReason(period, now, registry.lockDay, r));
  const status = (u: ReportingUnit) => ({ ...unitStatus(u, org, byUnit.get(u.fullCode), deadline), review: reviewOf(u.fullCode) });
  const units = registry.expected(org, period).map(status);
  return {
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
