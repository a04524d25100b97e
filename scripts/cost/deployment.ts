/**
 * What a deployment is, for its bill, read from the wiring table (infra/wiring.ts) as the
 * CDK app builds it: each function's memory (arm64, infra/cdk/constructs/wired-function.ts),
 * the alarms (2 per function, 2 per queue trigger, 1 per schedule's dead-letter queue, 1 for notices:
 * infra/cdk/constructs/alarms.ts, queue-trigger.ts, schedule-trigger.ts), the one dashboard,
 * and how often EventBridge Scheduler fires in a month.
 */
import type { FunctionName, FunctionWiring } from '../../infra/wiring.ts';
import { firings } from '../../shared/publish/schedule.ts';

export type Wiring = Readonly<Record<FunctionName, FunctionWiring>>;

export interface Deployment {
  readonly memoryMb: Readonly<Record<FunctionName, number>>;
  readonly alarms: number;
  readonly dashboards: number;
  /** Scheduler invocations in a 30-day month, by schedule (`remind`, `publish`, `reconcile`). */
  readonly scheduled: Readonly<Record<string, number>>;
}

/** A 30-day month in Asia/Shanghai (April 2025), to count the crons' firings in. */
const MONTH = { from: new Date('2025-03-31T16:00:00Z'), to: new Date('2025-04-30T16:00:00Z') };

export function deploymentOf(wiring: Wiring): Deployment {
  const names = Object.keys(wiring) as FunctionName[];
  let alarms = 0;
  const scheduled: Record<string, number> = {};
  for (const name of names) {
    const trigger = wiring[name].trigger;
    alarms += 2;
    if (trigger.kind === 'queue') alarms += 2;
    if (trigger.kind === 'schedule') {
      alarms += trigger.schedules.length;
      for (const spec of trigger.schedules) scheduled[spec.name] = firings(spec, MONTH.from, MONTH.to).length;
    }
  }
  // The notices alarm (a notice unsent after its retries: infra/cdk/constructs/alarms.ts noticeAlarm).
  alarms += 1;
  return {
    memoryMb: Object.fromEntries(names.map((n) => [n, wiring[n].memoryMb])) as Record<FunctionName, number>,
    alarms,
    dashboards: 1,
    scheduled,
  };
}
