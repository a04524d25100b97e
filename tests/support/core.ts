/** What most core tests need: the real registry and a fixed clock. */
import { readFileSync } from 'node:fs';
import { checkFile, type CheckContext, type FileCheck } from '../../shared/check.ts';
import { Registry } from '../../shared/registry.ts';

export const registry = Registry.parse(JSON.parse(readFileSync(new URL('../../config/units.json', import.meta.url), 'utf8')));

/** 2025-04-03 09:00 in Asia/Shanghai: March 2025 is the last month, and not yet late. */
export const NOW = new Date('2025-04-03T09:00:00+08:00');

export function check(bytes: Uint8Array | string, overrides: Partial<CheckContext> = {}): FileCheck {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  return checkFile(data, { registry, uploader: { role: 'admin' }, now: NOW, ...overrides });
}

export function fixture(name: string): Uint8Array {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
}
