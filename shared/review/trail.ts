/**
 * The audit trail of a unit-month (docs/DOMAIN.md#review): every version with its change
 * list, every review decision and refused upload, and the lock day once it passed, in
 * time order, each with who, when, why and the version it applied to.
 */
import { principalLabel } from '../auth/principals.ts';
import type { Change } from '../corrections.ts';
import { lockOf, type Month } from '../period.ts';
import type { AuditEntry, SubmissionVersion } from '../ports/ledger.ts';

export interface AuditEvent {
  readonly kind: 'version' | AuditEntry['kind'] | 'lock';
  readonly at: string;
  readonly by: string;
  readonly version: number;
  readonly reason?: string;
  readonly uploadId?: string;
  readonly changes?: readonly Change[];
  readonly unchanged?: number;
  readonly overrideLock?: boolean;
}

/** Who did it, as the trail says it (the system for the lock day). */
const SYSTEM = 'system';

export function auditTrail(
  period: Month,
  versions: readonly SubmissionVersion[],
  entries: readonly AuditEntry[],
  context: { readonly lockDay: number; readonly now: Date },
): AuditEvent[] {
  const events: AuditEvent[] = versions.map((v) => ({
    kind: 'version',
    at: v.receivedAt,
    by: v.uploader ? principalLabel(v.uploader) : 'unknown',
    version: v.version,
    uploadId: v.uploadId,
    changes: v.changes,
    unchanged: v.unchanged,
    ...(v.overrideLock ? { overrideLock: true } : {}),
  }));
  for (const e of entries) {
    events.push({
      kind: e.kind,
      at: e.at,
      by: e.by,
      version: e.version,
      ...(e.reason ? { reason: e.reason } : {}),
      ...(e.uploadId ? { uploadId: e.uploadId } : {}),
    });
  }
  const lockAt = lockOf(period, context.lockDay);
  if (lockAt.getTime() <= context.now.getTime()) {
    const before = versions.filter((v) => new Date(v.receivedAt).getTime() < lockAt.getTime());
    events.push({
      kind: 'lock',
      at: lockAt.toISOString(),
      by: SYSTEM,
      version: before.length ? Math.max(...before.map((v) => v.version)) : 0,
    });
  }
  return events.sort((a, b) => a.at.localeCompare(b.at));
}
