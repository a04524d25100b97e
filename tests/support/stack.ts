/**
 * Helpers for integration tests against the run's local stack (tests/integration/global-setup.ts):
 * real SDK clients on its endpoints, uploads the way the API makes them (intent, then the
 * object), bounded polling for outcomes, and its control endpoint (idle, raw messages,
 * losing S3's events, reconcile, replay).
 *
 * The stack is shared by every integration file of a run: each test uses its own units and
 * months (and years, where it reads a year's rollup), so that its figures are its own.
 * It runs on config/district.json (towns EC, SH, HX): units are full codes (`EC/V01`), and
 * a rollup is an org's (`ledger.rollup('EC', 'month', m)`, the district's: `'QJ'`).
 * Years taken: pipeline 2010–2021, publish 2005/2007, year 2002/2005/2006/2008, approved 2009, restart 2000,
 * tokens 2000/2031, district 2003; 2023–2025 are shared (months, not years, apart).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { clientsFor, deadLetterDir, notification, type Endpoints } from '../../infra/local/runtime.ts';
import type { DeadLetter } from '../../infra/local/queue.ts';
import { DynamoReviews } from '../../shared/adapters/dynamodb-reviews.ts';
import { reviewMonth } from '../../shared/review/act.ts';
import { ReviewError } from '../../shared/review/review.ts';
import { DynamoLedger } from '../../shared/adapters/dynamodb-ledger.ts';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store.ts';
import { DEFAULT_MAX_BYTES, type Uploader } from '../../shared/check.ts';
import type { Values } from '../../shared/rollup.ts';
import type { Registry } from '../../shared/registry.ts';
import { newUploadId, objectKey, type UploadIntent, type UploadRecord } from '../../shared/uploads.ts';
import { CONTENT_TYPES, type UploadFormat } from '../../shared/layout.ts';
import { adminFor } from './core.ts';

export { adminFor } from './core.ts';

/** The stack's fixed clock (global-setup), and what its S3 events carry as eventTime. */
export const STACK_NOW = '2025-04-03T09:00:00+08:00';
export const STACK_EVENT_TIME = new Date(STACK_NOW).toISOString();

export interface StackHandle {
  readonly endpoints: Endpoints;
  readonly bucket: string;
  readonly table: string;
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
  readonly ledger: DynamoLedger;
  readonly reviews: DynamoReviews;
  readonly store: S3ObjectStore;
  readonly control: Control;
  close(): void;
}

/**
 * Reopens past months for units as the deployment's admin would before a test loads them
 * as their secretaries or towns: a month past its lock day takes no upload from them
 * otherwise (docs/DOMAIN.md#lock-day). Every reopen is in the month's audit trail.
 */
export async function reopenFor(
  stack: StackHandle,
  units: readonly string[],
  months: readonly string[],
  registry: Registry,
): Promise<void> {
  for (const unit of units) {
    for (const period of months) {
      const version = (await stack.reviews.month(unit, period)).current?.version ?? 0;
      const now = () => new Date(STACK_NOW);
      try {
        await reviewMonth(
          { role: 'admin' },
          unit,
          period,
          { action: 'reopen', version, reason: '测试：补录过去的月份' },
          { reviews: stack.reviews, registry, now },
        );
      } catch (error) {
        // Already open (reopened, or not locked yet): nothing to do.
        if (!(error instanceof ReviewError && error.code === 'REVIEW_STATE')) throw error;
      }
    }
  }
}

/** The run's stack, through real SDK clients (call in a test file, e.g. in beforeAll). */
export function connectStack(): StackHandle {
  const provided = inject('stack');
  const { s3, dynamodb } = clientsFor(provided.endpoints);
  return {
    ...provided,
    s3,
    dynamodb,
    ledger: new DynamoLedger(dynamodb, provided.table),
    reviews: new DynamoReviews(dynamodb, provided.table),
    store: new S3ObjectStore(s3, provided.bucket),
    control: new Control(provided.control),
    close: () => {
      s3.destroy();
      dynamodb.destroy();
    },
  };
}

