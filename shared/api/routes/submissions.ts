/**
 * What one unit has sent for a month: its current submission and its history. The unit is
 * named within the caller's town (`/v1/units/{unit}/…`) or within the path's
 * (`/v1/orgs/{town}/units/{unit}/…`); shared/api/scope.ts decides who may read it.
 */
import type * as z from 'zod/mini';
import type { ApiDeps } from '../../ports/api.ts';
import type { CurrentSubmission, SubmissionVersion } from '../../ports/ledger.ts';
import type { Month } from '../../period.ts';
import type { ReportingUnit } from '../../registry.ts';
import { defineRoute } from '../define-route.ts';
import { findingBody } from '../finding-body.ts';
import { json, type ApiResponse } from '../http.ts';
import type * as A from '../answer-schemas.ts';
import * as S from '../schemas.ts';
import { EVERYONE, readableUnit } from '../scope.ts';

const REFUSAL = '查看单位的报送明细';

export const submissions = defineRoute({
  name: 'submissions',
  method: 'GET',
  path: '/v1/units/{unit}/submissions/{month}',
  auth: 'token',
  roles: EVERYONE,
  refusal: REFUSAL,
  summary: '某单位某月的现行报送及其历史（单位代码按本凭证的镇解读）',
  params: { unit: S.UnitParam, month: S.MonthParam },
  ok: { status: 200, json: 'SubmissionsBody', description: '现行报送与历史' },
  errors: [400, 404],
  handle: async ({ params: { unit, month }, deps, principal }) => answer(readableUnit(principal, unit, await deps.registry()), month, deps),
});

export const orgSubmissions = defineRoute({
  name: 'orgSubmissions',
  method: 'GET',
  path: '/v1/orgs/{town}/units/{unit}/submissions/{month}',
  auth: 'token',
  roles: EVERYONE,
  refusal: REFUSAL,
  summary: '某镇某单位某月的现行报送及其历史；村（社区）只能查看本单位，镇只能查看本镇',
  params: { town: S.TownParam, unit: S.UnitParam, month: S.MonthParam },
  ok: { status: 200, json: 'SubmissionsBody', description: '现行报送与历史' },
  errors: [400, 404],
  handle: async ({ params: { town, unit, month }, deps, principal }) =>
    answer(readableUnit(principal, unit, await deps.registry(), town), month, deps),
});

async function answer(unit: ReportingUnit, period: Month, deps: ApiDeps): Promise<ApiResponse> {
  const [current, history] = await Promise.all([
    deps.ledger.currentSubmission(unit.fullCode, period),
    deps.ledger.versions(unit.fullCode, period),
  ]);
  return json(200, {
    unit: unit.fullCode,
    unitName: unit.name,
    period,
    current: current ? submissionBody(current) : null,
    history: history.map(versionBody),
  });
}

function submissionBody(s: CurrentSubmission): z.infer<typeof A.SubmissionBody> {
  return {
    unit: s.unit,
    period: s.period,
    uploadId: s.uploadId,
    receivedAt: s.receivedAt,
    firstReceivedAt: s.firstReceivedAt,
    values: { ...s.values },
    warnings: (s.warnings ?? []).map(findingBody),
    version: s.version,
  };
}

function versionBody(v: SubmissionVersion): z.infer<typeof A.VersionBody> {
  return {
    uploadId: v.uploadId,
    receivedAt: v.receivedAt,
    version: v.version,
    values: { ...v.values },
    cleared: [...(v.cleared ?? [])],
    changes: v.changes.map((c) => ({ ...c })),
    unchanged: v.unchanged,
    warnings: (v.warnings ?? []).map(findingBody),
  };
}
