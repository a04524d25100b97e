/**
 * The town clerk's desk (docs/DOMAIN.md "The clerk's desk"): a month's units in the order
 * they need work with their figures, the live totals the publisher would publish, whether
 * the published revision still says what the ledger holds (数据已变更，待重新发布), the
 * year to date; and the publish button, which runs the scheduled publisher for one month.
 */
import type * as z from 'zod';
import { deskOrder, monthsToDate, publicationOf, publishable, yearToDate } from '../../desk.ts';
import { monthOf, chineseMonth, type Month } from '../../period.ts';
import type { ApiDeps } from '../../ports/api.ts';
import type { CurrentSubmission } from '../../ports/ledger.ts';
import type { Review } from '../../ports/reviews.ts';
import { buildMonthly, entriesOf, hashOf, type MonthReader, type PublishResult } from '../../publish/publish.ts';
import type { Org, Registry } from '../../registry.ts';
import type { SummaryKind } from '../../ports/summaries.ts';
import type { Summary } from '../../summary.ts';
import { completenessBody, readMonth, type MonthReads } from '../completeness-body.ts';
import { defineRoute } from '../define-route.ts';
import { DeskBody, PublishBody } from '../desk-schemas.ts';
import { apiErrors } from '../errors.ts';
import { json } from '../http.ts';
import * as S from '../schemas.ts';
import { READERS, readableOrg } from '../scope.ts';

const PUBLISHERS = ['town', 'admin'] as const;

export const desk = defineRoute({
  name: 'desk',
  method: 'GET',
  path: '/v1/orgs/{org}/desk/{month}',
  auth: 'reader',
  roles: READERS,
  refusal: '查看镇的工作台',
  summary:
    '镇（或区）某月的工作台：各单位状态（未报的在前）及其数据、实时合计、发布状态（数据已变更，待重新发布）、能否发布、本年累计；镇凭证只能查看本镇',
  params: { org: S.OrgParam, month: S.MonthParam },
  ok: { status: 200, json: DeskBody, description: '工作台' },
  errors: [400, 404],
  handle: async ({ params, deps, principal }) => {
    const registry = await deps.registry();
    const org = readableOrg(principal, params.org, registry);
    if (params.month > monthOf(deps.now())) throw apiErrors.periodInFuture(params.month);
    return json(200, await deskOf(registry, org, params.month, deps));
  },
});

export const publishMonth = defineRoute({
  name: 'publishMonth',
  method: 'POST',
  path: '/v1/orgs/{org}/summaries/monthly/{month}/publish',
  auth: 'token',
  roles: PUBLISHERS,
  refusal: '发布月度汇总（只有镇和管理员可以发布）',
  summary:
    '立即发布某镇（或区）某月的汇总：与定时发布相同——内容有变才生成新版本，并发邮件和群消息；该月结束后才能发布（PERIOD_NOT_OVER）；镇凭证只能发布本镇',
  params: { org: S.OrgParam, month: S.MonthParam },
  ok: { status: 200, json: PublishBody, description: '发布结果' },
  errors: [400, 404, 409],
  handle: async ({ params: { month }, params, deps, principal }) => {
    const registry = await deps.registry();
    const org = readableOrg(principal, params.org, registry);
    const now = deps.now();
    if (month > monthOf(now)) throw apiErrors.periodInFuture(month);
    const { allowed, reason } = publishable(month, now);
    if (!allowed) throw apiErrors.periodNotOver(reason ?? '');
    if (!deps.publishSummary) throw new Error('this deployment does not wire publishSummary');
    const result = await deps.publishSummary(org, month, registry);
    const what = `${org.name}${chineseMonth(month)}汇总`;
    return json(200, {
      org: org.code,
      period: month,
      revision: result.revision,
      published: result.published,
      message: result.published ? `已发布${what}第 ${result.revision} 版。` : `${what}内容未变，仍为第 ${result.revision} 版，未重新发布。`,
      notices: noticesOf(result),
      url: `/v1/orgs/${org.code}/summaries/monthly/${month}`,
    } satisfies z.infer<typeof PublishBody>);
  },
});

/**
 * The month's reads, each once: the completeness's (this month's units and decisions), the
 * live summary's (its rollup, last month, last year) and the year to date's (each earlier
 * month's units and decisions) — this month's served from the completeness's reads.
 */
function readerOf(deps: ApiDeps, period: Month, reads: MonthReads): MonthReader & Parameters<typeof buildMonthly>[0] {
  return {
    rollupWithVersion: (org, scope, p) => deps.ledger.rollupWithVersion(org, scope, p),
    currentOfMonth: async (m, town): Promise<CurrentSubmission[]> =>
      m === period ? [...reads.current] : deps.ledger.currentOfMonth(m, town),
    reviewsOfMonth: async (m, town): Promise<Review[]> => (m === period ? [...reads.reviews] : deps.reviews.reviewsOfMonth(m, town)),
  };
}

/** The desk as answered: its summaries are the core's (SummaryBody describes them, loosely). */
type Desk = Omit<z.infer<typeof DeskBody>, 'live' | 'yearToDate'> & {
  readonly live: Summary & { readonly kind: SummaryKind };
  readonly yearToDate: { readonly from: Month; readonly through: Month; readonly summary: Summary & { readonly kind: SummaryKind } };
};

async function deskOf(registry: Registry, org: Org, period: Month, deps: ApiDeps): Promise<Desk> {
  const now = deps.now();
  const reads = await readMonth(deps, org, period);
  const reader = readerOf(deps, period, reads);
  const months = monthsToDate(period);
  const [{ summary: live }, entries] = await Promise.all([
    buildMonthly(reader, registry, org, period),
    Promise.all(months.map((m) => entriesOf(reader, org, m))),
  ]);
  const completeness = completenessBody(registry, org, period, reads, now);
  const values = new Map(reads.current.map((c) => [c.unit, c.values]));
  const ytd = yearToDate(registry, org, period, new Map(months.map((m, i) => [m, entries[i]!])));
  return {
    ...completeness,
    units: deskOrder(completeness.units).map((u) => {
      const own = values.get(u.fullCode);
      return own ? { ...u, values: { ...own } } : u;
    }),
    publication: publicationOf(reads.latest, hashOf(live)),
    publish: publishable(period, now),
    live: { ...live, kind: 'monthly' },
    yearToDate: { from: months[0]!, through: period, summary: { ...ytd, kind: 'annual' } },
  };
}

/** The mail's outcome (sent, or failed after its retries) and each robot's. */
function noticesOf(result: PublishResult): { channel: string; status: string }[] {
  const mail = result.mailed ? [{ channel: 'mail', status: 'sent' }] : (result.failed ?? []).filter((o) => o.channel === 'mail');
  return [...mail, ...(result.robots ?? [])].map(({ channel, status }) => ({ channel, status }));
}
