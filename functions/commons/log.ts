/**
 * Structured logs, one JSON line each, on stderr (CloudWatch Logs in AWS, where Logs
 * Insights queries the fields; the terminal locally, the same lines). Every line of an
 * invocation carries its function, its request id and whether it was a cold start; every
 * line about an upload carries the upload id as `correlationId`, from the API's intent
 * through the ingest to the publication that counts it (docs/DESIGN.md#logs-and-metrics).
 */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
type Level = Exclude<LogLevel, 'silent'>;
type Fields = Readonly<Record<string, unknown>>;

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Log {
  (level: Level, message: string, fields?: Fields): void;
  /** The same log with these fields on each of its lines (an invocation's, an upload's). */
  with(fields: Fields): Log;
}

/** Where a line goes: stderr, written whole (one write per line, so concurrent lines never interleave). */
export type LineSink = (line: string) => void;
const stderr: LineSink = (line) => process.stderr.write(line);

/** The sink of lines at `level` (metrics are written at info): none when the threshold is above it. */
export function sinkAt(threshold: LogLevel = 'info', level: Level = 'info', sink: LineSink = stderr): LineSink {
  return RANK[level] < RANK[threshold] ? () => {} : sink;
}

/** A function's log, made at cold start with its LOG_LEVEL: lines below `threshold` are dropped. */
export function logger(threshold: LogLevel = 'info', base: Fields = {}, sink: LineSink = stderr): Log {
  const log = ((level, message, fields = {}) => {
    if (RANK[level] < RANK[threshold]) return;
    sink(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...base, ...fields })}\n`);
  }) as Log;
  log.with = (fields) => logger(threshold, { ...base, ...fields }, sink);
  return log;
}

let warm = false;

/**
 * The log of one invocation: its request id (Lambda's; absent locally) and `coldStart`,
 * true on the container's first invocation only (what a slow first answer is filtered by).
 */
export function invocationLog(log: Log, context?: { readonly awsRequestId?: string }): Log {
  const coldStart = !warm;
  warm = true;
  return log.with({ coldStart, ...(context?.awsRequestId ? { requestId: context.awsRequestId } : {}) });
}

/** An error as one log field: its name, message and stack (the caller never sees these). */
export const errorField = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}${error.stack ? `\n${error.stack}` : ''}` : String(error);
