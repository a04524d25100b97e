/**
 * Classic zod's `.meta()` for zod/mini, which has none: a clone of the schema carrying the
 * metadata in the global registry, the original left as it was (so a shared schema, such
 * as MonthParam, keeps its own description wherever it is reused). The OpenAPI document
 * reads the registry (shared/api/openapi.ts); the clone's parent link makes it inherit
 * the original's metadata but its id, as classic's did.
 */
import * as z from 'zod/mini';

export function meta<T extends z.ZodMiniType>(schema: T, data: z.core.GlobalMeta): T {
  const clone = schema.clone();
  z.globalRegistry.add(clone, data);
  return clone;
}
