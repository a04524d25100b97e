/**
 * The reporting-unit registry (组织机构): district → towns → units. Configuration, not
 * code: a district edits `config/units.json` (or points CUNBAO_UNITS at its own file)
 * without a new deploy. The single-town file of round 1 is read as a district of one
 * town (docs/DOMAIN.md#registry-format).
 *
 * Inside the system a unit is named by its full code `{town}/{unit}` (`EC/V01`): unit
 * codes are unique only within their town. People write the short code, the full code,
 * the 12-digit division code or the name; `resolve` decides which unit they meant.
 */
// zod/mini: every function loads the registry, and a bundle's size is its cold start.
import * as z from 'zod/mini';
import { jsonLines, syntaxErrorLine } from './json-lines.ts';
import { once } from './once.ts';
import type { Month } from './period.ts';

const UnitType = z.enum(['village', 'community', 'town_office']);
const text = () => z.string().check(z.minLength(1));
const code = (what: string) => z.string().check(z.regex(/^[A-Z][A-Z0-9_]{1,15}$/, `${what} code: upper-case letters and digits, 2 to 16`));
const month = () => z.string().check(z.regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM'));
const emails = () => z.optional(z.array(z.email()));

// The schemas are made with the first file read (a deployment reads one of the two kinds).
const unitSchema = once(() =>
  z.object({
    code: code('unit'),
    name: text(),
    type: UnitType,
    /** 统计用区划代码: 12 digits. */
    divisionCode: z.optional(z.string().check(z.regex(/^[0-9]{12}$/, 'divisionCode: 12 digits'))),
    /** The first and last month the unit exists (both optional, both included). */
    from: z.optional(month()),
    until: z.optional(month()),
    /** Where reminders for this unit go (optional). */
    contact: z.optional(z.email()),
  }),
);

const townSchema = once(() =>
  z.object({
    code: code('town'),
    name: text(),
    /** Who gets the town's mails (besides the deployment's MAIL_TO_TOWN). */
    recipients: emails(),
    units: z.array(unitSchema()).check(z.minLength(1)),
  }),
);

const dayOfMonth = (fallback: number) => z._default(z.int().check(z.minimum(1), z.maximum(28)), fallback);

const districtDocument = once(() =>
  z.object({
    district: z.object({ code: code('district'), name: text(), recipients: emails() }),
    timeZone: z._default(z.literal('Asia/Shanghai'), 'Asia/Shanghai'),
    /** A month's files are due by this day of the next month (Asia/Shanghai). */
    deadlineDay: dayOfMonth(5),
    /** After this day of the next month a unit can no longer change the month. */
    lockDay: dayOfMonth(20),
    towns: z.array(townSchema()).check(z.minLength(1)),
  }),
);

/** Round 1's file: one town, the district only named. Still valid: a district of one town. */
const townDocument = once(() =>
  z.object({
    town: z.object({
      code: code('town'),
      name: text(),
      district: text(),
      districtCode: z.optional(code('district')),
      timeZone: z._default(z.literal('Asia/Shanghai'), 'Asia/Shanghai'),
    }),
    deadlineDay: dayOfMonth(5),
    lockDay: dayOfMonth(20),
    units: z.array(unitSchema()).check(z.minLength(1)),
  }),
);

type DistrictFile = z.infer<ReturnType<typeof districtDocument>>;
type TownFile = z.infer<ReturnType<typeof townDocument>>;

/** The district code of a single-town file that names none. */
export const DEFAULT_DISTRICT_CODE = 'DISTRICT';

export interface ReportingUnit extends z.infer<ReturnType<typeof unitSchema>> {
  /** `{town}/{unit}`: how the system names the unit (keys, records, tokens). */
  readonly fullCode: string;
  /** The town's code. */
  readonly town: string;
}

export interface Town {
  readonly code: string;
  readonly name: string;
  readonly recipients: readonly string[];
  readonly units: readonly ReportingUnit[];
}

export interface District {
  readonly code: string;
  readonly name: string;
  readonly recipients: readonly string[];
}

/** A node of the hierarchy a summary, a completeness or a token belongs to. */
export type Org = { readonly level: 'district'; readonly code: string; readonly name: string } | ({ readonly level: 'town' } & Town);

/** What `resolve` found: a unit, or why none (several units match: AMBIGUOUS_UNIT). */
export type Resolution =
  | { readonly unit: ReportingUnit }
  | { readonly unit?: undefined; readonly problem: 'unknown' }
  | { readonly unit?: undefined; readonly problem: 'ambiguous'; readonly candidates: readonly ReportingUnit[] };

export const fullCodeOf = (town: string, unit: string): string => `${town}/${unit}`;
/** The town of a full code (`EC/V01` → `EC`). */
export const townOf = (fullCode: string): string => fullCode.slice(0, fullCode.indexOf('/'));
/** The short code of a full code (`EC/V01` → `V01`). */
export const shortCodeOf = (fullCode: string): string => fullCode.slice(fullCode.indexOf('/') + 1);

export class Registry {
  readonly district: District;
  readonly towns: readonly Town[];
  readonly deadlineDay: number;
  readonly lockDay: number;
  /** Every unit of the district, town by town, in the registry's order. */
  readonly units: readonly ReportingUnit[];
  private readonly byFull = new Map<string, ReportingUnit>();
  private readonly byDivision = new Map<string, ReportingUnit>();
  /** Short codes and names → the units (of any town) they may mean. */
  private readonly byShort = new Map<string, ReportingUnit[]>();
  private readonly townsByCode = new Map<string, Town>();

  private constructor(document: DistrictFile) {
    this.district = { code: document.district.code, name: document.district.name, recipients: document.district.recipients ?? [] };
    this.deadlineDay = document.deadlineDay;
    this.lockDay = document.lockDay;
    this.towns = document.towns.map((t) => ({
      code: t.code,
      name: t.name,
      recipients: t.recipients ?? [],
      units: t.units.map((u) => ({ ...u, town: t.code, fullCode: fullCodeOf(t.code, u.code) })),
    }));
    this.units = this.towns.flatMap((t) => t.units);
    for (const town of this.towns) this.townsByCode.set(town.code, town);
    for (const unit of this.units) {
      this.byFull.set(unit.fullCode, unit);
      if (unit.divisionCode) this.byDivision.set(unit.divisionCode, unit);
      for (const name of new Set([unit.code, unit.name])) this.byShort.set(name, [...(this.byShort.get(name) ?? []), unit]);
    }
  }

  /**
   * Parses and validates a registry document, either format. Throws a RegistryError naming
   * each bad field by its path (`towns[1].units[3].code`).
   */
  static parse(document: unknown): Registry {
    const isTownFile = typeof document === 'object' && document !== null && 'town' in document && !('towns' in document);
    // reportInput: the issues carry the offending value, for the message.
    const options = { reportInput: true };
    const parsed = isTownFile ? townDocument().safeParse(document, options) : districtDocument().safeParse(document, options);
    if (!parsed.success) throw new RegistryError(parsed.error.issues.map((i) => ({ path: pathText(i.path), message: issueText(i) })));
    const district = 'towns' in parsed.data ? parsed.data : fromTownFile(parsed.data);
    const problems = duplicates(district);
    if (problems.length) throw new RegistryError(problems);
    return new Registry(district);
  }

  /**
   * Reads a registry file: JSON, then the checks of `parse`; each problem names the line of
   * `source` it is on (`config/units.json:27: towns[1].units[3].code: …`).
   */
  static fromJson(text: string, source: string): Registry {
    let document: unknown;
    try {
      document = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (error) {
      throw new RegistryError(
        [{ path: '(document)', message: `not valid JSON: ${(error as Error).message}` }],
        source,
        syntaxErrorLine(text, error),
      );
    }
    try {
      return Registry.parse(document);
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error;
      const lines = jsonLines(text.replace(/^\uFEFF/, ''));
      throw new RegistryError(
        error.problems.map((p) => ({ ...p, line: lineOf(lines, p.path) })),
        source,
      );
    }
  }

  /** The one town of a single-town registry (today's routes and CLI default to it), or undefined. */
  get singleTown(): Town | undefined {
    return this.towns.length === 1 ? this.towns[0] : undefined;
  }

  findTown(code: string): Town | undefined {
    return this.townsByCode.get(code);
  }

  /** The district or a town, by its code. */
  org(code: string): Org | undefined {
    if (code === this.district.code) return { level: 'district', code, name: this.district.name };
    const town = this.townsByCode.get(code);
    return town ? { level: 'town', ...town } : undefined;
  }

  /** The node a summary defaults to: the single town of a one-town registry, else the district. */
  get defaultOrg(): Org {
    const single = this.singleTown;
    return single ? { level: 'town', ...single } : { level: 'district', code: this.district.code, name: this.district.name };
  }

  /**
   * The nodes summaries are published for: every town, and the district when it has more
   * than one (a district of one town is that town).
   */
  get orgs(): Org[] {
    const towns = this.towns.map((t): Org => ({ level: 'town', ...t }));
    return this.singleTown ? towns : [...towns, { level: 'district', code: this.district.code, name: this.district.name }];
  }

  /** A unit by its full code. */
  get(fullCode: string): ReportingUnit | undefined {
    return this.byFull.get(fullCode);
  }

  /** The units an org covers. */
  unitsOf(org: Org | string): readonly ReportingUnit[] {
    const code = typeof org === 'string' ? org : org.code;
    if (code === this.district.code) return this.units;
    return this.townsByCode.get(code)?.units ?? [];
  }

  /** The units of an org expected to report a month (those existing then: from/until). */
  expected(org: Org | string, period: Month): ReportingUnit[] {
    return this.unitsOf(org).filter((u) => existsIn(u, period));
  }

  /**
   * The unit a file's cell (or a request) names, as people write it: the full code, the
   * division code, or the short code or name within `town` (the uploader's; a short code
   * or name that is unique in the district also resolves when no town is given). Case,
   * full-width letters and spaces do not matter.
   */
  resolve(raw: string, town?: string): Resolution {
    const folded = raw.normalize('NFKC').replace(/\s+/g, '');
    const upper = folded.toUpperCase();
    const exact = this.byFull.get(upper) ?? this.byDivision.get(folded);
    if (exact) return { unit: exact };
    const candidates = this.byShort.get(upper) ?? this.byShort.get(folded) ?? [];
    const mine = town === undefined ? candidates : candidates.filter((u) => u.town === town);
    if (mine.length === 1) return { unit: mine[0]! };
    if (mine.length > 1 || (town === undefined && candidates.length > 1)) return { problem: 'ambiguous', candidates };
    return { problem: 'unknown' };
  }

  /** Full codes of every unit (of one town, or of the district). */
  codes(town?: string): string[] {
    return (town === undefined ? this.units : this.unitsOf(town)).map((u) => u.fullCode);
  }
}

/** Whether a unit exists in a month (its `from`/`until`, both included). */
export function existsIn(unit: Pick<ReportingUnit, 'from' | 'until'>, period: Month): boolean {
  return (unit.from === undefined || unit.from <= period) && (unit.until === undefined || period <= unit.until);
}

/** A registry that is not valid: every problem, each with the path of the field. */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  readonly code = 'REGISTRY_INVALID';
  constructor(
    readonly problems: readonly RegistryProblem[],
    readonly source = 'unit registry',
    line?: number,
  ) {
    const where = (p: RegistryProblem) => `${source}${(p.line ?? line) === undefined ? '' : `:${p.line ?? line}`}`;
    super(`unit registry is not valid:\n${problems.map((p) => `  ${where(p)}: ${p.path}: ${p.message}`).join('\n')}`);
  }
}

interface RegistryProblem {
  readonly path: string;
  readonly message: string;
  readonly line?: number | undefined;
}

/** The line of a path, or of its nearest parent that has one (a missing field: its object's). */
function lineOf(lines: ReadonlyMap<string, number>, path: string): number | undefined {
  let p = path === '(document)' ? '' : path;
  for (;;) {
    const line = lines.get(p);
    if (line !== undefined || p === '') return line;
    const parent = p.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
    p = parent === p ? '' : parent;
  }
}

function fromTownFile(file: TownFile): DistrictFile {
  const { town, units, deadlineDay, lockDay } = file;
  return {
    district: { code: town.districtCode ?? DEFAULT_DISTRICT_CODE, name: town.district },
    timeZone: town.timeZone,
    deadlineDay,
    lockDay,
    towns: [{ code: town.code, name: town.name, units }],
  };
}

/** What must be unique: town codes (and the district's), unit codes and names within a town, division codes. */
function duplicates(district: DistrictFile): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const towns = new Map<string, string>([[district.district.code, 'district.code']]);
  const divisions = new Map<string, string>();
  for (const [t, town] of district.towns.entries()) {
    const at = `towns[${t}]`;
    const first = towns.get(town.code);
    if (first === 'district.code')
      problems.push({ path: `${at}.code`, message: `town code ${town.code} is the district's code: a town's code must differ from it` });
    else if (first) problems.push({ path: `${at}.code`, message: `duplicate town code ${town.code} (also ${first})` });
    towns.set(town.code, `${at}.code`);
    const units = new Map<string, string>();
    // Files may name a unit by its name, read within the town: two alike could not be told apart.
    const names = new Map<string, string>();
    for (const [u, unit] of town.units.entries()) {
      const here = `${at}.units[${u}]`;
      const same = units.get(unit.code);
      if (same) problems.push({ path: `${here}.code`, message: `duplicate unit code ${unit.code} in town ${town.code} (also ${same})` });
      units.set(unit.code, `${here}.code`);
      const named = names.get(unit.name);
      if (named) problems.push({ path: `${here}.name`, message: `duplicate unit name ${unit.name} in town ${town.code} (also ${named})` });
      names.set(unit.name, `${here}.name`);
      if (unit.divisionCode) {
        const other = divisions.get(unit.divisionCode);
        if (other) problems.push({ path: `${here}.divisionCode`, message: `duplicate division code ${unit.divisionCode} (also ${other})` });
        divisions.set(unit.divisionCode, `${here}.divisionCode`);
      }
      if (unit.from && unit.until && unit.from > unit.until)
        problems.push({ path: `${here}.until`, message: `until ${unit.until} is before from ${unit.from}` });
    }
  }
  return problems;
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('') || '(document)';
}

