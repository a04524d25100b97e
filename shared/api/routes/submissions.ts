/** What units have sent: one unit's month with its history, and a month's completeness. */
import type * as z from 'zod';
import type { CurrentSubmission } from '../../ports/ledger.ts';
import { chineseDeadline, deadlineOf } from '../../period.ts';
import { defineRoute } from '../define-route.ts';
import { apiErrors } from '../errors.ts';
import { findingBody } from '../finding-body.ts';
import { json } from '../http.ts';
import * as S from '../schemas.ts';
import { ownUnit, READERS, resolveUnit, WRITERS } from '../scope.ts';
import { principalTown } from '../../auth/tokens.ts';

export const submissions = defineRoute({
  name: 'submissions',
  method: 'GET',
  path: '/v1/units/{unit}/submissions/{month}',
  auth: 'token',
  roles: WRITERS,
  refusal: '查看单位的报送明细',
  summary: '某单位某月的现行报送及其历史',
  params: { unit: S.UnitParam, month: S.MonthParam },
  ok: { status: 200, json: S.SubmissionsBody, description: '现行报送与历史' },
  errors: [400, 404],
  handle: async ({ params: { unit: asked, month: period }, deps, principal }) => {
    const registry = await deps.registry();
    const unit = resolveUnit(asked, principalTown(principal), registry);
    if (principal.role === 'village') ownUnit(principal, unit);
    const known = registry.get(unit);
    if (!known) throw apiErrors.unitUnknown(unit);
    const [current, history] = await Promise.all([deps.ledger.currentSubmission(unit, period), deps.ledger.history(unit, period)]);
    return json(200, {
      unit,
      unitName: known.name,
      period,
      current: current ? submissionBody(current) : null,
      history: history.map(submissionBody),
    });
  },
});

function submissionBody(s: CurrentSubmission): z.infer<typeof S.SubmissionBody> {
  return {
    unit: s.unit,
    period: s.period,
    uploadId: s.uploadId,
    receivedAt: s.receivedAt,
    firstReceivedAt: s.firstReceivedAt,
    values: { ...s.values },
    warnings: (s.warnings ?? []).map(findingBody),
  };
}

type Completeness = z.infer<typeof S.CompletenessBody>;

export const completeness = defineRoute({
  name: 'completeness',
  method: 'GET',
  path: '/v1/completeness/{month}',
  auth: 'reader',
  roles: READERS,
  refusal: '查看全镇报送情况',
  summary: '某月各单位的报送情况（是否已报、是否按时）',
  params: { month: S.MonthParam },
  ok: { status: 200, json: S.CompletenessBody, description: '各单位报送情况' },
  errors: [400],
  handle: async ({ params: { month: period }, deps }) => {
    const registry = await deps.registry();
    const org = registry.defaultOrg;
    const town = org.level === 'town' ? org.code : undefined;
    const [current, latest] = await Promise.all([
      deps.ledger.currentOfMonth(period, town),
      deps.summaries.latest(org.code, 'monthly', period),
    ]);
    const byUnit = new Map(current.map((c) => [c.unit, c]));
    const deadline = deadlineOf(period, registry.deadlineDay);
    const units: Completeness['units'] = registry.expected(org, period).map((u) => {
      const c = byUnit.get(u.fullCode);
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
    });
    const count = (s: string) => units.filter((u) => u.status === s).length;
    const body: Completeness = {
      org: org.code,
      orgName: org.name,
      level: org.level,
      period,
      deadline: deadline.toISOString(),
      deadlineText: chineseDeadline(period, registry.deadlineDay),
      units,
      summary: {
        expected: units.length,
        received: units.length - count('missing'),
        onTime: count('on_time'),
        late: count('late'),
        missing: count('missing'),
      },
      published: latest ? { revision: latest.revision, url: `/v1/summaries/monthly/${period}` } : null,
    };
    return json(200, body);
  },
});
