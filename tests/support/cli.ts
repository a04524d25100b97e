/** Runs the real `bin/cunbao.mjs` as a separate process, as a secretary or a script would. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/cunbao.mjs', import.meta.url));

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The robots of the run's shared stack, which its functions' environment put in this
 * process's (infra/local/runtime.ts loadHandler): a command given them would send to that
 * stack's webhook sink instead of starting its own.
 */
const STACK_ONLY = ['NOTICE_ROBOTS', 'NOTICE_SECRETS_FILE', 'PAGE_URL'];

/** This process's environment without the shared stack's robots, and `env` added: a command's own. */
export function cliEnv(env: Record<string, string> = {}): Record<string, string | undefined> {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !STACK_ONLY.includes(name))), ...env };
}

/** Its exit code and output; `env` adds to this process's environment (without the shared stack's robots). */
export function runCli(args: readonly string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: cliEnv(env), timeout: 90_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