/** The offending value in a message: short, as JSON. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** What JSON calls a value's type (an array is not an "object" to the person editing the file). */
function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * A zod issue in words that say what is allowed and what was found: zod's own default is
 * "Invalid input", which tells the person editing the registry nothing.
 */
function issueText(issue: z.core.$ZodIssue): string {
  // JSON has no undefined: an undefined input is a field the file does not have.
  const missing = issue.input === undefined;
  const got = missing ? 'missing' : `got ${shown(issue.input)}`;
  switch (issue.code) {
    case 'invalid_value': {
      const allowed = issue.values.map((v) => shown(v));
      return `${allowed.length === 1 ? `must be ${allowed[0]}` : `one of ${allowed.join(', ')}`} (${got})`;
    }
    case 'invalid_type':
      return missing ? `required (expected ${issue.expected})` : `expected ${issue.expected}, got ${typeName(issue.input)}`;
    case 'too_big':
      return issue.origin === 'array' ? `at most ${issue.maximum} items` : `at most ${issue.maximum} (${got})`;
    case 'too_small':
      if (issue.origin === 'array') return `at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'} (got none)`;
      return issue.origin === 'string' ? 'must not be empty' : `at least ${issue.minimum} (${got})`;
    case 'invalid_format':
      return issue.format === 'email' ? `not an e-mail address (${got})` : `${issue.message} (${got})`;
    default:
      return issue.message === 'Invalid input' ? `not valid (${got})` : issue.message;
  }
}
