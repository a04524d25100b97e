/**
 * The cost model, pure: how many of each measured action a month of `towns` towns has
 * (the workload), what that uses (the measured figures, the wiring's memory), and what it
 * costs in a price table's currency, line by line.
 */
import type { FunctionName } from '../../infra/wiring.ts';
import type { Deployment } from './deployment.ts';
import type { PriceKey, PriceTable } from './prices.ts';
import type { Measured, ScenarioName, Usage } from './usage.ts';
import type { Workload } from './workload.ts';

export interface ModelInput {
  readonly measured: Measured;
  readonly workload: Workload;
  readonly deployment: Deployment;
}

/** The lines of the bill, and the prices each is made of. */
export const LINES = {
  requests: ['lambdaRequestsPerMillion', 'httpApiPerMillion'],
  'Lambda GB-s': ['lambdaGbSecondArm'],
  DynamoDB: ['dynamoRruPerMillion', 'dynamoWruPerMillion', 'dynamoStorageGbMonth', 'dynamoPitrGbMonth'],
  S3: ['s3StandardGbMonth', 's3PutPer1000', 's3GetPer1000'],
  SQS: ['sqsPerMillion'],
  Scheduler: ['schedulerPerMillion'],
  CloudWatch: ['logsIngestGb', 'logsStorageGbMonth', 'metricMonth', 'alarmMonth', 'dashboardMonth'],
  mail: ['mailPer1000', 'mailAttachmentGb'],
  'Secrets/KMS': ['secretMonth', 'kmsKeyMonth'],
} as const satisfies Record<string, readonly PriceKey[]>;

export type LineName = keyof typeof LINES;
type Quantities = Record<PriceKey, number>;

const GB = 2 ** 30;
const MINUTES_PER_MONTH = 30 * 24 * 60;
/** Keys S3 returns per ListObjectsV2 page. */
const LIST_PAGE = 1000;

/** How many times each scenario happens in a month of `towns` towns (reconcile apart). */
function monthlyCounts(input: ModelInput, towns: number): Record<Exclude<ScenarioName, 'reconcile'>, number> {
  const w = input.workload;
  const units = towns * w.unitsPerTown;
  const uploads = units * (w.filesPerUnit + w.correctionsPerUnit + w.rejectionsPerUnit);
  // One measured remind/publish run covered the measured registry's towns: a town's share.
  const runShare = towns / input.measured.registry.towns;
  return {
    uploadIntent: uploads,
    ingestAccepted: units * w.filesPerUnit,
    ingestCorrection: units * w.correctionsPerUnit,
    ingestRejected: units * w.rejectionsPerUnit,
    statusRead: uploads * w.pollsPerUpload,
    deskRead: towns * w.deskViewsPerTown,
    summaryRead: towns * w.summaryViewsPerTown,
    remind: runShare * (input.deployment.scheduled['remind'] ?? 0),
    publish: runShare * (input.deployment.scheduled['publish'] ?? 0),
  };
}

interface Totals {
  invocations: Partial<Record<FunctionName, { count: number; ms: number }>>;
  rru: number;
  wru: number;
  s3Put: number;
  s3Get: number;
  putBytes: number;
  sqsMessages: number;
  logBytes: number;
  mailRecipients: number;
  mailBytes: number;
}

/** Adds `times` × a scenario's usage (its invocations counted `calls` times, default as often). */
function add(totals: Totals, usage: Usage, times: number, calls = times): void {
  for (const [name, i] of Object.entries(usage.invocations) as [FunctionName, { count: number; ms: number }][]) {
    const t = totals.invocations[name] ?? { count: 0, ms: 0 };
    t.count += i.count * calls;
    t.ms += i.ms * times;
    totals.invocations[name] = t;
  }
  totals.rru += usage.dynamodb.rru * times;
  totals.wru += usage.dynamodb.wru * times;
  totals.s3Put += usage.s3.put * times;
  totals.s3Get += usage.s3.get * times;
  totals.putBytes += usage.s3.putBytes * times;
  totals.sqsMessages += usage.sqsMessages * times;
  totals.logBytes += usage.logBytes * times;
  totals.mailRecipients += usage.mailRecipients * times;
  totals.mailBytes += usage.mailBytes * times;
}

/**
 * The daily reconcile looks at every object kept under incoming/: its work per object is
 * the measured run's divided by the objects it saw, its LIST pages are S3's 1000 keys each,
 * and it is invoked as often as its schedule fires, whatever the number of objects.
 */
function addReconcile(totals: Totals, input: ModelInput, objects: number): void {
  const runs = input.deployment.scheduled['reconcile'] ?? 0;
  const measured = input.measured.scenarios.reconcile;
  const lists = measured.s3.requests['ListObjectsV2'] ?? 0;
  const perObject = input.measured.incomingObjects;
  const perObjectUsage: Usage = { ...measured, s3: { ...measured.s3, put: measured.s3.put - lists } };
  add(totals, perObjectUsage, (runs * objects) / perObject, runs);
  totals.s3Put += runs * Math.max(1, Math.ceil(objects / LIST_PAGE)) * Math.min(1, lists);
}

