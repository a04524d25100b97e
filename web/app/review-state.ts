/**
 * A unit-month's review state as people read it (docs/DOMAIN.md#review): 未报, 已报（时刻，
 * 第 n 版）, 已审核, 已退回（原因）; whether the unit can still change it; which review
 * actions the town may take on it; and the audit trail's events in words. Pure: no DOM.
 */
import { isRole, ROLE_NAMES, type Role } from '../../shared/auth/roles.ts';
import { changeSummary, type LabelOf } from './changes.ts';
import { beijing } from './format.ts';
import type { AuditEvent, ReviewAction, ReviewState } from './types.ts';

const REVIEW_LABELS: Readonly<Record<ReviewState['state'], string>> = {
  missing: '未报',
  submitted: '已报',
  approved: '已审核',
  returned: '已退回',
};

export const ACTION_LABELS: Readonly<Record<ReviewAction, string>> = { approve: '审核通过', return: '退回', reopen: '重新打开' };

/** The state in a few words: 已报 with when and which version, 已退回 with why. */
export function stateText(review: ReviewState, receivedAt?: string): string {
  const label = REVIEW_LABELS[review.state] || review.state;
  if (review.state === 'submitted') return `${label}（${receivedAt ? `${beijing(receivedAt)}，` : ''}第 ${review.version} 版）`;
  if (review.state === 'approved') return `${label}（第 ${review.version} 版）`;
  if (review.state === 'returned') return `${label}（原因：${review.reason || '未说明'}）`;
  return label;
}

/** Whether the unit can still send or correct the month, and why not. */
export function lockText(review: ReviewState): string {
  if (review.locked) return review.state === 'approved' ? '已锁定（已审核）' : '已锁定（已过锁定日）';
  return review.reopened ? '可更正（镇已重新打开）' : '可报送、可更正';
}

/**
 * The actions the page offers on a unit-month: the town (and an admin) approves or
 * returns what was sent, and reopens what is locked; the district only reads. The API
 * decides (REVIEW_STATE): this only keeps buttons off that could not work.
 */
export function actionsFor(review: ReviewState, role: Role): ReviewAction[] {
  if (role !== 'town' && role !== 'admin') return [];
  const actions: ReviewAction[] = [];
  // A returned month may still be approved (the town changed its mind); returning it again may not.
  if (review.state === 'submitted') actions.push('approve', 'return');
  if (review.state === 'returned') actions.push('approve');
  if (review.locked) actions.push('reopen');
  return actions;
}

/** Whether an action needs a reason (退回, 重新打开). */
export function needsReason(action: ReviewAction): boolean {
  return action !== 'approve';
}

const because = (reason: string | undefined) => (reason ? `，原因：${reason}` : '');

const WHO: Readonly<Record<string, string>> = { system: '系统', unknown: '不详' };

/**
 * Who did it, as people read it: the trail names a principal (`village:EC/V03`, `town:EC`,
 * `admin`) or the system; said with the role's Chinese name (`村（社区）EC/V03`). What is
 * already words is shown as is.
 */
export function whoText(by: string): string {
  const at = by.indexOf(':');
  const role = at < 0 ? by : by.slice(0, at);
  if (!isRole(role)) return WHO[by] || by;
  const name = ROLE_NAMES[role];
  if (at < 0) return name;
  return `${name}${name.endsWith('）') ? '' : ' '}${by.slice(at + 1)}`;
}

/** One event of the audit trail, without its time and author (shown beside it). */
export function eventText(event: AuditEvent, labelOf: LabelOf): string {
  switch (event.kind) {
    case 'version':
      return `第 ${event.version} 版，${changeSummary(event, labelOf)}${event.overrideLock ? '（管理员在锁定期间写入）' : ''}`;
    case 'approve':
      return `审核通过（第 ${event.version} 版）`;
    case 'return':
      return `退回（第 ${event.version} 版）${because(event.reason)}`;
    case 'reopen':
      return `重新打开${because(event.reason)}`;
    case 'refused':
      return `报送被拒：该月已锁定，未计入${event.reason ? `（${event.reason}）` : ''}`;
    case 'lock':
      return '到锁定日，该月已锁定';
    default:
      return String(event.kind);
  }
}
