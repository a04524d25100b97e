/**
 * S3 = s3rver in this process, on 127.0.0.1. Its `event` fires for every bucket with keys
 * not URL-encoded (eventVersion 2.0): we pass on only ObjectCreated events of our bucket,
 * reshaped as AWS sends them.
 */
import { mkdirSync } from 'node:fs';
import S3rver from 's3rver';
import { freePort } from './processes.ts';

export interface S3EventRecord {
  readonly eventVersion: string;
  readonly eventSource: 'aws:s3';
  readonly awsRegion: string;
  readonly eventTime: string;
  readonly eventName: string;
  readonly s3: {
    readonly bucket: { readonly name: string };
    readonly object: { readonly key: string; readonly size: number; readonly sequencer: string; readonly eTag?: string };
  };
}

export interface RunningS3 {
  readonly endpoint: string;
  onObjectCreated(listener: (record: S3EventRecord) => void): void;
  stop(): Promise<void>;
}

/** What AWS does to a key in a notification: URL-encoding with '+' for spaces. */
export function encodeKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
}

export async function startS3Local(directory: string, bucket: string, now: () => Date = () => new Date()): Promise<RunningS3> {
  mkdirSync(directory, { recursive: true });
  const port = await freePort();
  const server = new S3rver({ address: '127.0.0.1', port, directory, silent: true, configureBuckets: [{ name: bucket, configs: [] }] });
  await server.run();
  const listeners: ((record: S3EventRecord) => void)[] = [];
  // s3rver is a Koa app, an EventEmitter its typings do not show.
  (server as unknown as NodeJS.EventEmitter).on('event', (event: { Records: S3EventRecord[] }) => {
    for (const record of event.Records) {
      if (record.s3.bucket.name !== bucket || !record.eventName.startsWith('ObjectCreated:')) continue;
      // Event time from the stack's clock (CUNBAO_NOW in tests).
      const reshaped: S3EventRecord = {
        ...record,
        eventVersion: '2.1',
        eventTime: now().toISOString(),
        s3: { ...record.s3, object: { ...record.s3.object, key: encodeKey(record.s3.object.key) } },
      };
      for (const listener of listeners) listener(reshaped);
    }
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    onObjectCreated: (listener) => listeners.push(listener),
    stop: () => server.close(),
  };
}
