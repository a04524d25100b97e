/**
 * The functions' logs and metrics: JSON lines with the invocation's and the upload's fields,
 * CloudWatch Embedded Metric Format lines that CloudWatch can read, and what an ingested
 * object and a scheduled run write of themselves (functions/commons/*).
 */
import { describe, expect, it } from 'vitest';
import { reportIngested } from '../../functions/commons/ingested.ts';
import { invocationLog, logger, sinkAt } from '../../functions/commons/log.ts';
import { METRICS, metricsOf } from '../../functions/commons/metrics.ts';
import { reportScheduled, RevisionUploads } from '../../functions/commons/scheduled.ts';
import type { ActionResult } from '../../shared/publish/schedule.ts';

/** A sink that keeps the lines it is given, parsed. */
function lines(): { sink: (line: string) => void; parsed: () => Record<string, unknown>[] } {
  const kept: string[] = [];
  return { sink: (line) => kept.push(line), parsed: () => kept.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** What CloudWatch requires of an EMF line: each declared metric present as a number (or numbers), each dimension as text. */
function expectEmf(line: Record<string, unknown>, namespace: string): void {
  const aws = line['_aws'] as {
    Timestamp: number;
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[];
  };
  expect(typeof aws.Timestamp).toBe('number');
  const [directive] = aws.CloudWatchMetrics;
  expect(directive!.Namespace).toBe(namespace);
  for (const dimension of directive!.Dimensions.flat()) expect(typeof line[dimension]).toBe('string');
  for (const metric of directive!.Metrics) {
    const value = line[metric.Name];
    expect(Array.isArray(value) ? (value as unknown[]).every((v) => typeof v === 'number') : typeof value === 'number').toBe(true);
    expect(['Count', 'Milliseconds']).toContain(metric.Unit);
  }
}

describe('logger', () => {
  it('writes one JSON line per call with its base fields, those of `with`, and drops what is below its level', () => {
    // Prepare
    const out = lines();
    const log = logger('info', { function: 'ingest' }, out.sink);

    // Act
    log.with({ correlationId: 'u-1' })('info', 'ingested', { outcome: 'accepted' });
    log('debug', 'noise');
    log('error', 'failed');

    // Assess
    const [first, second] = out.parsed();
    expect(out.parsed()).toHaveLength(2);
    expect(first).toMatchObject({ level: 'info', message: 'ingested', function: 'ingest', correlationId: 'u-1', outcome: 'accepted' });
    expect(Date.parse(first!['time'] as string)).not.toBeNaN();
    expect(second).toMatchObject({ level: 'error', message: 'failed', function: 'ingest' });
    expect(second).not.toHaveProperty('correlationId');
  });

  it('marks the first invocation of a container as its cold start, and carries Lambda’s request id', () => {
    // Prepare
    const out = lines();
    const log = logger('info', {}, out.sink);

    // Act
    invocationLog(log, { awsRequestId: 'req-1' })('info', 'first');
    invocationLog(log)('info', 'second');

    // Assess
    const [first, second] = out.parsed();
    expect(first).toMatchObject({ coldStart: true, requestId: 'req-1' });
    expect(second).toMatchObject({ coldStart: false });
    expect(second).not.toHaveProperty('requestId');
  });

  it('lets a silent function write no metrics line either', () => {
    // Prepare
    const out = lines();

    // Act
    sinkAt('silent', 'info', out.sink)('{}\n');
    sinkAt('warn', 'info', out.sink)('{}\n');
    sinkAt('info', 'info', out.sink)('{"kept":true}\n');

    // Assess
    expect(out.parsed()).toEqual([{ kept: true }]);
  });
});

describe('metricsOf', () => {
  it('sums counts and keeps durations as values, in one EMF line of the namespace', () => {
    // Prepare
    const out = lines();
    const metrics = metricsOf('Cunbao/test', out.sink);

    // Act
    metrics.add('filesAccepted');
    metrics.add('filesAccepted', 2);
    metrics.add('ingestLatency', 120);
    metrics.add('ingestLatency', 80);
    metrics.flush({ function: 'ingest' });

    // Assess
    const [line] = out.parsed();
    expect(out.parsed()).toHaveLength(1);
    expectEmf(line!, 'Cunbao/test');
    expect(line).toMatchObject({ FilesAccepted: 3, IngestLatency: [120, 80], Service: 'cunbao', function: 'ingest' });
    expect((line!['_aws'] as { CloudWatchMetrics: { Metrics: unknown[] }[] }).CloudWatchMetrics[0]!.Metrics).toEqual([
      { Name: 'FilesAccepted', Unit: 'Count' },
      { Name: 'IngestLatency', Unit: 'Milliseconds' },
    ]);
  });

  it('writes nothing when nothing was added, and splits more than 100 values of a metric over lines', () => {
    // Prepare
    const out = lines();
    const metrics = metricsOf('Cunbao', out.sink);
    metrics.flush();
    const none = out.parsed().length;

    // Act
    for (let i = 0; i < 250; i++) metrics.add('ingestLatency', i);
    metrics.flush();
    metrics.flush();

    // Assess
    expect(none).toBe(0);
    const written = out.parsed();
    expect(written.map((l) => (l['IngestLatency'] as number[]).length)).toEqual([100, 100, 50]);
    for (const line of written) expectEmf(line, 'Cunbao');
    expect(written.flatMap((l) => l['IngestLatency'] as number[])).toEqual(Array.from({ length: 250 }, (_, i) => i));
  });

  it('names each metric once, in CloudWatch’s rules (letters, at most 255 characters)', () => {
    // Assess
    const names = Object.values(METRICS).map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[A-Za-z][A-Za-z0-9]{0,254}$/);
  });
});

describe('reportIngested', () => {
  const object = { key: 'incoming/EC/V01/2025-03/upload-42.csv', eventTime: new Date(Date.now() - 1500).toISOString() };

  it('logs the upload id as correlation id and counts an accepted late file with its latency', () => {
    // Prepare
    const log = lines();
    const emf = lines();
    const metrics = metricsOf('Cunbao', emf.sink);

    // Act
    reportIngested(logger('info', {}, log.sink), metrics, object, { outcome: 'accepted', uploadId: 'upload-42', codes: ['LATE'] });
    metrics.flush();

    // Assess
    expect(log.parsed()[0]).toMatchObject({ message: 'ingested', correlationId: 'upload-42', outcome: 'accepted', codes: ['LATE'] });
    const [line] = emf.parsed();
    expect(line).toMatchObject({ FilesAccepted: 1, FilesLate: 1 });
    expect(line!['IngestLatency']).toBeGreaterThanOrEqual(1500);
  });

  it('counts a repeated event and an unannounced object without a latency, a rejected file with one', () => {
    // Prepare
    const emf = lines();
    const metrics = metricsOf('Cunbao', emf.sink);
    const log = logger('silent');

    // Act
    reportIngested(log, metrics, object, { outcome: 'duplicate', uploadId: 'upload-42' });
    reportIngested(log, metrics, { ...object, key: 'incoming/stray.csv' }, { outcome: 'unexpected', key: 'incoming/stray.csv' });
    reportIngested(log, metrics, object, { outcome: 'rejected', uploadId: 'upload-42', codes: ['NOT_A_NUMBER'] });
    metrics.flush();

    // Assess
    const [line] = emf.parsed();
    expect(line).toMatchObject({ FilesRepeated: 1, FilesUnexpected: 1, FilesRejected: 1 });
    expect(typeof line!['IngestLatency']).toBe('number');
    expect(line).not.toHaveProperty('FilesAccepted');
  });
});

describe('reportScheduled', () => {
  it('logs each publication with the uploads its revision counts anew, and counts the revisions and notices', () => {
    // Prepare
    const log = lines();
    const emf = lines();
    const metrics = metricsOf('Cunbao', emf.sink);
    const revisions = new RevisionUploads();
    revisions.record({ org: 'EC', kind: 'monthly', period: '2025-03', revision: 2, uploads: ['u-1', 'u-2'] });
    const failed = { notice: 'publish/QJ/monthly/2025-03/r1', channel: 'qj-dingtalk', status: 'failed' as const, error: '超时' };
    const results: ActionResult[] = [
      {
        action: 'publish',
        at: '2025-04-06T00:00:00.000Z',
        results: [
          {
            org: 'EC',
            kind: 'monthly',
            period: '2025-03',
            revision: 2,
            published: true,
            mailed: true,
            robots: [{ notice: 'n', channel: 'ec-wecom', status: 'sent' }],
          },
          { org: 'QJ', kind: 'monthly', period: '2025-03', revision: 1, published: false, mailed: false, failed: [failed] },
        ],
      },
      { action: 'remind', at: '2025-04-03T01:00:00.000Z', period: '2025-03', missing: ['V02'], mailed: true },
    ];

    // Act
    reportScheduled(logger('info', {}, log.sink), metrics, results, revisions);
    metrics.flush();

    // Assess
    const written = log.parsed();
    expect(written.find((l) => l['org'] === 'EC')).toMatchObject({ message: 'publication', level: 'info', correlationIds: ['u-1', 'u-2'] });
    expect(written.find((l) => l['org'] === 'QJ')).toMatchObject({ message: 'publication', level: 'warn' });
    expect(written.find((l) => l['org'] === 'QJ')).not.toHaveProperty('correlationIds');
    expect(written.map((l) => l['message'])).toEqual(['publication', 'publication', 'scheduled', 'reminded']);
    expect(emf.parsed()[0]).toMatchObject({ SummariesPublished: 1, NoticesSent: 3, NoticesFailed: 1 });
  });
});
