/**
 * A completeness answered for a wider node than the one asked (today's
 * `/v1/completeness/{month}` on a server without the node routes answers for the
 * registry's default node, the district): narrowed here to the node the page asked for,
 * so a town sees only its town's units and the district its towns' lines.
 */
import { shortCode } from './codes.ts';
import type { CompletenessCounts, MeBody, MonthCompleteness, Org, TownCompleteness, UnitCompleteness } from './types.ts';

function countsOf(units: readonly UnitCompleteness[]): CompletenessCounts {
  const count = (status: UnitCompleteness['status']) => units.filter((u) => u.status === status).length;
  const missing = count('missing');
  return { expected: units.length, received: units.length - missing, onTime: count('on_time'), late: count('late'), missing };
}

/** The completeness of `org`, from one of `org` itself or of the district above it. */
export function narrowTo(c: MonthCompleteness, org: Org): MonthCompleteness {
  if (c.org === org.code || org.level !== 'town' || c.level !== 'district') return c;
  const units = c.units.filter((u) => u.town === org.code).map((u) => ({ ...u, unit: shortCode(u.fullCode) }));
  const narrowed: MonthCompleteness = {
    ...c,
    org: org.code,
    orgName: org.name,
    level: 'town',
    units,
    summary: countsOf(units),
    published: null, // the district's publication is not the town's
  };
  delete narrowed.towns;
  return narrowed;
}

/** The district's towns' lines: as the API lists them, or counted from its units by town. */
export function townsOf(c: MonthCompleteness, me: MeBody): readonly TownCompleteness[] {
  if (c.towns) return c.towns;
  return me.towns.map((town) => {
    const units = c.units.filter((u) => u.town === town.code);
    return {
      code: town.code,
      name: town.name,
      summary: countsOf(units),
      missingUnits: units.filter((u) => u.status === 'missing').map((u) => ({ unit: u.fullCode, name: u.name })),
      url: '',
    };
  });
}
