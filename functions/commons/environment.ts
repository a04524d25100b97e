/** Environment of every function, validated once at cold start: a missing variable fails fast. */
import * as z from 'zod';

const Environment = z.object({
  TABLE_NAME: z.string().min(1),
  BUCKET_NAME: z.string().min(1),
  /** Where the unit registry lives in the bucket (a town edits it without a deploy). */
  UNITS_KEY: z.string().min(1).default('config/units.json'),
});

export type Environment = z.infer<typeof Environment>;

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const parsed = Environment.safeParse(env);
  if (!parsed.success) throw new Error(`invalid environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
