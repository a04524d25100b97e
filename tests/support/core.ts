/** What most core tests need: the real registries and a fixed clock. */
import { readFileSync } from 'node:fs';
import { checkFile, type CheckContext, type FileCheck, type Uploader } from '../../shared/check.ts';
import { readWorkbookFile } from '../../shared/formats/xlsx-file.ts';
import { ANY_UNIT } from '../../shared/layout.ts';
import { Registry } from '../../shared/registry.ts';

const config = (name: string) => readFileSync(new URL(`../../config/${name}`, import.meta.url), 'utf8');

/** The single-town registry of round 1 (鹅池镇, a district of one town). */
export const registry = Registry.fromJson(config('units.json'), 'config/units.json');

/** The sample district QJ 黔江区: towns EC, SH (V08 from 2025-07), HX (V07 until 2025-06), 9 units each. */
export const district = Registry.fromJson(config('district.json'), 'config/district.json');

/** 2025-04-03 09:00 in Asia/Shanghai: March 2025 is the last month, and not yet late. */
export const NOW = new Date('2025-04-03T09:00:00+08:00');

export function check(bytes: Uint8Array | string, overrides: Partial<CheckContext> = {}): FileCheck {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  return checkFile(data, { registry, uploader: { role: 'admin' }, now: NOW, workbook: readWorkbookFile, ...overrides });
}

export function fixture(name: string): Uint8Array {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
}

/**
 * The admin as the API records it when an upload names a town: the town of the intent's
 * unit (`EC/V01`, `EC/ALL`), so that short codes in the file are that town's; for `ALL/ALL`
 * the admin alone (the file must use full or division codes).
 */
export function adminFor(unit: string): Uploader {
  const town = unit.slice(0, unit.indexOf('/'));
  return town === '' || town === ANY_UNIT ? { role: 'admin' } : { role: 'admin', town };
}
