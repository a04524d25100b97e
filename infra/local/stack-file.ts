/**
 * One stack per data dir, and how CLI commands find it: `stack.lock` holds the owner's
 * pid; a running stack announces its endpoints in `{dataDir}/stack.json`.
 */
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Endpoints } from './environment.ts';

/** What `stack.json` says about a running stack. */
export interface StackFile {
  readonly pid: number;
  readonly endpoints: Endpoints;
  readonly control: string;
  readonly bucket: string;
  readonly table: string;
  /** The local SMTP sink: mail written as .eml files under `outbox`. */
  readonly mail: { readonly host: string; readonly port: number; readonly outbox: string };
  /** The group robots the functions send to (NOTICE_ROBOTS, their secrets' file) and the webhook sink's URL when they are its. */
  readonly robots?: { readonly config: string; readonly secretsFile?: string; readonly sink?: string };
  /** The HTTP API (and the page at `/`), when the stack serves it. */
  readonly api?: string;
}

export function readStackFile(dataDir: string): StackFile | undefined {
  const path = join(dataDir, 'stack.json');
  if (!existsSync(path)) return undefined;
  try {
    const file = JSON.parse(readFileSync(path, 'utf8')) as StackFile;
    process.kill(file.pid, 0); // throws when the process is gone
    return file;
  } catch {
    return undefined;
  }
}

export class StackBusyError extends Error {
  override readonly name = 'StackBusyError';
  readonly code = 'STACK_BUSY';
}

/**
 * One stack per data dir: `stack.lock` holds the owner's pid. A lock whose process is
 * gone is taken over.
 */
export function lock(dataDir: string): () => void {
  const path = join(dataDir, 'stack.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(path, 'utf8'));
      if (owner && isAlive(owner)) throw new StackBusyError(`data dir ${dataDir} is in use by process ${owner}`);
      rmSync(path, { force: true });
    }
  }
  throw new StackBusyError(`data dir ${dataDir}: could not take its lock`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
