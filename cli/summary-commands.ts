/**
 * `summary` and `completeness`: an org's figures of a month or a year as the ledger holds
 * them now (not the published revision), for a town (`--org EC`) or the district (the
 * default of a district's registry); `--approved-only`: of the approved unit-months alone.
 */
import { approvedMonthSummary, approvedYearSummary } from '../shared/approved-summary.ts';
import { isMonth, type Month } from '../shared/period.ts';
import { entriesOf, townFilter } from '../shared/publish/publish.ts';
import type { Org, Registry } from '../shared/registry.ts';
import {
  byTown,
  completenessOf,
  monthsDue,
  monthSummary,
  yearSummary,
  type Completeness,
  type MonthEntry,
  type Summary,
} from '../shared/summary.ts';
import { summaryCsv } from '../shared/mail/summary-csv.ts';
import { summaryText } from '../shared/summary-text.ts';
import type { StackAccess } from '../infra/local/connect.ts';
import { deliver } from './download.ts';
import { UsageError, type CliEnvironment } from './environment.ts';
import { orgOf } from './org-option.ts';
import type { Out } from './output.ts';
import { periodOf } from './period-option.ts';
import { withStack } from './stack-commands.ts';
import { completenessText } from './text.ts';

type Values = Record<string, unknown>;

const FORMATS = ['text', 'json', 'csv', 'xlsx'] as const;
type Format = (typeof FORMATS)[number];

/** `--format text|json|csv|xlsx`; `--json` is `--format json`. */
function formatOf(values: Values): Format {
  const format = (values['format'] as string | undefined) ?? (values['json'] ? 'json' : 'text');
  if (!FORMATS.includes(format as Format)) throw new UsageError('--format 只能是 text、json、csv 或 xlsx (text|json|csv|xlsx)');
  if (values['json'] && format !== 'json') throw new UsageError(`--json 与 --format ${format} 矛盾 (conflicting formats)`);
  return format as Format;
}

export async function summary(values: Values, env: CliEnvironment, out: Out): Promise<number> {
  const { kind, period } = periodOf(values);
  const org = orgOf(values, env.registry);
  const format = formatOf(values);
  const approvedOnly = values['approved-only'] === true;
  const result = await withStack(values, env, (stack) =>
    kind === 'monthly' ? readMonth(stack, env.registry, org, period, approvedOnly) : readYear(stack, env, org, period, approvedOnly),
  );
  const file = values['out'] as string | undefined;
  if (format === 'xlsx') {
    // The workbook writer is loaded only for a workbook.
    const { summaryWorkbook } = await import('../shared/workbooks/summary.ts');
    await deliver(out, summaryWorkbook({ ...result, kind }, env.registry, { asOf: env.now() }), file);
  } else if (format === 'csv') await deliver(out, summaryCsv(result, env.registry), file);
  else await deliver(out, format === 'json' ? JSON.stringify(result) + '\n' : summaryText(result, env.registry), file);
  return 0;
}

async function readMonth(stack: StackAccess, registry: Registry, org: Org, period: Month, approvedOnly: boolean): Promise<Summary> {
  const [totals, entries] = await Promise.all([stack.ledger.rollup(org.code, 'month', period), entriesOf(stack.ledger, org, period)]);
  const shown = entries.map(withoutWarnings);
  return approvedOnly ? approvedMonthSummary(registry, org, period, shown) : monthSummary(registry, org, period, totals, shown);
}

async function readYear(stack: StackAccess, env: CliEnvironment, org: Org, year: string, approvedOnly: boolean): Promise<Summary> {
  const due = monthsDue(year, env.now());
  const [totals, unitYears, ...months] = await Promise.all([
    stack.ledger.rollup(org.code, 'year', year),
    stack.ledger.unitYears(year, townFilter(org)),
    ...due.map((m) => entriesOf(stack.ledger, org, m)),
  ]);
  const byMonth = new Map(due.map((m, i) => [m, months[i]!]));
  return approvedOnly
    ? approvedYearSummary(env.registry, org, year, byMonth)
    : yearSummary(env.registry, org, year, totals, unitYears, byMonth);
}

const withoutWarnings = ({ warnings: _, ...entry }: MonthEntry): MonthEntry => entry;

/** A completeness with its missing units by code and name (`--json` of `completeness`). */
export interface NamedCompleteness extends Omit<Completeness, 'missing'> {
  readonly missing: readonly { readonly unit: string; readonly name: string }[];
}

/** What `completeness` prints: the org's counts and, for the district, each town's. */
export interface CompletenessReport extends NamedCompleteness {
  readonly org: string;
  readonly orgName: string;
  readonly level: Org['level'];
  readonly period: Month;
  readonly towns?: readonly ({ readonly code: string; readonly name: string } & NamedCompleteness)[];
}

function named(registry: Registry, c: Completeness, org: Org): NamedCompleteness {
  const unitOf = (key: string) => registry.get(key.includes('/') ? key : `${org.code}/${key}`);
  return { ...c, missing: c.missing.map((key) => ({ unit: key, name: unitOf(key)?.name ?? key })) };
}

/** An org's completeness of a month; for the district, each town's too (units by code within their town). */
export function completenessReport(registry: Registry, org: Org, period: Month, entries: readonly MonthEntry[]): CompletenessReport {
  const base = { org: org.code, orgName: org.name, level: org.level, period };
  const own = named(registry, completenessOf(registry, org, period, entries), org);
  if (org.level === 'town') return { ...base, ...own };
  const grouped = byTown(entries);
  const towns = registry.towns.map((t) => {
    const town: Org = { level: 'town', ...t };
    return { code: t.code, name: t.name, ...named(registry, completenessOf(registry, town, period, grouped.get(t.code) ?? []), town) };
  });
  return { ...base, ...own, towns };
}

export async function completeness(values: Values, env: CliEnvironment, out: Out): Promise<number> {
  const period = values['month'] as string | undefined;
  if (period === undefined || !isMonth(period))
    throw new UsageError(`请给出 --month YYYY-MM (--month YYYY-MM${period ? `, got ${period}` : ''})`);
  const org = orgOf(values, env.registry);
  const entries = await withStack(values, env, (stack) => entriesOf(stack.ledger, org, period));
  const report = completenessReport(env.registry, org, period, entries);
  out.stdout(values['json'] ? JSON.stringify(report) + '\n' : completenessText(report));
  return 0;
}
