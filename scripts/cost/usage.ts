/**
 * What one scenario (a file ingested, an API read, a publication run) uses of each billed
 * resource, as measured by running it: the shape of scripts/cost/measured.json and what the
 * model multiplies by the workload.
 */
import type { FunctionName } from '../../infra/wiring.ts';

export interface Invocations {
  readonly count: number;
  /** Sum of the invocations' durations (locally measured, warm). */
  readonly ms: number;
}

export interface Usage {
  readonly invocations: Partial<Record<FunctionName, Invocations>>;
  /** DynamoDB request units as DynamoDB reports them (ReturnConsumedCapacity TOTAL, GSI1 included). */
  readonly dynamodb: { readonly rru: number; readonly wru: number; readonly requests: Record<string, number> };
  /** S3 requests by pricing tier: PUT/COPY/POST/LIST, GET (and all others). */
  readonly s3: { readonly put: number; readonly get: number; readonly putBytes: number; readonly requests: Record<string, number> };
  /** Messages S3 sent to the ingest queue. */
  readonly sqsMessages: number;
  /** Bytes the functions wrote to their log (stderr → CloudWatch Logs), platform lines not included. */
  readonly logBytes: number;
  /** Mail recipients (SES bills each recipient of a message as one mail) and the messages' bytes. */
  readonly mailRecipients: number;
  readonly mailBytes: number;
  /** Notices posted to group robots (webhooks: no AWS charge beyond the function's time). */
  readonly robotNotices: number;
}

export type ScenarioName =
  | 'uploadIntent'
  | 'ingestAccepted'
  | 'ingestCorrection'
  | 'ingestRejected'
  | 'statusRead'
  | 'summaryRead'
  | 'deskRead'
  | 'remind'
  | 'publish'
  | 'reconcile';

export interface Measured {
  readonly measuredAt: string;
  /** The registry the scenarios ran on (remind and publish cover all its towns). */
  readonly registry: { readonly towns: number; readonly units: number };
  readonly scenarios: Record<ScenarioName, Usage>;
  /** Table bytes (item sizes as DynamoDB bills them: names + values + 100 B) that one accepted file and one publication add. */
  readonly tableBytes: { readonly perAcceptedFile: number; readonly perPublication: number };
  /** Bytes the typical monthly file has (what the browser POSTs to S3). */
  readonly fileBytes: number;
  /** Objects under incoming/ when reconcile ran (what its one run looked at). */
  readonly incomingObjects: number;
  /** The custom metrics the functions published (EMF log lines), each billed per month. */
  readonly customMetrics: readonly string[];
}
