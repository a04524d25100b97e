/**
 * Alarms that fire and logs that end, read from the synthesized app: every function's
 * errors and throttles alarm to the topic; every schedule has a dead-letter queue that
 * alarms; the ingest queue alarms when a file waits; every log group has a retention (the
 * bucket-notification handler's too); one dashboard.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_NAMESPACE, METRICS } from '../../functions/commons/metrics.ts';
import { reads } from '../../infra/environment.ts';
import { WIRING, type FunctionName } from '../../infra/wiring.ts';
import { deploymentOf } from '../../scripts/cost/deployment.ts';
import { flat, logicalId, MAIL, resources, synthesize, type Synthesized } from './synth.ts';

let s: Synthesized;

beforeAll(() => {
  s = synthesize({ ...MAIL, mailIdentity: 'example.cn', alarmEmail: 'ops@example.cn' });
});

const NAMES = Object.keys(WIRING) as FunctionName[];
const alarms = () => Object.values(resources(s.appTemplate, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties!);
const topic = () => `<${logicalId(s.stack.alarmTopic)}>`;
const actionsOf = (alarm: Record<string, unknown>) => (alarm['AlarmActions'] as unknown[]).map(flat);

describe('alarms', () => {
  it.each(NAMES)('alarms on %s’s errors and throttles, to the alarm topic', (name) => {
    // Prepare
    const fn = `<${logicalId(s.stack.functions.get(name)!.function)}>`;
    const mine = alarms().filter((a) => (a['Dimensions'] as { Value: unknown }[] | undefined)?.some((d) => flat(d.Value) === fn));

    // Assess
    expect(mine.map((a) => a['MetricName']).sort()).toEqual(['Errors', 'Throttles']);
    for (const alarm of mine) {
      expect(alarm).toMatchObject({ Namespace: 'AWS/Lambda', Statistic: 'Sum', Period: 300, Threshold: 0 });
      expect(actionsOf(alarm)).toEqual([topic()]);
    }
  });

  it('gives every schedule a dead-letter queue of its own, whose messages alarm', () => {
    // Prepare
    const schedules = Object.values(resources(s.appTemplate, 'AWS::Scheduler::Schedule'));
    const queues = schedules.map((sc) => flat((sc.Properties!['Target'] as { DeadLetterConfig?: { Arn: unknown } }).DeadLetterConfig?.Arn));
    const watched = alarms()
      .filter((a) => a['MetricName'] === 'ApproximateNumberOfMessagesVisible')
      .map((a) => flat((a['Dimensions'] as { Value: unknown }[])[0]!.Value));

    // Assess
    expect(schedules.length).toBe(3);
    expect(new Set(queues).size).toBe(schedules.length);
    for (const arn of queues) expect(watched).toContain(arn.replace('.Arn>', '.QueueName>'));
  });

  it('alarms when a file has waited a quarter of an hour in the ingest queue', () => {
    // Assess
    expect(alarms().filter((a) => a['MetricName'] === 'ApproximateAgeOfOldestMessage')).toEqual([
      expect.objectContaining({ Threshold: WIRING.ingest.trigger.oldestMessageAlarmSeconds, Statistic: 'Maximum' }),
    ]);
    expect(WIRING.ingest.trigger.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * WIRING.ingest.timeoutSeconds);
  });

  it('makes as many alarms as the cost model prices (scripts/cost/deployment.ts)', () => {
    // Assess
    expect(alarms()).toHaveLength(deploymentOf(WIRING).alarms);
  });

  it('sends every alarm to the topic, which mails its subscriber', () => {
    // Assess
    for (const alarm of alarms()) expect(actionsOf(alarm)).toEqual([topic()]);
    s.appTemplate.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.cn' });
  });
});

describe('logs and the dashboard', () => {
  it('keeps every log group for a year, the bucket-notification handler’s too, and runs that handler after its group exists', () => {
    // Prepare
    const groups = resources(s.appTemplate, 'AWS::Logs::LogGroup');
    const handlerGroup = Object.entries(groups).find(([id]) => id.startsWith('BucketNotificationsHandlerLogs'));
    const notifications = Object.values(resources(s.appTemplate, 'Custom::S3BucketNotifications'));

    // Assess
    // One per function, the handler's, the API's access log.
    expect(Object.values(groups).length).toBeGreaterThan(NAMES.length + 1);
    for (const group of Object.values(groups)) expect(group.Properties!['RetentionInDays']).toBe(365);
    expect(handlerGroup).toBeDefined();
    expect(JSON.stringify(handlerGroup![1].Properties!['LogGroupName'])).toContain('BucketNotificationsHandler');
    for (const n of notifications) expect((n as { DependsOn?: string[] }).DependsOn).toEqual(expect.arrayContaining([handlerGroup![0]]));
  });

  it('draws one dashboard of the functions, the queue and the dead letters, and every metric the functions write', () => {
    // Prepare
    const [dashboard] = Object.values(resources(s.appTemplate, 'AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard!.Properties!['DashboardBody']);

    // Assess
    s.appTemplate.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    for (const { name } of Object.values(METRICS)) expect(body).toContain(`\\"${name}\\"`);
    expect(body).toContain(`${DEFAULT_NAMESPACE}/${s.stack.stackName}`);
  });

  it('alarms when a notice is still unsent after its retries, on the functions’ own metric', () => {
    // Prepare
    const notices = alarms().filter((a) => a['MetricName'] === METRICS.noticesFailed.name);

    // Assess
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      Namespace: `${DEFAULT_NAMESPACE}/${s.stack.stackName}`,
      Dimensions: [{ Name: 'Service', Value: 'cunbao' }],
    });
    expect(actionsOf(notices[0]!)).toEqual([topic()]);
  });
});

describe('the functions’ metrics namespace', () => {
  it.each(NAMES)('gives %s the stack’s own namespace when it writes metrics', (name) => {
    // Prepare
    const fn = s.stack.functions.get(name)!.function;
    const [resource] = Object.entries(resources(s.appTemplate, 'AWS::Lambda::Function')).filter(([id]) => id === logicalId(fn));
    const variables = (resource![1].Properties!['Environment'] as { Variables: Record<string, unknown> }).Variables;

    // Assess
    if (reads(name, 'METRICS_NAMESPACE')) expect(variables['METRICS_NAMESPACE']).toBe(`${DEFAULT_NAMESPACE}/${s.stack.stackName}`);
    else expect(variables).not.toHaveProperty('METRICS_NAMESPACE');
  });
});
