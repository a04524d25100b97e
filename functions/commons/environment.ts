/** Environment of every function, validated once at cold start: a missing variable fails fast. */
// zod/mini: every function reads its environment at cold start; the full zod is not needed for it.
import * as z from 'zod/mini';

const Environment = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  BUCKET_NAME: z.string().check(z.minLength(1)),
  /** Where the unit registry lives in the bucket (a town edits it without a deploy). */
  UNITS_KEY: z._default(z.string().check(z.minLength(1)), 'config/units.json'),
  /** A fixed clock for local runs and tests (never set in AWS). */
  CUNBAO_NOW: z.optional(z.iso.datetime({ offset: true })),
});

export type Environment = z.infer<typeof Environment>;

/** The function's clock: the real one, or CUNBAO_NOW when a local run fixes it. */
export function clockOf(env: Pick<Environment, 'CUNBAO_NOW'>): () => Date {
  const fixed = env.CUNBAO_NOW ? new Date(env.CUNBAO_NOW) : undefined;
  return () => fixed ?? new Date();
}

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const parsed = Environment.safeParse(env);
  if (!parsed.success) throw new Error(`invalid environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
