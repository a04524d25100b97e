/**
 * The town clerk's desk (docs/DOMAIN.md "The clerk's desk"): a month's units in the order
 * they need work with their figures, the live totals the publisher would publish, whether
 * the published revision still says what the ledger holds (数据已变更，待重新发布), the
 * year to date (shared/api/desk-body.ts, loaded by the first desk asked for); and the
 * publish button, which runs the scheduled publisher for one month.
 */
import type * as z from 'zod/mini';
import { monthOf, chineseMonth } from '../../period.ts';
import type { PublishResult } from '../../publish/publish.ts';
import { defineRoute } from '../define-route.ts';
import type { PublishBody } from '../desk-schemas.ts';
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
  ok: { status: 200, json: 'DeskBody', description: '工作台' },
  errors: [400, 404],
  handle: async ({ params, deps, principal }) => {
    const registry = await deps.registry();
    const org = readableOrg(principal, params.org, registry);
    if (params.month > monthOf(deps.now())) throw apiErrors.periodInFuture(params.month);
    // The desk's summaries are built by the publisher's code, loaded by the first desk asked for.
    const { deskOf } = await import('../desk-body.ts');
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
  ok: { status: 200, json: 'PublishBody', description: '发布结果' },
  errors: [400, 404, 409],
  handle: async ({ params: { month }, params, deps, principal }) => {
    const registry = await deps.registry();
    const org = readableOrg(principal, params.org, registry);
    const now = deps.now();
    if (month > monthOf(now)) throw apiErrors.periodInFuture(month);
    const { publishable } = await import('../../desk.ts');
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

/** The mail's outcome (sent, or failed after its retries) and each robot's. */
function noticesOf(result: PublishResult): { channel: string; status: string }[] {
  const mail = result.mailed ? [{ channel: 'mail', status: 'sent' }] : (result.failed ?? []).filter((o) => o.channel === 'mail');
  return [...mail, ...(result.robots ?? [])].map(({ channel, status }) => ({ channel, status }));
}
