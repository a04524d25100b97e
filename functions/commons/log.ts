/** Structured logs, one JSON line each, on stderr (CloudWatch in AWS; the terminal locally). */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
type Level = Exclude<LogLevel, 'silent'>;

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export type Log = (level: Level, message: string, fields?: Record<string, unknown>) => void;

/** A function's log, made at cold start with its LOG_LEVEL: lines below `threshold` are dropped. */
export function logger(threshold: LogLevel = 'info'): Log {
  return (level, message, fields = {}) => {
    if (RANK[level] < RANK[threshold]) return;
    process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }) + '\n');
  };
}
