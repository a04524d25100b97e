/**
 * The review of a unit-month (docs/DOMAIN.md#review): a unit's last months as its
 * secretary sees them, a month's audit trail, and the town's decisions on it (approve,
 * return with a reason, reopen with a reason), each naming the version the reviewer saw.
 */
import type * as z from 'zod/mini';
import type { Principal } from '../../auth/principals.ts';
import type { ApiDeps } from '../../ports/api.ts';
import { monthOf, type Month } from '../../period.ts';
import type { Registry, ReportingUnit } from '../../registry.ts';
import { reviewMonth } from '../../review/act.ts';
import { unitMonth, unitMonths } from '../../review/months.ts';
import type { MonthReview } from '../../review/review.ts';
import { auditTrail } from '../../review/trail.ts';
import { defineRoute } from '../define-route.ts';
import { json } from '../http.ts';
import type * as A from '../answer-schemas.ts';
import * as S from '../schemas.ts';
import { EVERYONE, readableUnit } from '../scope.ts';

const REVIEWERS = ['town', 'admin'] as const;
const MONTHS_SHOWN = 12;

export const unitMonthsRoute = defineRoute({
  name: 'unitMonths',
  method: 'GET',
  path: '/v1/orgs/{town}/units/{unit}/months',
  auth: 'token',
  roles: EVERYONE,
  refusal: '查看单位各月的报送与审核状态',
  summary: '某单位最近 12 个月的状态（未报 / 已报 / 已审核 / 已退回）、报送截止与锁定日；村（社区）只能查看本单位',
  params: { town: S.TownParam, unit: S.UnitParam },
  query: S.UnitMonthsQuery,
  ok: { status: 200, json: 'UnitMonthsBody', description: '各月状态，最近的在前' },
  errors: [400, 404],
  handle: async ({ params: { town, unit }, query, deps, principal }) => {
    const registry = await deps.registry();
    const found = readableUnit(principal, unit, registry, town);
    const now = deps.now();
    const months = await unitMonths(found.fullCode, query.to ?? lastEnded(now), MONTHS_SHOWN, { reviews: deps.reviews, registry, now });
    return json(200, { unit: found.fullCode, unitName: found.name, town: found.town, months: months.map(monthBody) });
  },
});

export const monthHistory = defineRoute({
  name: 'monthHistory',
  method: 'GET',
  path: '/v1/orgs/{town}/units/{unit}/months/{month}/history',
  auth: 'token',
  roles: EVERYONE,
  refusal: '查看单位某月的审核记录',
  summary: '某单位某月的全部记录：每一版及其变化、每次审核（谁、何时、为何、针对第几版）、被拒的报送、锁定日',
  params: { town: S.TownParam, unit: S.UnitParam, month: S.MonthParam },
  ok: { status: 200, json: 'HistoryBody', description: '按时间先后的记录' },
  errors: [400, 404],
  handle: async ({ params: { town, unit, month }, deps, principal }) => {
    const registry = await deps.registry();
    const found = readableUnit(principal, unit, registry, town);
    return json(200, await history(found, month, registry, deps));
  },
});

export const reviewRoute = defineRoute({
  name: 'review',
  method: 'POST',
  path: '/v1/orgs/{town}/units/{unit}/months/{month}/review',
  auth: 'token',
  roles: REVIEWERS,
  refusal: '审核（只有镇和管理员可以审核）',
  summary: '审核通过、退回（须写原因）或重新打开（须写原因）某单位某月；须带上所见的版本，其间有更正则失败（REVIEW_CONFLICT）',
  params: { town: S.TownParam, unit: S.UnitParam, month: S.MonthParam },
  body: S.ReviewRequest,
  ok: { status: 200, json: 'ReviewResultBody', description: '审核后的状态；退回时附通知的发送结果' },
  // 413: a body over 16 KB (BODY_TOO_LARGE), as for every route that reads one.
  errors: [400, 404, 409, 413],
  handle: async ({ params: { town, unit, month }, body, deps, principal }) => {
    const registry = await deps.registry();
    const found = readableUnit(principal, unit, registry, town);
    const review = await reviewMonth(principal as Principal, found.fullCode, month, body, {
      reviews: deps.reviews,
      registry,
      now: deps.now,
    });
    // The decision stands whatever the notice's fate: its outcome is told to the clerk.
    const notified =
      body.action === 'return' && deps.notifyReturn
        ? await deps.notifyReturn(
            {
              unit: found.fullCode,
              period: month,
              version: review.version,
              at: review.reviewedAt ?? deps.now().toISOString(),
              ...(review.reason ? { reason: review.reason } : {}),
            },
            registry,
          )
        : undefined;
    return json(200, {
      ...reviewBody(review),
      ...(notified ? { notices: notified.map(({ channel, status }) => ({ channel, status })) } : {}),
    });
  },
});

async function history(unit: ReportingUnit, period: Month, registry: Registry, deps: ApiDeps): Promise<z.infer<typeof A.HistoryBody>> {
  const now = deps.now();
  const trail = await deps.reviews.trail(unit.fullCode, period);
  const state = unitMonth(period, trail.current, trail.review, registry, now);
  const events = auditTrail(period, trail.versions, trail.entries, { lockDay: registry.lockDay, now });
  return {
    unit: unit.fullCode,
    unitName: unit.name,
    period,
    review: reviewBody(state.review),
    events: events.map(({ changes, ...e }) => ({ ...e, ...(changes ? { changes: changes.map((c) => ({ ...c })) } : {}) })),
  };
}

/** The last month that has ended (Asia/Shanghai): where a secretary's list starts. */
function lastEnded(now: Date): Month {
  const [y, m] = monthOf(now).split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

function reviewBody(r: MonthReview): z.infer<typeof A.ReviewStateBody> {
  return { ...r };
}

function monthBody(m: ReturnType<typeof unitMonth>): z.infer<typeof A.UnitMonthBody> {
  return { ...m, review: reviewBody(m.review) };
}
