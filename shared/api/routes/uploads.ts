/** Sending a file: a presigned POST for the unit's month, then the upload's outcome. */
import type * as z from 'zod/mini';
import { uploaderOf, type Principal } from '../../auth/principals.ts';
import { ANY_UNIT, anyUnitOf, CONTENT_TYPES } from '../../layout.ts';
import { chineseLockDay, chineseMonth, monthOf } from '../../period.ts';
import type { ApiDeps } from '../../ports/api.ts';
import { boundByLocks, lockReason } from '../../review/review.ts';
import type { Registry } from '../../registry.ts';
import { newUploadId, objectKey, type UploadIntent, type UploadRecord } from '../../uploads.ts';
import { defineRoute } from '../define-route.ts';
import { apiErrors } from '../errors.ts';
import { findingBody } from '../finding-body.ts';
import { json } from '../http.ts';
import type * as A from '../answer-schemas.ts';
import * as S from '../schemas.ts';
import { maxFileBytes, uploadScope, uploadVisible, WRITERS } from '../scope.ts';

export const createUpload = defineRoute({
  name: 'createUpload',
  method: 'POST',
  path: '/v1/uploads',
  auth: 'token',
  roles: WRITERS,
  refusal: '上传文件（区级只能查看汇总，不能报送）',
  summary: '申请上传：返回只能用于本单位本月的 S3 预签名 POST',
  body: S.CreateUploadRequest,
  ok: {
    status: 201,
    json: 'CreatedUpload',
    location: true,
    description: '预签名 POST：把 fields 与文件以 multipart/form-data 提交到 url',
  },
  errors: [400, 404, 409, 413],
  handle: async ({ body, deps, principal }) => {
    const now = deps.now();
    const registry = await deps.registry();
    const { unit, period } = destination(principal, body, registry);
    if (period !== 'unknown' && period > monthOf(now)) throw apiErrors.periodInFuture(period);
    await refuseLocked(principal, unit, period, registry, deps);
    const maxBytes = maxFileBytes(deps);
    if (body.size !== undefined && body.size > maxBytes) throw apiErrors.fileTooLarge(body.size, maxBytes);
    const uploader = uploaderOf(principal, principal.role === 'admin' ? body.town : undefined);
    const intent: UploadIntent = {
      uploadId: newUploadId(),
      uploader,
      unit,
      period,
      ext: body.format,
      createdAt: now.toISOString(),
      maxBytes,
    };
    const key = objectKey(intent);
    const ttl = deps.uploadTtlSeconds ?? 15 * 60;
    // Sign first (no side effect), then record: an intent is never left without its form.
    const form = await deps.presigner.presign({ key, contentType: CONTENT_TYPES[body.format], maxBytes, expiresInSeconds: ttl });
    if (!(await deps.ledger.putIntent(intent))) throw apiErrors.uploadExists(intent.uploadId);
    const statusUrl = `/v1/uploads/${intent.uploadId}`;
    const created = json(
      201,
      {
        uploadId: intent.uploadId,
        key,
        url: form.url,
        fields: form.fields,
        expiresAt: new Date(Date.now() + ttl * 1000).toISOString(),
        maxBytes,
        statusUrl,
      },
      { location: statusUrl },
    );
    return { ...created, correlationId: intent.uploadId };
  },
});

/**
 * A month its uploader may no longer change is refused before any file is sent: the
 * secretary learns it on the page at once. The ingest decides again on the file itself
 * (a decision may land in between), so this is a courtesy, not the lock.
 */
async function refuseLocked(principal: Principal, unit: string, period: string, registry: Registry, deps: ApiDeps): Promise<void> {
  if (period === 'unknown' || unit.endsWith(`/${ANY_UNIT}`) || !boundByLocks(uploaderOf(principal))) return;
  const { review } = await deps.reviews.month(unit, period);
  const lock = lockReason(period, deps.now(), registry.lockDay, review);
  if (!lock) return;
  const what = `${registry.get(unit)?.name ?? unit} ${chineseMonth(period)}的数据`;
  throw apiErrors.periodLocked(what, lock === 'approved' ? '已经镇审核' : `已过锁定日（${chineseLockDay(period, registry.lockDay)}）`);
}

/**
 * Where a file goes: a village's own unit and a month it names; a town's file may hold
 * several of its units (`EC/ALL`) and months (`unknown`), an admin's any (`ALL/ALL`, or
 * one town's when it names the town). Who may send for which unit is shared/api/scope.ts.
 */
function destination(principal: Principal, body: S.CreateUploadRequest, registry: Registry): { unit: string; period: string } {
  const { town, unit } = uploadScope(principal, body, registry);
  if (principal.role === 'village') {
    if (!body.period) throw apiErrors.periodRequired();
    return { unit: principal.unit, period: body.period };
  }
  return { unit: unit ?? anyUnitOf(town), period: body.period ?? 'unknown' };
}

export const getUpload = defineRoute({
  name: 'getUpload',
  method: 'GET',
  path: '/v1/uploads/{uploadId}',
  auth: 'token',
  roles: WRITERS,
  refusal: '查看上传结果（只有报送单位和镇可以查看）',
  summary: '上传的处理结果：待处理、已接收或被退回（逐行逐列的问题）',
  params: { uploadId: S.UploadIdParam },
  ok: { status: 200, json: 'UploadStatusBody', description: '处理结果' },
  errors: [400, 404],
  handle: async ({ params: { uploadId }, deps, principal }) => {
    const record = await deps.ledger.getUpload(uploadId);
    // A village learns nothing of other units' uploads, a town of other towns', not even that they exist.
    if (!record || !uploadVisible(principal, record)) throw apiErrors.uploadNotFound(uploadId);
    return { ...json(200, uploadStatus(record)), correlationId: uploadId };
  },
});

function uploadStatus(record: UploadRecord): z.infer<typeof A.UploadStatusBody> {
  return {
    uploadId: record.uploadId,
    status: record.status,
    unit: record.unit,
    period: record.period,
    format: record.ext,
    createdAt: record.createdAt,
    ...(record.receivedAt ? { receivedAt: record.receivedAt } : {}),
    ...(record.processedAt ? { processedAt: record.processedAt } : {}),
    ...(record.versionId ? { versionId: record.versionId } : {}),
    errors: (record.errors ?? []).map(findingBody),
    warnings: (record.warnings ?? []).map(findingBody),
    submissions: (record.submissions ?? []).map((s) => ({
      unit: s.unit,
      period: s.period,
      state: s.state,
      ...(s.version === undefined ? {} : { version: s.version }),
      ...(s.changes ? { changes: s.changes.map((c) => ({ ...c })) } : {}),
      ...(s.unchanged === undefined ? {} : { unchanged: s.unchanged }),
    })),
    ...(record.reused?.length ? { reused: record.reused.map((r) => ({ ...r })) } : {}),
  };
}