function totalsOf(input: ModelInput, towns: number): Totals {
  const totals: Totals = {
    invocations: {},
    rru: 0,
    wru: 0,
    s3Put: 0,
    s3Get: 0,
    putBytes: 0,
    sqsMessages: 0,
    logBytes: 0,
    mailRecipients: 0,
    mailBytes: 0,
  };
  const counts = monthlyCounts(input, towns);
  for (const [scenario, times] of Object.entries(counts) as [ScenarioName, number][])
    add(totals, input.measured.scenarios[scenario], times);
  addReconcile(totals, input, counts.uploadIntent * input.workload.ageMonths);
  return totals;
}

/** Lambda GB-s: each function's invocations × (measured duration × factor + cold starts' INIT) × its memory. */
function gbSeconds(totals: Totals, input: ModelInput): number {
  const w = input.workload;
  return (Object.entries(totals.invocations) as [FunctionName, { count: number; ms: number }][]).reduce((sum, [name, i]) => {
    const ms = i.ms * w.durationFactor + i.count * w.coldStartShare * w.initMs;
    return sum + (ms / 1000) * (input.deployment.memoryMb[name] / 1024);
  }, 0);
}

/** Secrets: one per robot (each names its own), and in AWS China the SMTP password. */
function secrets(input: ModelInput, towns: number, china: boolean): number {
  const robots = towns * input.workload.robotsPerTown + (towns > 1 && input.workload.robotsPerTown > 0 ? 1 : 0);
  return robots + (china ? 1 : 0);
}

/** What a month of `towns` towns uses, in the price table's units (per million, per 1000, GB…). */
function quantities(input: ModelInput, towns: number, china: boolean): Quantities {
  const w = input.workload;
  const totals = totalsOf(input, towns);
  const count = (name: FunctionName) => totals.invocations[name]?.count ?? 0;
  const invocations = Object.values(totals.invocations).reduce((n, i) => n + i.count, 0);
  const apiRequests = count('api');
  const accepted = monthlyCounts(input, towns);
  const uploads = accepted.uploadIntent;
  const publications = accepted.publish;
  const tableGb =
    ((uploads * input.measured.tableBytes.perAcceptedFile + publications * input.measured.tableBytes.perPublication) * w.ageMonths) / GB;
  const logGb = (totals.logBytes + invocations * w.platformLogBytes + apiRequests * w.accessLogBytes) / GB;
  const scheduled = Object.values(input.deployment.scheduled).reduce((n, k) => n + k, 0);
  return {
    lambdaRequestsPerMillion: invocations / 1e6,
    httpApiPerMillion: apiRequests / 1e6,
    lambdaGbSecondArm: gbSeconds(totals, input),
    dynamoRruPerMillion: totals.rru / 1e6,
    dynamoWruPerMillion: totals.wru / 1e6,
    dynamoStorageGbMonth: tableGb,
    dynamoPitrGbMonth: tableGb,
    s3StandardGbMonth: (totals.putBytes * w.ageMonths) / GB,
    s3PutPer1000: totals.s3Put / 1000,
    s3GetPer1000: totals.s3Get / 1000,
    sqsPerMillion: (totals.sqsMessages * w.sqsRequestsPerMessage + w.idlePollsPerMinute * MINUTES_PER_MONTH) / 1e6,
    schedulerPerMillion: scheduled / 1e6,
    logsIngestGb: logGb,
    // Kept a year (every log group's retention): month n stores n months of logs, up to 12.
    logsStorageGbMonth: logGb * Math.min(w.ageMonths, 12) * w.logCompression,
    metricMonth: input.measured.customMetrics.length,
    alarmMonth: input.deployment.alarms,
    dashboardMonth: input.deployment.dashboards,
    mailPer1000: china ? 0 : totals.mailRecipients / 1000,
    mailAttachmentGb: china ? 0 : totals.mailBytes / GB,
    secretMonth: secrets(input, towns, china),
    kmsKeyMonth: 0,
  };
}

export interface Estimate {
  readonly towns: number;
  readonly quantities: Quantities;
  readonly lines: Record<LineName, number>;
  readonly total: number;
}

/** Each line's cost: its quantities (less the free tier, when given) × the table's prices. */
function priced(q: Quantities, table: PriceTable, freeTier: Partial<Record<PriceKey, number>> = {}): Record<LineName, number> {
  const cost = (key: PriceKey) => Math.max(0, q[key] - (freeTier[key] ?? 0)) * table.prices[key].value;
  return Object.fromEntries(
    (Object.entries(LINES) as [LineName, readonly PriceKey[]][]).map(([line, keys]) => [line, keys.reduce((sum, k) => sum + cost(k), 0)]),
  ) as Record<LineName, number>;
}

export function estimate(input: ModelInput, table: PriceTable, towns: number, freeTier?: Partial<Record<PriceKey, number>>): Estimate {
  const q = quantities(input, towns, table.region.startsWith('cn-'));
  const lines = priced(q, table, freeTier);
  return { towns, quantities: q, lines, total: Object.values(lines).reduce((a, b) => a + b, 0) };
}
