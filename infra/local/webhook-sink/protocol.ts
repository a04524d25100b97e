/**
 * What the three robots' protocols share (each is told in its file; the server in infra/local/webhook-sink.ts):
 * the request as a platform's checks see it, the shape of a platform's answers and limits,
 * and the helpers the checks use.
 */
import { timingSafeEqual } from 'node:crypto';
import type { SinkRobot } from '../webhook-sink.ts';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;

export type Json = Record<string, unknown>;
export type Check = (robot: SinkRobot, request: SinkRequest) => Json | null;

export interface SinkRequest {
  readonly raw: Buffer;
  readonly query: URLSearchParams;
  readonly contentType: string;
  readonly ip: string;
  readonly now: Date;
}

export interface Limits {
  readonly perMinute: number;
  readonly perSecond?: number;
  /** Over the limit, refused for this long (DingTalk). */
  readonly blockMs: number;
  /** Refused requests count too (WeCom). */
  readonly countsRefused: boolean;
}

/** How one platform answers. */
export interface Platform {
  readonly limits: Limits;
  readonly ok: Json;
  readonly unknownToken: (request: SinkRequest) => Json;
  readonly rateLimited: (request: SinkRequest) => Json;
  readonly busy: (request: SinkRequest) => Json;
  /** The platform's checks, in its order: a refusal, or null when the message is accepted. */
  readonly check: Check;
}

export const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
export const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

export function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Constant-time, so that the sink does not teach a timing attack it would refuse elsewhere. */
export function sameSignature(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
