/**
 * The findings of an upload itself, as the ingest reports them: months or units outside
 * what the upload asked for (at the rows concerned), a month locked for its uploader, an
 * object whose key no intent announced or does not match its intent.
 */
import type { FileRead, Submission } from '../check.ts';
import { describe, type Finding } from '../findings.ts';
import { ANY_UNIT } from '../layout.ts';
import { chineseDeadline, chineseLockDay, chineseMonth } from '../period.ts';
import { townOf, type Registry } from '../registry.ts';
import type { LockReason } from '../review/review.ts';
import type { UploadRecord } from '../uploads.ts';

/** A unit-month its uploader may no longer change: why, and until when it was open. */
export function lockedFinding(registry: Registry, s: Pick<Submission, 'unit' | 'period'>, reason: LockReason): Finding {
  const place = { row: null, column: null, kind: 'file' } as const;
  const detail = reason === 'approved' ? '已经镇审核（已审核）' : `已过锁定日（${chineseLockDay(s.period, registry.lockDay)}）`;
  const expected = reason === 'approved' ? '审核后锁定' : `报送截止为${chineseDeadline(s.period, registry.deadlineDay)}`;
  return {
    code: 'PERIOD_LOCKED',
    row: null,
    column: null,
    value: `${s.unit} ${s.period}`,
    unit: s.unit,
    period: s.period,
    message: describe('PERIOD_LOCKED', place, `${unitName(registry, s.unit)} ${chineseMonth(s.period)}`, { detail, expected }),
  };
}

/**
 * Submissions of months or units other than the upload was asked for (`unknown` asks for
 * no month in particular, `EC/ALL` for any unit of town EC, `ALL/ALL` for any unit): what
 * a secretary picked on the page is what counts.
 */
export function outsideIntent(
  upload: Pick<UploadRecord, 'unit' | 'period'>,
  submissions: readonly Submission[],
  registry: Registry,
  placeOf: FileRead['placeOf'] = () => undefined,
): Finding[] {
  const findings: Finding[] = [];
  // Each unit-month at its own rows: a secretary fixes the cells the message points at.
  const at = (s: Submission, cell: 'unit' | 'period') => {
    const place = placeOf(s);
    const rows = place && place.rows.length > 1 ? `第${place.rows.join('、')}${place.period.kind === 'json' ? '条记录' : '行'}` : undefined;
    return { place: place?.[cell] ?? { row: null, column: null, kind: 'file' as const }, rows };
  };
  if (upload.period !== 'unknown') {
    for (const s of inFileOrder(
      submissions.filter((s) => s.period !== upload.period),
      placeOf,
    )) {
      const { place, rows } = at(s, 'period');
      findings.push({
        code: 'PERIOD_MISMATCH',
        row: place.row,
        column: place.column,
        value: s.period,
        unit: s.unit,
        period: s.period,
        message: describe('PERIOD_MISMATCH', place, s.period, { expected: upload.period, ...(rows ? { detail: rows } : {}) }),
      });
    }
  }
  const [town, asked] = upload.unit.split('/');
  if (asked !== ANY_UNIT || town !== ANY_UNIT) {
    const inIntent = (u: string) => (asked === ANY_UNIT ? townOf(u) === town : u === upload.unit);
    for (const s of inFileOrder(
      submissions.filter((s) => !inIntent(s.unit)),
      placeOf,
    )) {
      const { place, rows } = at(s, 'unit');
      findings.push({
        code: 'UNIT_MISMATCH',
        row: place.row,
        column: place.column,
        value: s.unit,
        unit: s.unit,
        period: s.period,
        message: describe('UNIT_MISMATCH', place, unitName(registry, s.unit), {
          expected: intentName(registry, upload.unit),
          ...(rows ? { detail: rows } : {}),
        }),
      });
    }
  }
  return findings;
}

/** Submissions by their first row (findings read top to bottom), else by month and unit. */
function inFileOrder(submissions: readonly Submission[], placeOf: FileRead['placeOf']): Submission[] {
  const first = (s: Submission) => placeOf(s)?.rows[0] ?? 0;
  return [...submissions].sort((a, b) => first(a) - first(b) || a.period.localeCompare(b.period) || a.unit.localeCompare(b.unit));
}

/** A unit as people read it across towns: its full code and its town's and its own name (`SH/V01 石会镇石会社区`). */
function unitName(registry: Registry, fullCode: string): string {
  const unit = registry.get(fullCode);
  return unit ? `${fullCode} ${registry.findTown(unit.town)?.name ?? unit.town}${unit.name}` : fullCode;
}

/** What an upload was asked for, in words: one unit, or the units of one town (`EC/ALL`). */
function intentName(registry: Registry, intent: string): string {
  const [town = '', unit] = intent.split('/');
  if (unit !== ANY_UNIT) return unitName(registry, intent);
  return `${registry.findTown(town)?.name ?? town}（${town}）的单位`;
}

export function uploadFinding(code: 'NO_UPLOAD_INTENT' | 'KEY_MISMATCH', key: string, expected?: string): Finding {
  const place = { row: null, column: null, kind: 'file' } as const;
  return { code, row: null, column: null, value: key, message: describe(code, place, key, expected ? { expected } : {}) };
}
