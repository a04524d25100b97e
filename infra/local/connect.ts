/**
 * A stack for a CLI command: the one `npm start` runs on the same data dir if there is
 * one (through its endpoints and control URL), else one started in this process for the
 * command's duration.
 */
import { DynamoLedger } from '../../shared/adapters/dynamodb-ledger.ts';
import { DynamoReviews } from '../../shared/adapters/dynamodb-reviews.ts';
import { DynamoNotices } from '../../shared/adapters/dynamodb-notices.ts';
import { DynamoSummaries } from '../../shared/adapters/dynamodb-summaries.ts';
import { DynamoTokens } from '../../shared/adapters/dynamodb-tokens.ts';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store.ts';
import { DeadLetterFiles } from './queue.ts';
import { clientsFor, deadLetterDir, LOCAL, LocalStack, type StartOptions } from './runtime.ts';
import { readStackFile, StackBusyError, type StackFile } from './stack-file.ts';

/** What a command's own stack takes from the command (its clock, registry, and the functions' settings). */
export type StackOptions = Pick<StartOptions, 'now' | 'unitsFile' | 'logLevel' | 'recipients' | 'robots'>;

export interface StackAccess {
  readonly ledger: DynamoLedger;
  readonly reviews: DynamoReviews;
  readonly store: S3ObjectStore;
  readonly summaries: DynamoSummaries;
  /** The credentials (token hashes) in the stack's table. */
  readonly tokens: DynamoTokens;
  /** The stack's SMTP sink. */
  readonly mail: StackFile['mail'];
  /** The notices' claims in the stack's table. */
  readonly notices: DynamoNotices;
  /** The robots the stack's functions send to (the webhook sink's, unless real ones were configured). */
  readonly robots: StackFile['robots'];
  /** The page notices link to (the stack's API), when it serves one. */
  readonly page?: string;
  readonly deadLetters: DeadLetterFiles;
  /** True when a running `npm start` serves this data dir. */
  readonly shared: boolean;
  /** Resolves with Java's exit status if the command's own DynamoDB Local dies (never for a shared stack). */
  readonly javaDied: Promise<number>;
  idle(): Promise<void>;
  reconcile(): Promise<number>;
  replay(ids?: readonly string[]): Promise<number>;
  close(): Promise<void>;
}

export async function openStack(dataDir: string, options: StackOptions = {}, waitMs = 120_000): Promise<StackAccess> {
  // Another command may hold the data dir for a while: use its published stack if it
  // has one, else wait for it to finish and start our own.
  const deadline = Date.now() + waitMs;
  for (;;) {
    const running = readStackFile(dataDir);
    if (running) return connect(running, dataDir);
    try {
      // A command's own stack logs only problems unless LOG_LEVEL says otherwise: its output is the command's.
      return embedded(await LocalStack.start({ dataDir, ...options, logLevel: options.logLevel ?? 'warn' }));
    } catch (error) {
      if (!(error instanceof StackBusyError) || Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function connect(file: StackFile, dataDir: string): StackAccess {
  const clients = clientsFor(file.endpoints);
  const call = async (method: string, path: string) => {
    const response = await fetch(`${file.control}${path}`, { method });
    if (!response.ok) throw new Error(`local stack ${path}: HTTP ${response.status}`);
    return (await response.json()) as { sent?: number };
  };
  const store = new S3ObjectStore(clients.s3, file.bucket);
  return {
    ledger: new DynamoLedger(clients.dynamodb, file.table),
    reviews: new DynamoReviews(clients.dynamodb, file.table),
    store,
    summaries: new DynamoSummaries(clients.dynamodb, file.table, store),
    tokens: new DynamoTokens(clients.dynamodb, file.table),
    mail: file.mail,
    notices: new DynamoNotices(clients.dynamodb, file.table),
    robots: file.robots,
    ...(file.api ? { page: file.api } : {}),
    deadLetters: new DeadLetterFiles(deadLetterDir(dataDir)),
    shared: true,
    javaDied: new Promise<number>(() => {}),
    idle: async () => void (await call('GET', '/idle')),
    reconcile: async () => (await call('POST', '/reconcile')).sent ?? 0,
    replay: async (ids) =>
      (await call('POST', `/replay${ids?.length ? `?${ids.map((id) => `id=${encodeURIComponent(id)}`).join('&')}` : ''}`)).sent ?? 0,
    close: async () => {
      clients.s3.destroy();
      clients.dynamodb.destroy();
    },
  };
}

function embedded(stack: LocalStack): StackAccess {
  return {
    ledger: stack.ledger,
    reviews: new DynamoReviews(stack.clients.dynamodb, LOCAL.table),
    store: stack.store,
    summaries: new DynamoSummaries(stack.clients.dynamodb, LOCAL.table, stack.store),
    tokens: new DynamoTokens(stack.clients.dynamodb, LOCAL.table),
    mail: { host: stack.mail.host, port: stack.mail.port, outbox: stack.mail.outbox },
    notices: new DynamoNotices(stack.clients.dynamodb, LOCAL.table),
    robots: stack.robots
      ? { config: stack.robots.config, secretsFile: stack.robots.secretsFile, sink: stack.robots.sink.url }
      : stack.realRobots,
    ...(stack.api ? { page: stack.api.url } : {}),
    deadLetters: stack.deadLetters,
    shared: false,
    javaDied: stack.javaDied(),
    idle: () => stack.queue.idle(),
    reconcile: () => stack.reconcile(),
    replay: async (ids) => stack.replay(ids),
    close: () => stack.stop(),
  };
}