/** The local stack's control endpoint (infra/local/runtime.ts `publish`). */
export class Control {
  constructor(readonly url: string) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: string): Promise<T> {
    const response = await fetch(`${this.url}${path}`, { method, ...(body === undefined ? {} : { body }) });
    if (!response.ok) throw new Error(`control ${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** Resolves once the queue has nothing waiting or in flight (retries included). */
  async idle(): Promise<void> {
    await this.call('GET', '/idle');
  }

  /** Sends a raw SQS message body to the ingest queue; returns its message id. */
  async send(body: string): Promise<string> {
    return (await this.call<{ messageId: string }>('POST', '/messages', body)).messageId;
  }

  /** false: S3's events are lost (as in a crash between PUT and queue); true: delivered again. */
  async deliverEvents(deliver: boolean): Promise<boolean> {
    return (await this.call<{ deliver: boolean }>('POST', `/events?deliver=${deliver}`)).deliver;
  }

  /** Re-sends objects under incoming/ without an outcome; returns how many. */
  async reconcile(): Promise<number> {
    return (await this.call<{ sent: number }>('POST', '/reconcile')).sent;
  }

  /** Re-sends the given dead letters (all when none given); returns how many were dead. */
  async replay(ids?: readonly string[]): Promise<number> {
    const query = ids?.length ? `?${ids.map((id) => `id=${encodeURIComponent(id)}`).join('&')}` : '';
    return (await this.call<{ sent: number }>('POST', `/replay${query}`)).sent;
  }

  /**
   * Runs `work` while S3's events are lost, and delivers them again afterwards, whatever
   * happens. The flag is the whole stack's: keep `work` short (PUTs only).
   */
  async withEventsLost<T>(work: () => Promise<T>): Promise<T> {
    await this.deliverEvents(false);
    try {
      return await work();
    } finally {
      await this.deliverEvents(true);
    }
  }
}

export interface UploadSpec {
  /** The intent's unit: a full code (`EC/V01`), one town's units (`EC/ALL`) or any (`ALL/ALL`). */
  readonly unit: string;
  readonly period: string;
  readonly body: string | Uint8Array;
  readonly ext?: UploadFormat;
  /** Default: the admin naming the intent's town (short codes in the file are that town's); `ALL/ALL`: the admin alone. */
  readonly uploader?: Uploader;
}

export interface Uploaded {
  readonly uploadId: string;
  readonly key: string;
  readonly bytes: Uint8Array;
}

/** Records the intent an API would record for the upload (nothing is sent yet). */
export async function recordIntent(stack: StackHandle, spec: Omit<UploadSpec, 'body'>): Promise<UploadIntent> {
  const intent: UploadIntent = {
    uploadId: newUploadId(),
    uploader: spec.uploader ?? adminFor(spec.unit),
    unit: spec.unit,
    period: spec.period,
    ext: spec.ext ?? 'csv',
    createdAt: new Date(STACK_NOW).toISOString(),
    maxBytes: DEFAULT_MAX_BYTES,
  };
  if (!(await stack.ledger.putIntent(intent))) throw new Error(`upload id ${intent.uploadId} exists`);
  return intent;
}

/** PUTs bytes under a key through the real S3 client. */
export async function putObject(
  stack: StackHandle,
  key: string,
  body: string | Uint8Array,
  ext: UploadFormat = 'csv',
): Promise<Uint8Array> {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  await stack.s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: bytes, ContentType: CONTENT_TYPES[ext] }));
  return bytes;
}

/** What an uploader does: the intent recorded by the API, then the object PUT under its key. */
export async function upload(stack: StackHandle, spec: UploadSpec): Promise<Uploaded> {
  const intent = await recordIntent(stack, spec);
  const key = objectKey(intent);
  const bytes = await putObject(stack, key, spec.body, intent.ext);
  return { uploadId: intent.uploadId, key, bytes };
}

/** Polls an upload record until it is no longer pending (bounded). */
export async function outcomeOf(stack: StackHandle, uploadId: string, timeoutMs = 20_000): Promise<UploadRecord> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    const record = await stack.ledger.getUpload(uploadId);
    if (record && record.status !== 'pending') return record;
    if (Date.now() > deadline) throw new Error(`upload ${uploadId} still ${record ? record.status : 'unknown'} after ${timeoutMs} ms`);
    await sleep(delay);
  }
}

/** Polls until `probe` returns something other than undefined (bounded). */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(delay);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The SQS message body S3 sends for a created object (as infra/local/runtime.ts builds it:
 * the key URL-encoded as AWS does). `rawKey` puts a key in the message exactly as given.
 */
export function s3Notification(object: { key: string; size: number; eventTime?: string; sequencer?: string; rawKey?: string }): string {
  const record = notification({
    key: object.key,
    size: object.size,
    eventTime: object.eventTime ?? STACK_EVENT_TIME,
    sequencer: object.sequencer ?? Date.now().toString(16).toUpperCase(),
  });
  const shaped =
    object.rawKey === undefined ? record : { ...record, s3: { ...record.s3, object: { ...record.s3.object, key: object.rawKey } } };
  return JSON.stringify({ Records: [shaped] });
}

/** A long CSV (the template's layout, English headers) of one unit's month. */
export function longCsv(unit: string, period: string, values: Record<string, number | string>): string {
  const rows = Object.entries(values).map(([metric, value]) => `${unit},${period},${metric},,${value},`);
  return ['unit,period,metric,label,value,note', ...rows].join('\n') + '\n';
}

/** Rollup values without the keys that add up to 0 (a corrected-away value stays as 0). */
export function nonZero(values: Values): Record<string, number> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== 0));
}

/** Sums values per key (counts here; money in these tests has at most 2 decimals). */
export function sumValues(all: readonly Values[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const values of all) for (const [k, v] of Object.entries(values)) out[k] = Math.round(((out[k] ?? 0) + v) * 100) / 100;
  return out;
}

const SCRATCH = fileURLToPath(new URL('../../.data/tmp/', import.meta.url));

/**
 * The dead letters of throwaway stacks (the run's stack keeps them in its scratch dir,
 * `.data/tmp/{pid}-{time}/dlq/ingest-dlq/`): message ids are UUIDs and bodies are unique
 * per test, so a letter is found whichever run's dir holds it.
 */
function deadLetters(): DeadLetter[] {
  if (!existsSync(SCRATCH)) return [];
  return readdirSync(SCRATCH).flatMap((run) => {
    const dir = deadLetterDir(join(SCRATCH, run));
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => {
        try {
          return [JSON.parse(readFileSync(join(dir, f), 'utf8')) as DeadLetter];
        } catch {
          return []; // removed (replayed) while we read
        }
      });
  });
}

/** The dead letter with this message id, or undefined. */
export function deadLetter(messageId: string): DeadLetter | undefined {
  return deadLetters().find((l) => l.messageId === messageId);
}

/** Dead letters carrying this message body (a replayed message gets a new id). */
export function deadLettersWithBody(body: string): DeadLetter[] {
  return deadLetters().filter((l) => l.body === body);
}
