/**
 * The pipeline's CloudWatch metrics, written as Embedded Metric Format: one JSON log line
 * per invocation that CloudWatch Logs turns into metrics (no PutMetricData call, no client,
 * no permission beyond the log group's). A small module and not Powertools' Metrics: the
 * format is one object, and Powertools' logger and metrics measured 34 KiB and +17 ms on a
 * cold start here (docs/DESIGN.md#logs-and-metrics). Locally the same lines go to stderr.
 *
 * The metrics are defined once, here: the handlers emit them, the CDK dashboard and alarms
 * (infra/cdk/constructs/alarms.ts) read them by the same names.
 */
import type { LineSink } from './log.ts';

type MetricUnit = 'Count' | 'Milliseconds';

interface MetricSpec {
  readonly name: string;
  readonly unit: MetricUnit;
  /** What the dashboard says of it. */
  readonly label: string;
}

export const METRICS = {
  filesAccepted: { name: 'FilesAccepted', unit: 'Count', label: '已接收的文件' },
  filesRejected: { name: 'FilesRejected', unit: 'Count', label: '被退回的文件（有错误）' },
  filesLate: { name: 'FilesLate', unit: 'Count', label: '逾期接收的文件（LATE）' },
  filesRepeated: { name: 'FilesRepeated', unit: 'Count', label: '重复的事件或重复提交的表单（不计入）' },
  filesUnexpected: { name: 'FilesUnexpected', unit: 'Count', label: '没有上传登记的对象' },
  ingestFailures: { name: 'IngestFailures', unit: 'Count', label: '处理失败、将重试的消息' },
  /** From the S3 event's time to the outcome recorded: what a secretary waits for her answer. */
  ingestLatency: { name: 'IngestLatency', unit: 'Milliseconds', label: '从上传到结果（毫秒）' },
  summariesPublished: { name: 'SummariesPublished', unit: 'Count', label: '发布的汇总（新版本）' },
  noticesSent: { name: 'NoticesSent', unit: 'Count', label: '已发出的通知（邮件、群机器人）' },
  noticesFailed: { name: 'NoticesFailed', unit: 'Count', label: '重试后仍未发出的通知' },
} as const satisfies Record<string, MetricSpec>;

export type MetricKey = keyof typeof METRICS;

/** The namespace when the deployment names none (locally); CDK gives each stack its own. */
export const DEFAULT_NAMESPACE = 'Cunbao';

/** The one dimension (a metric needs a dimension set; one value keeps one series per metric). */
export const DIMENSIONS = { Service: 'cunbao' } as const;

/** EMF takes at most 100 values of one metric in one line. */
const MAX_VALUES = 100;

export interface Metrics {
  add(key: MetricKey, value?: number): void;
  /** Writes what was added since the last flush as one line per 100 values (nothing when nothing was). */
  flush(fields?: Readonly<Record<string, unknown>>): void;
}

/**
 * An invocation's metrics: counts summed, durations kept as values (CloudWatch computes
 * their percentiles). One dimension, `Service: cunbao`, in the stack's own namespace: the
 * deployment's totals, whichever function (the ingest or the reconcile) counted a file.
 */
export function metricsOf(namespace: string, sink: LineSink = (line) => process.stderr.write(line)): Metrics {
  const values = new Map<MetricKey, number[]>();
  return {
    add(key, value = 1) {
      const list = values.get(key) ?? [];
      if (METRICS[key].unit === 'Count' && list.length) list[0]! += value;
      else list.push(value);
      values.set(key, list);
    },
    flush(fields = {}) {
      while (values.size) {
        const line: Record<string, unknown> = { ...fields, ...DIMENSIONS };
        const metrics: { Name: string; Unit: MetricUnit }[] = [];
        for (const [key, list] of values) {
          const { name, unit } = METRICS[key];
          const part = list.splice(0, MAX_VALUES);
          line[name] = part.length === 1 ? part[0] : part;
          metrics.push({ Name: name, Unit: unit });
          if (!list.length) values.delete(key);
        }
        const _aws = {
          Timestamp: Date.now(),
          CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [Object.keys(DIMENSIONS)], Metrics: metrics }],
        };
        sink(`${JSON.stringify({ _aws, ...line })}\n`);
      }
    },
  };
}
