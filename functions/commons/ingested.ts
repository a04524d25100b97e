/**
 * What an ingested object tells the operator, the same from the ingest function and the
 * reconcile: one log line with the upload id as correlation id, and the files metrics.
 */
import type { IngestResult } from '../../shared/ingest/ingest.ts';
import { parseObjectKey } from '../../shared/layout.ts';
import type { Log } from './log.ts';
import type { Metrics } from './metrics.ts';

/** The upload an object's key names (an object nobody announced may name none). */
export const correlationOf = (key: string): Record<string, string> => {
  const uploadId = parseObjectKey(key)?.uploadId;
  return uploadId ? { correlationId: uploadId } : {};
};

/**
 * Logs and counts one object's outcome. The latency is the wall clock's (a measurement,
 * not the domain's time: a fixed CUNBAO_NOW does not change it) from the S3 event's time;
 * a repeated event is not a secretary waiting, so it has none.
 */
export function reportIngested(
  log: Log,
  metrics: Metrics,
  object: { readonly key: string; readonly eventTime: string },
  result: IngestResult,
  fields: Readonly<Record<string, unknown>> = {},
): void {
  const latencyMs = Math.max(0, Date.now() - Date.parse(object.eventTime));
  log('info', 'ingested', { ...correlationOf(object.key), ...fields, key: object.key, ...result, latencyMs });
  switch (result.outcome) {
    case 'accepted':
      metrics.add('filesAccepted');
      if (result.codes.includes('LATE')) metrics.add('filesLate');
      break;
    case 'rejected':
      metrics.add('filesRejected');
      break;
    case 'duplicate':
    case 'reused':
      metrics.add('filesRepeated');
      return;
    case 'unexpected':
      metrics.add('filesUnexpected');
      return;
  }
  metrics.add('ingestLatency', latencyMs);
}
