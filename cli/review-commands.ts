/**
 * `cunbao review approve|return|reopen UNIT PERIOD [--reason TEXT] [--org TOWN] [--version N]`
 * and `cunbao history UNIT PERIOD [--org TOWN] [--json]`: the town's review of a unit-month
 * on the local stack (docs/DOMAIN.md#review). With `--org TOWN` the command acts as that
 * town's clerk (bound by its rights); without it, as the deployment's admin. The version
 * decided on is the one `--version` names, else the one read just before.
 */
import type { Principal } from '../shared/auth/principals.ts';
import { changeText } from '../shared/corrections-text.ts';
import { chineseDateTime, chineseMonth, isMonth, type Month } from '../shared/period.ts';
import type { Registry } from '../shared/registry.ts';
import { reviewMonth } from '../shared/review/act.ts';
import { unitMonth } from '../shared/review/months.ts';
import { ReviewError, type MonthReview, type ReviewAction } from '../shared/review/review.ts';
import { auditTrail, type AuditEvent } from '../shared/review/trail.ts';
import { UsageError, type CliEnvironment } from './environment.ts';
import type { Out } from './output.ts';
import { withStack, type Values } from './stack-commands.ts';
import { stackNotices } from './stack-notices.ts';
import { notifyReturn } from '../shared/notices/returned.ts';

const ACTIONS: readonly ReviewAction[] = ['approve', 'return', 'reopen'];
const STATE_TEXT = { missing: '未报', submitted: '已报', approved: '已审核', returned: '已退回' } as const;
const KIND_TEXT = {
  version: '报送',
  approve: '审核通过',
  return: '退回',
  reopen: '重新打开',
  refused: '报送被拒（已锁定）',
  lock: '到锁定日',
} as const;

/** The unit and month a review command is about, and who acts. */
function target(positionals: readonly string[], values: Values, registry: Registry): { unit: string; period: Month; by: Principal } {
  const [unitText, period] = positionals;
  if (unitText === undefined || period === undefined) throw new UsageError('请给出单位和月份 (give UNIT PERIOD)');
  if (!isMonth(period)) throw new UsageError(`月份应为 YYYY-MM (got ${period})`);
  const org = values['org'] as string | undefined;
  const town = org === undefined ? registry.singleTown?.code : registry.findTown(org.trim().toUpperCase())?.code;
  if (org !== undefined && town === undefined) throw new UsageError(`--org ${org}：没有这个镇（街道） (unknown town)`);
  const found = registry.resolve(unitText, town);
  if (!found.unit)
    throw new UsageError(`单位 ${unitText} 不在${town ?? ''}名录中 (unknown unit); 可用: ${registry.codes(town).join(', ')}`);
  if (org !== undefined && found.unit.town !== town) throw new UsageError(`${found.unit.fullCode} 不是 ${town} 的单位 (not in town)`);
  return { unit: found.unit.fullCode, period, by: org === undefined ? { role: 'admin' } : { role: 'town', town: town! } };
}

export async function review(positionals: string[], values: Values, env: CliEnvironment, out: Out): Promise<number> {
  const [action, ...rest] = positionals;
  if (!ACTIONS.includes(action as ReviewAction))
    throw new UsageError('用法 (usage): cunbao review approve|return|reopen UNIT PERIOD [--reason TEXT]');
  const { unit, period, by } = target(rest, values, env.registry);
  return withStack(values, env, async (stack) => {
    const version =
      values['version'] === undefined ? ((await stack.reviews.month(unit, period)).current?.version ?? 0) : Number(values['version']);
    try {
      const request = { action: action as ReviewAction, version, ...(values['reason'] ? { reason: String(values['reason']) } : {}) };
      const state = await reviewMonth(by, unit, period, request, { reviews: stack.reviews, registry: env.registry, now: env.now });
      // A return is told to the town's group robots, as the API tells it.
      const notices =
        request.action === 'return'
          ? (
              await notifyReturn(
                {
                  unit,
                  period,
                  version: state.version,
                  at: state.reviewedAt ?? env.now().toISOString(),
                  ...(state.reason ? { reason: state.reason } : {}),
                },
                env.registry,
                await stackNotices(stack),
              )
            ).map(({ channel, status }) => ({ channel, status }))
          : undefined;
      const told = notices?.length
        ? `\n已通知群机器人：${notices.map((n) => `${n.channel}（${n.status === 'failed' ? '失败' : '已发送'}）`).join('、')}`
        : '';
      out.stdout(
        values['json']
          ? `${JSON.stringify({ unit, period, ...state, ...(notices ? { notices } : {}) })}\n`
          : `${monthLine(env.registry, unit, period, state)}${told}\n`,
      );
      return 0;
    } catch (error) {
      if (!(error instanceof ReviewError)) throw error;
      out.stderr(`${error.code}：${error.message}\n`);
      return 1;
    }
  });
}

export async function history(positionals: string[], values: Values, env: CliEnvironment, out: Out): Promise<number> {
  const { unit, period } = target(positionals, values, env.registry);
  return withStack(values, env, async (stack) => {
    const trail = await stack.reviews.trail(unit, period);
    const now = env.now();
    const state = unitMonth(period, trail.current, trail.review, env.registry, now);
    const events = auditTrail(period, trail.versions, trail.entries, { lockDay: env.registry.lockDay, now });
    if (values['json']) {
      out.stdout(`${JSON.stringify({ unit, period, review: state.review, events })}\n`);
      return 0;
    }
    const lines = [
      monthLine(env.registry, unit, period, state.review),
      `  报送截止 ${state.deadlineText}，锁定日 ${state.lockText}`,
      ...events.map(eventLine),
    ];
    out.stdout(`${lines.join('\n')}\n`);
    return 0;
  });
}

function monthLine(registry: Registry, unit: string, period: Month, state: MonthReview): string {
  const name = registry.get(unit)?.name ?? unit;
  const version = state.version ? `，第 ${state.version} 版` : '';
  const reason = state.reason && state.state === 'returned' ? `（原因：${state.reason}）` : '';
  const lock = state.locked ? '，已锁定' : state.reopened ? '，已重新打开' : '';
  return `${name}（${unit}）${chineseMonth(period)}：${STATE_TEXT[state.state]}${reason}${version}${lock}`;
}

function eventLine(e: AuditEvent): string {
  const what =
    e.kind === 'version' ? `第 ${e.version} 版：${changeText(e.version, e.changes ?? [], e.unchanged ?? 0)}` : `（第 ${e.version} 版）`;
  const why = e.reason ? `，原因：${e.reason}` : '';
  const override = e.overrideLock ? '（管理员在锁定期间写入）' : '';
  return `  ${chineseDateTime(new Date(e.at))} ${e.by} ${KIND_TEXT[e.kind]}${what}${why}${override}`;
}
