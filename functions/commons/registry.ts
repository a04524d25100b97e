/** The unit registry, read from the bucket and kept for a few minutes (a town edits it live). */
import { Registry } from '../../shared/registry.ts';
import type { ObjectStore } from '../../shared/ports/objects.ts';

const TTL_MS = 5 * 60_000;
let cached: { registry: Registry; at: number } | undefined;

export async function loadRegistry(store: ObjectStore, key: string, now = Date.now()): Promise<Registry> {
  if (cached && now - cached.at < TTL_MS) return cached.registry;
  const bytes = await store.get(key);
  if (!bytes) throw new Error(`unit registry missing: s3 object ${key}`);
  const registry = Registry.fromJson(new TextDecoder().decode(bytes), `s3 object ${key}`);
  cached = { registry, at: now };
  return registry;
}
