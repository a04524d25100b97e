/**
 * A value made on first use, then kept. For zod schemas a path may never need: making
 * one at a cold start costs about a tenth of a millisecond (measured on the bundles), and
 * a module that makes sixty at import makes every function that imports it slower to start.
 */
export function once<T>(make: () => T): () => T {
  let made: { readonly value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}
