/**
 * A local SQS queue with the semantics the ingest relies on: batches of up to
 * `batchSize`, a message retried (with backoff) only when the handler lists it in
 * batchItemFailures (or throws), and moved to a dead-letter queue after
 * `maxReceiveCount` receives. The dead-letter queue is files under the data dir, so that
 * `cunbao dlq list|replay` can read it from another process.
 */
import { randomUUID, createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { QueueTrigger } from '../wiring.ts';

export type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse | void>;

interface Message {
  readonly messageId: string;
  readonly body: string;
  readonly sentAt: number;
  receiveCount: number;
  availableAt: number;
}

export interface DeadLetter {
  readonly messageId: string;
  readonly queue: string;
  readonly body: string;
  readonly receiveCount: number;
  readonly failedAt: string;
}

/** Dead letters as JSON files: `{dir}/{messageId}.json`. */
export class DeadLetterFiles {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  add(letter: DeadLetter): void {
    writeFileSync(join(this.dir, `${letter.messageId}.json`), JSON.stringify(letter, null, 2));
  }

  list(): DeadLetter[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(this.dir, f), 'utf8')) as DeadLetter)
      .sort((a, b) => a.failedAt.localeCompare(b.failedAt));
  }

  remove(messageId: string): void {
    rmSync(join(this.dir, `${messageId}.json`), { force: true });
  }
}

export interface QueueOptions {
  readonly trigger: QueueTrigger;
  readonly handler: SqsHandler;
  readonly deadLetters: DeadLetterFiles;
  /** Batches handled at the same time (Lambda runs several containers). */
  readonly concurrency: number;
  /** First retry delay; doubles with each receive. */
  readonly backoffMs: number;
  readonly region: string;
}

export class LocalQueue {
  private readonly waiting: Message[] = [];
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(private readonly options: QueueOptions) {}

  send(body: string): string {
    const message: Message = { messageId: randomUUID(), body, sentAt: Date.now(), receiveCount: 0, availableAt: Date.now() };
    this.waiting.push(message);
    this.pump();
    return message.messageId;
  }

  /** Resolves once nothing is waiting or in flight. */
  idle(): Promise<void> {
    if (this.waiting.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get depth(): { waiting: number; inFlight: number } {
    return { waiting: this.waiting.length, inFlight: this.inFlight };
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private pump(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const now = Date.now();
    while (this.inFlight < this.options.concurrency) {
      const ready = this.waiting.filter((m) => m.availableAt <= now).slice(0, this.options.trigger.batchSize);
      if (ready.length === 0) break;
      for (const m of ready) this.waiting.splice(this.waiting.indexOf(m), 1);
      this.inFlight++;
      void this.deliver(ready).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
    const next = Math.min(...this.waiting.map((m) => m.availableAt));
    if (Number.isFinite(next) && this.inFlight < this.options.concurrency)
      this.timer = setTimeout(() => this.pump(), Math.max(0, next - now));
    if (this.waiting.length === 0 && this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async deliver(batch: Message[]): Promise<void> {
    for (const m of batch) m.receiveCount++;
    let failed: Set<string>;
    try {
      const response = await this.options.handler({ Records: batch.map((m) => this.record(m)) });
      failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch {
      failed = new Set(batch.map((m) => m.messageId));
    }
    for (const m of batch) {
      if (!failed.has(m.messageId)) continue;
      if (m.receiveCount >= this.options.trigger.maxReceiveCount) {
        this.options.deadLetters.add({
          messageId: m.messageId,
          queue: this.options.trigger.queue,
          body: m.body,
          receiveCount: m.receiveCount,
          failedAt: new Date().toISOString(),
        });
      } else {
        m.availableAt = Date.now() + this.options.backoffMs * 2 ** (m.receiveCount - 1);
        this.waiting.push(m);
      }
    }
  }

  private record(m: Message): SQSRecord {
    const { queue } = this.options.trigger;
    return {
      messageId: m.messageId,
      receiptHandle: `${m.messageId}#${m.receiveCount}`,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(m.receiveCount),
        SentTimestamp: String(m.sentAt),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(m.sentAt),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(m.body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:${this.options.region}:000000000000:${queue}`,
      awsRegion: this.options.region,
    };
  }
}
