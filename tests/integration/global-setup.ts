/**
 * Starts the local stack once per test run (in vitest's main process, where its queue
 * and the ingest handler then run) and hands its endpoints to the test files.
 */
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { LocalStack, type Endpoints } from '../../infra/local/runtime.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's local stack: endpoints, and its control URL (idle, messages, events, reconcile, replay). */
    stack: { endpoints: Endpoints; bucket: string; table: string; control: string; api: string; sink: string; outbox: string };
  }
}

let stack: LocalStack | undefined;

export async function setup(project: TestProject): Promise<void> {
  process.env.LOG_LEVEL ??= 'warn';
  // The sample district (3 towns × 9 units; its town EC is the seed's 鹅池镇): every
  // integration test runs against the hierarchy, as a district's deployment does.
  const unitsFile = fileURLToPath(new URL('../../config/district.json', import.meta.url));
  stack = await LocalStack.start({ dataDir: null, backoffMs: 50, now: '2025-04-03T09:00:00+08:00', apiPort: 0, unitsFile });
  const file = await stack.publish();
  project.provide('stack', {
    endpoints: file.endpoints,
    bucket: file.bucket,
    table: file.table,
    control: file.control,
    api: file.api!,
    // The webhook sink of its group robots (infra/local/robots.ts): what they received.
    sink: file.robots!.sink!,
    // The functions' mail: the local SMTP sink's .eml files.
    outbox: file.mail.outbox,
  });
}

export async function teardown(): Promise<void> {
  await stack?.stop();
}
