#!/usr/bin/env node
// `npx cunbao …` right after `npm ci`: no build step, tsx compiles the TypeScript on load.
//
// s3rver's paginated listings use DES, which OpenSSL 3 only offers with the legacy
// provider: without the flag, this re-runs itself with it (signals and exit code passed on).
import { spawn } from 'node:child_process';

const FLAG = '--openssl-legacy-provider';
/** Set for the re-run child: its parent is this shim, which it outlives only by mistake. */
const SHIM = 'CUNBAO_SHIM_PARENT';

/**
 * npm runs scripts (and npx its bins) under `sh -c`, and forwards SIGTERM to that shell
 * only: the shell dies and its child is orphaned. So a process started by npm, or by the
 * shim, takes its parent going away as SIGTERM. (Not for a process a user started
 * directly: `nohup cunbao start &` must outlive the shell.)
 */
function stopWhenOrphaned(onOrphaned) {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) onOrphaned();
  }, 500).unref();
}

/** `cunbao … | head -1`: once the reader is gone, the rest of the output goes nowhere, quietly. */
function quietOnBrokenPipe(stream) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}

if (!process.execArgv.includes(FLAG) && !(process.env.NODE_OPTIONS ?? '').includes(FLAG)) {
  const child = spawn(process.execPath, [FLAG, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, [SHIM]: '1' },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  if (process.env.npm_lifecycle_event) stopWhenOrphaned(() => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => {
    if (!signal) process.exit(code ?? 1);
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  });
} else {
  if (process.env[SHIM] || process.env.npm_lifecycle_event) stopWhenOrphaned(() => process.kill(process.pid, 'SIGTERM'));
  delete process.env[SHIM];
  quietOnBrokenPipe(process.stdout);
  quietOnBrokenPipe(process.stderr);
  // The local stack runs on Node 20 here; Lambda runs nodejs22.x.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
}
