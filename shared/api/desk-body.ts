/**
 * The clerk's desk as the API answers it (shared/api/routes/desk.ts): a month's units in
 * the order they need work, the live summary the publisher would publish and whether the
 * published revision still says it, the year to date — built with the publisher's code,
 * which the route loads when a desk is asked for, not at the API's cold start.
 */
import type * as z from 'zod/mini';
import { deskOrder, monthsToDate, publicationOf, publishable, yearToDate } from '../desk.ts';
import type { Month } from '../period.ts';
import type { ApiDeps } from '../ports/api.ts';
import type { CurrentSubmission } from '../ports/ledger.ts';
import type { Review } from '../ports/reviews.ts';
import type { SummaryKind } from '../ports/summaries.ts';
import { buildMonthly, entriesOf, hashOf, type MonthReader } from '../publish/publish.ts';
import type { Org, Registry } from '../registry.ts';
import type { Summary } from '../summary.ts';
import { completenessBody, readMonth, type MonthReads } from './completeness-body.ts';
import type { DeskBody } from './desk-schemas.ts';

/**
 * The month's reads, each once: the completeness's (this month's units and decisions), the
 * live summary's (its rollup, last month, last year) and the year to date's (each earlier
 * month's units and decisions) — this month's served from the completeness's reads.
 */
function readerOf(deps: ApiDeps, period: Month, reads: MonthReads): MonthReader & Parameters<typeof buildMonthly>[0] {
  return {
    rollupWithVersion: (org, scope, p) => deps.ledger.rollupWithVersion(org, scope, p),
    currentOfMonth: async (m, town): Promise<CurrentSubmission[]> =>
      m === period ? [...reads.current] : deps.ledger.currentOfMonth(m, town),
    reviewsOfMonth: async (m, town): Promise<Review[]> => (m === period ? [...reads.reviews] : deps.reviews.reviewsOfMonth(m, town)),
  };
}

/** The desk as answered: its summaries are the core's (SummaryBody describes them, loosely). */
type Desk = Omit<z.infer<typeof DeskBody>, 'live' | 'yearToDate'> & {
  readonly live: Summary & { readonly kind: SummaryKind };
  readonly yearToDate: { readonly from: Month; readonly through: Month; readonly summary: Summary & { readonly kind: SummaryKind } };
};

export async function deskOf(registry: Registry, org: Org, period: Month, deps: ApiDeps): Promise<Desk> {
  const now = deps.now();
  const reads = await readMonth(deps, org, period);
  const reader = readerOf(deps, period, reads);
  const months = monthsToDate(period);
  const [{ summary: live }, entries] = await Promise.all([
    buildMonthly(reader, registry, org, period),
    Promise.all(months.map((m) => entriesOf(reader, org, m))),
  ]);
  const completeness = completenessBody(registry, org, period, reads, now);
  const values = new Map(reads.current.map((c) => [c.unit, c.values]));
  const ytd = yearToDate(registry, org, period, new Map(months.map((m, i) => [m, entries[i]!])));
  return {
    ...completeness,
    units: deskOrder(completeness.units).map((u) => {
      const own = values.get(u.fullCode);
      return own ? { ...u, values: { ...own } } : u;
    }),
    publication: publicationOf(reads.latest, hashOf(live)),
    publish: publishable(period, now),
    live: { ...live, kind: 'monthly' },
    yearToDate: { from: months[0]!, through: period, summary: { ...ytd, kind: 'annual' } },
  };
}
