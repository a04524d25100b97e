/**
 * What a town does in a month, and what the model cannot measure locally: every assumption
 * of the cost model, in one object. The per-action figures themselves (requests, request
 * units, bytes, durations) are measured (scripts/cost/measured.json); these say how many
 * of each action a month has.
 */
export interface Workload {
  /** Reporting units per town (config/district.json: 9). */
  readonly unitsPerTown: number;
  /** Accepted monthly files per unit. */
  readonly filesPerUnit: number;
  /** Corrections per unit and month (a second, accepted file of the same month). */
  readonly correctionsPerUnit: number;
  /** Rejected files per unit and month (sent again after the page showed the errors). */
  readonly rejectionsPerUnit: number;
  /** Status polls of the page per upload until it shows the answer. */
  readonly pollsPerUpload: number;
  /** Clerk's desk views per town and month (the clerk follows who has sent, and reviews). */
  readonly deskViewsPerTown: number;
  /** Summary views per town and month (the town and the district read the published summary). */
  readonly summaryViewsPerTown: number;
  /** Group robots per town (one WeCom/DingTalk group), plus one for a district of several towns: each is a secret. */
  readonly robotsPerTown: number;
  /** Month of operation the storage lines are for (objects and items are kept: storage grows). */
  readonly ageMonths: number;
  /** Lambda (arm64, its memory) against this machine's warm local run: the measured durations × this. */
  readonly durationFactor: number;
  /** Share of invocations that start a new container (rare scattered calls are mostly cold). */
  readonly coldStartShare: number;
  /** Billed INIT duration of a cold start, ms (Lambda bills INIT since Aug 2025); assumed, not measured here. */
  readonly initMs: number;
  /** Lambda's START/END/REPORT lines per invocation, bytes. */
  readonly platformLogBytes: number;
  /** An HTTP API access log line, bytes. */
  readonly accessLogBytes: number;
  /** Empty long polls per minute of the ingest queue's event source mapping when idle (several pollers, 20 s waits). */
  readonly idlePollsPerMinute: number;
  /** SQS requests per ingested message besides the idle polls: S3's send, the receive, the delete. */
  readonly sqsRequestsPerMessage: number;
  /** Compressed size of logs in archive storage against their ingested size. */
  readonly logCompression: number;
}

export const WORKLOAD: Workload = {
  unitsPerTown: 9,
  filesPerUnit: 1,
  correctionsPerUnit: 0.2,
  rejectionsPerUnit: 0.3,
  pollsPerUpload: 3,
  deskViewsPerTown: 30,
  summaryViewsPerTown: 10,
  robotsPerTown: 1,
  ageMonths: 12,
  durationFactor: 1.5,
  coldStartShare: 0.3,
  initMs: 500,
  platformLogBytes: 350,
  accessLogBytes: 300,
  idlePollsPerMinute: 15,
  sqsRequestsPerMessage: 3,
  logCompression: 1,
};

/** The scales the table shows: one town, a district, a province. */
export const SCALES = [
  { label: '1 town', towns: 1 },
  { label: 'district (30 towns)', towns: 30 },
  { label: 'province (10 000 towns)', towns: 10_000 },
] as const;
