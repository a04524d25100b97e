/**
 * What tells the district's AWS engineer something is wrong, and where to look: each
 * function's errors and throttles raise an alarm to the alarm topic (its subscription is
 * the deployment's `alarmEmail`), as do the ingest queue's oldest message and the dead-letter
 * queues (queue-trigger.ts, schedule-trigger.ts); one dashboard shows the functions, the
 * queue and the dead letters side by side.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFAULT_NAMESPACE, DIMENSIONS, METRICS, type MetricKey } from '../../../functions/commons/metrics.ts';
import type { FunctionName } from '../../wiring.ts';
import type { WiredFunction } from './wired-function.ts';

const FIVE_MINUTES = Duration.minutes(5);

/** The stack's own metrics namespace (two deployments in one account never add up). */
export const metricsNamespaceOf = (scope: Construct): string => `${DEFAULT_NAMESPACE}/${Stack.of(scope).stackName}`;

/** One of the functions' own metrics (functions/commons/metrics.ts), summed over five minutes unless told. */
function pipelineMetric(scope: Construct, key: MetricKey, statistic: string = cloudwatch.Stats.SUM): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: metricsNamespaceOf(scope),
    metricName: METRICS[key].name,
    dimensionsMap: { ...DIMENSIONS },
    statistic,
    period: FIVE_MINUTES,
  });
}

/** The same, labelled for the dashboard (an alarm's metric carries no label: CloudWatch would make it an expression). */
const labelled = (scope: Construct, key: MetricKey) => pipelineMetric(scope, key).with({ label: METRICS[key].label });

/** An alarm on any datapoint above `threshold` in five minutes, sent to the topic; no data is no trouble. */
export function alarmOn(
  scope: Construct,
  id: string,
  props: { readonly metric: cloudwatch.IMetric; readonly threshold?: number; readonly description: string; readonly topic: ITopic },
): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmDescription: props.description,
    metric: props.metric,
    threshold: props.threshold ?? 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new SnsAction(props.topic));
  return alarm;
}

/** A function's two alarms: an invocation that failed, and one Lambda refused (throttled). */
export class FunctionAlarms extends Construct {
  readonly errors: cloudwatch.Alarm;
  readonly throttles: cloudwatch.Alarm;

  constructor(scope: Construct, name: FunctionName, fn: WiredFunction, topic: ITopic) {
    super(scope, `${name}Alarms`);
    this.errors = alarmOn(this, 'Errors', {
      metric: fn.function.metricErrors({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }),
      description: `cunbao ${name}: an invocation failed in the last 5 minutes (its log group /aws/lambda/… says why).`,
      topic,
    });
    this.throttles = alarmOn(this, 'Throttles', {
      metric: fn.function.metricThrottles({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }),
      description: `cunbao ${name}: Lambda refused an invocation for want of concurrency (the account's or the function's limit).`,
      topic,
    });
  }
}

/**
 * A notice (mail or group robot) still unsent after its retries: the run fails and the
 * schedule retries it, but a district that hears nothing should know at once.
 */
export function noticeAlarm(scope: Construct, topic: ITopic): cloudwatch.Alarm {
  return alarmOn(scope, 'NoticesFailedAlarm', {
    metric: pipelineMetric(scope, 'noticesFailed'),
    description:
      'cunbao: a notice (mail or group robot) could not be sent after its retries (the summarize log says which channel and why).',
    topic,
  });
}

/** The one page: each function's invocations, errors and duration; the queue; the dead letters. */
export function operationsDashboard(
  scope: Construct,
  functions: ReadonlyMap<FunctionName, WiredFunction>,
  queues: { readonly ingest?: IQueue; readonly deadLetters: readonly { readonly name: string; readonly queue: IQueue }[] },
): cloudwatch.Dashboard {
  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', { defaultInterval: Duration.days(7) });
  const each = [...functions];
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: '调用次数 invocations',
      left: each.map(([name, fn]) => fn.function.metricInvocations({ label: name, period: FIVE_MINUTES })),
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: '出错 errors / 限流 throttles',
      left: each.flatMap(([name, fn]) => [
        fn.function.metricErrors({ label: `${name} errors`, period: FIVE_MINUTES }),
        fn.function.metricThrottles({ label: `${name} throttles`, period: FIVE_MINUTES }),
      ]),
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: '耗时 duration p99',
      left: each.map(([name, fn]) => fn.function.metricDuration({ label: name, period: FIVE_MINUTES, statistic: 'p99' })),
      width: 8,
    }),
  );
  const queueMetrics = [
    ...(queues.ingest
      ? [
          queues.ingest.metricApproximateNumberOfMessagesVisible({ label: 'ingest waiting', period: FIVE_MINUTES }),
          queues.ingest.metricApproximateAgeOfOldestMessage({ label: 'ingest oldest (s)', period: FIVE_MINUTES }),
        ]
      : []),
    ...queues.deadLetters.map((d) =>
      d.queue.metricApproximateNumberOfMessagesVisible({ label: `${d.name} dead letters`, period: FIVE_MINUTES }),
    ),
  ];
  dashboard.addWidgets(new cloudwatch.GraphWidget({ title: '队列 queues and dead letters', left: queueMetrics, width: 24 }));
  const files: MetricKey[] = ['filesAccepted', 'filesRejected', 'filesLate', 'filesRepeated', 'filesUnexpected', 'ingestFailures'];
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({ title: '文件 files', left: files.map((key) => labelled(scope, key)), width: 8 }),
    new cloudwatch.GraphWidget({
      title: '从上传到结果 ingest latency (ms)',
      left: ['p50', 'p90', 'p99'].map((p) => pipelineMetric(scope, 'ingestLatency', p).with({ label: p })),
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: '汇总与通知 publications and notices',
      left: (['summariesPublished', 'noticesSent', 'noticesFailed'] as const).map((key) => labelled(scope, key)),
      width: 8,
    }),
  );
  return dashboard;
}
