/**
 * The reporting-unit registry (组织机构): configuration, not code. A town edits
 * `config/units.json` (or points CUNBAO_UNITS at its own file) without a new deploy.
 */
// zod/mini: every function loads the registry, and a bundle's size is its cold start.
import * as z from 'zod/mini';

const UnitType = z.enum(['village', 'community', 'town_office']);

const text = () => z.string().check(z.minLength(1));

const ReportingUnitSchema = z.object({
  code: z.string().check(z.regex(/^[A-Z][A-Z0-9_]{1,15}$/, 'unit code: upper-case letters and digits')),
  name: text(),
  type: UnitType,
  /** Where reminders for this unit go (optional). */
  contact: z.optional(z.email()),
});
export type ReportingUnit = z.infer<typeof ReportingUnitSchema>;

const RegistrySchema = z
  .object({
    town: z.object({
      code: text(),
      name: text(),
      district: text(),
      timeZone: z._default(z.literal('Asia/Shanghai'), 'Asia/Shanghai'),
    }),
    /** A month's files are due by this day of the next month (Asia/Shanghai). */
    deadlineDay: z._default(z.int().check(z.minimum(1), z.maximum(28)), 5),
    units: z.array(ReportingUnitSchema).check(z.minLength(1)),
  })
  .check(
    z.superRefine((registry, ctx) => {
      const seen = new Set<string>();
      for (const [i, unit] of registry.units.entries()) {
        if (seen.has(unit.code))
          ctx.addIssue({ code: 'custom', path: ['units', i, 'code'], message: `duplicate unit code ${unit.code}`, input: unit.code });
        seen.add(unit.code);
      }
    }),
  );
export type RegistryConfig = z.infer<typeof RegistrySchema>;

export class Registry {
  readonly units: readonly ReportingUnit[];
  readonly town: RegistryConfig['town'];
  readonly deadlineDay: number;
  private readonly byName = new Map<string, ReportingUnit>();

  constructor(config: RegistryConfig) {
    this.units = config.units;
    this.town = config.town;
    this.deadlineDay = config.deadlineDay;
    for (const unit of config.units) {
      this.byName.set(unit.code, unit);
      this.byName.set(unit.name, unit);
    }
  }

  /** Parses and validates a registry document (throws a zod error naming the bad field). */
  static parse(document: unknown): Registry {
    return new Registry(RegistrySchema.parse(document));
  }

  get(code: string): ReportingUnit | undefined {
    return this.byName.get(code);
  }

  /** A unit as people write it: its code in any case and width, or its Chinese name. */
  find(text: string): ReportingUnit | undefined {
    const hit = this.byName.get(text);
    if (hit) return hit;
    const folded = text.normalize('NFKC').replace(/\s+/g, '');
    return this.byName.get(folded.toUpperCase()) ?? this.byName.get(folded);
  }

  get codes(): string[] {
    return this.units.map((u) => u.code);
  }
}
