#!/usr/bin/env node
// `npx cunbao …` right after `npm ci`: no build step, tsx compiles the TypeScript on load.
//
// s3rver's paginated listings use DES, which OpenSSL 3 only offers with the legacy
// provider: without the flag, this re-runs itself with it (signals and exit code passed on).
import { spawn } from 'node:child_process';

const FLAG = '--openssl-legacy-provider';
if (!process.execArgv.includes(FLAG) && !(process.env.NODE_OPTIONS ?? '').includes(FLAG)) {
  const child = spawn(process.execPath, [FLAG, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (!signal) process.exit(code ?? 1);
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  });
} else {
  // The local stack runs on Node 20 here; Lambda runs nodejs22.x.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
}
